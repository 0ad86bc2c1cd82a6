#include "device/failure_memory.h"

#include <nlohmann/json.hpp>

namespace stemdeck::device {

std::string FailureMemory::key(const std::string& modelKey, const DeviceId& device) {
    return modelKey + "|" + device.toString();
}

void FailureMemory::recordFailure(const std::string& modelKey, const DeviceId& device, const std::string& reason) {
    Entry& e = m_entries[key(modelKey, device)];
    ++e.count;
    e.lastReason = reason;
}

bool FailureMemory::hasFailed(const std::string& modelKey, const DeviceId& device) const {
    return m_entries.count(key(modelKey, device)) > 0;
}

const FailureMemory::Entry* FailureMemory::entry(const std::string& modelKey, const DeviceId& device) const {
    const auto it = m_entries.find(key(modelKey, device));
    return it == m_entries.end() ? nullptr : &it->second;
}

void FailureMemory::forget(const std::string& modelKey, const DeviceId& device) {
    m_entries.erase(key(modelKey, device));
}

void FailureMemory::merge(const FailureMemory& other) {
    for (const auto& [k, e] : other.m_entries) {
        Entry& mine = m_entries[k];
        mine.count += e.count;
        if (!e.lastReason.empty()) mine.lastReason = e.lastReason;
    }
}

nlohmann::json FailureMemory::toJson() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [k, e] : m_entries) {
        const auto bar = k.rfind('|');
        list.push_back({{"model", k.substr(0, bar)}, {"device", k.substr(bar + 1)}, {"count", e.count}, {"reason", e.lastReason}});
    }
    return {{"version", 1}, {"failures", list}};
}

FailureMemory FailureMemory::fromJson(const nlohmann::json& json) {
    FailureMemory m;
    if (!json.is_object() || !json.contains("failures") || !json["failures"].is_array()) return m;
    for (const auto& item : json["failures"]) {
        if (!item.is_object() || !item.contains("model") || !item.contains("device")) continue;
        if (!item["model"].is_string() || !item["device"].is_string()) continue;
        const auto device = DeviceId::parse(item["device"].get<std::string>());
        if (!device) continue;
        Entry e;
        e.count = item.contains("count") && item["count"].is_number_integer() ? item["count"].get<int>() : 1;
        e.lastReason = item.contains("reason") && item["reason"].is_string() ? item["reason"].get<std::string>() : "";
        m.m_entries[key(item["model"].get<std::string>(), *device)] = e;
    }
    return m;
}

} // namespace stemdeck::device
