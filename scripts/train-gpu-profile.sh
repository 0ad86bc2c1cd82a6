#!/usr/bin/env bash
# Runs ON THE LENT GPU MACHINE (one device call, at most 10 minutes): builds stemdeck-train, times
# the network's pieces (bench-parts), profiles a few training steps per setting
# (STEMDECK_TRAIN_PROFILE=1: synchronised per-phase times), then resumes training from
# .train/checkpoint.pt with the fastest setting that keeps the objective (autocast on/off,
# channels-last, LibTorch threads) for what is left of the call. Writes under $OUT: run.txt,
# profile-*.txt, checkpoint.pt, train-log.tsv, validation.tsv, model/.
# Device call: carry [".gpudeps", ".train"], command: bash scripts/train-gpu-profile.sh [CALL_S=570]
set -uo pipefail
start=$(date +%s)
call_s=${1:-570}
out=${OUT:-$PWD/train-out}
# shellcheck source=scripts/train-gpu-build.sh
source scripts/train-gpu-build.sh
nproc
export STEMDECK_LOG='*=info'
timeout 60 "$bin" bench-parts --iters 5 | tee "$out/parts-autocast.txt"
timeout 40 "$bin" bench-parts --iters 5 --no-autocast | tee "$out/parts-fp32.txt"
timeout 40 "$bin" bench-parts --iters 5 --channels-last | tee "$out/parts-channels-last.txt"
echo "benches done: $(( $(date +%s) - start )) s"
base=(--device cuda --pack .train/drums.sdpack --batch 12 --data-threads 10 --steps 24 --log-every 12 --no-validate)
declare -A ms
prof() { # name, flags...
  local name=$1; shift
  rm -rf "/tmp/p-$name"
  STEMDECK_TRAIN_PROFILE=1 timeout 70 "$bin" train "${base[@]}" --out "/tmp/p-$name" "$@" > "$out/profile-$name.txt" 2>&1
  grep -E "profile|trained" "$out/profile-$name.txt" | tail -2
  ms[$name]=$(grep -o "total [0-9.]*" "$out/profile-$name.txt" | tail -1 | awk '{print $2}')
  echo "== $name ($*): ${ms[$name]:-?} ms/step"
}
prof baseline
prof threads4 --threads 4
prof fp32 --no-autocast
prof channels-last --channels-last
prof no-room --room 0
prof no-stft-loss --stft-loss-weight 0
echo "profiles done: $(( $(date +%s) - start )) s"
printf "%-16s %10s\n" setting ms/step
for k in baseline threads4 fp32 channels-last no-room no-stft-loss; do printf "%-16s %10s\n" "$k" "${ms[$k]:-?}"; done
# Fastest objective-preserving setting.
best=baseline; flags=()
for k in fp32 channels-last; do
  python3 -c "import sys; sys.exit(0 if float('${ms[$k]:-1e9}') < 0.95*float('${ms[$best]:-1e9}') else 1)" && best=$k
done
case $best in fp32) flags=(--no-autocast);; channels-last) flags=(--channels-last);; esac
python3 -c "import sys; sys.exit(0 if float('${ms[threads4]:-1e9}') < 0.95*float('${ms[baseline]:-1e9}') else 1)" && flags+=(--threads 4)
echo "chosen: ${flags[*]:-defaults}"
resume=(); [ -f .train/checkpoint.pt ] && resume=(--resume .train/checkpoint.pt)
[ -f .train/train-log.tsv ] && cp .train/train-log.tsv "$out/"
[ -f .train/validation.tsv ] && cp .train/validation.tsv "$out/"
left=$(python3 -c "print(max(0.5, ($call_s - ($(date +%s) - $start) - 25)/60.0))")
echo "training for $left min, resume: ${resume[*]:-none}"
"$bin" train --device cuda --pack .train/drums.sdpack --out "$out" "${resume[@]}" "${flags[@]}" \
  --max-minutes "$left" --total-steps 30000 --batch 12 --data-threads 10 \
  --checkpoint-every 500 --log-every 100 --loops 8 --loop-seconds 12 --slim-checkpoint
"$bin" export --checkpoint "$out/checkpoint.pt" --out "$out/model" --name drumsep-compact
ls -la "$out" "$out/model"
echo "total: $(( $(date +%s) - start )) s"
