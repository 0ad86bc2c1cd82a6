// Separator: a loaded MDX23C model on a device, and the chunked separation of audio at the
// model's rate (ARCHITECTURE.md "Overlap-add semantics"): chunk plan, batches of chunks in one
// model call, float32 host accumulators, warm-up timed apart, profiling events at stage
// boundaries, NaN/Inf detection. Plain C++ header (pimpl): LibTorch stays in separator.cpp.
#pragma once

#include "audio/audio_buffer.h"
#include "common/profile_event.h"
#include "device/device_kind.h"
#include "device/failure_memory.h"
#include "engine/job_spec.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stemdeck::engine {

class ProfileRecorder;

// Speed levers (issue #9; measured in bench/NOTES.md "GPU", where each one's effect is written
// down). Defaults are the measured best; the others exist so `stemdeck-cli bench` can measure
// before/after on the same card.
struct PerformanceOptions {
    std::optional<bool> cudnnBenchmark; // nullopt: on for CUDA (applyBackendTuning)
    std::optional<bool> tf32;           // nullopt: LibTorch's default (cuDNN TF32 on, matmul off)
    // TF32 for the matrix products alone (cuBLAS: the TDF layers), after `tf32`. nullopt: as `tf32`
    // where that is set, else on for CUDA (measured, bench/NOTES.md "GPU"), else left as it is.
    std::optional<bool> tf32Matmul;
    // Activations channels-last (NHWC) through the network, convolution weights too, each TDF
    // Linear a batched product over that layout (model::NetRuntime::channelsLast). nullopt: the
    // measured default (kChannelsLastOnCuda in separator.cpp; off on other devices).
    std::optional<bool> channelsLast;
    // The TDF residual added by the TDF's second matrix product (beta = 1, in place) instead of
    // a separate add. nullopt: the measured default (kTdfResidualProductOnCuda; off elsewhere).
    std::optional<bool> tdfResidualInProduct;
    bool cudaGraphs = false;            // capture the forward of the full batch shape, replay it
    // Overlap-add into a sliding accumulator on the model's device; finished regions are
    // divided by the summed weights there and copied back on a side stream into pinned host
    // memory (whole-buffer separate() only). Off: host float32 accumulators (dsp layer).
    // nullopt: on for CUDA (2.8x on DrumSep fp16, bench/NOTES.md), off elsewhere.
    std::optional<bool> deviceOverlapAdd;
    // Inputs through two alternating pinned buffers, non-blocking. nullopt: on for CUDA.
    std::optional<bool> pinnedUpload;
    // With device overlap-add: the mix goes to the device once and each batch's chunks are cut
    // there (no per-batch extraction and upload on the host). nullopt: as deviceOverlapAdd.
    std::optional<bool> deviceChunks;
    // With device overlap-add: each finished region is moved from pinned memory into the stems'
    // buffers by a helper thread as soon as it lands, while the model runs on; off: one copy of
    // every stem after the last batch. nullopt: as deviceOverlapAdd.
    std::optional<bool> streamedStems;
    // InstanceNorm + GELU pairs as one CUDA kernel (core/model/cuda, built only where CMake finds
    // CUDA). nullopt: on for CUDA where the kernel was built (bench/NOTES.md "GPU").
    std::optional<bool> fusedNormActivation;
};

struct SeparatorOptions {
    std::filesystem::path configPath;
    std::filesystem::path checkpointPath;
    // Benchmarks: build the network the config describes with random weights (seeded, so two
    // separators with the same seed hold the same weights); checkpointPath is not read.
    bool randomWeights = false;
    uint64_t seed = 0;
    PerformanceOptions performance;
    std::optional<device::DeviceId> device; // nullopt: automatic
    std::optional<device::Precision> precision; // nullopt: the device's default
    int overlap = 0;   // 0: the config's inference.num_overlap
    // Soft masks after the network (model::NetRuntime::softMaskPower). nullopt: the config's
    // inference.soft_mask_power; 0: off; otherwise in (0, model::kMaxSoftMaskPower].
    std::optional<double> softMaskPower;
    // The multichannel Wiener filter after the soft masks (model::multichannelWiener). nullopt:
    // the config's inference.multichannel_wiener; true needs a stereo model of two stems or more.
    std::optional<bool> multichannelWiener;
    // Test-time augmentation (model::NetRuntime::testTimeAugmentation): the network also hears
    // each chunk with its channels swapped and its polarity inverted, and the estimates are
    // averaged. About 3x the network's time; off unless asked for.
    bool testTimeAugmentation = false;
    int batchSize = 0; // > 0: fixed; 0: the config's inference.batch_size; < 0: BatchPlanner
    bool allowCpuFallback = true;
    // Synchronise the device at stage boundaries so stage times are real (costs a little).
    bool profile = false;
    // Warm-up pass with the planned batch shape before the real work, timed apart. Default:
    // on accelerators always (kernels are compiled/tuned on first use), on the CPU only when
    // profiling (there it is just a wasted batch).
    std::optional<bool> warmup;
    // Devices this model (its checkpoint path) failed on earlier in this process: automatic
    // selection passes them over, and a request for one of them runs on the CPU, with a note
    // saying why (seed item 22). runJob fills it from deviceFailures().
    device::FailureMemory failures;
};

