#!/usr/bin/env bash
# Runs ON THE LENT GPU MACHINE, in one device call: builds stemdeck-cli against the machine's
# CUDA LibTorch and runs `stemdeck-cli bench` over the sweep matrix and the lever/issue-#5
# checks, one JSON object per line into $OUT/<phase>.jsonl, the log into $OUT/suite.txt.
#
# Device call: carry [".gpudeps", ".benchmodels"], timeout_s <= 480, command
#   bash bench/gpu-suite.sh PHASE...
# Phases (run in the order given, each skipped once the time budget is spent):
#   s4         issue #9 round 3 (session 4): channels-last activations (--channels-last), the TDF
#              residual in its matrix product (--tdf-residual-product), TF32 products for fp32
#              (--tf32-matmul), each against the base build and the current defaults; NHWC-vs-NCHW
#              agreement (--compare-levers kept) in fp16 and fp32, odd channel counts included
#   s4final    the session-4 defaults (channels-last, residual product, TF32 products) against the
#              base build per layout/precision/batch; their fp32 agreement with the plain path with
#              TF32 and autotuning off; the half-precision criterion on the shipped model
#   perf       issue #9 round 2: the base build (.perfbase/base.tar.gz, the commit before) against
#              device chunks, streamed stems, CUDA graphs and the fused InstanceNorm+GELU kernel
#   final      the kept defaults against the base build per layout/precision, the fused kernel's
#              agreement with the unfused path, fp16 vs fp32, bench/python/gpu_forward_profile.py
#   fusedcheck fused vs unfused in fp32 with TF32/autotuning off, and the TF32-noise controls
#   baseline   host overlap-add, no levers: both layouts x fp32/fp16 at batch 4
#   levers2    DrumSep fp16 batch 8 with device overlap-add: pinned uploads off/on, + cuDNN off, + graphs
#   matrix     layouts (DrumSep 5-stem, musdb18; full size, random weights) x fp32/fp16/bf16 x
#              batch 4/8/auto, 180 s, overlap 4, with the levers in $LEVERS (default: none)
#   levers     DrumSep fp16 batch 8: baseline, then each lever alone, then all kept levers
#   oom        issue #5a: batch 16 under a capped allocator vs an uncapped batch-4 reference
#   calib      issue #5b: measured peak vs the planner's estimate, batch 1/2/4/8/16, fp32 + fp16
#   vectors    the half-precision criterion (fp16, bf16 vs fp32) on the shared drumsep5_tiny vector
#              model with the current CUDA defaults
#   softmask   session 9: the bundled model's soft masks on CUDA (cost, fp16 vs fp32, CUDA graphs)
#   wiener     session 12: the bundled model's multichannel Wiener filter on CUDA (the same three)
#   chunk      session 13: the shipped 5.93 s inference chunks against 2.96 s on CUDA (speed)
#   s18        session 19: the shipped config (11.9 s chunks, soft masks 1.25, two Wiener passes,
#              since session 18) against session 17's (5.93 s, masks 1.5, one pass) on CUDA at the
#              defaults (fp16, batch 8), in alternation; session 17's is the shipped file with
#              those lines changed
#   precision  issue #5c: fp16/bf16 vs fp32 (speed, max abs diff, SDR) on DrumSep full size, the
#              shared drumsep5_tiny vector model and the compact model in .benchmodels/
# Environment: SUITE_SECONDS (default 450: stop starting runs after this), SECONDS_AUDIO (180),
# LEVERS (extra bench flags for matrix/oom/calib/precision, e.g. "--device-overlap-add off"; the
# defaults are the kept levers: device overlap-add and pinned uploads on CUDA).
# .benchmodels/ (git-ignored, prepared here): compact/ and drumsep5_tiny/ with config + weights.
set -uo pipefail
start=$(date +%s)
budget=${SUITE_SECONDS:-450}
audio_s=${SECONDS_AUDIO:-180}
levers=${LEVERS:-}
out=${OUT:-$PWD/bench-out}
mkdir -p "$out"
exec > >(tee -a "$out/suite.txt") 2>&1
echo "date: $(date -u +%FT%TZ)"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
# shellcheck disable=SC1091
source .gpudeps/gpu-env.sh .gpudeps
# nvcc for the optional CUDA kernels (core/model/cuda) when it is not on PATH.
if ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then export CUDACXX=/usr/local/cuda/bin/nvcc; fi
# SUITE_BUILD_DIR: where the current tree builds (default /tmp/build; another when a training
# script builds stemdeck-train in /tmp/build during the same call).
bdir=${SUITE_BUILD_DIR:-/tmp/build}
cfg=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DSTEMDECK_BUILD_UI=OFF -DSTEMDECK_BUILD_TESTS=OFF)
# .perfbase/base.tar.gz (optional, git-ignored): `git archive` of the commit before the changes
# under test; built beside the current tree so each call measures its own "before".
base_cli=
if [ -f .perfbase/base.tar.gz ]; then
  mkdir -p /tmp/base && tar -xzf .perfbase/base.tar.gz -C /tmp/base
  ( cmake -S /tmp/base -B /tmp/build-base "${cfg[@]}" >/tmp/cmake-base.log 2>&1 &&
    cmake --build /tmp/build-base --target stemdeck-cli -j"$(( $(nproc) / 2 ))" >/tmp/build-base.log 2>&1 ) &
  base_pid=$!
