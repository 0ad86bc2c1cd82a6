#!/usr/bin/env bash
# Fuzzes StemDeck's readers of untrusted files with libFuzzer + AddressSanitizer + UBSan
# (tests/fuzz), then builds the JobQueue cancel-storm test under ThreadSanitizer (tests/fuzz/tsan)
# and runs it. Each target runs for a bounded time from generated seed corpora; saved crash
# inputs in tests/fuzz/regressions/<target>/ are replayed first.
#   scripts/fuzz.sh [seconds-per-target]     (default 20: CI; use 600+ for a long campaign)
# Environment:
#   STEMDECK_FUZZ_DIR       build folder (default: build-fuzz in the repository)
#   STEMDECK_FUZZ_TARGETS   space-separated subset of the targets (default: all)
#   STEMDECK_FUZZ_SEED      libFuzzer's seed (default 1: CI runs repeat the same mutations)
#   STEMDECK_FUZZ_TSAN      ON/OFF: the ThreadSanitizer cancel storm (default ON)
#   STEMDECK_TESTDATA_DIR   shared test data (folder holding mdx23c/); default ../shared/testdata
# Prints executions and findings per target; exits non-zero on any crash, sanitizer report,
# build error or TSan failure. Crash inputs are kept in <build>/findings/<target>/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-20}
build=${STEMDECK_FUZZ_DIR:-$root/build-fuzz}
testdata=${STEMDECK_TESTDATA_DIR:-$root/../shared/testdata}
targets=${STEMDECK_FUZZ_TARGETS:-"fuzz_checkpoint fuzz_pickle fuzz_safetensors fuzz_model_config fuzz_naming fuzz_decode"}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)

cmake -S "$root/tests/fuzz" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    "${launcher[@]}" >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" --parallel "$(nproc)" --target make_seeds $targets

# Seed corpora: generated files, plus the shared vectors' configs and checkpoints' pickles.
seeds=$build/seeds
rm -rf "$seeds"
ckpts=()
if [ -d "$testdata/mdx23c" ]; then
    mkdir -p "$seeds/fuzz_model_config"
    for d in "$testdata"/mdx23c/*/; do
        name=$(basename "$d")
        [ -f "$d/config.yaml" ] && cp "$d/config.yaml" "$seeds/fuzz_model_config/$name.yaml"
        [ -f "$d/model.ckpt" ] && ckpts+=("$d/model.ckpt")
    done
else
    echo "fuzz: no shared test data at $testdata (set STEMDECK_TESTDATA_DIR); generated seeds only"
fi
"$build/make_seeds" "$seeds" "${ckpts[@]}"
mkdir -p "$seeds/fuzz_model_config"
printf 'audio:\n  chunk_size: 0\n  n_fft: -1\n' >"$seeds/fuzz_model_config/zero.yaml"
printf 'a: &x [*x]\n' >"$seeds/fuzz_model_config/alias.yaml"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
summary=()
for t in $targets; do
    corpus=$build/corpus/$t
    findings=$build/findings/$t
    mkdir -p "$corpus" "$findings" "$seeds/$t"
    regressions=$root/tests/fuzz/regressions/$t
    if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
        if ! "$build/$t" -runs=1 "$regressions"/* >"$build/$t.replay.log" 2>&1; then
            echo "fuzz: $t: a saved regression input crashes again (see $build/$t.replay.log)"
            status=1
        fi
    fi
    before=$(find "$findings" -type f | wc -l)
    touch "$build/$t.log.start"
    set +e
    "$build/$t" -seed="${STEMDECK_FUZZ_SEED:-1}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$findings/" "$corpus" "$seeds/$t" >"$build/$t.log" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/$t.log" | tail -1)
    after=$(find "$findings" -type f | wc -l)
    new=$((after - before))
    line=$(printf '%-18s executions %10s  corpus %5s  findings %d' "$t" "${execs:-?}" \
        "$(find "$corpus" -type f | wc -l)" "$new")
    if [ "$rc" -ne 0 ] || [ "$new" -ne 0 ]; then
        status=1
        line="$line  CRASH (exit $rc; log $build/$t.log)"
        # CI keeps only the log: the report's first lines and each small crash input, so that a
        # finding on another machine can be replayed here (base64 -d > input; $build/$t input).
        awk '/ERROR: |FINDING: |runtime error|deadly signal|ALARM: / { on = 1 } on && n++ < 40' "$build/$t.log" || true
        find "$findings" -type f -newer "$build/$t.log.start" -size -4k | while read -r f; do
            echo "fuzz: $t crash input $(basename "$f") ($(stat -c %s "$f") bytes), base64:"
            base64 -w 100 "$f"
        done
    fi
    summary+=("$line")
done

if [ "${STEMDECK_FUZZ_TSAN:-ON}" = ON ]; then
    tsan=$build-tsan
    cmake -S "$root/tests/fuzz/tsan" -B "$tsan" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
        "${launcher[@]}" >/dev/null
    cmake --build "$tsan" --parallel "$(nproc)"
    # QtCore is not instrumented: hand-offs through QThreadPool and queued invocations are
    # synchronised by Qt's futex-based QMutex, which TSan cannot see, so reports whose racing
    # stacks run through QtCore are Qt hand-offs (counted and listed in the log, see
    # docs/reliability.md). A race with no QtCore frame, a lock-order inversion, a use after
    # free or a failed check fails the run.
    export TSAN_OPTIONS="exitcode=0:halt_on_error=0:second_deadlock_stack=1:suppressions=$root/tests/fuzz/tsan/qt.supp"
    log=$tsan/tst_cancel_storm_tsan.log
    if QT_QPA_PLATFORM=offscreen "$tsan/tst_cancel_storm_tsan" >"$log" 2>&1; then
        verdict=$(awk '
            /^WARNING: ThreadSanitizer: data race/ { inrep = 1; qt = 0; n++; rep = "    " $0 "\n"; next }
            /^WARNING: ThreadSanitizer:/ { other++; print "    " $0 > "/dev/stderr" }
            inrep { rep = rep "    " $0 "\n" }
            inrep && /libQt6Core/ { qt = 1 }
            inrep && /^SUMMARY:/ { inrep = 0; if (qt) handoff++; else { bad++; if (bad == 1) printf "%s", rep > "/dev/stderr" } }
            END { printf "%d %d %d", handoff + 0, bad + 0, other + 0 }' "$log")
        read -r handoff bad other <<<"$verdict"
        checks=$(grep -c 'PASS   :' "$log" || true)
        if [ "$bad" -eq 0 ] && [ "$other" -eq 0 ]; then
            summary+=("$(printf '%-18s passed (%s checks; %s Qt hand-off reports, 0 others)' tsan_cancel_storm "$checks" "$handoff")")
        else
            status=1
            summary+=("$(printf '%-18s FAILED: %s races outside Qt hand-offs, %s other reports (log %s)' tsan_cancel_storm "$bad" "$other" "$log")")
        fi
    else
        status=1
        summary+=("$(printf '%-18s FAILED (log %s)' tsan_cancel_storm "$log")")
        grep -m5 -E 'FAIL!' "$log" || true
    fi
fi

echo "fuzz: ${seconds} s per target"
printf '  %s\n' "${summary[@]}" | tee "$build/summary.txt"
exit "$status"
