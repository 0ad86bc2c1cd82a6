// Chooses the device for a job (seed items 6, 10, 19): "auto" prefers CUDA, then MPS, then the
// CPU; `--device` (cpu, cuda, cuda:N, mps) or STEMDECK_DEVICE override it. A request the machine
// cannot honour falls back with a message (returned and logged), never an exception. Also sets
// the MPS environment variables, which PyTorch reads once when it first initialises.
#pragma once

#include "device/device_info.h"
#include "device/device_kind.h"
#include "device/failure_memory.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stemdeck::device {

struct DeviceSelection {
    DeviceId device;
    std::string request;      // what was asked ("auto" when nothing was)
    std::string source;       // "option", "STEMDECK_DEVICE" or "default"
    bool fellBack = false;    // the request could not be honoured as asked
    std::string message;      // why this device, in one plain sentence
};

class DeviceSelector {
public:
    explicit DeviceSelector(DeviceInfo info) : m_info(std::move(info)) {}

    // option: the --device value (empty = not given). Empty option -> STEMDECK_DEVICE -> "auto".
    // With a FailureMemory and model key, a device this model failed on before is skipped in
    // favour of the CPU (also when asked for explicitly, with a message saying so).
    DeviceSelection select(std::string_view option, const FailureMemory* failures = nullptr,
                           const std::string& modelKey = {}) const;

    // The auto order on this machine, first = preferred.
    std::vector<DeviceId> candidates() const;
    bool isAvailable(const DeviceId& device) const;

private:
    DeviceInfo m_info;
};

// MPS environment (troubleshooting-messages.md, "Environment facts"). Only what the user
// enabled is set. MUST be called before the first LibTorch call of the process: PyTorch reads
// these once when the MPS allocator starts, later changes are ignored. Variables the user
// already exported are left alone (their shell wins).
struct MpsSettings {
    bool enableCpuFallback = false;           // PYTORCH_ENABLE_MPS_FALLBACK=1
    std::optional<double> highWatermarkRatio; // PYTORCH_MPS_HIGH_WATERMARK_RATIO (default 1.7; 0 = no limit, risky)
    std::optional<double> lowWatermarkRatio;  // PYTORCH_MPS_LOW_WATERMARK_RATIO (default 1.4)
};

struct MpsEnvironmentResult {
    std::vector<std::string> set;     // "NAME=value" actually written
    std::vector<std::string> kept;    // "NAME=value" already in the environment, left as is
    std::vector<std::string> refused; // invalid settings, with the reason
};

MpsEnvironmentResult applyMpsEnvironment(const MpsSettings& settings);

} // namespace stemdeck::device
