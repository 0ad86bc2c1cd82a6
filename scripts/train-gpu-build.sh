# Sourced by the train-gpu*.sh scripts ON THE LENT GPU MACHINE: logs to $out/run.txt, names the
# card, checks the sample pack, builds stemdeck-train against the machine's CUDA LibTorch
# (.gpudeps from scripts/gpu-deps.sh, docs in ../shared/docs/gpu.md) and sets:
#   bin     the stemdeck-train executable
#   built   when the build finished (date +%s), to budget the rest of the call
#   resume  (--resume .train/checkpoint.pt) when a checkpoint travelled with .train, else ()
# Expects $out and $start; exits the calling script on failure (2: no pack, 3/4: build).
# A command that runs $bin after the calling script has ended (in the same device call, or a later
# one on the warm machine) needs the same environment first, or the loader misses the machine's
# libraries (session 7: "libFLAC.so.12: cannot open shared object file"):
#   source .gpudeps/gpu-env.sh .gpudeps && /tmp/build/app/train/stemdeck-train validate ...
mkdir -p "$out"
exec > >(tee -a "$out/run.txt") 2>&1
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
[ -f .train/drums.sdpack ] || { echo "train-gpu: .train/drums.sdpack missing (run scripts/train-pack.sh and carry .train)"; exit 2; }
# shellcheck disable=SC1091
source .gpudeps/gpu-env.sh .gpudeps
# The training needs no optional CUDA kernels of core/model (inference speed only).
cmake -S . -B /tmp/build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTEMDECK_BUILD_UI=OFF -DSTEMDECK_BUILD_TESTS=OFF \
  -DSTEMDECK_CUDA_KERNELS=OFF >/tmp/cmake.log 2>&1 \
  || { tail -40 /tmp/cmake.log; exit 3; }
cmake --build /tmp/build --target stemdeck-train -j"$(nproc)" 2>&1 | tail -1
bin=/tmp/build/app/train/stemdeck-train
[ -x "$bin" ] || { echo "train-gpu: build failed"; exit 4; }
built=$(date +%s)
echo "build: $((built - start)) s"
resume=()
[ -f .train/checkpoint.pt ] && resume=(--resume .train/checkpoint.pt)
