#!/usr/bin/env bash
# Runs ON THE LENT GPU MACHINE: two training variants side by side on the one GPU (the compact
# model leaves most of the card idle), both resuming from .train/checkpoint.pt when present, so
# a choice (loss, learning rate...) is made on equal footing in one device call. Writes
# $OUT/a/ and $OUT/b/ (checkpoint.pt, train-log.tsv, validation.tsv) and $OUT/run.txt: 7 files,
# inside the 8 a call brings back. Export the winner here with `stemdeck-train export`.
# Device call: carry [".gpudeps", ".train"], command
#   bash scripts/train-gpu-ab.sh CALL_MINUTES TOTAL_STEPS "ARGS A" "ARGS B"
# e.g. bash scripts/train-gpu-ab.sh 9.5 20000 "--loss sdr" "--loss mse"
set -uo pipefail
start=$(date +%s)
call_minutes=${1:-9.5}
total_steps=${2:-30000}
args_a=${3:-}
args_b=${4:-}
out=${OUT:-$PWD/train-out}
mkdir -p "$out/a" "$out/b"
# shellcheck source=scripts/train-gpu-build.sh
source scripts/train-gpu-build.sh
minutes=$(python3 -c "print(max(1.0, $call_minutes - ($built - $start)/60.0 - 0.7))")
threads=$(( $(nproc) / 2 - 1 ))
echo "training two variants for $minutes min each, resume: ${resume[*]:-none}; A: $args_a; B: $args_b"
pids=()
for v in a b; do
  [ -f .train/train-log.tsv ] && cp .train/train-log.tsv "$out/$v/"
  [ $v = a ] && extra=$args_a || extra=$args_b
  # shellcheck disable=SC2086
  "$bin" train --device cuda --pack .train/drums.sdpack --out "$out/$v" "${resume[@]}" \
    --max-minutes "$minutes" --total-steps "$total_steps" --batch 12 --data-threads "$threads" \
    --checkpoint-every 500 --log-every 100 --loops 24 --loop-seconds 12 --slim-checkpoint $extra > "$out/$v.log" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
for v in a b; do echo "== $v"; tail -3 "$out/$v.log"; rm -f "$out/$v.log"; done
echo "total: $(( $(date +%s) - start )) s"
