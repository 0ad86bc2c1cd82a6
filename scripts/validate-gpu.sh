#!/usr/bin/env bash
# Runs ON THE LENT GPU MACHINE, one device call: validates checkpoints on many loops in fp32 (no
# autocast, so the figures match the CPU's), all held-out kits together and each kit alone.
# Per checkpoint CKPT it writes $OUT/NAME-LOOPS.txt (`validate --per-loop`: every loop's SDR,
# kits and routing) and prints a summary line per run (redirect it to $OUT/run.txt).
# Device call: carry [".gpudeps", ".train/drums.sdpack", and the checkpoints], command
#   bash scripts/validate-gpu.sh LOOPS LOOPS_PER_KIT CKPT...
set -uo pipefail
start=$(date +%s)
loops=${1:?loops}
perKit=${2:?loops per kit}
shift 2
out=${OUT:-$PWD/validate-out}
mkdir -p "$out"
# shellcheck source=scripts/train-gpu-build.sh
source scripts/train-gpu-build.sh
for ckpt in "$@"; do
  name=$(basename "$ckpt" .pt)
  "$bin" validate --checkpoint "$ckpt" --pack .train/drums.sdpack --device cuda --no-autocast --loops "$loops" \
    --loop-seconds 12 --per-loop > "$out/$name-$loops.txt" 2>&1
  echo "$name, $loops loops: $(tail -n 1 "$out/$name-$loops.txt")"
  for kit in ColomboAcousticDrumkit TR808EmulationKit Audiophob; do
    echo "$name, $kit, $perKit loops: $("$bin" validate --checkpoint "$ckpt" --pack .train/drums.sdpack --device cuda \
      --no-autocast --kit "$kit" --loops "$perKit" --loop-seconds 12 2>&1 | tail -n 1)"
  done
done
echo "total: $(( $(date +%s) - start )) s"
