#!/usr/bin/env bash
# Configures and builds StemDeck into ${STEMDECK_BUILD_DIR:-build} (Release, Ninja, ccache when present).
# Extra arguments go to the CMake configure step.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${STEMDECK_BUILD_DIR:-$root/build}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${STEMDECK_BUILD_TYPE:-Release}" "${launcher[@]}" "$@"
cmake --build "$build" --parallel "$(nproc)"
