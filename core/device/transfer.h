// Host <-> device transfers (seed items 12, 21, 25): inputs are made contiguous float32 before
// they move (MPS needs it and copies are faster); CUDA uploads go through a reused pinned host
// buffer with non-blocking copies; on the CPU and on unified memory (MPS) no staging copy is made.
// Also the guard that keeps tensors above Apple's limits from ever reaching MPS.
#pragma once

#include "device/device_kind.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <functional>
#include <memory>

namespace stemdeck::device {

// Contiguous and float32 (float64 would fail on MPS, troubleshooting row 4). Returns the tensor
// itself when it already is both (no copy).
at::Tensor prepareForTransfer(const at::Tensor& tensor);

// Throws stemdeck::Error(InvalidArgument) when `tensor` (about to go to MPS) is at or above
// 2^32 bytes or 2^31 elements, limits that abort the process inside Metal instead of throwing.
void checkMpsTensorLimits(const at::Tensor& tensor);

// Reused pinned host buffer for CUDA uploads. For CPU and MPS targets upload() only prepares
// the tensor (contiguous float32) and moves it, without a staging copy.
class PinnedStaging {
public:
    explicit PinnedStaging(c10::Device target);
    // Host tensor -> tensor on the target device. On CUDA: copied into one of two pinned
    // buffers (grown when needed, reused otherwise), then copied to the GPU with
    // non_blocking=true. Buffers alternate and each waits only for its own previous copy (an
    // event), so staging batch i+1 overlaps the model's work on batch i instead of waiting for it.
    at::Tensor upload(const at::Tensor& host);
    // The staging buffer itself (undefined until the first CUDA upload); for tests and stats.
    const at::Tensor& buffer() const { return m_pinned; }
    int64_t reuseCount() const { return m_reuses; }
    int64_t allocationCount() const { return m_allocations; }
    bool usesPinnedMemory() const;

private:
    c10::Device m_target;
    at::Tensor m_pinned;      // the buffer used last
    at::Tensor m_buffers[2];
    int m_next = 0;
    int64_t m_reuses = 0;
    int64_t m_allocations = 0;
    struct Events;
    std::shared_ptr<Events> m_events; // CUDA events per buffer (opaque here)
};

// A host tensor in page-locked memory where CUDA is compiled in and a GPU is present (copies
// from the GPU into it run asynchronously), ordinary memory otherwise.
at::Tensor pinnedHostTensor(at::IntArrayRef sizes);

// Device -> host copies on a side stream, so they overlap the model's next batch (issue #9
// lever "pinned memory and copies on a side stream"). copy() orders the copy after the work
// already queued on the current stream (an event), never blocks the host; then() runs host work
// on a helper thread once the copies issued before it have landed (moving a landed region out of
// pinned memory while the GPU computes the next batches); wait() blocks until every copy and
// every then() issued so far is done and rethrows the first exception a then() threw.
// CPU/MPS or without CUDA: copy() is a plain copy_ and then() runs its work at once (an
// exception it throws comes out of then()).
class AsyncDownload {
public:
    explicit AsyncDownload(c10::Device source);
    ~AsyncDownload();
    AsyncDownload(const AsyncDownload&) = delete;
    AsyncDownload& operator=(const AsyncDownload&) = delete;
    // dst: host tensor (pinned for a real overlap), same shape as src.
    void copy(at::Tensor dst, const at::Tensor& src);
    void then(std::function<void()> hostWork);
    void wait();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace stemdeck::device
