#include "device/device_info.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#if defined(__APPLE__)
#include <sys/sysctl.h>
#include <sys/types.h>
#endif
#include <sys/utsname.h>

namespace stemdeck::device {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// Splits "key\t: value" lines; calls fn(key, value) for each.
template <typename Fn> void forEachField(std::string_view text, Fn fn) {
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) {
            fn(std::string_view{}, std::string_view{}); // blank line: record separator
            continue;
        }
        fn(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    }
}

std::string readFile(const char* path) {
    std::ifstream in(path);
    if (!in) return {};
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

int64_t parseKb(std::string_view value) {
    // "16318548 kB"
    int64_t n = 0;
    bool any = false;
    for (char c : value) {
        if (c < '0' || c > '9') break;
        n = n * 10 + (c - '0');
        any = true;
    }
    return any ? n * 1024 : -1;
}

} // namespace

const CudaDeviceInfo* DeviceInfo::cudaDevice(int index) const {
    for (const auto& d : cuda)
        if (d.index == index) return &d;
    return nullptr;
}

void parseCpuInfo(std::string_view cpuinfo, CpuInfo& out) {
    int logical = 0;
    std::set<std::pair<std::string, std::string>> cores;
    std::string physicalId, coreId;
    int coresPerPackage = 0;
    std::set<std::string> packages;
    bool flagsSeen = false;
    auto endRecord = [&] {
        if (!coreId.empty()) cores.insert({physicalId, coreId});
        if (!physicalId.empty()) packages.insert(physicalId);
        physicalId.clear();
        coreId.clear();
    };
    forEachField(cpuinfo, [&](std::string_view key, std::string_view value) {
        if (key.empty()) {
            endRecord();
        } else if (key == "processor") {
            endRecord();
            ++logical;
        } else if (key == "model name" && out.modelName.empty()) {
            out.modelName = std::string(value);
        } else if (key == "physical id") {
            physicalId = std::string(value);
        } else if (key == "core id") {
            coreId = std::string(value);
        } else if (key == "cpu cores" && coresPerPackage == 0) {
            coresPerPackage = std::atoi(std::string(value).c_str());
        } else if (key == "flags" && !flagsSeen) {
            flagsSeen = true;
            out.isX86 = true;
            std::istringstream words{std::string(value)};
            std::string w;
            while (words >> w) {
                if (w == "avx") out.avx = true;
                else if (w == "avx2") out.avx2 = true;
                else if (w == "fma") out.fma = true;
                else if (w == "avx512f") out.avx512f = true;
            }
        }
    });
    endRecord();
    out.logicalCores = logical;
    if (!cores.empty())
        out.physicalCores = static_cast<int>(cores.size());
    else if (coresPerPackage > 0)
        out.physicalCores = coresPerPackage * std::max<int>(1, static_cast<int>(packages.size()));
    else
        out.physicalCores = logical; // VMs without topology lines: count each thread as a core
}

void parseMemInfo(std::string_view meminfo, CpuInfo& out) {
    forEachField(meminfo, [&](std::string_view key, std::string_view value) {
        if (key == "MemTotal") out.totalRam = parseKb(value);
        else if (key == "MemAvailable") out.availableRam = parseKb(value);
    });
}

int64_t readAvailableRam() {
#if defined(__APPLE__)
    // No MemAvailable on macOS; unified memory is shared with the GPU, the MPS budget comes
    // from Metal instead. Report physical memory as the upper bound.
    int64_t mem = 0;
    size_t len = sizeof(mem);
    if (sysctlbyname("hw.memsize", &mem, &len, nullptr, 0) == 0) return mem;
    return -1;
#else
    CpuInfo c;
    parseMemInfo(readFile("/proc/meminfo"), c);
    return c.availableRam;
#endif
}

CpuInfo readCpuInfo() {
    CpuInfo c;
#if defined(__APPLE__)
    char brand[256] = {};
    size_t len = sizeof(brand);
    if (sysctlbyname("machdep.cpu.brand_string", brand, &len, nullptr, 0) == 0) c.modelName = brand;
    int n = 0;
    len = sizeof(n);
    if (sysctlbyname("hw.physicalcpu", &n, &len, nullptr, 0) == 0) c.physicalCores = n;
    len = sizeof(n);
    if (sysctlbyname("hw.logicalcpu", &n, &len, nullptr, 0) == 0) c.logicalCores = n;
    c.totalRam = c.availableRam = readAvailableRam();
#else
    parseCpuInfo(readFile("/proc/cpuinfo"), c);
    parseMemInfo(readFile("/proc/meminfo"), c);
#endif
    if (c.logicalCores <= 0) c.logicalCores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (c.physicalCores <= 0) c.physicalCores = c.logicalCores;
    if (c.modelName.empty()) c.modelName = "unknown CPU";
    return c;
}

void readOsVersion(std::string& name, std::string& version) {
    name = "unknown";
    version = "unknown";
#if defined(__APPLE__)
    char buf[64] = {};
    size_t len = sizeof(buf);
    if (sysctlbyname("kern.osproductversion", buf, &len, nullptr, 0) == 0) {
        version = buf;
        name = "macOS " + version;
    }
#else
    const std::string osRelease = readFile("/etc/os-release");
    std::istringstream lines(osRelease);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("PRETTY_NAME=", 0) == 0) {
            std::string v = line.substr(12);
            if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
            name = v;
        }
    }
    utsname u{};
    if (uname(&u) == 0) {
        version = u.release;
        if (name == "unknown") name = u.sysname;
    }
