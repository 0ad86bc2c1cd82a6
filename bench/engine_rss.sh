#!/usr/bin/env bash
# Peak memory (RSS) of `stemdeck-cli separate` against input length, for bench/NOTES.md:
# generates white-noise WAVs of the given minutes (16-bit stereo 44.1 kHz) and runs the CLI under
# /usr/bin/time -v with a shared-vector model. Usage: bench/engine_rss.sh BUILD_DIR MINUTES...
# Env: STREAMING=auto|on|off (auto streams these lengths), OVERLAP (default 1: speed, not quality).
set -euo pipefail
build=${1:?build dir}; shift
root=$(cd "$(dirname "$0")/.." && pwd)
vec=${STEMDECK_TESTDATA_DIR:-$root/../shared/testdata}/mdx23c/drumsep5_tiny
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for minutes in "$@"; do
  python3 - "$work/in_$minutes.wav" "$minutes" <<'PY'
import os, struct, sys, wave
path, minutes = sys.argv[1], float(sys.argv[2])
frames = int(minutes * 60 * 44100)
with wave.open(path, "wb") as w:
    w.setnchannels(2); w.setsampwidth(2); w.setframerate(44100)
    block = 44100 * 10
    left = frames
    while left > 0:
        n = min(block, left)
        raw = bytearray(os.urandom(n * 4))
        # quieter than full scale: keep the top bits random, shift right by 3 (about -18 dBFS)
        samples = struct.unpack("<%dh" % (n * 2), raw)
        w.writeframes(struct.pack("<%dh" % (n * 2), *[s >> 3 for s in samples]))
        left -= n
PY
  /usr/bin/time -v "$build/app/cli/stemdeck-cli" separate "$work/in_$minutes.wav" -o "$work/out_$minutes" \
      --config "$vec/config.yaml" --checkpoint "$vec/model.ckpt" --device cpu --overlap "${OVERLAP:-1}" \
      --batch 4 --format wav16 --streaming "${STREAMING:-auto}" --json > "$work/result_$minutes.json" 2> "$work/time_$minutes.txt"
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time_$minutes.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time_$minutes.txt")
  echo "$minutes min: peak RSS ${rss} KiB, wall $wall"
  rm -rf "$work/out_$minutes" "$work/in_$minutes.wav"
done
