# ctest packaging_qml_deps: every QML module the application's QML imports (ui/**/*.qml) is
# covered by a Debian package in STEMDECK_DEB_QML_MODULES (linux/linux.cmake), because
# dpkg-shlibdeps cannot see QML imports and a missing module only shows when the window opens.
# Usage: cmake -DQML_ROOT=<repo>/ui "-DPACKAGES=pkg;pkg;..." -P check_qml_deps.cmake
cmake_minimum_required(VERSION 3.25)
if(NOT QML_ROOT OR NOT PACKAGES)
    message(FATAL_ERROR "usage: cmake -DQML_ROOT=... -DPACKAGES=... -P check_qml_deps.cmake")
endif()
# A scan of what the QML says, not a source list.
file(GLOB_RECURSE qml_files "${QML_ROOT}/*.qml")
if(NOT qml_files)
    message(FATAL_ERROR "no QML files under ${QML_ROOT}")
endif()
set(imports)
foreach(f IN LISTS qml_files)
    file(STRINGS "${f}" lines REGEX "^[ \t]*import[ \t]+[A-Za-z]")
    foreach(line IN LISTS lines)
        string(REGEX REPLACE "^[ \t]*import[ \t]+([A-Za-z0-9_.]+).*" "\\1" module "${line}")
        list(APPEND imports "${module}")
    endforeach()
endforeach()
list(REMOVE_DUPLICATES imports)
list(SORT imports)

set(missing)
foreach(module IN LISTS imports)
    # The application's own modules are compiled in; QtQml itself is part of libqt6qml6.
    if(module MATCHES "^StemDeck([.]|$)" OR module STREQUAL "QtQml")
        continue()
    endif()
    # Debian names: qml6-module- + the module in lower case with dots as dashes; the styles of
    # QtQuick.Controls ship in qml6-module-qtquick-controls.
    set(name "${module}")
    if(name MATCHES "^QtQuick[.]Controls[.]")
        set(name "QtQuick.Controls")
    endif()
    string(TOLOWER "${name}" pkg)
    string(REPLACE "." "-" pkg "${pkg}")
    set(pkg "qml6-module-${pkg}")
    if(NOT pkg IN_LIST PACKAGES)
        list(APPEND missing "${module} (${pkg})")
    endif()
endforeach()
list(JOIN imports ", " shown)
if(missing)
    list(JOIN missing ", " missing)
    message(FATAL_ERROR "QML imports without a package in STEMDECK_DEB_QML_MODULES: ${missing}")
endif()
message(STATUS "QML imports covered by the package's Depends: ${shown}")
