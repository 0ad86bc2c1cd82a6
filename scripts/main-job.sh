#!/usr/bin/env bash
# What ./run.sh runs once StemDeck is built: the most complete thing StemDeck can do on this
# machine. Grows with the project (GUI when a display exists, headless demo separation otherwise).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${STEMDECK_BUILD_DIR:-$root/build}
exec "$build/app/cli/stemdeck-cli" info
