// DeviceId <-> torch::Device for the LibTorch layers (engine, device). Comparisons inside the
// engine are by type (`device.is_mps()`), never by string (seed item 6).
#pragma once

#include "device/device_kind.h"

#include <c10/core/Device.h>

namespace stemdeck::device {

inline c10::Device toTorchDevice(const DeviceId& id) {
    switch (id.kind) {
    case DeviceKind::Cuda: return c10::Device(c10::DeviceType::CUDA, static_cast<c10::DeviceIndex>(id.index));
    case DeviceKind::Mps: return c10::Device(c10::DeviceType::MPS);
    case DeviceKind::Cpu: break;
    }
    return c10::Device(c10::DeviceType::CPU);
}

inline DeviceId fromTorchDevice(const c10::Device& device) {
    if (device.is_cuda()) return DeviceId::cuda(device.has_index() ? device.index() : 0);
    if (device.is_mps()) return DeviceId::mps();
    return DeviceId::cpu();
}

} // namespace stemdeck::device
