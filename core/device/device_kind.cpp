#include "device/device_kind.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace stemdeck::device {

namespace {
std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}
} // namespace

const char* deviceKindName(DeviceKind kind) {
    switch (kind) {
    case DeviceKind::Cpu: return "cpu";
    case DeviceKind::Cuda: return "cuda";
    case DeviceKind::Mps: return "mps";
    }
    return "?";
}

std::optional<DeviceKind> parseDeviceKind(std::string_view text) {
    const std::string t = lower(text);
    if (t == "cpu") return DeviceKind::Cpu;
    if (t == "cuda" || t == "gpu") return DeviceKind::Cuda;
    if (t == "mps") return DeviceKind::Mps;
    return std::nullopt;
}

std::string DeviceId::toString() const {
    if (kind == DeviceKind::Cuda) return "cuda:" + std::to_string(index);
    return deviceKindName(kind);
}

std::optional<DeviceId> DeviceId::parse(std::string_view text) {
    const std::string t = lower(text);
    const auto colon = t.find(':');
    const auto kind = parseDeviceKind(std::string_view(t).substr(0, colon));
    if (!kind) return std::nullopt;
    if (colon == std::string::npos) return DeviceId{*kind, 0};
    const std::string_view digits = std::string_view(t).substr(colon + 1);
    int index = -1;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || index < 0)
        return std::nullopt;
    // MPS has a single device; "mps:0" is accepted as a spelling of "mps", "cpu:3" is not.
    if (*kind != DeviceKind::Cuda && index != 0) return std::nullopt;
    return DeviceId{*kind, index};
}

} // namespace stemdeck::device
