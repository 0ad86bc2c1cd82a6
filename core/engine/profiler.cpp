#include "engine/profiler.h"

#include "common/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <sys/resource.h>
#include <unistd.h>

namespace stemdeck::engine {

namespace {

int64_t readStatusField(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string key = std::string(field) + ":";
    while (std::getline(in, line)) {
        if (line.rfind(key, 0) == 0) {
            std::istringstream s(line.substr(key.size()));
            int64_t kb = -1;
            s >> kb;
            return kb >= 0 ? kb * 1024 : -1;
        }
    }
    return -1;
}

} // namespace

int64_t peakRssBytes() {
    const int64_t hwm = readStatusField("VmHWM");
    if (hwm >= 0) return hwm;
    struct rusage usage {};
    if (getrusage(RUSAGE_SELF, &usage) == 0) {
#ifdef __APPLE__
        return static_cast<int64_t>(usage.ru_maxrss); // bytes on macOS
#else
        return static_cast<int64_t>(usage.ru_maxrss) * 1024; // kilobytes elsewhere
#endif
    }
    return -1;
}

int64_t currentRssBytes() { return readStatusField("VmRSS"); }

ProfileRecorder::ProfileRecorder() : m_start(std::chrono::steady_clock::now()) {}

double ProfileRecorder::now() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
}

void ProfileRecorder::record(const ProfileEvent& event) {
    ProfileSink forward;
    {
        std::lock_guard lock(m_mutex);
        m_events.push_back(event);
        forward = m_forward;
    }
    if (forward) forward(event);
}

void ProfileRecorder::setForward(ProfileSink forward) {
    std::lock_guard lock(m_mutex);
    m_forward = std::move(forward);
}

ProfileSink ProfileRecorder::sink() {
    return [this](const ProfileEvent& e) { record(e); };
}

void ProfileRecorder::beginStage(Stage stage, const std::string& device) {
    ProfileEvent e;
    e.kind = ProfileEvent::Kind::StageBegin;
    e.stage = stage;
    e.time = now();
    e.device = device;
    record(e);
}

void ProfileRecorder::endStage(Stage stage, double startedAt, const std::string& device) {
    ProfileEvent e;
    e.kind = ProfileEvent::Kind::StageEnd;
    e.stage = stage;
    e.time = now();
    e.duration = e.time - startedAt;
    e.device = device;
    record(e);
}

void ProfileRecorder::memorySample(const std::string& device) {
    ProfileEvent e;
    e.kind = ProfileEvent::Kind::MemorySample;
    e.time = now();
    e.device = device;
    e.processRss = currentRssBytes();
    record(e);
}

std::vector<ProfileEvent> ProfileRecorder::events() const {
    std::lock_guard lock(m_mutex);
    return m_events;
}

ProfileSummary ProfileRecorder::summary(double audioSeconds) const { return summarize(events(), audioSeconds, now()); }

std::string ProfileRecorder::chromeTraceJson() const { return engine::chromeTraceJson(events()); }

void ProfileRecorder::writeChromeTrace(const std::filesystem::path& path) const {
    const std::string text = chromeTraceJson();
    std::filesystem::path tmp = path;
    tmp += ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            throw Error(ErrorCode::WriteFailed, "Could not write the profile trace " + path.string() + ".");
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw Error(ErrorCode::WriteFailed, "Could not write the profile trace " + path.string() + ".", ec.message());
    }
}

ProfileSummary summarize(const std::vector<ProfileEvent>& events, double audioSeconds, double wallSeconds) {
    ProfileSummary s;
    s.audioSeconds = audioSeconds;
    s.wallSeconds = wallSeconds;
    s.realTimeFactor = wallSeconds > 0.0 ? audioSeconds / wallSeconds : 0.0;
    std::map<int, double> totals;
    int64_t peak = -1;
    for (const ProfileEvent& e : events) {
        switch (e.kind) {
        case ProfileEvent::Kind::StageEnd:
            totals[static_cast<int>(e.stage)] += e.duration;
            if (e.stage == Stage::Warmup) s.warmupSeconds += e.duration;
            break;
        case ProfileEvent::Kind::Batch: ++s.batches; break;
        case ProfileEvent::Kind::MemorySample: peak = std::max(peak, e.processRss); break;
        default: break;
        }
    }
    for (const auto& [stage, seconds] : totals) s.stages.push_back({static_cast<Stage>(stage), seconds});
    s.peakRssBytes = std::max(peak, peakRssBytes());
    return s;
}

