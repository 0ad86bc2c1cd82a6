// The one place StemDeck talks to backend-specific LibTorch APIs (CUDA caching allocator, MPS
// hooks, oneDNN/cuDNN switches, thread pools), behind a plain C++ interface. CUDA paths compile
// only when the Torch package has CUDA (STEMDECK_HAVE_CUDA, set by core/device/CMakeLists.txt);
// MPS paths only with LibTorch >= 2 on macOS. Elsewhere they report "unknown" (-1) or no-op.
#pragma once

#include "common/profile_event.h"
#include "device/device_kind.h"

#include <cstdint>
#include <string>
#include <vector>

namespace stemdeck::device {

// What applyBackendTuning set, recorded in the job's profile (seed item 4).
struct BackendSettings {
    DeviceKind kind = DeviceKind::Cpu;
    int intraOpThreads = 0;       // at::get_num_threads() after tuning
    bool mkldnnEnabled = false;   // oneDNN for CPU convolutions
    bool cudnnBenchmark = false;  // cuDNN autotuner (fixed chunk shapes make it pay off)
    std::vector<std::string> notes; // one line per decision, e.g. "intra-op threads 2 -> 4"

    // One ProfileEvent::Kind::Info per note, device = deviceKindName(kind).
    std::vector<ProfileEvent> toProfileEvents() const;
};

// CPU: intra-op threads = physicalCores (LibTorch 1.13 defaults to half the logical count on
// some machines; see cpuIntraOpThreads), oneDNN on. CUDA: cuDNN benchmark on. MPS: nothing to switch (documented in
// docs/devices.md). physicalCores <= 0 means "ask DeviceInfoCache::global()".
BackendSettings applyBackendTuning(DeviceKind kind, int physicalCores = 0);

// The CPU backend's intra-op thread count when none is given: the physical cores, but never more
// than the CPUs this process may run on (allowedCpus: a Slurm or container cpuset, taskset; <= 0
// unknown), and exactly the user's OMP_NUM_THREADS when that is a positive number, so several
// CPU tasks sharing a node (docs/scale-out.md) do not oversubscribe it. At least 1.
int cpuIntraOpThreads(int physicalCores, int allowedCpus, const char* ompNumThreads);

// CPUs in this process's affinity mask (sched_getaffinity); 0 where the platform does not say.
int allowedCpuCount();

// Returns cached allocator blocks to the driver (CUDA emptyCache, MPS emptyCache); no-op on CPU.
// Called on out-of-memory before halving and after each job (seed item 13).
void releaseCachedMemory(DeviceKind kind);

// Waits for queued work on the device, so stage timings are real (seed item 11). CPU: no-op.
void synchronizeDevice(const DeviceId& device);

// Allocator figures from the backend; -1 where it does not tell.
struct BackendMemory {
    int64_t allocated = -1;       // CUDA: bytes in tensors; MPS: current allocated
    int64_t reserved = -1;        // CUDA: bytes held by the caching allocator
    int64_t driverAllocated = -1; // MPS: bytes the Metal driver holds
    int64_t recommendedMax = -1;  // MPS: recommended working-set size
    int64_t free = -1;            // CUDA: cudaMemGetInfo free
    int64_t total = -1;           // CUDA: cudaMemGetInfo total
    int64_t peakAllocated = -1;   // CUDA: high-water mark of allocated since resetPeakMemory
};
BackendMemory backendMemory(const DeviceId& device);

// Caps this process's CUDA caching allocator at fraction x total memory (the lent-GPU OOM test
// uses it to force an out-of-memory). Returns false where CUDA is not compiled in.
bool setCudaMemoryFraction(double fraction, int deviceIndex);

// Starts a new high-water mark for BackendMemory::peakAllocated (CUDA; no-op elsewhere).
void resetPeakMemory(const DeviceId& device);

// Switches for the measured GPU levers (bench/NOTES.md "GPU"); no-ops without CUDA.
// cuDNN's autotuner (on by applyBackendTuning for CUDA): picks the fastest convolution algorithm
// per input shape on first use; our chunk shapes are fixed, so it pays off after one batch.
void setCudnnBenchmark(bool on);
// TensorFloat-32 for float32 convolutions and matrix products (cuDNN: PyTorch's default on;
// matmul: off by default). 10-bit mantissa inputs, float32 accumulation.
void setTf32(bool on);
bool tf32Enabled();

bool cudaCompiledIn();
bool mpsCompiledIn();
std::string torchVersionString();

} // namespace stemdeck::device
