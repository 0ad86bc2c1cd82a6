// How many chunks to run per model call on a device (seed items 8 and 9): a per-chunk memory
// estimate from the network's shape, a budget from the device's free memory, the largest batch
// that fits, a user override, and Apple's single-tensor limits on MPS (2^32 bytes, 2^31
// elements: exceeding them aborts the process, so such a batch is never planned). Plain C++;
// the formula and its calibration data are in docs/devices.md.
#pragma once

#include "device/device_info.h"
#include "device/device_kind.h"

#include <cstdint>
#include <string>

namespace stemdeck::device {

// The numbers of a TFC-TDF v3 config the estimate needs (kept apart from core/model's
// ModelConfig so this layer builds on its own; the engine copies the fields over).
struct ModelShape {
    int64_t chunkSize = 261120; // samples per chunk (inference.chunk_size or audio.chunk_size)
    int channels = 2;           // audio channels
    int stems = 4;              // output instruments
    int nFft = 8192;
    int hop = 1024;
    int dimF = 4096;            // frequency bins kept
    int numChannels = 128;      // model.num_channels (c)
    int growth = 128;           // model.growth (g)
    int numScales = 5;          // model.num_scales (n)
    int numSubbands = 4;        // model.num_subbands (k)
    int bottleneck = 4;         // model.bottleneck_factor (bn)
    int blocksPerScale = 2;     // model.num_blocks_per_scale (l)
    int scaleF = 2;             // model.scale[1]: frequency downscale per level
    int scaleT = 2;             // model.scale[0]: time downscale per level
    int precisionBytes = 4;     // 4 = float32, 2 = fp16/bf16 activations
    int64_t parameterBytes = 0; // weights on the device (0 = unknown, not counted)
};

struct MemoryEstimate {
    int64_t perChunkBytes = 0;          // activation memory one more chunk in the batch costs
    int64_t fixedBytes = 0;             // independent of the batch (weights, windows)
    int64_t largestTensorBytes = 0;     // the biggest single tensor, per chunk
    int64_t largestTensorElements = 0;  // its element count, per chunk
    int64_t activationElements = 0;     // the structural count the formula scales (docs/devices.md)
};

struct PlannerOptions {
    double cudaFraction = 0.8; // of free device memory (the rest: cuDNN workspaces, fragmentation)
    double mpsFraction = 0.8;  // of (recommended working set - allocated)
    double cpuFraction = 0.5;  // of MemAvailable (the song's buffers and other apps live there too)
    int maxBatch = 16;         // more brings nothing once the device is busy
    // On the CPU more chunks per call bring no speed and hold more memory: the bundled model on
    // 2 cores, batch 1 / 2 / 6: 1.37x / 1.41x / 1.11x real time, peak RSS 1.4 / 2.6 / 6.9 GiB
    // (bench/NOTES.md "CPU batch"). The GUI's progress then also moves chunk by chunk instead of
    // once for a whole short file.
    int cpuMaxBatch = 1;
    int userBatch = 0;         // > 0: the user's choice (still capped by the MPS tensor limits)
};

struct BatchPlan {
    int batch = 1;
    int64_t budgetBytes = -1;
    MemoryEstimate estimate;
    bool userOverride = false;
    bool cappedByMpsLimit = false;
    bool budgetUnknown = false;
    std::string reason; // one sentence for the log and the profile
};

// Calibration factor: measured peak bytes per chunk / (activationElements x precision), from
// stemdeck-device-memory-bench on the CPU (docs/devices.md, "Calibration data": 1.3 to 4.8
// over three public layouts at 32 and 64 frames; the layouts whose tensors stay under glibc's
// mmap threshold show heap growth the structural count cannot see). The largest measured
// value, rounded up, so the planner errs towards smaller batches; the runner's out-of-memory
// recovery covers the rest. CUDA and MPS use the same value until measured there.
inline constexpr double kActivationOverhead = 5.0;

// The same factor measured on CUDA (issue #5b; bench/NOTES.md "Devices"): peak allocated bytes
// of `stemdeck-cli bench` at batch 4, 8 and 16 on an H200, slope per chunk / (activationElements
// x precision) = 1.26 to 1.31 for DrumSep 5-stem and musdb18 in fp32/fp16/bf16 (the intercept,
// 0.47 GiB, is the weights). The caching allocator frees temporaries at once and cuDNN keeps its
// workspaces small, so CUDA needs a quarter of the CPU factor. 1.5 = the largest value plus a
// margin for cuDNN workspaces of other layouts and fragmentation. MPS: not measured, uses
// kActivationOverhead.
inline constexpr double kCudaActivationOverhead = 1.5;

// Apple's MPSNDArray limits.
inline constexpr int64_t kMpsMaxTensorBytes = int64_t(1) << 32;
inline constexpr int64_t kMpsMaxTensorElements = int64_t(1) << 31;

class BatchPlanner {
public:
    static MemoryEstimate estimate(const ModelShape& shape);
    // Bytes available for batches on this device; -1 when the backend does not say.
    static int64_t budget(const DeviceId& device, const DeviceInfo& info, const PlannerOptions& options);
    // Largest batch in [1, maxBatch] with fixed + batch x perChunk <= budget (at least 1, the
    // runner's out-of-memory recovery handles the rest), or the user's batch; then the MPS caps.
    static BatchPlan plan(const ModelShape& shape, const DeviceId& device, const DeviceInfo& info,
                          const PlannerOptions& options = {});
    // Largest batch whose biggest tensor stays under Apple's limits (strictly below).
    static int maxBatchForMps(const MemoryEstimate& estimate);
    static bool fitsMpsLimits(int64_t tensorBytes, int64_t tensorElements);
};

} // namespace stemdeck::device
