# Windows: the installer (CPack NSIS by default, WiX with -G WIX) and the deploy step
# (windeployqt for Qt and the QML imports, LibTorch's DLLs next to the executables). Cannot be
# built on the Debian machines: packaging/README.md says how to build it on Windows.
#
# The CPack settings below are plain variables so tests/check_platform_config.cmake can run this
# file in CMake script mode and check them; the install rules are in stemdeck_windows_install(),
# called from the project only.

# The extensions StemDeck decodes (core/jobs audioFileExtensions): "Open with > StemDeck".
set(STEMDECK_AUDIO_EXTENSIONS wav wave flac ogg oga opus mp3 aif aiff aifc w64 rf64 caf au snd)
set(STEMDECK_WIN_PROGID "StemDeck.AudioFile")

# WiX and NSIS want the licence as .txt (or .rtf); LICENSE has no extension.
set(STEMDECK_WIN_LICENSE "${CMAKE_CURRENT_BINARY_DIR}/windows/LICENSE.txt")
configure_file("${PROJECT_SOURCE_DIR}/LICENSE" "${STEMDECK_WIN_LICENSE}" COPYONLY)
set(CPACK_RESOURCE_FILE_LICENSE "${STEMDECK_WIN_LICENSE}")

set(CPACK_GENERATOR "NSIS")
set(CPACK_PACKAGE_FILE_NAME "StemDeck-${PROJECT_VERSION}-win64")
set(CPACK_PACKAGE_INSTALL_REGISTRY_KEY "StemDeck")

# ---- NSIS ------------------------------------------------------------------------------------
set(CPACK_NSIS_PACKAGE_NAME "StemDeck ${PROJECT_VERSION}")
set(CPACK_NSIS_DISPLAY_NAME "StemDeck")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\stemdeck.exe")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MODIFY_PATH ON) # offers to put bin\ (stemdeck-cli) on PATH
set(CPACK_NSIS_URL_INFO_ABOUT "${STEMDECK_PROJECT_URL}")
set(CPACK_NSIS_MUI_FINISHPAGE_RUN "stemdeck.exe")
set(CPACK_NSIS_EXECUTABLES_DIRECTORY "bin")
set(CPACK_NSIS_CREATE_ICONS_EXTRA
    "CreateShortCut '$SMPROGRAMS\\\\$STARTMENU_FOLDER\\\\StemDeck.lnk' '$INSTDIR\\\\bin\\\\stemdeck.exe'")
set(CPACK_NSIS_DELETE_ICONS_EXTRA "Delete '$SMPROGRAMS\\\\$START_MENU\\\\StemDeck.lnk'")
# File associations: one ProgID ("Open with StemDeck" adds the file to the queue), listed under
# each extension's OpenWithProgids so StemDeck is offered without taking over the default player.
set(_install "WriteRegStr HKLM 'Software\\\\Classes\\\\${STEMDECK_WIN_PROGID}' '' 'Audio file (StemDeck)'\n")
string(APPEND _install "WriteRegStr HKLM 'Software\\\\Classes\\\\${STEMDECK_WIN_PROGID}\\\\DefaultIcon' '' '$INSTDIR\\\\bin\\\\stemdeck.exe,0'\n")
string(APPEND _install "WriteRegStr HKLM 'Software\\\\Classes\\\\${STEMDECK_WIN_PROGID}\\\\shell\\\\open\\\\command' '' '\\\"$INSTDIR\\\\bin\\\\stemdeck.exe\\\" \\\"%1\\\"'\n")
set(_uninstall "DeleteRegKey HKLM 'Software\\\\Classes\\\\${STEMDECK_WIN_PROGID}'\n")
foreach(ext IN LISTS STEMDECK_AUDIO_EXTENSIONS)
    string(APPEND _install "WriteRegStr HKLM 'Software\\\\Classes\\\\.${ext}\\\\OpenWithProgids' '${STEMDECK_WIN_PROGID}' ''\n")
    string(APPEND _uninstall "DeleteRegValue HKLM 'Software\\\\Classes\\\\.${ext}\\\\OpenWithProgids' '${STEMDECK_WIN_PROGID}'\n")
