#include "device/memory_monitor.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

#if defined(__APPLE__)
#include <mach/mach.h>
#endif

namespace stemdeck::device {

ProfileEvent MemorySample::toEvent(double time, int64_t budget) const {
    ProfileEvent e;
    e.kind = ProfileEvent::Kind::MemorySample;
    e.time = time;
    e.device = device.toString();
    if (device.kind == DeviceKind::Mps) {
        e.deviceAllocated = backend.allocated;
        e.deviceReserved = backend.driverAllocated;
    } else {
        e.deviceAllocated = backend.allocated;
        e.deviceReserved = backend.reserved;
    }
    e.processRss = processRss;
    e.value = peakRss;
    e.budget = budget;
    e.message = "peak RSS in value";
    return e;
}

MemoryMonitor::MemoryMonitor(BackendQuery query) : m_query(std::move(query)) {
    if (!m_query) m_query = [](const DeviceId& d) { return backendMemory(d); };
}

MemorySample MemoryMonitor::sample(const DeviceId& device) const {
    MemorySample s;
    s.device = device;
    if (device.kind != DeviceKind::Cpu) s.backend = m_query(device);
    s.processRss = processRss();
    s.peakRss = peakRss();
    return s;
}

int64_t MemoryMonitor::processRss() {
#if defined(__APPLE__)
    mach_task_basic_info info{};
    mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
    if (task_info(mach_task_self(), MACH_TASK_BASIC_INFO, reinterpret_cast<task_info_t>(&info), &count) == KERN_SUCCESS)
        return static_cast<int64_t>(info.resident_size);
    return -1;
#else
    FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return -1;
    long long size = 0, resident = 0;
    const int n = std::fscanf(f, "%lld %lld", &size, &resident);
    std::fclose(f);
    if (n != 2) return -1;
    return static_cast<int64_t>(resident) * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
#endif
}

int64_t MemoryMonitor::peakRss() {
    rusage u{};
    if (getrusage(RUSAGE_SELF, &u) != 0) return -1;
#if defined(__APPLE__)
    return static_cast<int64_t>(u.ru_maxrss);
#else
    return static_cast<int64_t>(u.ru_maxrss) * 1024;
#endif
}

} // namespace stemdeck::device
