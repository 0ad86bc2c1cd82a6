# macOS: StemDeck.app (bundle settings, Info.plist with audio document types, icon), its deploy
# step (macdeployqt for Qt and the QML imports, LibTorch's dylibs copied into Frameworks) and a
# DragNDrop (.dmg) package. Cannot be built on the Debian machines: packaging/README.md says how
# to build, sign and notarise on a Mac. stemdeck_macos_write_info_plist() also runs in CMake
# script mode, where tests/check_platform_config.cmake checks what it writes.

set(STEMDECK_MACOS_MINIMUM "11.0" CACHE STRING "Oldest macOS StemDeck.app runs on (LSMinimumSystemVersion)")
# The extensions StemDeck decodes (core/jobs audioFileExtensions), for document types by extension.
set(STEMDECK_AUDIO_EXTENSIONS wav wave flac ogg oga opus mp3 aif aiff aifc w64 rf64 caf au snd)

# Writes the bundle's Info.plist to OUT from Info.plist.in. Reads STEMDECK_APP_ID and
# PROJECT_VERSION; EXECUTABLE defaults to "stemdeck".
function(stemdeck_macos_write_info_plist out)
    cmake_parse_arguments(P "" "EXECUTABLE" "" ${ARGN})
    set(STEMDECK_MACOS_EXECUTABLE stemdeck)
    if(P_EXECUTABLE)
        set(STEMDECK_MACOS_EXECUTABLE "${P_EXECUTABLE}")
    endif()
    if(NOT STEMDECK_APP_ID OR NOT PROJECT_VERSION)
        message(FATAL_ERROR "stemdeck_macos_write_info_plist: STEMDECK_APP_ID and PROJECT_VERSION must be set")
    endif()
    set(STEMDECK_MACOS_VERSION "${PROJECT_VERSION}")
    string(TIMESTAMP _year "%Y" UTC)
    set(STEMDECK_MACOS_COPYRIGHT "© ${_year} The StemDeck developers. GPL-3.0-or-later.")
    set(STEMDECK_MACOS_EXTENSIONS "")
    foreach(ext IN LISTS STEMDECK_AUDIO_EXTENSIONS)
        string(APPEND STEMDECK_MACOS_EXTENSIONS "        <string>${ext}</string>\n")
    endforeach()
    string(STRIP "${STEMDECK_MACOS_EXTENSIONS}" STEMDECK_MACOS_EXTENSIONS)
    set(STEMDECK_MACOS_EXTENSIONS "        ${STEMDECK_MACOS_EXTENSIONS}")
    configure_file("${CMAKE_CURRENT_FUNCTION_LIST_DIR}/Info.plist.in" "${out}" @ONLY)
endfunction()

# Turns TARGET (the `stemdeck` executable, already MACOSX_BUNDLE) into StemDeck.app and installs
# the CLI inside the bundle, the deploy step and the DragNDrop package. GEN_DIR: generated files.
function(stemdeck_macos_bundle target gen_dir)
    # StemDeck.app/Contents/MacOS/StemDeck: the name people see in /Applications and the Dock.
    stemdeck_macos_write_info_plist("${gen_dir}/Info.plist" EXECUTABLE StemDeck)
    set_target_properties(${target} PROPERTIES
        OUTPUT_NAME StemDeck
        MACOSX_BUNDLE TRUE
        MACOSX_BUNDLE_INFO_PLIST "${gen_dir}/Info.plist"
        # LibTorch and Qt land in Contents/Frameworks during the deploy step.
        INSTALL_RPATH "@executable_path/../Frameworks")

    # stemdeck.icns from the SVG: rsvg-convert (Homebrew librsvg) renders the iconset sizes and
    # iconutil (part of macOS) packs them. Without rsvg-convert the bundle has no icon.
    find_program(RSVG_CONVERT rsvg-convert)
    find_program(ICONUTIL iconutil)
    if(RSVG_CONVERT AND ICONUTIL)
        set(_svg "${PROJECT_SOURCE_DIR}/resources/icons/stemdeck.svg")
        set(_set "${gen_dir}/stemdeck.iconset")
        set(_cmds)
        foreach(size 16 32 128 256 512)
            math(EXPR size2 "${size} * 2")
            list(APPEND _cmds
                COMMAND "${RSVG_CONVERT}" -w ${size} -h ${size} -o "${_set}/icon_${size}x${size}.png" "${_svg}"
                COMMAND "${RSVG_CONVERT}" -w ${size2} -h ${size2} -o "${_set}/icon_${size}x${size}@2x.png" "${_svg}")
        endforeach()
        add_custom_command(OUTPUT "${gen_dir}/stemdeck.icns"
            COMMAND ${CMAKE_COMMAND} -E make_directory "${_set}"
            ${_cmds}
            COMMAND "${ICONUTIL}" -c icns -o "${gen_dir}/stemdeck.icns" "${_set}"
            DEPENDS "${_svg}" VERBATIM)
        target_sources(${target} PRIVATE "${gen_dir}/stemdeck.icns")
        set_source_files_properties("${gen_dir}/stemdeck.icns" PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
    else()
        message(WARNING "rsvg-convert or iconutil missing: StemDeck.app will have no icon")
    endif()

    # One download holds both tools: stemdeck-cli sits next to the GUI in Contents/MacOS.
    if(TARGET stemdeck-cli)
        set_target_properties(stemdeck-cli PROPERTIES INSTALL_RPATH "@executable_path/../Frameworks")
        install(TARGETS stemdeck-cli RUNTIME DESTINATION "StemDeck.app/Contents/MacOS")
    endif()

    # Deploy: runs after every other install rule of this directory (it is the last one added).
    find_program(MACDEPLOYQT macdeployqt HINTS "${QT6_INSTALL_PREFIX}/bin" "${Qt6_DIR}/../../../bin")
    set(_torch_lib "${TORCH_INSTALL_PREFIX}/lib")
    install(CODE "
        set(STEMDECK_APP \"\${CMAKE_INSTALL_PREFIX}/StemDeck.app\")
        set(STEMDECK_MACDEPLOYQT \"${MACDEPLOYQT}\")
        set(STEMDECK_QML_DIR \"${PROJECT_SOURCE_DIR}/ui/qml\")
        set(STEMDECK_TORCH_LIB_DIR \"${_torch_lib}\")
        set(STEMDECK_CODESIGN_IDENTITY \"${STEMDECK_CODESIGN_IDENTITY}\")")
    install(SCRIPT "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/deploy.cmake")

    set(CPACK_GENERATOR "DragNDrop" PARENT_SCOPE)
    set(CPACK_DMG_VOLUME_NAME "StemDeck ${PROJECT_VERSION}" PARENT_SCOPE)
    set(CPACK_DMG_FORMAT "UDZO" PARENT_SCOPE)
    set(CPACK_PACKAGE_FILE_NAME "StemDeck-${PROJECT_VERSION}-macOS-${CMAKE_SYSTEM_PROCESSOR}" PARENT_SCOPE)
endfunction()

set(STEMDECK_CODESIGN_IDENTITY "" CACHE STRING
    "codesign identity for StemDeck.app (\"Developer ID Application: ...\"); empty: ad-hoc signature")
