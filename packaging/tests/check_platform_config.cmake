# ctest packaging_platform_config: runs the macOS and Windows packaging logic in CMake script
# mode (they cannot be built on Linux) with stand-in project variables, and checks what it
# produces: the bundle's Info.plist and the installer settings.
# Usage: cmake -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch> -P check_platform_config.cmake
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_DIR OR NOT WORK_DIR)
    message(FATAL_ERROR "usage: cmake -DSOURCE_DIR=... -DWORK_DIR=... -P check_platform_config.cmake")
endif()
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

set(_failures 0)
# expect("what is checked" <if() condition...>)
macro(expect what)
    if(${ARGN})
    else()
        message(SEND_ERROR "FAIL: ${what}")
        math(EXPR _failures "${_failures} + 1")
    endif()
endmacro()

# Stand-ins for what the project's configure step sets.
set(PROJECT_SOURCE_DIR "${SOURCE_DIR}")
set(PROJECT_VERSION "9.8.7")
set(STEMDECK_APP_ID "io.github.stemdeck.StemDeck")
set(STEMDECK_PROJECT_URL "https://example.invalid/stemdeck")
set(CMAKE_CURRENT_BINARY_DIR "${WORK_DIR}")
set(CMAKE_CURRENT_SOURCE_DIR "${SOURCE_DIR}/packaging")

# ---- macOS: Info.plist ------------------------------------------------------------------------
include("${SOURCE_DIR}/packaging/macos/macos.cmake")
set(_plist "${WORK_DIR}/Info.plist")
stemdeck_macos_write_info_plist("${_plist}")
file(READ "${_plist}" plist)
expect("Info.plist has no unreplaced @VARIABLE@" NOT plist MATCHES "@[A-Z_]+@")
expect("Info.plist has no dollar-brace reference (CMake configures the file a second time)" NOT plist MATCHES "[$][{]")
foreach(pair
        "CFBundleIdentifier|io.github.stemdeck.StemDeck"
        "CFBundleExecutable|stemdeck"
        "CFBundleShortVersionString|9.8.7"
        "CFBundleVersion|9.8.7"
        "CFBundlePackageType|APPL"
        "CFBundleIconFile|stemdeck.icns"
        "LSMinimumSystemVersion|11.0"
        "LSApplicationCategoryType|public.app-category.music")
    string(REPLACE "|" ";" kv "${pair}")
    list(GET kv 0 key)
    list(GET kv 1 value)
    string(REGEX MATCH "<key>${key}</key>[ \n]*<string>([^<]*)</string>" _m "${plist}")
    expect("Info.plist ${key} is \"${value}\" (got \"${CMAKE_MATCH_1}\")" "${CMAKE_MATCH_1}" STREQUAL "${value}")
endforeach()
string(REGEX MATCH "<key>CFBundleDocumentTypes</key>(.*)</array>[ \n]*</dict>[ \n]*</plist>" _m "${plist}")
set(doctypes "${CMAKE_MATCH_1}")
foreach(uti com.microsoft.waveform-audio org.xiph.flac public.mp3 public.aiff-audio org.xiph.ogg-audio)
    expect("document types include ${uti}" doctypes MATCHES "<string>${uti}</string>")
endforeach()
foreach(ext IN LISTS STEMDECK_AUDIO_EXTENSIONS)
    expect("document types include the extension ${ext}" doctypes MATCHES "<string>${ext}</string>")
endforeach()
expect("StemDeck is an Alternate handler (offered, never the default player)"
       doctypes MATCHES "<key>LSHandlerRank</key>[ \n]*<string>Alternate</string>")
