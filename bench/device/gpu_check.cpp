// stemdeck-device-gpu-check: exercises core/device's CUDA paths for real on a GPU machine (the
// lent GPU; the development machines have none) and prints what happened. Not a unit test:
// it needs a card. Checks: the system probe (name, compute capability, free memory), cuDNN
// benchmark tuning, allocator figures, PinnedStaging reuse, cache release, and a real
// out-of-memory recovery: the per-process memory fraction is capped so that the initial batch
// cannot fit, BatchRunner must halve until it fits and the consumed outputs must equal a CPU
// reference. Exit code 0 only when every check passed.
//
//   stemdeck-device-gpu-check [--cap-mib C] [--chunk-mib M] [--batch B] [--chunks N]
// Defaults: cap 3072 MiB, 256 MiB per chunk, batch 16 (4 GiB: does not fit), 24 chunks.
#include "device/backend.h"
#include "device/batch_runner.h"
#include "device/device_info.h"
#include "device/memory_monitor.h"
#include "device/precision.h"
#include "device/warning_capture.h"
#include "device/transfer.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <nlohmann/json.hpp>
#include <torch/cuda.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

using namespace stemdeck;
using namespace stemdeck::device;

namespace {
int failures = 0;
void check(bool ok, const std::string& what) {
    std::printf("%s %s\n", ok ? "PASS" : "FAIL", what.c_str());
    if (!ok) ++failures;
}
} // namespace

