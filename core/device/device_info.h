// What the machine offers for inference (seed items 3, 19, 23): CPU, CUDA GPUs, MPS and the
// LibTorch build, gathered by a DeviceProbe once and cached by DeviceInfoCache. Plain C++ (no
// LibTorch in this header) so `stemdeck-cli info` and the UI can show it; the real probe that
// asks LibTorch lives in system_probe.h. Byte counts are -1 where the backend does not tell.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stemdeck::device {

struct CpuInfo {
    std::string modelName;   // /proc/cpuinfo "model name"
    int physicalCores = 0;   // distinct (physical id, core id) pairs
    int logicalCores = 0;    // "processor" entries (hardware threads)
    int64_t totalRam = -1;   // MemTotal, bytes
    int64_t availableRam = -1; // MemAvailable, bytes
    bool avx = false;
    bool avx2 = false;
    bool fma = false;
    bool avx512f = false;
    bool isX86 = false; // instruction-set flags only mean something on x86
};

struct CudaDeviceInfo {
    int index = 0;
    std::string name;
    int computeMajor = 0;
    int computeMinor = 0;
    int64_t totalMemory = -1;
    int64_t freeMemory = -1;
};

struct MpsInfo {
    bool built = false;      // this LibTorch was built with MPS (macOS arm64 builds)
    bool available = false;  // and the machine/OS can run it now
    int64_t recommendedMaxMemory = -1; // Metal's recommended working-set size (LibTorch >= 2.5)
    int64_t currentAllocated = -1;     // bytes held by tensors
    int64_t driverAllocated = -1;      // bytes the Metal driver holds for the process
};

struct DeviceInfo {
    std::string torchVersion;  // "1.13.0"
    bool cudaCompiled = false; // LibTorch and StemDeck were built with CUDA
    bool mpsCompiled = false;  // StemDeck was built with the MPS code paths (LibTorch >= 2 on macOS)
    bool cudnnAvailable = false;
    bool mkldnnAvailable = false; // oneDNN in this LibTorch
    std::string osName;        // "Debian GNU/Linux 12 (bookworm)", "macOS 15.1"
    std::string osVersion;     // kernel release on Linux, product version on macOS
    CpuInfo cpu;
    std::vector<CudaDeviceInfo> cuda; // one per visible GPU
    MpsInfo mps;

    bool cudaAvailable() const { return !cuda.empty(); }
    const CudaDeviceInfo* cudaDevice(int index) const;
};

// Human-readable, several lines, for `stemdeck-cli info` and the log.
std::string describe(const DeviceInfo& info);
// The same facts as JSON (`stemdeck-cli info --json`); keys are stable snake_case.
nlohmann::json toJson(const DeviceInfo& info);
// "1.5 GiB", "512 MiB", "unknown" for negative values.
std::string formatBytes(int64_t bytes);

// Parsers for the Linux /proc files, separated from reading them so tests can feed text.
// parseCpuInfo fills modelName, cores and flags; parseMemInfo fills totalRam and availableRam.
void parseCpuInfo(std::string_view cpuinfo, CpuInfo& out);
void parseMemInfo(std::string_view meminfo, CpuInfo& out);
// Reads /proc/cpuinfo and /proc/meminfo (sysctl on macOS); never throws.
CpuInfo readCpuInfo();
// Re-reads only the available RAM (cheap; the batch planner wants a fresh figure).
int64_t readAvailableRam();
// OS name and version, never throws ("unknown" where nothing can be read).
void readOsVersion(std::string& name, std::string& version);

// Where DeviceInfo comes from: the real LibTorch/OS probe (makeSystemProbe) or a fake in tests.
class DeviceProbe {
public:
    virtual ~DeviceProbe() = default;
    virtual DeviceInfo probe() = 0;
};

// A probe that returns fixed facts: for tests and for reproducing a user's machine from their
// `info --json` report.
class FixedDeviceProbe : public DeviceProbe {
public:
    explicit FixedDeviceProbe(DeviceInfo info) : m_info(std::move(info)) {}
    DeviceInfo probe() override {
        ++m_calls;
        return m_info;
    }
    void setInfo(DeviceInfo info) { m_info = std::move(info); }
    int calls() const { return m_calls; }

private:
    DeviceInfo m_info;
    int m_calls = 0;
};

// The real probe (LibTorch + /proc + OS). Defined in system_probe.cpp.
std::shared_ptr<DeviceProbe> makeSystemProbe();

// Probes once, on first use, and hands out the cached copy until refresh() (seed item 23).
// Thread-safe. The process-wide instance uses the system probe; tests make their own.
class DeviceInfoCache {
public:
    explicit DeviceInfoCache(std::shared_ptr<DeviceProbe> probe);
    DeviceInfo info();      // probes on the first call only
    DeviceInfo refresh();   // probes again (e.g. after a GPU was freed) and caches the result
    bool cached() const;
    static DeviceInfoCache& global();

private:
    std::shared_ptr<DeviceProbe> m_probe;
    mutable std::mutex m_mutex;
    std::optional<DeviceInfo> m_info;
};

} // namespace stemdeck::device
