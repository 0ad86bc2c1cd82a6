#!/usr/bin/env bash
# StemDeck on the CPU against the plain PyTorch eager baseline (bench/python/pytorch_eager.py):
# same weights, same input, same overlap and batch, same number of threads; runs interleaved so
# the machine's load drifts over all variants alike, and the 1-minute load average is printed
# next to every figure. Also checks that both produced the same stems (max abs difference).
#
# Usage: bench/cpu/cpu_vs_python.sh BUILD_DIR [SECONDS=30] [ROUNDS=3]
# Env:   MODEL_DIR (config.yaml + *.safetensors; default: a random-weight compact model made with
#        stemdeck-train train --steps 1 + export), OVERLAP (default 2), BATCH (default 1),
#        VARIANTS (default "stemdeck python python-passive stemdeck-spin").
#   stemdeck        stemdeck-cli separate as shipped
#   stemdeck-spin   the same with GOMP_SPINCOUNT=300000 (libgomp's default busy-wait, i.e. before
#                   StemDeck chose OMP_WAIT_POLICY=PASSIVE)
#   python          /usr/bin/python3 pytorch_eager.py with PyTorch's defaults (libgomp spins)
#   python-passive  the same with OMP_WAIT_POLICY=passive
# x real time = input seconds / wall seconds of the whole command (start-up, load, decode,
# separation, writing float32 WAVs); "sep" = the separation alone (StemDeck: the profile's model
# stage; Python: demix()).
set -euo pipefail
build=$(cd "${1:?build dir}" && pwd)
seconds=${2:-30}
rounds=${3:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
py=/usr/bin/python3
eager=$root/bench/python/pytorch_eager.py
threads=$(nproc)
overlap=${OVERLAP:-2}
batch=${BATCH:-1}
variants=${VARIANTS:-stemdeck python python-passive stemdeck-spin}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

model=${MODEL_DIR:-}
if [ -z "$model" ]; then
  "$build/app/train/stemdeck-train" train --preset compact --steps 1 --batch 1 --no-validate --out "$work/train" > /dev/null
  "$build/app/train/stemdeck-train" export --checkpoint "$work/train/checkpoint.pt" --out "$work/model" > /dev/null
  model=$work/model
fi
config=$model/config.yaml
weights=$(ls "$model"/*.safetensors | head -1)

"$py" - "$work/in.wav" "$seconds" "$eager" <<'PY'
import sys, importlib.util
import numpy as np
spec = importlib.util.spec_from_file_location("eager", sys.argv[3]); eager = importlib.util.module_from_spec(spec)
spec.loader.exec_module(eager)
rate, n = 44100, int(float(sys.argv[2]) * 44100)
t = np.arange(n) / rate
rng = np.random.default_rng(1)
x = 0.1 * rng.standard_normal((2, n)) + 0.2 * np.sin(2 * np.pi * np.array([[220.0], [330.0]]) * t)
eager.write_wav(sys.argv[1], x.astype(np.float32), rate)
PY

echo "machine: $(lscpu | awk -F': +' '/Model name/ {print $2}'), $threads cores; $(date -u +%FT%TZ); input ${seconds} s; overlap $overlap, batch $batch, $threads threads"
printf "%-15s %5s %7s %8s %8s %9s %6s %8s\n" variant round load1 wall_s cpu_s x_rt sep_s sep_x_rt
run_variant() {
  local v=$1 r=$2 load out
  load=$(cut -d' ' -f1 /proc/loadavg)
  out=$work/out_${v}
  rm -rf "$out"
  case $v in
    stemdeck|stemdeck-spin)
      local env=()
      [ "$v" = stemdeck-spin ] && env=(GOMP_SPINCOUNT=300000)
      env "${env[@]}" /usr/bin/time -f "%e %U %S" -o "$work/time" "$build/app/cli/stemdeck-cli" separate "$work/in.wav" \
          -o "$out" --config "$config" --checkpoint "$weights" --device cpu --overlap "$overlap" --batch "$batch" \
          --format wav32f --template '{stem}.{ext}' --json > "$work/json"
      sep=$("$py" -c 'import json,sys; j=json.load(open(sys.argv[1]))["jobs"][0]["profile"]; print(j["stages"]["model"])' "$work/json")
      ;;
    python|python-passive)
      local env=()
      [ "$v" = python-passive ] && env=(OMP_WAIT_POLICY=passive)
      env "${env[@]}" /usr/bin/time -f "%e %U %S" -o "$work/time" "$py" "$eager" separate --config "$config" \
          --checkpoint "$weights" --input "$work/in.wav" --output "$out" --overlap "$overlap" --batch "$batch" \
          --threads "$threads" > "$work/json"
      sep=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["separate_seconds"][0])' "$work/json")
      ;;
  esac
  read -r wall user sys < "$work/time"
  awk -v v="$v" -v r="$r" -v l="$load" -v w="$wall" -v u="$user" -v s="$sys" -v sec="$seconds" -v sep="$sep" \
      'BEGIN { printf "%-15s %5d %7.2f %8.2f %8.2f %9.3f %6.2f %8.3f\n", v, r, l, w, u + s, sec / w, sep, sec / sep }'
}
for r in $(seq 1 "$rounds"); do
  for v in $variants; do run_variant "$v" "$r"; done
done
if [ -d "$work/out_stemdeck" ] && [ -d "$work/out_python" ]; then
  echo "same computation? StemDeck vs Python stems:"
  "$py" "$eager" compare "$work/out_python" "$work/out_stemdeck" | tail -1
fi