fi
jobs_new=$(nproc); [ -n "${base_pid:-}" ] && jobs_new=$(( $(nproc) / 2 ))
if ! { cmake -S . -B "$bdir" "${cfg[@]}" >"$bdir.cmake.log" 2>&1 &&
       { ! grep -q "stemdeck_model_cuda" "$bdir"/build.ninja ||
         { t0=$(date +%s); cmake --build "$bdir" --target stemdeck_model_cuda -j"$jobs_new" >"$bdir.log" 2>&1 &&
           echo "CUDA kernels ($(grep STEMDECK_CUDA_ARCHITECTURES: "$bdir"/CMakeCache.txt | cut -d= -f2)): $(( $(date +%s) - t0 )) s"; }; } &&
       cmake --build "$bdir" --target stemdeck-cli -j"$jobs_new" >>"$bdir.log" 2>&1; }; then
  # The optional CUDA kernels must never cost the whole call: retry without them.
  grep -E "error|FAILED" -A3 "$bdir.log" "$bdir.cmake.log" | head -40
  echo "build failed; retrying with -DSTEMDECK_CUDA_KERNELS=OFF"
  cmake -S . -B "$bdir" "${cfg[@]}" -DSTEMDECK_CUDA_KERNELS=OFF >"$bdir.cmake.log" 2>&1 || { tail -40 "$bdir.cmake.log"; exit 3; }
  cmake --build "$bdir" --target stemdeck-cli -j"$(nproc)" >"$bdir.log" 2>&1 || { grep -E "error|FAILED" -A3 "$bdir.log" | head -60; exit 4; }
fi
grep -E "CUDA|Cuda" "$bdir.cmake.log" | head -5
cli="$bdir"/app/cli/stemdeck-cli
if [ -n "${base_pid:-}" ]; then
  wait "$base_pid" && base_cli=/tmp/build-base/app/cli/stemdeck-cli || { echo "base build failed"; tail -20 /tmp/build-base.log; }
fi
echo "build: $(( $(date +%s) - start )) s"
# SUITE_WAIT_FOR=FILE: built, wait for that file before timing anything (a training in the same
# call still has the GPUs); the time budget counts from then.
if [ -n "${SUITE_WAIT_FOR:-}" ]; then
  while [ ! -e "$SUITE_WAIT_FOR" ]; do sleep 2; done
  start=$(date +%s)
  echo "waited for $SUITE_WAIT_FOR"
fi

