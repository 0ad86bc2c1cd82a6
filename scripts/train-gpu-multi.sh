#!/usr/bin/env bash
# Runs ON THE LENT GPU MACHINE, one device call of a multi-GPU kind (e.g. nvidia-h100-x4): trains
# several variants at once, one per GPU (round-robin when there are more variants than GPUs), so
# a choice between recipes costs one call. Two variants on one GPU each train almost as fast as
# one alone (session 15, H200, the compact preset at batch 12: ~5.2 steps/s each against ~6), so
# four variants on two GPUs cost little against four GPUs; eight on four H200s (session 16, 5 data
# threads each) trained ~4.6-4.8 steps/s each. Each variant is "NAME:TOTAL_STEPS:START:ARGS":
#   START  shipped  resume from .train/checkpoint.pt (the shipped weights' checkpoint)
#          scratch  a new model (e.g. ARGS "--preset wide")
#          FILE     resume from that checkpoint (e.g. .train/wide-10164.pt, an EMA-only one that
#                   several variants share)
# A variant resumes instead from .devstate/NAME/checkpoint.pt when an earlier call on the same,
# still warm machine left one there (.devstate is git-ignored, so it survives between calls on
# one machine), else from .train/NAME.pt when that was carried. Under $OUT it writes run.txt,
# logs.tgz (every variant's train-log.tsv, validation.tsv and log) and ckpt.tar.00, .01, ...:
# one tar of every variant's EMA-only checkpoint NAME.pt (`stemdeck-train slim --ema-only`, 2
# bytes a parameter: what export ships, and enough to resume with a schedule restart), split at
# 15 MiB because a file that comes back may have 16 MiB and a call returns at most 8 files
# (`cat ckpt.tar.* | tar x` joins them). The full checkpoints stay in .devstate for the next call.
# With VALIDATE_LOOPS=N (and VALIDATE_MINUTES, the time kept for it) the 24 bf16 loops at the end
# of training are skipped; instead every variant's EMA weights, and any checkpoint named in
# VALIDATE_ALSO (space-separated files), are validated in fp32 on N loops (`validate --per-loop`,
# spread over the GPUs), into $OUT/val.tgz (val/NAME-N.txt) and a summary line each in the log.
# Session 7 found that 24 bf16 loops ranked variants wrongly; 96 fp32 loops did not.
# VALIDATE_SOFT_MASKS (space-separated powers, or off) validates the VALIDATE_ALSO checkpoints
# once more with each `--soft-mask` value (val/NAME-smP-N.txt); VALIDATE_SETTINGS ("LABEL=OPTIONS;...")
# with each label's `validate` options (val/NAME-LABEL-N.txt). VALIDATE_EXTRA: options for every
# variant's validation (e.g. "--wiener-iterations 2"); a variant's --train-soft-mask comes after them
# (VALIDATE_OWN_MASK=0: not that, the config's power), and so do its --train-wiener-iterations and
# --train-wiener-n-fft.
# WIDEN="wide wide32" first grows the shipped weights' checkpoint (.train/checkpoint.pt) into each
# of those presets (`stemdeck-train widen`: the same function, new channels unheard at first), as
# .train/PRESET-init.pt, for variants to start from with "--preset PRESET" (session 11).
# SOUPS (above the validation code) averages variants into soups that are validated with them.
# Device call: carry [".gpudeps", ".train"], command
#   [VALIDATE_LOOPS=96 VALIDATE_MINUTES=1.2 VALIDATE_ALSO=.train/checkpoint.pt] \   (5 checkpoints: ~40 s on 2x H100)
#   bash scripts/train-gpu-multi.sh CALL_MINUTES "NAME:TOTAL:START:ARGS" ...
set -uo pipefail
start=$(date +%s)
call_minutes=${1:?call minutes}
shift
[ $# -ge 1 ] || { echo "train-gpu-multi: no variants"; exit 2; }
out=${OUT:-$PWD/train-out}
# shellcheck source=scripts/train-gpu-build.sh
source scripts/train-gpu-build.sh
for preset in ${WIDEN:-}; do
  [ -f ".train/$preset-init.pt" ] || "$bin" widen --checkpoint .train/checkpoint.pt --preset "$preset" \
    --out ".train/$preset-init.pt" || exit 5
done
val_loops=${VALIDATE_LOOPS:-0}
val_minutes=${VALIDATE_MINUTES:-0}
no_validate=()
[ "$val_loops" -gt 0 ] && no_validate=(--no-validate)
# What is left of the call, less validation, packing and the copy back.
minutes=$(python3 -c "print(max(1.0, $call_minutes - ($built - $start)/60.0 - 1.0 - $val_minutes))")
gpus=$(nvidia-smi --list-gpus | wc -l)
[ "$gpus" -ge 1 ] || gpus=1
threads=$(( $(nproc) / $# - 3 ))
[ "$threads" -ge 2 ] || threads=2
echo "$# variants on $gpus GPUs, $threads data threads each, $minutes min"
mkdir -p .devstate
pids=()
names=()
declare -A variant_args
i=0
for spec in "$@"; do
  IFS=: read -r name total from args <<<"$spec"
  dir=.devstate/$name
  mkdir -p "$dir"
  resume=()
  if [ -f "$dir/checkpoint.pt" ]; then resume=(--resume "$dir/checkpoint.pt")
  elif [ -f ".train/$name.pt" ]; then resume=(--resume ".train/$name.pt")
  elif [ "$from" = shipped ]; then resume=(--resume .train/checkpoint.pt)
  elif [ "$from" != scratch ]; then
    [ -f "$from" ] || { echo "train-gpu-multi: $name: no checkpoint $from"; exit 2; }
    resume=(--resume "$from")
  fi
  echo "variant $name on GPU $((i % gpus)): resume ${resume[*]:-none}; total $total; $args"
  # shellcheck disable=SC2086
  CUDA_VISIBLE_DEVICES=$((i % gpus)) "$bin" train --device cuda --pack .train/drums.sdpack --out "$dir" \
    "${resume[@]}" --max-minutes "$minutes" --total-steps "$total" --batch 12 --data-threads "$threads" \
    --checkpoint-every 500 --log-every 100 --loops 24 --loop-seconds 12 --slim-checkpoint "${no_validate[@]}" $args \
    >> "$dir/train.log" 2>&1 &
  pids+=($!)
  names+=("$name")
  variant_args[$name]=$args
  i=$((i + 1))
done
for p in "${pids[@]}"; do wait "$p"; done
mkdir -p "$out/ckpt"
for name in "${names[@]}"; do
  echo "== $name"
  tail -2 ".devstate/$name/train.log"
  ckpt=.devstate/$name/checkpoint.pt
  [ -f "$ckpt" ] || continue
  "$bin" slim --checkpoint "$ckpt" --out "$out/ckpt/$name.pt" --ema-only
done
# SOUPS="soup=a+b+c ...": the EMA weights of those variants averaged (`stemdeck-train average`) into
# $out/ckpt/soup.pt, validated and returned with them; a name that is no variant of this call is
# taken from .train/NAME.pt.
for soup in ${SOUPS:-}; do
  members=()
  IFS=+ read -ra parts <<<"${soup#*=}"
  for m in "${parts[@]}"; do
    if [ -f "$out/ckpt/$m.pt" ]; then members+=("$out/ckpt/$m.pt"); else members+=(".train/$m.pt"); fi
  done
  list=$(IFS=,; echo "${members[*]}")
  "$bin" average --checkpoints "$list" --out "$out/ckpt/${soup%%=*}.pt" || echo "train-gpu-multi: soup $soup failed"
done
if [ "$val_loops" -gt 0 ]; then
  mkdir -p "$out/val"
  vpids=()
  j=0
  # shellcheck disable=SC2086
  for ckpt in "$out"/ckpt/*.pt ${VALIDATE_ALSO:-}; do
    name=$(basename "$ckpt" .pt)
    [ -f "$ckpt" ] || { echo "train-gpu-multi: no checkpoint $ckpt to validate"; continue; }
    # A VALIDATE_ALSO file named like a variant of this call (.train/g24.pt beside variant g24,
    # session 19) gets a listing of its own, not the same file written twice at once.
    [ "$ckpt" != "$out/ckpt/$name.pt" ] && [ -f "$out/ckpt/$name.pt" ] && name=$name-also
    # A variant trained through soft masks (--train-soft-mask P) is validated with that power.
    mask=()
    p=$(sed -n 's/.*--train-soft-mask \([^ ]*\).*/\1/p' <<<"${variant_args[$name]:-}")
    [ -n "$p" ] && [ "${VALIDATE_OWN_MASK:-1}" = 1 ] && mask=(--soft-mask "$p")
    # So is one trained through N Wiener passes (--train-wiener-iterations N).
    p=$(sed -n 's/.*--train-wiener-iterations \([^ ]*\).*/\1/p' <<<"${variant_args[$name]:-}")
    [ -n "$p" ] && mask+=(--wiener-iterations "$p")
    # And at the STFT sizes it trained them at (--train-wiener-n-fft 2048,1024).
    p=$(sed -n 's/.*--train-wiener-n-fft \([^ ]*\).*/\1/p' <<<"${variant_args[$name]:-}")
    [ -n "$p" ] && mask+=(--wiener-n-fft "$p")
    # shellcheck disable=SC2086
    CUDA_VISIBLE_DEVICES=$((j % gpus)) "$bin" validate --checkpoint "$ckpt" --pack .train/drums.sdpack --device cuda \
      --no-autocast --loops "$val_loops" --loop-seconds 12 --per-loop ${VALIDATE_EXTRA:-} "${mask[@]}" > "$out/val/$name-$val_loops.txt" 2>&1 &
    vpids+=($!)
    j=$((j + 1))
  done
  # VALIDATE_SOFT_MASKS="1 2": the VALIDATE_ALSO checkpoints again with each soft-mask power.
  # shellcheck disable=SC2086
  for ckpt in ${VALIDATE_ALSO:-}; do
    for p in ${VALIDATE_SOFT_MASKS:-}; do
      name=$(basename "$ckpt" .pt)-sm$p
      CUDA_VISIBLE_DEVICES=$((j % gpus)) "$bin" validate --checkpoint "$ckpt" --pack .train/drums.sdpack --device cuda \
        --no-autocast --loops "$val_loops" --loop-seconds 12 --per-loop --soft-mask "$p" > "$out/val/$name-$val_loops.txt" 2>&1 &
      vpids+=($!)
      j=$((j + 1))
    done
  done
  # VALIDATE_SETTINGS="c4=--chunk-size 523776;w2=--wiener-iterations 2": the VALIDATE_ALSO
  # checkpoints again with each label's validate options (val/NAME-LABEL-N.txt).
  IFS=';' read -ra settings <<<"${VALIDATE_SETTINGS:-}"
  # shellcheck disable=SC2086
  for ckpt in ${VALIDATE_ALSO:-}; do
    for setting in "${settings[@]}"; do
      [ -n "$setting" ] || continue
      name=$(basename "$ckpt" .pt)
      [ -f "$out/ckpt/$name.pt" ] && name=$name-also
      name=$name-${setting%%=*}
      # shellcheck disable=SC2086
      CUDA_VISIBLE_DEVICES=$((j % gpus)) "$bin" validate --checkpoint "$ckpt" --pack .train/drums.sdpack --device cuda \
        --no-autocast --loops "$val_loops" --loop-seconds 12 --per-loop ${setting#*=} > "$out/val/$name-$val_loops.txt" 2>&1 &
      vpids+=($!)
      j=$((j + 1))
    done
  done
  for p in "${vpids[@]}"; do wait "$p"; done
  for f in "$out"/val/*.txt; do echo "$(basename "$f" .txt): $(tail -n 1 "$f")"; done
  (cd "$out" && tar czf val.tgz val && rm -rf val)
  echo "validated: $(( $(date +%s) - start )) s"
fi
(cd "$out" && tar cf - ckpt | split -b 15M -d - ckpt.tar. && rm -rf ckpt)
tar czf "$out/logs.tgz" .devstate/*/train-log.tsv .devstate/*/validation.tsv .devstate/*/train.log 2>/dev/null
ls -la "$out"
echo "total: $(( $(date +%s) - start )) s"
