// Runs a job's chunks through the model in batches and recovers from device trouble (seed items
// 9, 13, 15, 22): out of memory -> release cached memory, halve the batch, rerun the same chunks,
// at batch 1 continue on the CPU; other backend/kernel failures -> retry once, then run that
// batch on the CPU and continue; NaN/Inf output -> Error(NumericalFailure), never consumed.
// Chunks already consumed are never recomputed; every change is a ProfileEvent and a log line.
//
// Division of work with the engine: MakeInput builds host float32 [n, C, T]; the runner makes
// it contiguous float32 and hands it with the target device to Forward, which moves it (e.g.
// through PinnedStaging) and runs STFT + model + iSTFT there; the runner brings the output back
// to host float32 [n, S, C, T] for Consume. After a fallback Forward is called with the CPU
// device, so it must be able to run there too (a CPU copy of the model, made on first use).
#pragma once

#include "common/profile_event.h"
#include "device/device_kind.h"
#include "device/failure_memory.h"

#include <torch/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace stemdeck::device {

struct BatchRunnerOptions {
    int initialBatch = 1;
    DeviceId device;
    bool allowCpuFallback = true;
    // Optional: record kernel failures and CPU fallbacks per (model, device) here.
    FailureMemory* failures = nullptr;
    std::string modelKey;
    // Hand Consume the output where the model left it (float32, any device) instead of host
    // memory, for an accumulator on the device. The NaN/Inf check is then the consumer's job
    // (a check here would synchronise the device every batch).
    bool keepOutputOnDevice = false;
    // Profile times are seconds since this instant (the engine passes the job's start).
    std::chrono::steady_clock::time_point jobStart = std::chrono::steady_clock::now();
};

class BatchRunner {
public:
    using MakeInput = std::function<torch::Tensor(int64_t firstChunk, int64_t count)>; // host float32 [n, C, T], contiguous
    using Forward = std::function<torch::Tensor(const torch::Tensor& input, const torch::Device& device)>; // returns [n, S, C, T] (any device)
    using Consume = std::function<void(int64_t firstChunk, const torch::Tensor& output /*host float32 [n,S,C,T]*/)>;

    BatchRunner(BatchRunnerOptions options, ProfileSink sink = {});

    // Runs chunks [0, chunkCount) in order. Throws stemdeck::Error: Cancelled (checked between
    // batches), OutOfMemory (out of memory at batch 1 with no CPU fallback allowed, or on the
    // CPU itself), BackendFailure (failure that the CPU fallback could not absorb),
    // NumericalFailure (NaN/Inf in an output), InvalidArgument (bad shapes from MakeInput or
    // Forward). Errors carry the translated message and the raw backend text as detail.
    void run(int64_t chunkCount, const MakeInput& makeInput, const Forward& forward, const Consume& consume,
             const std::atomic<bool>* cancel);

    int currentBatch() const { return m_batch; }
    DeviceId currentDevice() const { return m_device; }
    // One line per change of plan, in order ("batch 8 -> 4: CUDA out of memory", ...).
    std::vector<std::string> changes() const { return m_changes; }
    // Batches that ran on the CPU because of a kernel failure on the device.
    int cpuBatchCount() const { return m_cpuBatches; }

private:
    void emit(ProfileEvent event);
    void change(ProfileEvent::Kind kind, int64_t value, const std::string& message);
    double now() const;

    BatchRunnerOptions m_options;
    ProfileSink m_sink;
    int m_batch;
    DeviceId m_device;
    std::vector<std::string> m_changes;
    int m_cpuBatches = 0;
    bool m_hadKernelFailure = false;
};

} // namespace stemdeck::device
