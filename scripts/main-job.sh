#!/usr/bin/env bash
# What ./run.sh runs once StemDeck is built: the most complete thing StemDeck can do here.
#  - with a display (DISPLAY or WAYLAND_DISPLAY) and the GUI built: opens the window, with the
#    bundled demo loop queued when it exists;
#  - without a display: separates the bundled demo loop with the bundled model, when both exist,
#    and reports where the stems went and their SDR against the ground truth (stemdeck-cli demo);
#    otherwise prints the device and model report
#    (`stemdeck-cli info`), and, when the shared parity vectors are beside the clone, separates
#    their drum mix with their tiny model to show the whole pipeline working.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${STEMDECK_BUILD_DIR:-$root/build}
cli=$build/app/cli/stemdeck-cli
gui=$build/app/gui/stemdeck
demo=$root/resources/demo/demo-loop.flac
model=$root/resources/models/drumsep-compact

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$gui" ]; then
  if [ -f "$demo" ]; then exec "$gui" "$demo"; else exec "$gui"; fi
fi

"$cli" info
out=${STEMDECK_DEMO_OUT:-$root/demo-output}
if [ -f "$demo" ] && [ -d "$model" ]; then
  echo
  # Separates the loop with the default (bundled) model, says where the stems are, and prints
  # their SDR against the ground truth rendered from the Hydrogen kits.
  exec "$cli" demo -o "$out" --overwrite
fi
vectors=$root/../shared/testdata/mdx23c/drumsep5_tiny
if [ -d "$vectors" ]; then
  echo
  echo "No bundled model yet: separating the shared test mix with its tiny random-weight model"
  echo "(shows the pipeline; the stems are not musical) into $out"
  exec "$cli" separate "$vectors/mix.wav" -o "$out" --overwrite \
    --config "$vectors/config.yaml" --checkpoint "$vectors/model.ckpt"
fi