drum=bench/configs/drumsep5_full.yaml
musdb=bench/configs/musdb18_full.yaml
left() { echo $(( budget - ($(date +%s) - start) )); }
# bench FILE ARGS...: one JSON line (or an error line) into $out/FILE.jsonl.
bench() {
  local file=$1; shift
  if [ "$(left)" -le 15 ]; then echo "skip (time): $*"; return; fi
  local t0=$(date +%s)
  local line
  local exe=${BENCH_CLI:-$cli}
  line=$(timeout "$(left)" "$exe" bench --device cuda "$@" 2>/tmp/bench.err)
  local rc=$?
  if [ $rc -eq 0 ] && [ -n "$line" ]; then
    echo "$line" | BENCH_TAG=${BENCH_TAG:-} python3 -c "import json,os,sys; d=json.loads(sys.stdin.read()); d['args']=sys.argv[1:]; d['build']=os.environ['BENCH_TAG'] or 'current'; print(json.dumps(d))" "$@" >>"$out/$file.jsonl"
    echo "$line" | BENCH_TAG=${BENCH_TAG:-} python3 -c "
import json,os,sys; d=json.loads(sys.stdin.read()); f=d['flops']
print(('[base] ' if os.environ.get('BENCH_TAG') else '') + '%-60s %7.1fx  model %6.1f TF/s  fwd %6.1f TF/s  peak %5.1f GiB  batch %s->%s' % (' '.join(sys.argv[1:])[-60:], d['x_realtime'], f['model_stage_tflops'], f.get('forward_tflops', 0), d['memory']['peak_device_bytes']/2**30, d['batch']['planned'], d['batch']['final']))
print('    wall %.3f s  stages %s  notes: %s' % (d['wall_seconds'], {k: round(v, 3) for k, v in d.get('stages', {}).items()}, '; '.join(d.get('levers', {}).get('notes', []))))
c = d.get('reference')
if c: print('    compare:', json.dumps(c)[:600])" "$@"
  else
    echo "FAILED rc=$rc ($(( $(date +%s) - t0 )) s): $*"; tail -5 /tmp/bench.err
    grep -m3 -E "error|Error|what\(\)" /tmp/bench.err | cut -c1-400
    python3 -c "import json,sys; e=open('/tmp/bench.err').read(); print(json.dumps({'args': sys.argv[2:], 'rc': int(sys.argv[1]), 'error_head': e[:3000], 'error_tail': e[-1500:]}))" $rc "$@" >>"$out/$file.jsonl"
  fi
}
# alternate FILE CFG_A CFG_B: the model in $ck under two configs, A B A B A B, at the CUDA
# defaults (fp16, batch 8), so the pair's timings share the machine's state.
alternate() {
  local file=$1 a=$2 b=$3
  for c in "$a" "$b" "$a" "$b" "$a" "$b"; do
    bench "$file" --config "$c" --checkpoint "$ck" --seconds 60 --forward-repeats 3 --batch 8 --runs 3
  done
}

