# Linux: desktop integration (freedesktop .desktop file, hicolor icons, MIME types, AppStream
# metainfo) and the CPack DEB package. Included by packaging/CMakeLists.txt, which has set
# STEMDECK_APP_ID, STEMDECK_PROJECT_URL and STEMDECK_SCREENSHOT_BASE_URL.
#
# No maintainer scripts: Debian's desktop-file-utils, shared-mime-info and hicolor-icon-theme
# watch share/applications, share/mime/packages and share/icons/hicolor with dpkg file triggers
# and refresh their caches themselves.

set(_desktop "${PROJECT_SOURCE_DIR}/resources/desktop")
set(_icon_svg "${PROJECT_SOURCE_DIR}/resources/icons/stemdeck.svg")
set(_gen "${CMAKE_CURRENT_BINARY_DIR}/linux")

set(STEMDECK_METAINFO "${_gen}/${STEMDECK_APP_ID}.metainfo.xml")
configure_file("${_desktop}/${STEMDECK_APP_ID}.metainfo.xml.in" "${STEMDECK_METAINFO}" @ONLY)

# The desktop integration belongs to the window: a CLI-only build installs none of it.
if(STEMDECK_BUILD_UI)
    # ---- icons: the SVG, plus PNGs rendered from it for desktops and docks that want bitmaps ----
    set(STEMDECK_ICON_SIZES 16 22 24 32 48 64 128 256 512)
    install(FILES "${_icon_svg}" DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps"
            RENAME "${STEMDECK_APP_ID}.svg")
    find_program(RSVG_CONVERT rsvg-convert DOC "librsvg2-bin: renders the application icon to PNG")
    if(RSVG_CONVERT)
        set(_pngs)
        foreach(size IN LISTS STEMDECK_ICON_SIZES)
            set(_png "${_gen}/icons/${size}x${size}/${STEMDECK_APP_ID}.png")
            add_custom_command(OUTPUT "${_png}"
                COMMAND ${CMAKE_COMMAND} -E make_directory "${_gen}/icons/${size}x${size}"
                COMMAND "${RSVG_CONVERT}" --width ${size} --height ${size} --keep-aspect-ratio
                        --output "${_png}" "${_icon_svg}"
                DEPENDS "${_icon_svg}"
                COMMENT "Rendering the ${size}x${size} application icon"
                VERBATIM)
            list(APPEND _pngs "${_png}")
            install(FILES "${_png}" DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps")
        endforeach()
        add_custom_target(stemdeck_icons ALL DEPENDS ${_pngs})
    else()
        message(WARNING "rsvg-convert (Debian: librsvg2-bin) not found: only the SVG icon will be installed")
    endif()

    # ---- desktop file, MIME types, AppStream ------------------------------------------------------
    install(FILES "${_desktop}/${STEMDECK_APP_ID}.desktop" DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
    install(FILES "${_desktop}/${STEMDECK_APP_ID}-mime.xml" DESTINATION "${CMAKE_INSTALL_DATADIR}/mime/packages"
            RENAME "${STEMDECK_APP_ID}.xml")
    install(FILES "${STEMDECK_METAINFO}" DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
endif()

# Debian policy: every package has /usr/share/doc/<package>/copyright.
install(FILES "${CMAKE_CURRENT_LIST_DIR}/copyright" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/stemdeck")
install(FILES "${PROJECT_SOURCE_DIR}/README.md" DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/stemdeck")

# ---- CPack DEB ------------------------------------------------------------------------------
# The QML modules the window imports at run time (ui/qml/*.qml: QtQuick, QtQuick.Controls with
# the Fusion style, QtQuick.Layouts, QtQuick.Dialogs) and what those import in turn
# (Templates, Window, WorkerScript; the non-native FileDialog imports Qt.labs.folderlistmodel).
# Debian's qml6-module-* packages do not depend on each other, and dpkg-shlibdeps cannot see QML
# imports, so they are listed here (ctest packaging_qml_deps compares them with ui/**/*.qml).
set(STEMDECK_DEB_QML_MODULES
    qml6-module-qtquick
    qml6-module-qtquick-controls
    qml6-module-qtquick-templates
    qml6-module-qtquick-layouts
    qml6-module-qtquick-window
    qml6-module-qtquick-dialogs
    qml6-module-qtqml-workerscript
    qml6-module-qt-labs-folderlistmodel
)
list(JOIN STEMDECK_DEB_QML_MODULES ", " _qml_deps)

set(CPACK_GENERATOR "DEB")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "sound")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${STEMDECK_PROJECT_URL}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# qt6-qpa-plugins: the xcb platform plugin (X11, XWayland) is not part of libqt6gui6.
# fonts-noto-cjk: the Japanese interface; Debian installs no font with Japanese glyphs by default
# (without one, every Japanese string draws as empty boxes).
if(STEMDECK_BUILD_UI)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "${_qml_deps}, qt6-qpa-plugins")
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland, fonts-noto-cjk")
endif()
# CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY on the first line; this is the extended text.
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "StemDeck splits songs into stems (drums, vocals, bass, or the parts of a drum kit)\n"
    "with MDX23C (TFC-TDF v3) networks on the CPU or a GPU. Drop files on the window,\n"
    "preview the stems and export them; stemdeck-cli does the same from scripts.\n"
    "It loads the .ckpt and .safetensors MDX23C checkpoints people already use and\n"
    "never runs code from them. A small drum model and a demo loop are included.")

# ---- metadata checks (ctest; the tools come from scripts/setup.sh) ----------------------------
function(stemdeck_linux_metadata_tests)
    find_program(DESKTOP_FILE_VALIDATE desktop-file-validate)
    find_program(APPSTREAMCLI appstreamcli)
    find_program(UPDATE_MIME_DATABASE update-mime-database)
    if(DESKTOP_FILE_VALIDATE)
        add_test(NAME packaging_desktop_file
                 COMMAND "${DESKTOP_FILE_VALIDATE}" "${_desktop}/${STEMDECK_APP_ID}.desktop")
        # desktop-file-validate reports hints and warnings on stdout yet exits 0 for them.
        set_tests_properties(packaging_desktop_file PROPERTIES LABELS packaging FAIL_REGULAR_EXPRESSION "error:|warning:")
    endif()
    if(APPSTREAMCLI)
        add_test(NAME packaging_appstream
                 COMMAND "${APPSTREAMCLI}" validate --no-net --no-color "${STEMDECK_METAINFO}")
        set_tests_properties(packaging_appstream PROPERTIES LABELS packaging)
    endif()
    add_test(NAME packaging_qml_deps
             COMMAND ${CMAKE_COMMAND} -DQML_ROOT=${PROJECT_SOURCE_DIR}/ui "-DPACKAGES=${STEMDECK_DEB_QML_MODULES}"
                     -P ${CMAKE_CURRENT_SOURCE_DIR}/tests/check_qml_deps.cmake)
    set_tests_properties(packaging_qml_deps PROPERTIES LABELS packaging)
    if(UPDATE_MIME_DATABASE)
        add_test(NAME packaging_mime
                 COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/tests/check_mime.sh"
                         "${_desktop}/${STEMDECK_APP_ID}.desktop" "${_desktop}/${STEMDECK_APP_ID}-mime.xml"
                         "${CMAKE_CURRENT_BINARY_DIR}/mime-check")
        set_tests_properties(packaging_mime PROPERTIES LABELS packaging)
    endif()
endfunction()