#endif
}

std::string formatBytes(int64_t bytes) {
    if (bytes < 0) return "unknown";
    char buf[64];
    const double b = static_cast<double>(bytes);
    if (b >= 1024.0 * 1024 * 1024) std::snprintf(buf, sizeof buf, "%.2f GiB", b / (1024.0 * 1024 * 1024));
    else if (b >= 1024.0 * 1024) std::snprintf(buf, sizeof buf, "%.1f MiB", b / (1024.0 * 1024));
    else if (b >= 1024.0) std::snprintf(buf, sizeof buf, "%.1f KiB", b / 1024.0);
    else std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(bytes));
    return buf;
}

std::string describe(const DeviceInfo& info) {
    std::ostringstream s;
    s << "LibTorch " << info.torchVersion << " (CUDA " << (info.cudaCompiled ? "built in" : "not built in")
      << ", MPS " << (info.mpsCompiled ? "built in" : "not built in")
      << ", oneDNN " << (info.mkldnnAvailable ? "yes" : "no") << ")\n";
    s << "OS: " << info.osName << " (" << info.osVersion << ")\n";
    const CpuInfo& c = info.cpu;
    s << "CPU: " << c.modelName << ", " << c.physicalCores << " physical / " << c.logicalCores
      << " logical cores, RAM " << formatBytes(c.availableRam) << " available of "
      << formatBytes(c.totalRam) << "\n";
    if (c.isX86) {
        s << "  instruction sets: AVX " << (c.avx ? "yes" : "no") << ", AVX2 " << (c.avx2 ? "yes" : "no")
          << ", FMA " << (c.fma ? "yes" : "no") << ", AVX-512 " << (c.avx512f ? "yes" : "no") << "\n";
    }
    if (info.cuda.empty()) {
        s << "CUDA: " << (info.cudaCompiled ? "no GPU visible" : "not available in this build") << "\n";
    } else {
        for (const auto& d : info.cuda) {
            s << "CUDA " << d.index << ": " << d.name << ", compute " << d.computeMajor << "." << d.computeMinor
              << ", " << formatBytes(d.freeMemory) << " free of " << formatBytes(d.totalMemory)
              << (info.cudnnAvailable ? ", cuDNN" : "") << "\n";
        }
    }
    if (info.mps.available) {
        s << "MPS: available, recommended working set " << formatBytes(info.mps.recommendedMaxMemory)
          << ", allocated " << formatBytes(info.mps.currentAllocated) << "\n";
    } else {
        s << "MPS: " << (info.mps.built ? "built but not available on this machine" : "not available") << "\n";
    }
    return s.str();
}

nlohmann::json toJson(const DeviceInfo& info) {
    nlohmann::json cuda = nlohmann::json::array();
    for (const auto& d : info.cuda) {
        cuda.push_back({{"index", d.index},
                        {"name", d.name},
                        {"compute_capability", std::to_string(d.computeMajor) + "." + std::to_string(d.computeMinor)},
                        {"total_memory", d.totalMemory},
                        {"free_memory", d.freeMemory}});
    }
    const CpuInfo& c = info.cpu;
    return {
        {"torch_version", info.torchVersion},
        {"cuda_compiled", info.cudaCompiled},
        {"mps_compiled", info.mpsCompiled},
        {"cudnn_available", info.cudnnAvailable},
        {"mkldnn_available", info.mkldnnAvailable},
        {"os", {{"name", info.osName}, {"version", info.osVersion}}},
        {"cpu",
         {{"model_name", c.modelName},
          {"physical_cores", c.physicalCores},
          {"logical_cores", c.logicalCores},
          {"total_ram", c.totalRam},
          {"available_ram", c.availableRam},
          {"flags", {{"x86", c.isX86}, {"avx", c.avx}, {"avx2", c.avx2}, {"fma", c.fma}, {"avx512f", c.avx512f}}}}},
        {"cuda", cuda},
        {"mps",
         {{"built", info.mps.built},
          {"available", info.mps.available},
          {"recommended_max_memory", info.mps.recommendedMaxMemory},
          {"current_allocated", info.mps.currentAllocated},
          {"driver_allocated", info.mps.driverAllocated}}},
    };
}

DeviceInfoCache::DeviceInfoCache(std::shared_ptr<DeviceProbe> probe) : m_probe(std::move(probe)) {}

DeviceInfo DeviceInfoCache::info() {
    std::lock_guard lock(m_mutex);
    if (!m_info) m_info = m_probe->probe();
    return *m_info;
}

DeviceInfo DeviceInfoCache::refresh() {
    DeviceInfo fresh = m_probe->probe();
    std::lock_guard lock(m_mutex);
    m_info = fresh;
    return fresh;
}

bool DeviceInfoCache::cached() const {
    std::lock_guard lock(m_mutex);
    return m_info.has_value();
}

DeviceInfoCache& DeviceInfoCache::global() {
    static DeviceInfoCache cache(makeSystemProbe());
    return cache;
}

} // namespace stemdeck::device
