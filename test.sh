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
# Each stage's output goes to the log as it runs and to $build/test-logs/<stage>.log; a failed
# stage's last lines are printed again at the very end, where a log read from its tail shows them.
logs=$build/test-logs
mkdir -p "$logs"
run_stage() { # run_stage NAME COMMAND...: runs it, keeps its output, records NAME if it fails
  local name=$1; shift
  "$@" 2>&1 | tee "$logs/$name.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || failed+=("$name")
}

stage "sanitizers (ASan + UBSan)"
run_stage sanitize "$root/scripts/sanitize.sh"

stage "fuzzing (${STEMDECK_FUZZ_SECONDS:-20} s per target) and ThreadSanitizer"
run_stage fuzz "$root/scripts/fuzz.sh" "${STEMDECK_FUZZ_SECONDS:-20}"

if [ "${STEMDECK_SKIP_PACKAGE:-0}" != 1 ]; then
  stage "Debian package check"
  run_stage package "$root/scripts/package-check.sh" "$build"
fi

stage "test suite (ctest)"
cd "$build" || exit 1
export QT_QPA_PLATFORM=offscreen
ctest --output-on-failure --timeout 1500 -j "$(nproc)" || failed+=(ctest)

if ((${#failed[@]})); then
  for name in "${failed[@]}"; do
    [ -f "$logs/$name.log" ] || continue
    printf '\n==== test.sh: the last 40 lines of the failed stage "%s" (all of it: %s)\n' "$name" "$logs/$name.log"
    tail -n 40 "$logs/$name.log"
  done
  echo "test.sh: FAILED stages: ${failed[*]}"
  exit 1
fi
echo "test.sh: all stages passed"
