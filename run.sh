#!/usr/bin/env bash
# StemDeck's main job on a fresh Debian 12 machine: installs what is missing, builds,
# then runs the most complete thing StemDeck can do here.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
exec "$root/scripts/main-job.sh"
