// The engine's profiling event stream (ARCHITECTURE.md, "Profiling"): plain structs shared by
// core/device (plan changes, fallbacks, memory), core/engine (stages, batches), core/jobs and the
// UI's profiling panel, which all see the same events. Times are seconds since the job started.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace stemdeck {

enum class Stage {
    Load,       // model config + weights
    Decode,
    Resample,
    Warmup,     // first pass on the device with the planned batch shape
    Transfer,   // host <-> device copies
    Stft,
    Model,
    Istft,
    OverlapAdd,
    Encode,
    Write,
};

const char* stageName(Stage stage);

struct ProfileEvent {
    enum class Kind {
        StageBegin,
        StageEnd,
        Batch,           // one model call finished: value = chunks in it, duration = seconds
        BatchSizeChange, // value = new batch size, message = why
        MemorySample,    // bytes fields below
        Fallback,        // message = what moved where and why (e.g. "STFT on CPU")
        Warning,         // backend warning, message = text (de-duplicated upstream)
        Info,            // settings recorded in the profile (threads, cuDNN benchmark, precision)
    };
    Kind kind = Kind::Info;
    double time = 0.0;     // seconds since job start
    double duration = 0.0; // seconds, for StageEnd and Batch
    Stage stage = Stage::Model;
    std::string device;    // "cpu", "cuda:0", "mps"
    int64_t value = 0;
    std::string message;
    // MemorySample
    int64_t deviceAllocated = -1; // bytes, -1 = unknown
    int64_t deviceReserved = -1;
    int64_t processRss = -1;
    int64_t budget = -1;          // the batch planner's budget in bytes
};

using ProfileSink = std::function<void(const ProfileEvent&)>;

inline const char* stageName(Stage stage) {
    switch (stage) {
    case Stage::Load: return "load";
    case Stage::Decode: return "decode";
    case Stage::Resample: return "resample";
    case Stage::Warmup: return "warmup";
    case Stage::Transfer: return "transfer";
    case Stage::Stft: return "stft";
    case Stage::Model: return "model";
    case Stage::Istft: return "istft";
    case Stage::OverlapAdd: return "overlap-add";
    case Stage::Encode: return "encode";
    case Stage::Write: return "write";
    }
    return "?";
}

} // namespace stemdeck
