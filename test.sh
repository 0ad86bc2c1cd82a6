#!/usr/bin/env bash
# Installs what is missing, builds StemDeck with its tests, and runs every check:
#   1. the ASan/UBSan build of the plain-C++ parsers and their tests   (scripts/sanitize.sh)
#   2. bounded libFuzzer runs + the ThreadSanitizer cancel storm       (scripts/fuzz.sh)
#   3. the Debian package: build, install, use, remove                 (scripts/package-check.sh)
#   4. the whole Qt Test suite under ctest                             (last, so its summary closes the log)
# Environment: STEMDECK_FUZZ_SECONDS (per target, default 20), STEMDECK_SKIP_PACKAGE=1 to leave
# out step 3 (it installs and removes a package, so it needs root or sudo).
set -uo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/scripts/setup.sh" || exit 1
"$root/scripts/build.sh" -DSTEMDECK_BUILD_TESTS=ON || exit 1
build=${STEMDECK_BUILD_DIR:-$root/build}

failed=()
stage() { printf '\n==== test.sh: %s\n' "$1"; }

stage "sanitizers (ASan + UBSan)"
"$root/scripts/sanitize.sh" || failed+=(sanitize)

stage "fuzzing (${STEMDECK_FUZZ_SECONDS:-20} s per target) and ThreadSanitizer"
"$root/scripts/fuzz.sh" "${STEMDECK_FUZZ_SECONDS:-20}" || failed+=(fuzz)

if [ "${STEMDECK_SKIP_PACKAGE:-0}" != 1 ]; then
  stage "Debian package check"
  "$root/scripts/package-check.sh" "$build" || failed+=(package)
fi

stage "test suite (ctest)"
cd "$build" || exit 1
export QT_QPA_PLATFORM=offscreen
ctest --output-on-failure --timeout 1500 -j "$(nproc)" || failed+=(ctest)

if ((${#failed[@]})); then
  echo "test.sh: FAILED stages: ${failed[*]}"
  exit 1
fi
echo "test.sh: all stages passed"
