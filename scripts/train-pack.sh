#!/usr/bin/env bash
# Prepares what travels to the GPU machine for training the bundled drum model: builds
# stemdeck-train here (CPU), writes the sample pack .train/drums.sdpack (every mapped instrument
# of the installed Hydrogen kits, 44.1 kHz, trimmed, normalised, FLAC-compressed; ~24 MiB) and
# keeps .train/ out of git (.git/info/exclude), like scripts/gpu-deps.sh does for .gpudeps (run
# that too, once). Then the lead runs scripts/train-gpu.sh on the device with carry [".gpudeps", ".train"].
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${STEMDECK_TRAIN_BUILD:-$root/build-train}
cd "$root"
mkdir -p .train
grep -qx '/.train/' .git/info/exclude 2>/dev/null || echo '/.train/' >> .git/info/exclude
if [ ! -x "$build/app/train/stemdeck-train" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTEMDECK_BUILD_UI=OFF >/dev/null
  cmake --build "$build" --target stemdeck-train -j2
fi
"$build/app/train/stemdeck-train" pack --out .train/drums.sdpack
du -sh .train .gpudeps 2>/dev/null || true
