#!/usr/bin/env bash
# What a CUDA build of StemDeck needs on the lent GPU machine, into .gpudeps (git-ignored): the
# shared tool's Debian packages (Qt 6 Core, libsndfile, libsoxr, yaml-cpp; ../shared/docs/gpu.md)
# plus what this project's CMakeLists.txt also requires and the tool does not fetch: libzip (the
# checkpoint readers) and nlohmann-json. Session 11 found a fresh .gpudeps without them: the
# device build stopped at "Package 'libzip' ... not found".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dir=${1:-.gpudeps}
"$root/../shared/tools/gpu-deps.sh" "$dir"
(cd "$dir" && apt-get download libzip4 libzip-dev nlohmann-json3-dev 2>&1 | grep -v -e unsandboxed -e '^Get:' -e '^Fetched' || true)
for p in libzip4 libzip-dev nlohmann-json3-dev; do
  ls "$dir"/${p}_*.deb >/dev/null 2>&1 || { echo "gpu-deps: $p was not downloaded"; exit 1; }
done
echo "$(ls "$dir"/*.deb | wc -l) packages, $(du -sh "$dir" | cut -f1) in $dir"
