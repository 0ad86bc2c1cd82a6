#include "jobs/track_outputs.h"

#include "audio/decode.h"
#include "audio/naming_template.h"
#include "audio/resample.h"
#include "common/error.h"
#include "engine/output_paths.h"

#include <system_error>

namespace fs = std::filesystem;

namespace stemdeck::jobs {

namespace {

// What a written file of this format decodes as: the container names libsndfile reports for it
// (a WAV past 4 GiB is written as RF64) and the sample encoding.
struct Shape {
    std::vector<std::string> containers;
    audio::SampleKind kind;
};

Shape shapeOf(audio::OutputFormat f) {
    using audio::OutputFormat;
    using audio::SampleKind;
    switch (f) {
    case OutputFormat::Wav16: return {{"WAV", "RF64"}, SampleKind::Pcm16};
    case OutputFormat::Wav24: return {{"WAV", "RF64"}, SampleKind::Pcm24};
    case OutputFormat::Wav32f: return {{"WAV", "RF64"}, SampleKind::Float};
    case OutputFormat::Flac16: return {{"FLAC"}, SampleKind::Pcm16};
    case OutputFormat::Flac24: return {{"FLAC"}, SampleKind::Pcm24};
    case OutputFormat::Mp3V0:
    case OutputFormat::Mp3Cbr320: return {{"MP3"}, SampleKind::Compressed};
    case OutputFormat::Ogg: return {{"OGG"}, SampleKind::Compressed};
    }
    return {{}, audio::SampleKind::Pcm16};
}

// Reads a file to its end (block by block: stems of hour-long tracks stay out of memory) and
// returns its frame count; AudioReader throws when the data ends before its header says.
int64_t decodeToEnd(audio::AudioReader& reader) {
    audio::AudioBuffer block;
    int64_t frames = 0;
    while (const int64_t n = reader.read(block, 1 << 16)) frames += n;
    return frames;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string s;
    for (const std::string& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}

} // namespace

ExpectedOutputs expectedOutputs(const engine::JobSpec& spec, const OutputModel& model) {
    audio::AudioReader reader;
    reader.open(spec.input);
    const audio::SourceInfo source = reader.info();
    // Compressed inputs announce an estimate; the separation decodes them whole and uses what
    // came out, so count the same way.
    const int64_t sourceFrames = source.kind == audio::SampleKind::Compressed ? decodeToEnd(reader) : source.frames;

    ExpectedOutputs e;
    if (!spec.format.empty()) {
        const auto f = audio::parseOutputFormat(spec.format);
        if (!f)
            throw Error(ErrorCode::InvalidArgument, "Unknown output format \"" + spec.format + "\"; choose one of " +
                                                        std::string(audio::allFormatNames()) + ".");
        e.format = *f;
    } else {
        e.format = audio::defaultOutputFormat(source);
    }
    e.names = model.names;
    e.files = engine::outputPaths(spec, model.names, audio::fileExtension(e.format));
    const bool back = spec.resampleBack && source.sampleRate != model.sampleRate;
    e.sampleRate = back ? source.sampleRate : model.sampleRate;
    e.frames = back || source.sampleRate == model.sampleRate
                   ? sourceFrames
                   : audio::resampledLength(sourceFrames, source.sampleRate, model.sampleRate);
    e.channels = source.channels == 1 && model.channels != 1 ? 1 : model.channels;
    return e;
}

OutputCheck checkOutputs(const ExpectedOutputs& expected) {
    OutputCheck c;
    const Shape shape = shapeOf(expected.format);
    for (const fs::path& file : expected.files) {
        const std::string name = file.string();
        std::error_code ec;
        const fs::file_status st = fs::status(file, ec);
        if (!fs::exists(st)) {
            c.problems.push_back(name + " is missing.");
            continue;
        }
        c.anyPresent = true;
        if (!fs::is_regular_file(st)) {
            c.problems.push_back(name + " is not a regular file.");
            continue;
        }
        try {
            audio::AudioReader reader;
            reader.open(file);
            const audio::SourceInfo info = reader.info();
            bool containerOk = false;
            for (const std::string& k : shape.containers) containerOk = containerOk || info.format == k;
            if (!containerOk || info.kind != shape.kind) {
                c.problems.push_back(name + " is " + info.format + " " + audio::sampleKindName(info.kind) +
                                     ", expected " + join(shape.containers, " or ") + " " +
                                     audio::sampleKindName(shape.kind) + " (" +
                                     audio::formatDescription(expected.format) + ").");
                continue;
            }
            if (info.sampleRate != expected.sampleRate || info.channels != expected.channels) {
                c.problems.push_back(name + " is " + std::to_string(info.sampleRate) + " Hz, " +
                                     std::to_string(info.channels) + " channel(s); expected " +
                                     std::to_string(expected.sampleRate) + " Hz, " +
                                     std::to_string(expected.channels) + ".");
                continue;
            }
            const int64_t frames = decodeToEnd(reader);
            if (frames != expected.frames) {
                c.problems.push_back(name + " has " + std::to_string(frames) + " frames, expected " +
                                     std::to_string(expected.frames) + ".");
                continue;
            }
        } catch (const Error& e) {
            c.problems.push_back(name + " does not decode: " + e.what());
        }
    }
    c.complete = c.problems.empty();
    return c;
}

} // namespace stemdeck::jobs
