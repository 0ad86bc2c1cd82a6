// The device vocabulary at StemDeck's API boundary: a typed device kind and index instead of bare
// strings (seed items 6 and 10). Plain C++ so core/jobs, the CLI and the UI can use it; the
// conversion to torch::Device lives in torch_device.h for the LibTorch layers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stemdeck::device {

enum class DeviceKind { Cpu, Cuda, Mps };

// "cpu", "cuda", "mps".
const char* deviceKindName(DeviceKind kind);
// Case-insensitive "cpu" / "cuda" / "mps"; nullopt for anything else.
std::optional<DeviceKind> parseDeviceKind(std::string_view text);

struct DeviceId {
    DeviceKind kind = DeviceKind::Cpu;
    int index = 0; // CUDA ordinal; always 0 for CPU and MPS

    static DeviceId cpu() { return {DeviceKind::Cpu, 0}; }
    static DeviceId cuda(int index = 0) { return {DeviceKind::Cuda, index}; }
    static DeviceId mps() { return {DeviceKind::Mps, 0}; }

    // "cpu", "cuda:1", "mps": the same spelling the profile and the log use.
    std::string toString() const;
    // Parses "cpu", "mps", "cuda", "cuda:N"; nullopt for anything else ("auto" is the
    // selector's business, see device_selector.h).
    static std::optional<DeviceId> parse(std::string_view text);

    friend bool operator==(const DeviceId&, const DeviceId&) = default;
};

} // namespace stemdeck::device