common=(--random-weights --seconds "$audio_s" --overlap 4 --forward-repeats 3)
for phase in "$@"; do
  echo "== $phase ($(left) s left)"
  case $phase in
  perf)
    # Issue #9 round 2 (bench/NOTES.md "GPU"): the commit before (base) against each new lever,
    # DrumSep fp16 batch 8 first, then the other layouts/precisions before/after.
    base() { if [ -n "$base_cli" ]; then BENCH_CLI=$base_cli BENCH_TAG=base bench perf "$@"; else echo "no base build"; fi; }
    d8=(--config $drum "${common[@]}" --precision fp16 --batch 8)
    base "${d8[@]}"
    bench perf "${d8[@]}" --device-chunks off --streamed-stems off
    bench perf "${d8[@]}" --streamed-stems off
    bench perf "${d8[@]}" --device-chunks off
    bench perf "${d8[@]}"
    bench perf "${d8[@]}" --cuda-graphs
    bench perf "${d8[@]}" --fused-norm-act on
    bench perf "${d8[@]}" --fused-norm-act on --cuda-graphs
    bench perf --config $drum --random-weights --seconds 60 --overlap 4 --forward-repeats 0 --precision fp16 --batch 8 \
      --fused-norm-act on --compare-precision fp16
    bench perf --config $drum "${common[@]}" --precision fp16 --batch 16
    base --config $musdb "${common[@]}" --precision fp16 --batch 16
    bench perf --config $musdb "${common[@]}" --precision fp16 --batch 16
    bench perf --config $musdb "${common[@]}" --precision fp16 --batch 16 --fused-norm-act on
    base --config $drum "${common[@]}" --precision fp32 --batch 8
    bench perf --config $drum "${common[@]}" --precision fp32 --batch 8
    base --config $musdb "${common[@]}" --precision fp32 --batch 16
    bench perf --config $musdb "${common[@]}" --precision fp32 --batch 16 ;;
  s4)
    # Session 4: channels-last end to end and the TDF residual product (bench/NOTES.md "GPU").
    base() { if [ -n "$base_cli" ]; then BENCH_CLI=$base_cli BENCH_TAG=base bench s4 "$@"; else echo "no base build"; fi; }
    cl=(--channels-last on); fold=(--tdf-residual-product on)
    d8=(--config $drum "${common[@]}" --precision fp16 --batch 8)
    base "${d8[@]}"
    bench s4 "${d8[@]}" --channels-last off --tdf-residual-product off
    bench s4 "${d8[@]}" "${cl[@]}" --tdf-residual-product off
    bench s4 "${d8[@]}" --channels-last off "${fold[@]}"
    bench s4 "${d8[@]}" "${cl[@]}" "${fold[@]}"
    # Agreement: the same separation with channels-last + residual product off (kept levers
    # otherwise), max abs diff and SDR between the two; fp16, fp32, and odd channel counts.
    ck=(--config $drum --random-weights --seconds 60 --overlap 4 --forward-repeats 0 --batch 8 --compare-levers kept)
    bench s4 "${ck[@]}" --precision fp16 --compare-precision fp16 "${cl[@]}" "${fold[@]}"
    bench s4 "${ck[@]}" --precision fp32 --compare-precision fp32 "${cl[@]}" "${fold[@]}"
    odd=(--config bench/configs/odd_channels.yaml --random-weights --seconds 20 --overlap 4 --forward-repeats 0 --batch 4 --compare-levers kept)
    bench s4 "${odd[@]}" --precision fp16 --compare-precision fp16 "${cl[@]}" "${fold[@]}"
    bench s4 "${odd[@]}" --precision fp32 --compare-precision fp32 "${cl[@]}" "${fold[@]}"
    m16=(--config $musdb "${common[@]}" --precision fp16 --batch 16)
    base "${m16[@]}"
    bench s4 "${m16[@]}" --channels-last off --tdf-residual-product off
    bench s4 "${m16[@]}" "${cl[@]}" "${fold[@]}"
    d32=(--config $drum "${common[@]}" --precision fp32 --batch 8)
    base "${d32[@]}"
    bench s4 "${d32[@]}" --channels-last off --tdf-residual-product off
    bench s4 "${d32[@]}" "${cl[@]}" "${fold[@]}"
    m32=(--config $musdb "${common[@]}" --precision fp32 --batch 16)
    base "${m32[@]}"
    bench s4 "${m32[@]}" --channels-last off --tdf-residual-product off
    bench s4 "${m32[@]}" "${cl[@]}" "${fold[@]}"
    # TF32 for the TDF products in fp32: speed, then its output against TF32-off (same levers).
    bench s4 "${d32[@]}" --channels-last off --tdf-residual-product off --tf32-matmul on
    bench s4 "${ck[@]}" --precision fp32 --compare-precision fp32 --channels-last off --tdf-residual-product off --tf32-matmul on
    ckc=.benchmodels/compact/drumsep-compact.safetensors
    [ -f $ckc ] && bench s4 --config .benchmodels/compact/config.yaml --checkpoint $ckc --seconds 60 --overlap 4 \
      --forward-repeats 0 --precision fp32 --batch 8 --compare-levers kept --compare-precision fp32 --tf32-matmul on
    bench s4 --config $drum "${common[@]}" --precision fp16 --batch 16 "${cl[@]}" "${fold[@]}"
    bench s4 --config $musdb "${common[@]}" --precision fp16 --batch 8 "${cl[@]}" "${fold[@]}"
    # Channels-last without the fused kernel: the unfused InstanceNorm converts to NCHW and back.
    bench s4 "${d8[@]}" "${cl[@]}" "${fold[@]}" --fused-norm-act off ;;
  s4final)
    base() { if [ -n "$base_cli" ]; then BENCH_CLI=$base_cli BENCH_TAG=base bench s4final "$@"; else echo "no base build"; fi; }
    d8=(--config $drum "${common[@]}" --precision fp16 --batch 8)
    m16=(--config $musdb "${common[@]}" --precision fp16 --batch 16)
    d32=(--config $drum "${common[@]}" --precision fp32 --batch 8)
    m32=(--config $musdb "${common[@]}" --precision fp32 --batch 16)
    base "${d8[@]}"; bench s4final "${d8[@]}"
    base "${m16[@]}"; bench s4final "${m16[@]}"
    base "${d32[@]}"; bench s4final "${d32[@]}"
    base "${m32[@]}"; bench s4final "${m32[@]}"
    # Exactness of the new path in fp32 (NHWC kernel incl. its one-channel path, batched TDF
    # products, residual product) against the plain path, TF32 and autotuning off in both.
    ex=(--random-weights --overlap 4 --forward-repeats 0 --precision fp32 --compare-precision fp32 --tf32 off --cudnn-benchmark off)
    bench s4final --config bench/configs/odd_channels.yaml "${ex[@]}" --seconds 20 --batch 4
    bench s4final --config $drum "${ex[@]}" --seconds 60 --batch 8
    # Half precision against plain fp32 with the new defaults: the shipped model, DrumSep full.
    ckc=.benchmodels/compact/drumsep-compact.safetensors
    [ -f $ckc ] && bench s4final --config .benchmodels/compact/config.yaml --checkpoint $ckc --seconds 60 --overlap 4 \
      --forward-repeats 3 --precision fp16 --batch 8 --compare-precision fp32
    bench s4final --config $drum --random-weights --seconds 60 --overlap 4 --forward-repeats 0 --precision fp16 --batch 8 --compare-precision fp32
    bench s4final "${d32[@]}" --tf32-matmul off
    bench s4final "${d8[@]}" --cuda-graphs
    bench s4final --config $drum "${common[@]}" --precision fp16 --batch 16
    bench s4final --config $musdb "${common[@]}" --precision fp16 --batch 8
    bench s4final --config $drum "${common[@]}" --precision fp32 --batch 16
    bench s4final --config $musdb "${common[@]}" --precision fp32 --batch 8
    bench s4final --config $drum "${common[@]}" --precision bf16 --batch 8 ;;
  matrix)
    for cfg in $drum $musdb; do
      for p in fp32 fp16 bf16; do
        for b in 4 8 auto; do
          # shellcheck disable=SC2086
          bench matrix --config $cfg "${common[@]}" --precision $p --batch $b $levers
        done
      done
    done ;;
  levers)
    # Host overlap-add and plain uploads (the defaults before these measurements) as the base.
    base=(--config $drum "${common[@]}" --precision fp16 --batch 8 --device-overlap-add off --pinned-upload off)
    bench levers "${base[@]}"
    bench levers "${base[@]}" --cudnn-benchmark off
    bench levers "${base[@]}" --channels-last on
    bench levers "${base[@]}" --pinned-upload on
    bench levers "${base[@]}" --device-overlap-add on
    bench levers "${base[@]}" --cuda-graphs
    bench levers "${base[@]}" --device-overlap-add on --pinned-upload on --cuda-graphs
    bench levers --config $drum "${common[@]}" --precision fp32 --batch 8 --tf32 off --device-overlap-add off --pinned-upload off
    bench levers --config $drum "${common[@]}" --precision fp32 --batch 8 --device-overlap-add off --pinned-upload off ;;
  final)
    # Issue #9 round 2, the kept defaults (device chunks, streamed stems, fused InstanceNorm+GELU)
    # against the base build, per layout and precision; the fused kernel's agreement with the
    # unfused path (fp32 and fp16); the half-precision criterion; the eager forward's profile.
    base() { if [ -n "$base_cli" ]; then BENCH_CLI=$base_cli BENCH_TAG=base bench final "$@"; else echo "no base build"; fi; }
    d8=(--config $drum "${common[@]}" --precision fp16 --batch 8)
    base "${d8[@]}"
    bench final "${d8[@]}"
    bench final "${d8[@]}" --fused-norm-act off
    bench final --config $drum --random-weights --seconds 60 --overlap 4 --forward-repeats 0 --precision fp32 --batch 8 \
      --fused-norm-act on --compare-precision fp32
    bench final "${d8[@]}" --compare-precision fp32
    timeout 60 python3 bench/python/gpu_forward_profile.py --config $drum --batch 8 --gflop 2302.7 --top 30 \
      2>&1 | tee "$out/profile.txt" | cut -c1-220
    base --config $musdb "${common[@]}" --precision fp16 --batch 16
    bench final --config $musdb "${common[@]}" --precision fp16 --batch 16
    bench final --config $musdb "${common[@]}" --precision fp16 --batch 8
    base --config $drum "${common[@]}" --precision fp32 --batch 8
    bench final --config $drum "${common[@]}" --precision fp32 --batch 8
    bench final --config $drum "${common[@]}" --precision fp32 --batch 8 --fused-norm-act off
    base --config $musdb "${common[@]}" --precision fp32 --batch 16
    bench final --config $musdb "${common[@]}" --precision fp32 --batch 16
    ck=.benchmodels/compact/drumsep-compact.safetensors
    [ -f $ck ] && bench final --config .benchmodels/compact/config.yaml --checkpoint $ck --seconds 60 --overlap 4 \
      --forward-repeats 3 --precision fp16 --batch 8 --compare-precision fp32
    bench final "${d8[@]}" --cuda-graphs
    bench final --config $drum "${common[@]}" --precision fp16 --batch 16
    bench final --config $drum "${common[@]}" --precision fp32 --batch 16
    bench final --config $musdb "${common[@]}" --precision fp32 --batch 8
    bench final --config $drum "${common[@]}" --precision bf16 --batch 8 ;;
  fusedcheck)
    # Not run yet: the fused kernel against the unfused path in fp32 with TF32 and cuDNN autotuning
    # off (deterministic convolutions), and two controls, the unfused path against itself with
    # TF32 on (the defaults) and off: what part of a difference is TF32 algorithm noise.
    fc=(--config $drum --random-weights --seconds 60 --overlap 4 --forward-repeats 0 --precision fp32 --batch 8 --compare-precision fp32)
    bench fusedcheck "${fc[@]}" --tf32 off --cudnn-benchmark off --fused-norm-act on
    bench fusedcheck "${fc[@]}" --tf32 off --cudnn-benchmark off --fused-norm-act off
    bench fusedcheck "${fc[@]}" --fused-norm-act off ;;
  baseline)
    # Host overlap-add (no levers) at the reference figures' settings, for the before/after rows.
    for cfg in $drum $musdb; do
      for p in fp32 fp16; do
        bench baseline --config $cfg "${common[@]}" --precision $p --batch 4 --device-overlap-add off --pinned-upload off
      done
    done ;;
  levers2)
    base=(--config $drum "${common[@]}" --precision fp16 --batch 8 --device-overlap-add on)
    bench levers "${base[@]}" --pinned-upload off
    bench levers "${base[@]}" --pinned-upload on
    bench levers "${base[@]}" --pinned-upload on --cudnn-benchmark off
    bench levers "${base[@]}" --pinned-upload on --cuda-graphs ;;
  oom)
    # A cap of OOM_CAP_MIB (8192) that holds batch 4 but not 16 (the public inference peaks at
    # 10.6 GiB for fp32 batch 8); the reference runs first, uncapped, at batch 4.
    total_mib=$(nvidia-smi --query-gpu=memory.total --format=csv,noheader,nounits | head -1)
    frac=$(python3 -c "print(round(${OOM_CAP_MIB:-8192} / $total_mib, 4))")
    # shellcheck disable=SC2086
    bench oom --config $drum --random-weights --seconds 60 --overlap 4 --forward-repeats 0 --precision fp32 \
      --batch 16 --compare-precision fp32 --compare-batch 4 --memory-fraction "$frac" \
      --cudnn-benchmark off --tf32 off $levers ;;
  calib)
    for p in fp32 fp16; do
      for b in 1 2 4 8 16; do
        # shellcheck disable=SC2086
        bench calib --config $drum --random-weights --seconds 60 --overlap 4 --forward-repeats 0 --precision $p --batch $b $levers
      done
    done
    # shellcheck disable=SC2086
    bench calib --config $musdb --random-weights --seconds 60 --overlap 4 --forward-repeats 0 --precision fp32 --batch 8 $levers ;;
  vectors)
    # The half-precision criterion on the shared vector model with the current CUDA defaults
    # (session 4: channels-last, residual product, TF32 products), as s4final does it for the
    # shipped model.
    ckv=.benchmodels/drumsep5_tiny/model.safetensors
    [ -f $ckv ] || { echo "no .benchmodels/drumsep5_tiny"; continue; }
    for p in fp16 bf16; do
      bench vectors --config .benchmodels/drumsep5_tiny/config.yaml --checkpoint $ckv --seconds 60 --overlap 4 \
        --forward-repeats 3 --precision $p --batch 8 --compare-precision fp32
    done ;;
  precision)
    for p in fp16 bf16; do
      # shellcheck disable=SC2086
      bench precision --config $drum "${common[@]}" --precision $p --batch 8 --compare-precision fp32 $levers
      for m in compact drumsep5_tiny; do
        ck=$(ls .benchmodels/$m/*.safetensors .benchmodels/$m/*.ckpt 2>/dev/null | head -1)
        [ -n "$ck" ] || { echo "no .benchmodels/$m"; continue; }
        # shellcheck disable=SC2086
        bench precision --config .benchmodels/$m/config.yaml --checkpoint "$ck" --seconds 60 --overlap 4 \
          --forward-repeats 3 --precision $p --batch 8 --compare-precision fp32 $levers
      done
    done ;;
  softmask)
    # Session 9: the bundled model's soft masks (inference.soft_mask_power: 1.5) on CUDA at the
    # defaults (fp16, batch 8): their cost against --soft-mask off in alternation, fp16 against
    # fp32 with them, and the forward captured with them (CUDA graphs).
    ck=.benchmodels/compact/drumsep-compact.safetensors
    for sm in off 1.5 off 1.5 off 1.5; do
      bench softmask --config .benchmodels/compact/config.yaml --checkpoint "$ck" --seconds 60 --forward-repeats 3 \
        --batch 8 --runs 3 --soft-mask $sm
    done
    bench softmask --config .benchmodels/compact/config.yaml --checkpoint "$ck" --seconds 60 --forward-repeats 3 \
      --batch 8 --soft-mask 1.5 --compare-precision fp32
    bench softmask --config .benchmodels/compact/config.yaml --checkpoint "$ck" --seconds 60 --forward-repeats 3 \
      --batch 8 --runs 3 --soft-mask 1.5 --cuda-graphs ;;
  wiener)
    # Session 12: the bundled model's multichannel Wiener filter (inference.multichannel_wiener,
    # after the soft masks) on CUDA at the defaults (fp16, batch 8): its cost against --wiener off
    # in alternation, fp16 against fp32 with it, and the forward captured with it (CUDA graphs).
    # The shipped files themselves: nothing to prepare or carry.
    ck=resources/models/drumsep-compact/drumsep-compact.safetensors
    cf=resources/models/drumsep-compact/config.yaml
    for w in off on off on off on; do
      bench wiener --config "$cf" --checkpoint "$ck" --seconds 60 --forward-repeats 3 --batch 8 --runs 3 --wiener $w
    done
    bench wiener --config "$cf" --checkpoint "$ck" --seconds 60 --forward-repeats 3 --batch 8 --wiener on \
      --compare-precision fp32
    bench wiener --config "$cf" --checkpoint "$ck" --seconds 60 --forward-repeats 3 --batch 8 --runs 3 --wiener on \
      --cuda-graphs ;;
  chunk)
    # Session 13: the shipped inference chunk (5.93 s, inference.chunk_size 261632, since session
    # 12) against the training's 2.96 s (130560, dim_t 256) on CUDA at the defaults (fp16, batch
    # 8), in alternation; the short one is the shipped config with those two lines changed.
    ck=resources/models/drumsep-compact/drumsep-compact.safetensors
    cf=resources/models/drumsep-compact/config.yaml
    short=/tmp/compact-2.96s.yaml
    awk '/^inference:/ {inf=1} inf && /^  chunk_size:/ {$0="  chunk_size: 130560"} inf && /^  dim_t:/ {$0="  dim_t: 256"} {print}' \
      "$cf" > "$short"
    alternate chunk "$short" "$cf" ;;
  s18)
    ck=resources/models/drumsep-compact/drumsep-compact.safetensors
    cf=resources/models/drumsep-compact/config.yaml
    old=/tmp/compact-s17.yaml
    awk '/^inference:/ {inf=1} inf && /^  chunk_size:/ {$0="  chunk_size: 261632"} inf && /^  dim_t:/ {$0="  dim_t: 512"}
         inf && /^  soft_mask_power:/ {$0="  soft_mask_power: 1.5"} inf && /^  wiener_iterations:/ {next} {print}' "$cf" > "$old"
    diff "$cf" "$old"
    alternate s18 "$old" "$cf" ;;
  *) echo "unknown phase $phase" ;;
  esac
done
echo "total: $(( $(date +%s) - start )) s"
