// "Is this track's output complete?": the stem files one separation of a track leaves (paths from
// the naming template, format, rate, channels, length) and a check that every one of them exists,
// decodes to its end and has those properties. `stemdeck-cli separate --manifest` skips a track
// that passes and redoes one that does not: the engine's atomic export leaves no half-written
// file after a crash, but a process killed between two stems, a stem deleted by hand or a copy
// cut short leaves a track incomplete, and existence alone would not see that. Plain C++ over
// core/audio (no Qt, no LibTorch), so the scheduler-facing rule can be tested on its own.
#pragma once

#include "audio/output_format.h"
#include "engine/job_spec.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace stemdeck::jobs {

// What the model side fixes for every track (from the model config and the stem options).
struct OutputModel {
    std::vector<std::string> names; // files per track, in order: selected stems, then the residual
    int sampleRate = 0;             // the model's rate
    int channels = 2;               // the model's channel count
};

struct ExpectedOutputs {
    std::vector<std::string> names;
    std::vector<std::filesystem::path> files; // one per name
    audio::OutputFormat format = audio::OutputFormat::Wav24;
    int sampleRate = 0;
    int channels = 0;
    int64_t frames = 0;
};

// Everything one separation of spec.input with these options writes. Reads the input's header;
// an input whose header only estimates its length (MP3, Ogg, Opus) is decoded to count its frames,
// as the separation does. Throws the decoder's errors for the input (FileNotFound, UnreadableFile,
// EmptyInput, ...) and InvalidArgument for an unknown spec.format or a bad template.
ExpectedOutputs expectedOutputs(const engine::JobSpec& spec, const OutputModel& model);

struct OutputCheck {
    bool complete = false;
    bool anyPresent = false;           // at least one of the files exists (complete or not)
    std::vector<std::string> problems; // one plain sentence per file that fails, naming it
};

// Opens and decodes every expected file to its end; a file is accepted when it exists, decodes
// without error, and has the expected container and sample encoding, rate, channel count and
// frame count. Never throws for what it finds on disk: that goes to problems.
OutputCheck checkOutputs(const ExpectedOutputs& expected);

} // namespace stemdeck::jobs
