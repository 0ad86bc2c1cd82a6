// Memory figures during a job (seed items 3 and 17): device allocator figures (CUDA allocated /
// reserved, MPS allocated / driver allocated / recommended maximum) and the process's resident
// and peak memory, as ProfileEvent::MemorySample. The backend query is injectable so tests can
// feed figures for devices this machine does not have. Plain C++ header.
#pragma once

#include "common/profile_event.h"
#include "device/backend.h"
#include "device/device_kind.h"

#include <cstdint>
#include <functional>

namespace stemdeck::device {

struct MemorySample {
    DeviceId device;
    BackendMemory backend;  // -1 fields: not reported by this backend
    int64_t processRss = -1; // bytes resident now
    int64_t peakRss = -1;    // bytes, high-water mark of the process

    // ProfileEvent::Kind::MemorySample; deviceAllocated = CUDA allocated or MPS allocated,
    // deviceReserved = CUDA reserved or MPS driver allocated.
    ProfileEvent toEvent(double time, int64_t budget = -1) const;
};

class MemoryMonitor {
public:
    using BackendQuery = std::function<BackendMemory(const DeviceId&)>;
    // Default: the real backend (backend.h).
    explicit MemoryMonitor(BackendQuery query = {});
    MemorySample sample(const DeviceId& device) const;

    // /proc/self/statm (resident pages) on Linux, task_info on macOS; -1 if unreadable.
    static int64_t processRss();
    // getrusage(RUSAGE_SELF).ru_maxrss (KiB on Linux, bytes on macOS), in bytes.
    static int64_t peakRss();

private:
    BackendQuery m_query;
};

} // namespace stemdeck::device
