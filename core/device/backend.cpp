// Backend calls, guarded so this file builds against Debian's CPU-only LibTorch 1.13 and a CUDA
// (or macOS MPS) LibTorch 2.x. Only light ATen/c10 headers: this is one of the few LibTorch
// translation units of the layer.
#include "device/backend.h"

#include <algorithm>
#include <cstdlib>
#if defined(__linux__)
#include <sched.h>
#endif

#include "common/log.h"
#include "device/device_info.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

#if defined(STEMDECK_HAVE_CUDA)
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#include <cuda_runtime_api.h>
#endif

#if defined(__APPLE__) && TORCH_VERSION_MAJOR >= 2 && __has_include(<ATen/detail/MPSHooksInterface.h>)
#include <ATen/detail/MPSHooksInterface.h>
#define STEMDECK_HAVE_MPS_HOOKS 1
#endif

#include <exception>

namespace stemdeck::device {

std::vector<ProfileEvent> BackendSettings::toProfileEvents() const {
    std::vector<ProfileEvent> events;
    for (const auto& note : notes) {
        ProfileEvent e;
        e.kind = ProfileEvent::Kind::Info;
        e.device = deviceKindName(kind);
        e.message = note;
        e.value = intraOpThreads;
        events.push_back(std::move(e));
    }
    return events;
}

int cpuIntraOpThreads(int physicalCores, int allowedCpus, const char* ompNumThreads) {
    if (ompNumThreads && *ompNumThreads) {
        char* end = nullptr;
        const long n = std::strtol(ompNumThreads, &end, 10);
        if (end && *end == '\0' && n > 0 && n <= 4096) return static_cast<int>(n);
    }
    int n = physicalCores;
    if (allowedCpus > 0 && (n <= 0 || allowedCpus < n)) n = allowedCpus;
    return std::max(1, n);
}

int allowedCpuCount() {
#if defined(__linux__)
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) return CPU_COUNT(&set);
#endif
    return 0;
}

BackendSettings applyBackendTuning(DeviceKind kind, int physicalCores) {
    BackendSettings s;
    s.kind = kind;
    auto& ctx = at::globalContext();
    if (kind == DeviceKind::Cpu) {
        std::string why = "physical cores";
        if (physicalCores <= 0) {
            const int physical = DeviceInfoCache::global().info().cpu.physicalCores;
            const int allowed = allowedCpuCount();
            const char* omp = std::getenv("OMP_NUM_THREADS");
            physicalCores = cpuIntraOpThreads(physical, allowed, omp);
            if (omp && *omp && physicalCores != cpuIntraOpThreads(physical, allowed, nullptr))
                why = "OMP_NUM_THREADS";
            else if (allowed > 0 && allowed < physical)
                why = "CPUs this process may use";
        }
        const int before = at::get_num_threads();
        if (physicalCores > 0 && before != physicalCores) at::set_num_threads(physicalCores);
        s.intraOpThreads = at::get_num_threads();
        s.notes.push_back("intra-op threads " + std::to_string(before) + " -> " +
                          std::to_string(s.intraOpThreads) + " (" + why + ")");
        if (at::hasMKLDNN()) {
            ctx.setUserEnabledMkldnn(true);
            s.mkldnnEnabled = ctx.userEnabledMkldnn();
            s.notes.push_back(std::string("oneDNN ") + (s.mkldnnEnabled ? "on" : "off"));
        } else {
            s.notes.push_back("oneDNN not built into this LibTorch");
        }
    } else if (kind == DeviceKind::Cuda) {
        s.intraOpThreads = at::get_num_threads();
        ctx.setBenchmarkCuDNN(true);
        s.cudnnBenchmark = ctx.benchmarkCuDNN();
        s.notes.push_back(std::string("cuDNN benchmark ") + (s.cudnnBenchmark ? "on" : "off"));
    } else {
        s.intraOpThreads = at::get_num_threads();
        s.notes.push_back("MPS: no backend switches to tune (Metal picks kernels itself)");
    }
    for (const auto& n : s.notes) SD_LOG(log::device, Info) << "tuning: " << n;
    return s;
}

void releaseCachedMemory(DeviceKind kind) {
    try {
        if (kind == DeviceKind::Cuda) {
#if defined(STEMDECK_HAVE_CUDA)
            c10::cuda::CUDACachingAllocator::emptyCache();
#endif
        } else if (kind == DeviceKind::Mps) {
#if defined(STEMDECK_HAVE_MPS_HOOKS)
            at::detail::getMPSHooks().emptyCache();
#endif
        }
    } catch (const std::exception& e) {
        SD_LOG(log::device, Warning) << "releasing cached memory failed: " << e.what();
    }
}

void synchronizeDevice(const DeviceId& device) {
    if (device.kind == DeviceKind::Cuda) {
        if (torch::cuda::is_available()) torch::cuda::synchronize(device.index);
    } else if (device.kind == DeviceKind::Mps) {
#if defined(STEMDECK_HAVE_MPS_HOOKS)
        at::detail::getMPSHooks().deviceSynchronize();
#endif
    }
}

