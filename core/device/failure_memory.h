// Remembers that a model failed on a device (kernel failure, compiler bug, NaN output) so the
// next job with that model starts on the CPU instead of failing again (seed item 22). A plain
// map with a JSON form; the caller (core/jobs settings) persists it.
#pragma once

#include "device/device_kind.h"

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <string>

namespace stemdeck::device {

class FailureMemory {
public:
    struct Entry {
        int count = 0;
        std::string lastReason; // ErrorTranslator id, e.g. "mps_compiler"
    };

    void recordFailure(const std::string& modelKey, const DeviceId& device, const std::string& reason);
    bool hasFailed(const std::string& modelKey, const DeviceId& device) const;
    const Entry* entry(const std::string& modelKey, const DeviceId& device) const;
    void forget(const std::string& modelKey, const DeviceId& device);
    // Adds another memory's entries to this one (counts add up, the other's reason is the latest).
    void merge(const FailureMemory& other);
    void clear() { m_entries.clear(); }
    bool empty() const { return m_entries.empty(); }
    const std::map<std::string, Entry>& entries() const { return m_entries; }

    nlohmann::json toJson() const;
    // Ignores malformed entries (a hand-edited settings file must not stop the program).
    static FailureMemory fromJson(const nlohmann::json& json);

private:
    static std::string key(const std::string& modelKey, const DeviceId& device);
    std::map<std::string, Entry> m_entries; // "model|device" -> entry
};

} // namespace stemdeck::device