int main(int argc, char** argv) {
    int64_t capMiB = 3072;
    int64_t chunkMiB = 256; // working memory per chunk inside Forward
    int batch = 16;
    int64_t chunks = 24;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--cap-mib") capMiB = std::atoll(argv[i + 1]);
        else if (a == "--chunk-mib") chunkMiB = std::atoll(argv[i + 1]);
        else if (a == "--batch") batch = std::atoi(argv[i + 1]);
        else if (a == "--chunks") chunks = std::atoll(argv[i + 1]);
    }
    const DeviceInfo info = DeviceInfoCache::global().info();
    std::cout << describe(info) << toJson(info).dump(2) << "\n";
    check(info.cudaCompiled, "CUDA compiled in");
    if (!info.cudaAvailable()) {
        std::printf("no CUDA device visible: nothing more to check\n");
        return 1;
    }
    const CudaDeviceInfo& gpu = info.cuda.front();
    check(!gpu.name.empty() && gpu.computeMajor >= 3, "probe: " + gpu.name + " compute " + std::to_string(gpu.computeMajor));
    check(gpu.totalMemory > 0 && gpu.freeMemory > 0 && gpu.freeMemory <= gpu.totalMemory, "probe: free/total memory");

    const BackendSettings tuning = applyBackendTuning(DeviceKind::Cuda);
    check(tuning.cudnnBenchmark, "cuDNN benchmark on");

    const c10::Device cuda(c10::DeviceType::CUDA, 0);
    PinnedStaging staging(cuda);
    const at::Tensor host = at::randn({4, 2, 65536});
    const at::Tensor a = staging.upload(host);
    const at::Tensor b = staging.upload(host.transpose(1, 2).contiguous().transpose(1, 2));
    const at::Tensor c = staging.upload(host * 2);
    synchronizeDevice(DeviceId::cuda(0));
    check(staging.usesPinnedMemory() && staging.buffer().is_pinned(), "pinned staging buffer");
    // Two buffers alternate: the third upload reuses the first.
    check(staging.allocationCount() == 2 && staging.reuseCount() == 1, "pinned buffers reused");
    check(a.is_cuda() && at::equal(a.cpu(), host) && at::equal(b.cpu(), host) && at::equal(c.cpu(), host * 2),
          "uploads are exact");

    {
        const at::Tensor x = at::rand({64, 64}, at::TensorOptions().device(cuda));
        {
            AutocastGuard fp16(DeviceKind::Cuda, Precision::Fp16);
            check(fp16.active() && at::mm(x, x).scalar_type() == at::kHalf, "fp16 autocast on CUDA");
        }
        {
            AutocastGuard bf16(DeviceKind::Cuda, Precision::Bf16);
            check(bf16.active() && at::mm(x, x).scalar_type() == at::kBFloat16, "bf16 autocast on CUDA");
        }
        check(at::mm(x, x).scalar_type() == at::kFloat, "autocast state restored");
        WarningCapture capture;
        TORCH_WARN("gpu check warning");
        TORCH_WARN("gpu check warning");
        check(capture.total() == 2 && capture.distinct() == 1, "warning capture (LibTorch 2.x handler API)");
    }

    MemoryMonitor monitor;
    {
        const at::Tensor big = at::empty({int64_t(64) << 20}, at::TensorOptions().device(cuda)); // 256 MiB
        const MemorySample s = monitor.sample(DeviceId::cuda(0));
        check(s.backend.allocated >= (int64_t(256) << 20), "allocated >= 256 MiB while a tensor lives");
        check(s.backend.reserved >= s.backend.allocated, "reserved >= allocated");
    }
    const int64_t reservedBefore = backendMemory(DeviceId::cuda(0)).reserved;
    releaseCachedMemory(DeviceKind::Cuda);
    const int64_t reservedAfter = backendMemory(DeviceId::cuda(0)).reserved;
    check(reservedAfter < reservedBefore, "emptyCache released reserved memory (" + std::to_string(reservedBefore) +
                                              " -> " + std::to_string(reservedAfter) + ")");

    // Real out-of-memory: each chunk needs chunkMiB of scratch on the device.
    const double fraction = double(capMiB << 20) / double(gpu.totalMemory);
    check(setCudaMemoryFraction(fraction, 0), "memory fraction capped at " + std::to_string(fraction));
    const int64_t scratch = (chunkMiB << 20) / 4;
    auto makeInput = [](int64_t first, int64_t count) {
        return (at::arange(first, first + count, at::kFloat).view({count, 1, 1}) + at::linspace(0, 1, 2 * 4096).view({1, 2, 4096}))
            .contiguous();
    };
    auto forward = [&](const at::Tensor& in, const c10::Device& d) {
        PinnedStaging local(d);
        const at::Tensor x = local.upload(in);
        const at::Tensor work = at::ones({x.size(0), scratch}, x.options()); // the memory hog
        const at::Tensor y = at::stack({x * 2 + work.mean(), at::sin(x)}, 1);
        return y;
    };
    std::vector<ProfileEvent> events;
    BatchRunner runner({batch, DeviceId::cuda(0)}, [&](const ProfileEvent& e) { events.push_back(e); });
    at::Tensor result = at::empty({chunks, 2, 2, 4096});
    std::vector<int> seen(static_cast<size_t>(chunks), 0);
    runner.run(chunks, makeInput, forward,
               [&](int64_t first, const at::Tensor& out) {
                   result.narrow(0, first, out.size(0)).copy_(out);
                   for (int64_t i = 0; i < out.size(0); ++i) ++seen[static_cast<size_t>(first + i)];
               },
               nullptr);
    for (const auto& c : runner.changes()) std::printf("  change: %s\n", c.c_str());
    check(!runner.changes().empty(), "out of memory happened and was recovered from");
    check(runner.currentBatch() < batch, "batch now " + std::to_string(runner.currentBatch()));
    bool once = true;
    for (int s : seen) once = once && s == 1;
    check(once, "every chunk consumed exactly once");
    const at::Tensor x = makeInput(0, chunks);
    const at::Tensor ref = at::stack({x * 2 + 1, at::sin(x)}, 1); // work is ones: its mean is 1
    check(at::allclose(result, ref, 1e-5, 1e-5), "outputs equal the CPU reference");
    setCudaMemoryFraction(1.0, 0);
    std::printf("%s (%d failure(s))\n", failures ? "FAILED" : "ALL PASSED", failures);
    return failures ? 1 : 0;
}
