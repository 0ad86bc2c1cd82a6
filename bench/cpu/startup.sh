#!/usr/bin/env bash
# Start-up cost of `stemdeck-cli separate` on the CPU (issue #9): model load and warm-up as the
# profiler separates them (--profile turns the warm-up on), plus the whole command's wall time,
# for a 10-second input, RUNS times, with the 1-minute load average next to each run.
# Usage: bench/cpu/startup.sh BUILD_DIR MODEL_DIR [RUNS=3]   (MODEL_DIR: config.yaml + *.safetensors)
set -euo pipefail
build=$(cd "${1:?build dir}" && pwd)
model=$(cd "${2:?model dir}" && pwd)
runs=${3:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work/in10.wav" <<'PY'
import struct, sys
import numpy as np
rate, n = 44100, 10 * 44100
x = (0.1 * np.random.default_rng(2).standard_normal((n, 2))).astype("<f4").tobytes()
fmt = struct.pack("<HHIIHH", 3, 2, rate, rate * 8, 8, 32)
with open(sys.argv[1], "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(x)) + b"WAVE")
    f.write(b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(x)) + x)
PY
weights=$(ls "$model"/*.safetensors | head -1)
printf "%4s %6s %8s %9s %12s %8s\n" run load1 load_s warmup_s load+warmup wall_s
for r in $(seq 1 "$runs"); do
  l=$(cut -d' ' -f1 /proc/loadavg)
  rm -rf "$work/out"
  /usr/bin/time -f "%e" -o "$work/time" "$build/app/cli/stemdeck-cli" separate "$work/in10.wav" -o "$work/out" \
      --config "$model/config.yaml" --checkpoint "$weights" --device cpu --profile "$work/trace.json" --json > "$work/json" 2> /dev/null
  /usr/bin/python3 - "$work/json" "$r" "$l" "$(cat "$work/time")" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["jobs"][0]["profile"]
load, warm = p["stages"].get("load", 0.0), p.get("warmup_seconds", 0.0)
print(f"{sys.argv[2]:>4} {float(sys.argv[3]):6.2f} {load:8.3f} {warm:9.3f} {load + warm:12.3f} {float(sys.argv[4]):8.2f}")
PY
done
