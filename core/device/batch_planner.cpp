#include "device/batch_planner.h"

#include "common/log.h"

#include <algorithm>
#include <cmath>

namespace stemdeck::device {

namespace {
int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
} // namespace

MemoryEstimate BatchPlanner::estimate(const ModelShape& s) {
    MemoryEstimate e;
    const int64_t k = std::max(1, s.numSubbands);
    const int64_t frames = s.chunkSize / std::max(1, s.hop) + 1;
    const int64_t dimC = int64_t(2) * s.channels * k; // real/imag x channels x subbands
    const int64_t f0 = s.dimF / k;
    const int64_t bn = std::max(1, s.bottleneck);

    // Tensors live at once during an inference forward pass (no autograd graph):
    //  - the skip connection of every encoder level, kept until its decoder level;
    //  - at the widest level (0), the decoder's concatenated input (2c) and about three
    //    working tensors of the TFC-TDF block (conv in/out, norm/act, residual): 5 x c x f x t;
    //  - the TDF bottleneck (c x f/bn x t) is small beside those;
    //  - the STFT of the chunk, the final conv output (stems x dimC x f0 x t) and audio in/out.
    int64_t skips = 0;
    int64_t c = s.numChannels;
    int64_t f = f0;
    int64_t t = frames;
    int64_t largest = 0;
    for (int i = 0; i < s.numScales; ++i) {
        skips += c * f * t;
        largest = std::max(largest, 2 * c * f * t); // decoder concat at this level
        c += s.growth;
        f = std::max<int64_t>(1, f / std::max(1, s.scaleF));
        t = ceilDiv(t, std::max(1, s.scaleT));
    }
    const int64_t c0 = s.numChannels;
    const int64_t level0 = c0 * f0 * frames;
    const int64_t bottleneck = c * f * t * 3;
    const int64_t tdf = c0 * (f0 / bn) * frames;
    const int64_t spec = dimC * f0 * frames;                  // model input after cac2cws
    const int64_t finalOut = int64_t(s.stems) * dimC * f0 * frames; // before cws2cac + iSTFT
    const int64_t stft = int64_t(2) * s.channels * (s.nFft / 2 + 1) * frames; // full-band STFT
    const int64_t audio = int64_t(s.stems + 1) * s.channels * s.chunkSize;
    largest = std::max({largest, finalOut, stft, spec});

    e.activationElements = skips + 5 * level0 + bottleneck + tdf + spec + finalOut + stft + audio;
    e.perChunkBytes = static_cast<int64_t>(std::ceil(static_cast<double>(e.activationElements) * s.precisionBytes *
                                                     kActivationOverhead));
    // Output and STFT are float32 whatever the autocast precision (I/O stays float32).
    e.largestTensorElements = largest;
    e.largestTensorBytes = largest * std::max(4, s.precisionBytes);
    e.fixedBytes = s.parameterBytes + int64_t(s.nFft) * 4 * 2; // weights + Hann windows
    return e;
}

int64_t BatchPlanner::budget(const DeviceId& device, const DeviceInfo& info, const PlannerOptions& o) {
    switch (device.kind) {
    case DeviceKind::Cuda: {
        const CudaDeviceInfo* d = info.cudaDevice(device.index);
        if (!d || d->freeMemory < 0) return -1;
        return static_cast<int64_t>(static_cast<double>(d->freeMemory) * o.cudaFraction);
    }
    case DeviceKind::Mps: {
        if (info.mps.recommendedMaxMemory > 0) {
            const int64_t used = std::max<int64_t>(0, info.mps.currentAllocated);
            return std::max<int64_t>(0, static_cast<int64_t>(
                static_cast<double>(info.mps.recommendedMaxMemory - used) * o.mpsFraction));
        }
        // LibTorch < 2.5 does not expose the working-set size: unified memory, so fall back
        // to the RAM figure with the CPU's caution.
        if (info.cpu.availableRam > 0)
            return static_cast<int64_t>(static_cast<double>(info.cpu.availableRam) * o.cpuFraction);
        return -1;
    }
    case DeviceKind::Cpu:
        if (info.cpu.availableRam < 0) return -1;
        return static_cast<int64_t>(static_cast<double>(info.cpu.availableRam) * o.cpuFraction);
    }
    return -1;
}

bool BatchPlanner::fitsMpsLimits(int64_t tensorBytes, int64_t tensorElements) {
    return tensorBytes < kMpsMaxTensorBytes && tensorElements < kMpsMaxTensorElements;
}

int BatchPlanner::maxBatchForMps(const MemoryEstimate& e) {
    if (e.largestTensorBytes <= 0 || e.largestTensorElements <= 0) return 1 << 20;
    const int64_t byBytes = (kMpsMaxTensorBytes - 1) / e.largestTensorBytes;
    const int64_t byElements = (kMpsMaxTensorElements - 1) / e.largestTensorElements;
    return static_cast<int>(std::min<int64_t>({byBytes, byElements, int64_t(1) << 20}));
}

BatchPlan BatchPlanner::plan(const ModelShape& shape, const DeviceId& device, const DeviceInfo& info,
                             const PlannerOptions& o) {
    BatchPlan p;
    p.estimate = estimate(shape);
    if (device.kind == DeviceKind::Cuda)
        p.estimate.perChunkBytes = static_cast<int64_t>(std::ceil(static_cast<double>(p.estimate.activationElements) *
                                                                  shape.precisionBytes * kCudaActivationOverhead));
    p.budgetBytes = budget(device, info, o);
    const int maxBatch = std::max(1, o.maxBatch);
    if (o.userBatch > 0) {
        p.batch = o.userBatch;
        p.userOverride = true;
        p.reason = "batch " + std::to_string(p.batch) + " set by the user";
    } else if (p.budgetBytes < 0) {
        p.batch = 1;
        p.budgetUnknown = true;
        p.reason = "batch 1: " + device.toString() + " does not report free memory";
    } else {
        const int64_t room = p.budgetBytes - p.estimate.fixedBytes;
        const int64_t fits = p.estimate.perChunkBytes > 0 ? room / p.estimate.perChunkBytes : maxBatch;
        const bool cpu = device.kind == DeviceKind::Cpu;
        const int cap = cpu ? std::clamp(o.cpuMaxBatch, 1, maxBatch) : maxBatch;
        p.batch = static_cast<int>(std::clamp<int64_t>(fits, 1, cap));
        p.reason = "batch " + std::to_string(p.batch) + ": " + formatBytes(p.estimate.perChunkBytes) +
                   " per chunk, budget " + formatBytes(p.budgetBytes) + " on " + device.toString();
        if (fits < 1) p.reason += " (even one chunk exceeds the budget; out-of-memory recovery may move it)";
        else if (cpu && fits > cap)
            p.reason += "; at most " + std::to_string(cap) + " on the CPU, where bigger batches are slower";
    }
    if (device.kind == DeviceKind::Mps) {
        const int mpsMax = maxBatchForMps(p.estimate);
        if (mpsMax < 1) {
            // Even one chunk would make a tensor above Apple's limit: nothing can run there.
            p.batch = 0;
            p.cappedByMpsLimit = true;
            p.reason = "a single chunk exceeds the MPS tensor limit (2^32 bytes / 2^31 elements); run on the CPU";
        } else if (p.batch > mpsMax) {
            p.batch = mpsMax;
            p.cappedByMpsLimit = true;
            p.reason += "; capped at " + std::to_string(mpsMax) + " to keep every tensor under the MPS limit";
        }
    }
    SD_LOG(log::device, Info) << "batch plan: " << p.reason;
    return p;
}

} // namespace stemdeck::device
