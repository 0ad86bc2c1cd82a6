#!/usr/bin/env bash
# Builds the plain-C++ parsing code (core/common, core/model/formats, core/audio) and its
# no-LibTorch tests with AddressSanitizer + UBSan (tests/sanitize) and runs them under ctest.
# Exits non-zero on any build error, sanitizer report or test failure.
#   STEMDECK_SANITIZE_DIR   build folder (default: build-sanitize in the repository)
#   STEMDECK_SANITIZE_AUDIO ON/OFF: include core/audio and its tests (default ON)
# Extra arguments go to the CMake configure step.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${STEMDECK_SANITIZE_DIR:-$root/build-sanitize}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

cmake -S "$root/tests/sanitize" -B "$build" -G Ninja -DSTEMDECK_SANITIZE_AUDIO="${STEMDECK_SANITIZE_AUDIO:-ON}" \
    "${launcher[@]}" "$@"
cmake --build "$build" --parallel "$(nproc)"

# Any sanitizer finding fails the test that hit it (non-zero exit), with a stack trace.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1:strict_string_checks=1:check_initialization_order=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export QT_QPA_PLATFORM=offscreen
cd "$build"
ctest --output-on-failure --timeout 600 -j "$(nproc)"