BackendMemory backendMemory(const DeviceId& device) {
    BackendMemory m;
    try {
        if (device.kind == DeviceKind::Cuda) {
#if defined(STEMDECK_HAVE_CUDA)
            if (torch::cuda::is_available()) {
                const auto idx = static_cast<c10::DeviceIndex>(device.index);
                {
                    c10::cuda::CUDAGuard guard(idx);
                    size_t freeBytes = 0, totalBytes = 0;
                    if (cudaMemGetInfo(&freeBytes, &totalBytes) == cudaSuccess) {
                        m.free = static_cast<int64_t>(freeBytes);
                        m.total = static_cast<int64_t>(totalBytes);
                    }
                }
                try {
                    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(idx);
                    // Index 0 is StatType::AGGREGATE in every LibTorch version (the enum moved
                    // namespaces between releases, the layout did not).
                    m.allocated = stats.allocated_bytes[0].current;
                    m.reserved = stats.reserved_bytes[0].current;
                    m.peakAllocated = stats.allocated_bytes[0].peak;
                } catch (const std::exception&) {
                    // The caching allocator starts with the first CUDA tensor; before that it
                    // refuses queries ("Invalid device argument") and holds nothing.
                    m.allocated = 0;
                    m.reserved = 0;
                }
            }
#endif
        } else if (device.kind == DeviceKind::Mps) {
#if defined(STEMDECK_HAVE_MPS_HOOKS)
            const auto& hooks = at::detail::getMPSHooks();
            m.allocated = static_cast<int64_t>(hooks.getCurrentAllocatedMemory());
            m.driverAllocated = static_cast<int64_t>(hooks.getDriverAllocatedMemory());
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 5)
            m.recommendedMax = static_cast<int64_t>(hooks.getRecommendedMaxMemory());
#endif
#endif
        }
    } catch (const std::exception& e) {
        SD_LOG(log::device, Warning) << "memory query on " << device.toString() << " failed: " << e.what();
    }
    return m;
}

bool setCudaMemoryFraction(double fraction, int deviceIndex) {
#if defined(STEMDECK_HAVE_CUDA)
    if (!torch::cuda::is_available()) return false;
    c10::cuda::CUDACachingAllocator::setMemoryFraction(fraction, static_cast<c10::DeviceIndex>(deviceIndex));
    return true;
#else
    (void)fraction;
    (void)deviceIndex;
    return false;
#endif
}

void resetPeakMemory(const DeviceId& device) {
#if defined(STEMDECK_HAVE_CUDA)
    if (device.kind != DeviceKind::Cuda || !torch::cuda::is_available()) return;
    try {
        c10::cuda::CUDACachingAllocator::resetPeakStats(static_cast<c10::DeviceIndex>(device.index));
    } catch (const std::exception& e) {
        SD_LOG(log::device, Info) << "peak memory reset on " << device.toString() << ": " << e.what();
    }
#else
    (void)device;
#endif
}

void setCudnnBenchmark(bool on) { at::globalContext().setBenchmarkCuDNN(on); }

void setTf32(bool on) {
    at::globalContext().setAllowTF32CuDNN(on);
    at::globalContext().setAllowTF32CuBLAS(on);
}

bool tf32Enabled() { return at::globalContext().allowTF32CuDNN() && at::globalContext().allowTF32CuBLAS(); }

bool cudaCompiledIn() {
#if defined(STEMDECK_HAVE_CUDA)
    return true;
#else
    return false;
#endif
}

bool mpsCompiledIn() {
#if defined(STEMDECK_HAVE_MPS_HOOKS)
    return true;
#else
    return false;
#endif
}

std::string torchVersionString() {
    return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
           std::to_string(TORCH_VERSION_PATCH);
}

namespace {

class SystemProbe : public DeviceProbe {
public:
    DeviceInfo probe() override {
        DeviceInfo info;
        info.torchVersion = torchVersionString();
        info.cudaCompiled = cudaCompiledIn();
        info.mpsCompiled = mpsCompiledIn();
        info.mkldnnAvailable = at::hasMKLDNN();
        readOsVersion(info.osName, info.osVersion);
        info.cpu = readCpuInfo();
        try {
            if (torch::cuda::is_available()) {
                info.cudnnAvailable = torch::cuda::cudnn_is_available();
                const auto count = static_cast<int>(torch::cuda::device_count());
                for (int i = 0; i < count; ++i) {
                    CudaDeviceInfo d;
                    d.index = i;
#if defined(STEMDECK_HAVE_CUDA)
                    const cudaDeviceProp* p = at::cuda::getDeviceProperties(static_cast<c10::DeviceIndex>(i));
                    d.name = p->name;
                    d.computeMajor = p->major;
                    d.computeMinor = p->minor;
                    d.totalMemory = static_cast<int64_t>(p->totalGlobalMem);
                    d.freeMemory = backendMemory(DeviceId::cuda(i)).free;
#else
                    d.name = "CUDA device";
#endif
                    info.cuda.push_back(std::move(d));
                }
            }
        } catch (const std::exception& e) {
            SD_LOG(log::device, Warning) << "CUDA probe failed: " << e.what();
            info.cuda.clear();
        }
#if defined(__APPLE__)
        info.mps.built = true;
#endif
        try {
            info.mps.available = info.mps.built && at::globalContext().hasMPS();
        } catch (const std::exception&) {
            info.mps.available = false;
        }
        if (info.mps.available) {
            const BackendMemory m = backendMemory(DeviceId::mps());
            info.mps.currentAllocated = m.allocated;
            info.mps.driverAllocated = m.driverAllocated;
            info.mps.recommendedMaxMemory = m.recommendedMax;
        }
        return info;
    }
};

} // namespace

std::shared_ptr<DeviceProbe> makeSystemProbe() { return std::make_shared<SystemProbe>(); }

} // namespace stemdeck::device
