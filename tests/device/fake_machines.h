// Injected machines for the device tests: a CPU-only Linux box, a two-GPU CUDA box, an Apple
// Silicon Mac, with memory figures chosen so the planner's arithmetic is easy to follow.
#pragma once

#include "device/device_info.h"

namespace stemdeck::test {

inline device::DeviceInfo cpuOnlyMachine() {
    device::DeviceInfo info;
    info.torchVersion = "1.13.0";
    info.osName = "Debian GNU/Linux 12 (bookworm)";
    info.osVersion = "6.1.0";
    info.cpu.modelName = "Test CPU";
    info.cpu.physicalCores = 4;
    info.cpu.logicalCores = 8;
    info.cpu.totalRam = int64_t(16) << 30;
    info.cpu.availableRam = int64_t(8) << 30;
    info.cpu.isX86 = info.cpu.avx = info.cpu.avx2 = info.cpu.fma = true;
    return info;
}

inline device::DeviceInfo cudaMachine() {
    device::DeviceInfo info = cpuOnlyMachine();
    info.torchVersion = "2.5.1";
    info.cudaCompiled = true;
    info.cudnnAvailable = true;
    device::CudaDeviceInfo a;
    a.index = 0;
    a.name = "NVIDIA H100 80GB HBM3";
    a.computeMajor = 9;
    a.totalMemory = int64_t(80) << 30;
    a.freeMemory = int64_t(20) << 30;
    device::CudaDeviceInfo b = a;
    b.index = 1;
    b.name = "NVIDIA T4";
    b.computeMajor = 7;
    b.computeMinor = 5;
    b.totalMemory = int64_t(16) << 30;
    b.freeMemory = int64_t(2) << 30;
    info.cuda = {a, b};
    return info;
}

inline device::DeviceInfo macMachine() {
    device::DeviceInfo info;
    info.torchVersion = "2.5.1";
    info.mpsCompiled = true;
    info.osName = "macOS 15.1";
    info.osVersion = "15.1";
    info.cpu.modelName = "Apple M2";
    info.cpu.physicalCores = 8;
    info.cpu.logicalCores = 8;
    info.cpu.totalRam = int64_t(16) << 30;
    info.cpu.availableRam = int64_t(16) << 30;
    info.mps.built = true;
    info.mps.available = true;
    info.mps.recommendedMaxMemory = int64_t(11) << 30;
    info.mps.currentAllocated = int64_t(1) << 30;
    info.mps.driverAllocated = int64_t(2) << 30;
    return info;
}

} // namespace stemdeck::test