std::string chromeTraceJson(const std::vector<ProfileEvent>& events) {
    using nlohmann::json;
    json trace = json::array();
    auto us = [](double seconds) { return static_cast<int64_t>(seconds * 1e6); };
    trace.push_back({{"ph", "M"}, {"pid", 1}, {"name", "process_name"}, {"args", {{"name", "StemDeck"}}}});
    trace.push_back({{"ph", "M"}, {"pid", 1}, {"tid", 1}, {"name", "thread_name"}, {"args", {{"name", "stages"}}}});
    trace.push_back({{"ph", "M"}, {"pid", 1}, {"tid", 2}, {"name", "thread_name"}, {"args", {{"name", "batches"}}}});
    for (const ProfileEvent& e : events) {
        switch (e.kind) {
        case ProfileEvent::Kind::StageBegin: break; // the matching StageEnd carries the span
        case ProfileEvent::Kind::StageEnd:
            trace.push_back({{"ph", "X"}, {"pid", 1}, {"tid", 1}, {"name", stageName(e.stage)}, {"cat", "stage"},
                             {"ts", us(e.time - e.duration)}, {"dur", us(e.duration)},
                             {"args", {{"device", e.device}}}});
            break;
        case ProfileEvent::Kind::Batch:
            trace.push_back({{"ph", "X"}, {"pid", 1}, {"tid", 2}, {"name", "batch"}, {"cat", "batch"},
                             {"ts", us(e.time - e.duration)}, {"dur", us(e.duration)},
                             {"args", {{"chunks", e.value}, {"device", e.device}}}});
            break;
        case ProfileEvent::Kind::MemorySample: {
            json args = json::object();
            if (e.processRss >= 0) args["process_rss_mb"] = double(e.processRss) / (1 << 20);
            if (e.deviceAllocated >= 0) args["device_allocated_mb"] = double(e.deviceAllocated) / (1 << 20);
            if (e.deviceReserved >= 0) args["device_reserved_mb"] = double(e.deviceReserved) / (1 << 20);
            trace.push_back({{"ph", "C"}, {"pid", 1}, {"name", "memory"}, {"ts", us(e.time)}, {"args", args}});
            break;
        }
        case ProfileEvent::Kind::BatchSizeChange:
        case ProfileEvent::Kind::Fallback:
        case ProfileEvent::Kind::Warning:
        case ProfileEvent::Kind::Info: {
            static const std::array<const char*, 8> names = {"", "", "", "batch size", "", "fallback", "warning", "info"};
            trace.push_back({{"ph", "i"}, {"pid", 1}, {"tid", 1}, {"s", "p"},
                             {"name", names[static_cast<size_t>(e.kind)]}, {"ts", us(e.time)},
                             {"args", {{"message", e.message}, {"value", e.value}, {"device", e.device}}}});
            break;
        }
        }
    }
    return json{{"traceEvents", trace}, {"displayTimeUnit", "ms"}}.dump(1);
}

std::string describe(const ProfileSummary& s) {
    std::ostringstream out;
    char line[160];
    std::snprintf(line, sizeof line, "%.1f s of audio in %.1f s (%.2fx real time), %lld batches\n",
                  s.audioSeconds, s.wallSeconds, s.realTimeFactor, static_cast<long long>(s.batches));
    out << line;
    for (const StageTotal& t : s.stages) {
        std::snprintf(line, sizeof line, "  %-12s %8.3f s\n", stageName(t.stage), t.seconds);
        out << line;
    }
    if (s.warmupSeconds > 0) {
        std::snprintf(line, sizeof line, "  warm-up      %8.3f s (timed apart)\n", s.warmupSeconds);
        out << line;
    }
    if (s.peakRssBytes >= 0) {
        std::snprintf(line, sizeof line, "  peak memory  %8.1f MiB (process)\n", double(s.peakRssBytes) / (1 << 20));
        out << line;
    }
    return out.str();
}

} // namespace stemdeck::engine
