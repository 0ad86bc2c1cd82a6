#!/usr/bin/env bash
# Runs ON THE LENT GPU MACHINE, one device call of a multi-GPU kind (e.g. nvidia-h100-x4): trains
# several variants at once, one per GPU (round-robin when there are more variants than GPUs), so
# a choice between recipes costs one call. Each variant is "NAME:TOTAL_STEPS:START:ARGS":
#   START  shipped  resume from .train/checkpoint.pt (the shipped weights' checkpoint)
#          scratch  a new model (e.g. ARGS "--preset wide")
# A variant resumes instead from .devstate/NAME/checkpoint.pt when an earlier call on the same,
# still warm machine left one there (.devstate is git-ignored, so it survives between calls on
# one machine), else from .train/NAME.pt when that was carried. Under $OUT it writes run.txt,
# NAME.pt per variant (its slim checkpoint, split into NAME.pt.00, .01, ... above 15 MiB: a file
# that comes back may have 16 MiB; `cat NAME.pt.* > NAME.pt` joins them) and logs.tgz
# (every variant's train-log.tsv, validation.tsv and log).
# Device call: carry [".gpudeps", ".train"], command
#   bash scripts/train-gpu-multi.sh CALL_MINUTES "NAME:TOTAL:START:ARGS" ...
set -uo pipefail
start=$(date +%s)
call_minutes=${1:?call minutes}
shift
[ $# -ge 1 ] || { echo "train-gpu-multi: no variants"; exit 2; }
out=${OUT:-$PWD/train-out}
# shellcheck source=scripts/train-gpu-build.sh
source scripts/train-gpu-build.sh
# What is left of the call, less validation, packing and the copy back.
minutes=$(python3 -c "print(max(1.0, $call_minutes - ($built - $start)/60.0 - 1.0))")
gpus=$(nvidia-smi --list-gpus | wc -l)
[ "$gpus" -ge 1 ] || gpus=1
threads=$(( $(nproc) / $# - 3 ))
[ "$threads" -ge 2 ] || threads=2
echo "$# variants on $gpus GPUs, $threads data threads each, $minutes min"
mkdir -p .devstate
pids=()
names=()
i=0
for spec in "$@"; do
  IFS=: read -r name total from args <<<"$spec"
  dir=.devstate/$name
  mkdir -p "$dir"
  resume=()
  if [ -f "$dir/checkpoint.pt" ]; then resume=(--resume "$dir/checkpoint.pt")
  elif [ -f ".train/$name.pt" ]; then resume=(--resume ".train/$name.pt")
  elif [ "$from" = shipped ]; then resume=(--resume .train/checkpoint.pt)
  fi
  echo "variant $name on GPU $((i % gpus)): resume ${resume[*]:-none}; total $total; $args"
  # shellcheck disable=SC2086
  CUDA_VISIBLE_DEVICES=$((i % gpus)) "$bin" train --device cuda --pack .train/drums.sdpack --out "$dir" \
    "${resume[@]}" --max-minutes "$minutes" --total-steps "$total" --batch 12 --data-threads "$threads" \
    --checkpoint-every 500 --log-every 100 --loops 8 --loop-seconds 12 --slim-checkpoint $args \
    >> "$dir/train.log" 2>&1 &
  pids+=($!)
  names+=("$name")
  i=$((i + 1))
done
for p in "${pids[@]}"; do wait "$p"; done
for name in "${names[@]}"; do
  echo "== $name"
  tail -2 ".devstate/$name/train.log"
  ckpt=.devstate/$name/checkpoint.pt
  [ -f "$ckpt" ] || continue
  if [ "$(stat -c %s "$ckpt")" -gt $((15 * 1024 * 1024)) ]; then
    split -b 15M -d "$ckpt" "$out/$name.pt."
  else
    cp "$ckpt" "$out/$name.pt"
  fi
done
tar czf "$out/logs.tgz" .devstate/*/train-log.tsv .devstate/*/validation.tsv .devstate/*/train.log 2>/dev/null
ls -la "$out"
echo "total: $(( $(date +%s) - start )) s"
