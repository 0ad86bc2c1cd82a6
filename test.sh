#!/usr/bin/env bash
# Installs what is missing, builds StemDeck with its tests, and runs the whole suite with ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" -DSTEMDECK_BUILD_TESTS=ON
cd "${STEMDECK_BUILD_DIR:-$root/build}"
export QT_QPA_PLATFORM=offscreen
ctest --output-on-failure --timeout 900 -j "$(nproc)"