# Another executable name reaches CFBundleExecutable.
stemdeck_macos_write_info_plist("${WORK_DIR}/Info-other.plist" EXECUTABLE StemDeckApp)
file(READ "${WORK_DIR}/Info-other.plist" other)
expect("EXECUTABLE argument is used" other MATCHES "<key>CFBundleExecutable</key>[ \n]*<string>StemDeckApp</string>")
# Well-formed XML, when xmllint is there to say so (plutil is macOS only).
find_program(XMLLINT xmllint)
if(XMLLINT)
    execute_process(COMMAND "${XMLLINT}" --noout "${_plist}" RESULT_VARIABLE rc ERROR_VARIABLE err)
    expect("Info.plist is well-formed XML: ${err}" rc EQUAL 0)
endif()

# ---- Windows: NSIS and WiX settings -----------------------------------------------------------
include("${SOURCE_DIR}/packaging/windows/windows.cmake")
expect("NSIS is the default Windows generator" CPACK_GENERATOR STREQUAL "NSIS")
expect("the licence is copied for the installer" EXISTS "${CPACK_RESOURCE_FILE_LICENSE}")
expect("the installer licence has a .txt name (WiX refuses others)" CPACK_RESOURCE_FILE_LICENSE MATCHES "[.]txt$")
expect("WiX upgrade GUID is a fixed, well-formed GUID"
       CPACK_WIX_UPGRADE_GUID MATCHES "^[0-9A-F]+-[0-9A-F]+-[0-9A-F]+-[0-9A-F]+-[0-9A-F]+$")
foreach(ext IN LISTS STEMDECK_AUDIO_EXTENSIONS)
    expect("NSIS registers .${ext} for Open with"
           CPACK_NSIS_EXTRA_INSTALL_COMMANDS MATCHES "Classes[\\\\]+[.]${ext}[\\\\]+OpenWithProgids")
    expect("NSIS unregisters .${ext}"
           CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS MATCHES "Classes[\\\\]+[.]${ext}[\\\\]+OpenWithProgids")
endforeach()
expect("the open command passes the file to stemdeck.exe" CPACK_NSIS_EXTRA_INSTALL_COMMANDS MATCHES "open[\\\\]+command' '' '.*stemdeck[.]exe.* .*%1")
file(READ "${CPACK_WIX_PATCH_FILE}" wix)
expect("WiX patch has no unreplaced @VARIABLE@" NOT wix MATCHES "@[A-Z_]+@")
string(REGEX MATCHALL "<Extension Id=\"[a-z0-9]+\"" wix_exts "${wix}")
list(LENGTH wix_exts n_wix)
list(LENGTH STEMDECK_AUDIO_EXTENSIONS n_ext)
expect("WiX patch has one Extension per audio extension (${n_wix} of ${n_ext})" n_wix EQUAL n_ext)
if(XMLLINT)
    execute_process(COMMAND "${XMLLINT}" --noout "${CPACK_WIX_PATCH_FILE}" RESULT_VARIABLE rc ERROR_VARIABLE err)
    expect("WiX patch is well-formed XML: ${err}" rc EQUAL 0)
endif()

# ---- the extension lists agree with the one the application uses ------------------------------
file(READ "${SOURCE_DIR}/core/jobs/job_queue.cpp" jq)
string(REGEX MATCH "audioFileExtensions\\(\\) {([^}]*)}" _m "${jq}")
string(REGEX MATCHALL "QStringLiteral\\(\"([a-z0-9]+)\"\\)" app_exts "${CMAKE_MATCH_1}")
list(TRANSFORM app_exts REPLACE "QStringLiteral\\(\"([a-z0-9]+)\"\\)" "\\1")
list(SORT app_exts)
set(pkg_exts ${STEMDECK_AUDIO_EXTENSIONS})
list(SORT pkg_exts)
list(JOIN app_exts " " app_exts)
list(JOIN pkg_exts " " pkg_exts)
expect("packaging's extensions (${pkg_exts}) are core/jobs audioFileExtensions() (${app_exts})"
       "${app_exts}" STREQUAL "${pkg_exts}")

if(_failures GREATER 0)
    message(FATAL_ERROR "${_failures} check(s) failed")
endif()
message(STATUS "macOS Info.plist and Windows installer settings: all checks passed")
