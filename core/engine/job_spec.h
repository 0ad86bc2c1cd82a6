// The engine's public, plain-C++ job API (no LibTorch, no Qt): what one separation of one file
// needs (JobSpec), what it reports while running (JobCallbacks), and what it returns (JobResult).
// core/jobs, the CLI and the GUI all run separations through this one shape, so the command line
// and the window do exactly the same thing. runJob() (pipeline.h) is the real implementation;
// tests inject fakes with the same signature.
#pragma once

#include "common/profile_event.h"
#include "device/device_kind.h"
#include "device/precision.h"
#include "audio/output_format.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace stemdeck::engine {

// The device layer's precision (fp32/fp16/bf16), under the engine's name too.
using Precision = device::Precision;

struct JobSpec {
    std::filesystem::path input;
    std::filesystem::path outputDir;      // the naming template expands below it
    std::filesystem::path configPath;     // model config (YAML)
    std::filesystem::path checkpointPath; // .ckpt / .safetensors
    std::string modelName;                // for the {model} template field and reports

    std::optional<device::DeviceId> device; // nullopt: automatic (CUDA, MPS, then CPU)
    std::optional<device::Precision> precision; // nullopt: the device's default (fp16 on CUDA, else fp32)
    int overlap = 0;   // 0: the config's inference.num_overlap
    int batchSize = 0; // > 0: this many chunks per model call; 0: the config's inference.batch_size;
                       // < 0: automatic (device::BatchPlanner, from free memory)
    bool allowCpuFallback = true;

    std::vector<std::string> stems;       // empty: every stem of the model
    bool residual = false;                // also write mix minus the selected stems
    // Mixture consistency: spread what the stems miss of the mix over them so they add up to it
    // exactly (engine::spreadResidual). nullopt: the model config's inference.mixture_consistency.
    std::optional<bool> sumToMix;
    // Soft masks after the network (each stem takes the mix weighted by |S_i|^p / sum |S_j|^p).
    // nullopt: the model config's inference.soft_mask_power; 0: off.
    std::optional<double> softMaskPower;
    // The multichannel Wiener filter after the soft masks (model::multichannelWiener). nullopt:
    // the model config's inference.multichannel_wiener.
    std::optional<bool> multichannelWiener;
    // Test-time augmentation (SeparatorOptions::testTimeAugmentation): about 3x the network's time.
    bool testTimeAugmentation = false;
    std::string format;                   // "wav16", "flac24", ...; empty: follows the input
    std::string namingTemplate = "{track}/{stem}.{ext}";
    bool overwrite = false;
    // Stems of a loud mix can peak above 0 dBFS; integer formats cannot store that. Clamp limits
    // those samples (the result says so); Refuse fails the job, Rescale lowers the whole stem.
    audio::ClipPolicy clip = audio::ClipPolicy::Clamp;
    bool resampleBack = true;             // write at the source rate (else the model's rate)
    bool profile = false;                 // synchronise the device at stage boundaries
    // NaN or infinite samples in the input become silence (a note says how many) instead of
    // failing the job with NonFiniteAudio.
    bool replaceInvalidSamples = false;

    // Streaming reads, separates and writes block by block, so memory does not grow with the
    // track's length. Auto streams inputs longer than kStreamingThresholdSeconds whose frame
    // count is exact (not MP3/Ogg/Opus) unless the clip policy needs whole stems (Rescale).
    enum class Streaming { Auto, Off, On };
    Streaming streaming = Streaming::Auto;
    static constexpr double kStreamingThresholdSeconds = 300.0;
};

struct JobProgress {
    double fraction = 0.0;     // 0..1 over the whole job
    Stage stage = Stage::Decode;
    double etaSeconds = -1.0;  // < 0: unknown yet
};

struct JobCallbacks {
    std::function<void(const JobProgress&)> progress;
    ProfileSink profile;
    // Bracket the part of the job that uses the device, so a queue can run one separation per
    // device while other jobs decode and encode. acquireDevice blocks; false = cancelled while
    // waiting. Either may be empty.
    std::function<bool(const device::DeviceId&)> acquireDevice;
    std::function<void(const device::DeviceId&)> releaseDevice;
};

struct StageTotal {
    Stage stage = Stage::Model;
    double seconds = 0.0;
};

// What a profile always says, profiling on or off (ARCHITECTURE.md "Profiling").
struct ProfileSummary {
    double audioSeconds = 0.0;   // length of the input
    double wallSeconds = 0.0;    // the whole job
    double realTimeFactor = 0.0; // audioSeconds / wallSeconds ("x real-time")
    double warmupSeconds = 0.0;
    int64_t peakRssBytes = -1;   // process peak resident memory
    int64_t batches = 0;
    std::vector<StageTotal> stages; // in Stage order, only stages that ran
};

struct StemFile {
    std::string stem;              // "vocals", "no_drums", "instrumental"
    std::filesystem::path path;
    float peak = 0.0f;             // before any limiting
    bool limited = false;          // the clip policy changed samples
    std::string note;
};

struct JobResult {
    std::filesystem::path input;
    std::vector<StemFile> files;
    int sampleRate = 0;            // of the files written
    int64_t frames = 0;            // of each file written
    double durationSeconds = 0.0;
    std::string device;            // where the model ran ("cpu", "cuda:0")
    int batchSize = 0;             // the last batch size used
    int64_t chunkSize = 0;
    double chunkSeconds = 0.0;     // chunkSize at the model's rate, for display
    int overlap = 0;
    double softMaskPower = 0.0;    // the soft-mask power used (0: off)
    bool multichannelWiener = false; // whether the multichannel Wiener filter ran
    int wienerPasses = 0;          // its passes (inference.wiener_iterations; 0 when it did not run)
    bool testTimeAugmentation = false; // whether the augmented passes ran
    // Energy of (sum of all model stems - mix) relative to the mix, in dB (very negative =
    // the stems add back up to the mix; near 0 dB or above = a wrong model or settings).
    double sumCheckDb = 0.0;
    ProfileSummary profile;
    std::vector<std::string> notes; // things the user should know (resampled, channels, limited)
};

using EngineFunction =
    std::function<JobResult(const JobSpec&, const JobCallbacks&, const std::atomic<bool>& cancel)>;

} // namespace stemdeck::engine
