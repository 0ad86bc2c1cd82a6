#!/usr/bin/env bash
# Runs ON THE LENT GPU MACHINE (one device call, at most 10 minutes): builds stemdeck-train
# against the machine's CUDA LibTorch, trains the compact drum model for what is left of the
# call, resuming from .train/checkpoint.pt when present, and writes under $OUT:
#   checkpoint.pt      resumable state (model, EMA, AdamW second moment, step: slim, so it travels again within 64 MiB); copy it to .train/ for the next call
#   train-log.tsv      step, loss, lr, grad norm, seconds
#   validation.tsv     whole-loop SDR per stem on the held-out kits (EMA weights)
#   model/             drumsep-compact.safetensors (fp16, EMA) + config.yaml
#   run.txt            command output, card, timings
# Device call: carry [".gpudeps", ".train"], command
#   bash scripts/train-gpu.sh [CALL_MINUTES=9.5] [TOTAL_STEPS=30000] ["MORE TRAIN ARGS"]
# Prepare .train/ here first with scripts/train-pack.sh.
set -uo pipefail
start=$(date +%s)
call_minutes=${1:-9.5}
total_steps=${2:-30000}
extra=${3:-}
out=${OUT:-$PWD/train-out}
# shellcheck source=scripts/train-gpu-build.sh
source scripts/train-gpu-build.sh
# What is left of the call, less a minute for export and the copy back.
minutes=$(python3 -c "print(max(1.0, $call_minutes - ($built - $start)/60.0 - 1.0))")
echo "training for $minutes min, resume: ${resume[*]:-none}"
# Log and checkpoint go straight to $OUT so a run cut short still returns them.
[ -f .train/train-log.tsv ] && cp .train/train-log.tsv "$out/"
# shellcheck disable=SC2086
"$bin" train --device cuda --pack .train/drums.sdpack --out "$out" "${resume[@]}" \
  --max-minutes "$minutes" --total-steps "$total_steps" --batch 12 --data-threads 10 \
  --checkpoint-every 500 --log-every 100 --loops 24 --loop-seconds 12 --slim-checkpoint $extra
"$bin" export --checkpoint "$out/checkpoint.pt" --out "$out/model" --name drumsep-compact
ls -la "$out" "$out/model"
echo "total: $(( $(date +%s) - start )) s"
