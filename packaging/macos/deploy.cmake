# Install-time deploy step of StemDeck.app (macOS only; run by `cmake --install` and by CPack).
# Inputs, set by macos.cmake's install(CODE): STEMDECK_APP, STEMDECK_MACDEPLOYQT, STEMDECK_QML_DIR,
# STEMDECK_TORCH_LIB_DIR, STEMDECK_CODESIGN_IDENTITY.
#
# 1. LibTorch's dylibs go to Contents/Frameworks first: macdeployqt follows @rpath references
#    only into folders it knows, and LibTorch is not one of them.
# 2. macdeployqt copies the Qt frameworks, the platform/style/multimedia plugins and the QML
#    modules that ui/qml imports, and rewrites the install names; -executable also fixes
#    stemdeck-cli. It signs the bundle (ad hoc without an identity) with -codesign.
# Signing with a Developer ID, the hardened runtime and notarisation: packaging/README.md.

if(NOT EXISTS "${STEMDECK_APP}/Contents/MacOS/StemDeck")
    message(FATAL_ERROR "deploy: ${STEMDECK_APP} has no Contents/MacOS/StemDeck (was the bundle installed?)")
endif()
if(NOT STEMDECK_MACDEPLOYQT)
    message(FATAL_ERROR "deploy: macdeployqt not found; it is in the bin/ folder of the Qt installation")
endif()

set(_fw "${STEMDECK_APP}/Contents/Frameworks")
file(MAKE_DIRECTORY "${_fw}")
# libtorch, libtorch_cpu, libc10 and the OpenMP runtime LibTorch's macOS build links (libomp).
file(GLOB _torch_libs "${STEMDECK_TORCH_LIB_DIR}/libtorch*.dylib" "${STEMDECK_TORCH_LIB_DIR}/libc10*.dylib"
                      "${STEMDECK_TORCH_LIB_DIR}/libomp*.dylib" "${STEMDECK_TORCH_LIB_DIR}/libiomp*.dylib")
if(NOT _torch_libs)
    message(FATAL_ERROR "deploy: no LibTorch dylibs in ${STEMDECK_TORCH_LIB_DIR}")
endif()
foreach(lib IN LISTS _torch_libs)
    message(STATUS "deploy: ${lib} -> Contents/Frameworks")
    file(COPY "${lib}" DESTINATION "${_fw}" FOLLOW_SYMLINK_CHAIN)
endforeach()

set(_args "${STEMDECK_APP}" "-qmldir=${STEMDECK_QML_DIR}" "-executable=${STEMDECK_APP}/Contents/MacOS/stemdeck-cli"
          "-libpath=${_fw}" -always-overwrite)
if(STEMDECK_CODESIGN_IDENTITY)
    list(APPEND _args "-codesign=${STEMDECK_CODESIGN_IDENTITY}" -hardened-runtime -timestamp)
else()
    list(APPEND _args "-codesign=-")
endif()
execute_process(COMMAND "${STEMDECK_MACDEPLOYQT}" ${_args} RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "deploy: macdeployqt failed (${_rc})")
endif()