// What the separations of this process met, per (checkpoint, device): a kernel that failed
// again after its retry, NaN or Inf in the output, out of memory at batch 1. The next job with
// that model starts on the CPU, until the program restarts or forgetDeviceFailures() is called.
// Thread-safe; a copy.
device::FailureMemory deviceFailures();
void recordDeviceFailures(const device::FailureMemory& failures); // separations call it
void forgetDeviceFailures();

struct SeparationCallbacks {
    // After every batch: chunks done of chunkCount, ETA in seconds (< 0 until measurable).
    std::function<void(int64_t done, int64_t chunkCount, double etaSeconds)> progress;
    // Where profiling events go (with times on its clock); null: a private recorder.
    ProfileRecorder* recorder = nullptr;
};

class Separator {
public:
    // Loads config and weights and moves the model to the device. Throws stemdeck::Error
    // (InvalidConfig, InvalidCheckpoint, WeightMismatch, DeviceUnavailable, ...).
    explicit Separator(const SeparatorOptions& options, ProfileRecorder* recorder = nullptr);
    ~Separator();
    Separator(const Separator&) = delete;
    Separator& operator=(const Separator&) = delete;

    const std::vector<std::string>& stems() const;
    int sampleRate() const;
    int channels() const;
    int64_t chunkSize() const;
    double chunkSeconds() const;
    int overlap() const;
    bool mixtureConsistency() const; // the config's inference.mixture_consistency
    double softMaskPower() const;    // the soft-mask power in use (0: off)
    bool multichannelWiener() const; // whether the multichannel Wiener filter is in use
    int wienerPasses() const;        // its passes per chunk (inference.wiener_iterations; 0: off)
    bool testTimeAugmentation() const; // whether the network runs the augmented passes too
    int networkPasses() const;         // network passes per chunk (model::TfcTdfNetImpl::networkPasses)
    int batchSize() const; // the batch size in use (may shrink after out-of-memory)
    device::DeviceId device() const;
    device::Precision precision() const;
    // Things the user should know about the setup (precision not available, device fallback).
    const std::vector<std::string>& notes() const;

    // mix: at sampleRate(), channels() channels. Returns one buffer per stem, same length.
    // Throws Error(Cancelled) when cancel becomes true (checked between batches),
    // Error(NumericalFailure) when a batch output holds NaN/Inf (message offers the CPU).
    std::vector<audio::AudioBuffer> separate(const audio::AudioBuffer& mix, const SeparationCallbacks& callbacks,
                                             const std::atomic<bool>* cancel = nullptr);

    // Streaming: the input is read through `input` (planar window covering the frames
    // [first, last] of the mix; the callee sets *windowStart and *windowFrames and returns the
    // data, valid until the next call), finished output regions go to `output` as planar
    // [stems][channels][n] float32, in order. Frames requested never go backwards by more than
    // one batch of chunks (a batch rerun
    // after out-of-memory), so a reader can keep a sliding window. Memory stays O(chunk x batch).
    // Times the model's forward pass alone on a batch of zeros of the planned batch shape
    // (after one untimed call): seconds per call, device synchronised. For `stemdeck-cli bench`.
    double timeForward(int repeats);
    // Things the speed levers did or could not do ("CUDA graphs: captured batch 8", ...).
    const std::vector<std::string>& performanceNotes() const;

    using InputWindow = std::function<const float*(int64_t first, int64_t last, int64_t* windowStart, int64_t* windowFrames)>;
    using RegionSink = std::function<void(const std::vector<float>& planar, int64_t frames)>;
    void separateStreaming(int64_t frames, const InputWindow& input, const RegionSink& output,
                           const SeparationCallbacks& callbacks, const std::atomic<bool>* cancel = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace stemdeck::engine