endforeach()
# Tell Explorer the associations changed (SHChangeNotify SHCNE_ASSOCCHANGED).
string(APPEND _install "System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'")
set(CPACK_NSIS_EXTRA_INSTALL_COMMANDS "${_install}")
set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS "${_uninstall}")

# ---- WiX (cpack -G WIX) ----------------------------------------------------------------------
# Fixed forever: Windows Installer recognises upgrades of StemDeck by this GUID.
set(CPACK_WIX_UPGRADE_GUID "6F1C2E4A-8B3D-4F6E-9A2C-5D7E1B0C3A94")
set(CPACK_WIX_PROGRAM_MENU_FOLDER "StemDeck")
set(CPACK_WIX_PROPERTY_ARPURLINFOABOUT "${STEMDECK_PROJECT_URL}")
# Same associations as NSIS, as a WiX fragment attached to stemdeck.exe's component.
set(CPACK_WIX_PATCH_FILE "${CMAKE_CURRENT_BINARY_DIR}/windows/wix-patch.xml")
set(STEMDECK_WIX_EXTENSIONS "")
foreach(ext IN LISTS STEMDECK_AUDIO_EXTENSIONS)
    string(APPEND STEMDECK_WIX_EXTENSIONS
        "        <Extension Id=\"${ext}\"><Verb Id=\"open\" Command=\"Open with StemDeck\" TargetFile=\"CM_FP_bin.stemdeck.exe\" Argument='\"%1\"'/></Extension>\n")
endforeach()
configure_file("${CMAKE_CURRENT_LIST_DIR}/wix-patch.xml.in" "${CPACK_WIX_PATCH_FILE}" @ONLY)

# Install rules (project mode only): LibTorch's DLLs, windeployqt, the icon for the installer.
function(stemdeck_windows_install)
    # stemdeck.ico from the SVG with ImageMagick, for the installer and Add/Remove Programs.
    find_program(MAGICK magick)
    if(MAGICK)
        set(_ico "${CMAKE_CURRENT_BINARY_DIR}/windows/stemdeck.ico")
        add_custom_command(OUTPUT "${_ico}"
            COMMAND "${MAGICK}" -background none "${PROJECT_SOURCE_DIR}/resources/icons/stemdeck.svg"
                    -define icon:auto-resize=256,128,64,48,32,16 "${_ico}"
            DEPENDS "${PROJECT_SOURCE_DIR}/resources/icons/stemdeck.svg" VERBATIM)
        add_custom_target(stemdeck_ico ALL DEPENDS "${_ico}")
        set(CPACK_WIX_PRODUCT_ICON "${_ico}" PARENT_SCOPE)
        set(CPACK_NSIS_MUI_ICON "${_ico}" PARENT_SCOPE)
    endif()
    # Runtime DLLs of LibTorch (torch, torch_cpu, c10, the OpenMP runtime) next to the executables.
    file(GLOB _torch_dlls "${TORCH_INSTALL_PREFIX}/lib/*.dll")
    install(FILES ${_torch_dlls} DESTINATION ${CMAKE_INSTALL_BINDIR})
    find_program(WINDEPLOYQT windeployqt HINTS "${QT6_INSTALL_PREFIX}/bin" "${Qt6_DIR}/../../../bin")
    install(CODE "
        execute_process(COMMAND \"${WINDEPLOYQT}\" --release --no-translations --qmldir \"${PROJECT_SOURCE_DIR}/ui/qml\"
                                \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/stemdeck.exe\"
                                \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/stemdeck-cli.exe\"
                        RESULT_VARIABLE rc)
        if(NOT rc EQUAL 0)
            message(FATAL_ERROR \"windeployqt failed (\${rc})\")
        endif()")
endfunction()
