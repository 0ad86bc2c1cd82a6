// ProfileRecorder: collects the engine's ProfileEvent stream for one job (thread-safe), turns it
// into the summary every job reports (per-stage totals, x real-time, peak process memory, warm-up
// time) and exports it as Chrome trace JSON (chrome://tracing, ui.perfetto.dev). Plain C++.
#pragma once

#include "common/profile_event.h"
#include "engine/job_spec.h"

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace stemdeck::engine {

// Peak resident set size of this process so far (VmHWM), bytes; -1 when unknown.
int64_t peakRssBytes();
// Current resident set size (VmRSS), bytes; -1 when unknown.
int64_t currentRssBytes();

class ProfileRecorder {
public:
    ProfileRecorder();

    // Seconds since construction (the time base of every event).
    double now() const;
    std::chrono::steady_clock::time_point startTime() const { return m_start; }

    // Stores the event and passes it on to the forward sink, if any.
    void record(const ProfileEvent& event);
    void setForward(ProfileSink forward);
    // A sink that records into this recorder (lifetime: the recorder's).
    ProfileSink sink();

    // Stage helpers: begin/end events with the current time (end carries the duration).
    void beginStage(Stage stage, const std::string& device = {});
    void endStage(Stage stage, double startedAt, const std::string& device = {});
    void memorySample(const std::string& device = {});

    std::vector<ProfileEvent> events() const;
    ProfileSummary summary(double audioSeconds) const;

    // Chrome trace JSON ("traceEvents"): stages and batches as complete events, memory as
    // counters, the rest as instant events. Times in microseconds.
    std::string chromeTraceJson() const;
    // Writes chromeTraceJson() to a file (atomic: temporary + rename). Throws Error(WriteFailed).
    void writeChromeTrace(const std::filesystem::path& path) const;

private:
    std::chrono::steady_clock::time_point m_start;
    mutable std::mutex m_mutex;
    std::vector<ProfileEvent> m_events;
    ProfileSink m_forward;
};

// Summary of an event stream recorded elsewhere (e.g. received through JobQueue signals).
ProfileSummary summarize(const std::vector<ProfileEvent>& events, double audioSeconds, double wallSeconds);
std::string chromeTraceJson(const std::vector<ProfileEvent>& events);
// One line per stage plus the totals, for the CLI and the log.
std::string describe(const ProfileSummary& summary);

} // namespace stemdeck::engine
