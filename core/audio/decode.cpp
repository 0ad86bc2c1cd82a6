#include "audio/decode.h"

#include "audio/buffer_ops.h"
#include "common/error.h"
#include "common/file_names.h"
#include "common/log.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <system_error>

namespace stemdeck::audio {

namespace {

std::string quoted(const std::filesystem::path& path) {
    return "\"" + path.string() + "\"";
}

std::string formatInfoName(int format) {
    SF_FORMAT_INFO fi{};
    fi.format = format;
    if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &fi, sizeof fi) == 0 && fi.name)
        return fi.name;
    return "unknown";
}

std::string majorName(int format) {
    switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV:
    case SF_FORMAT_WAVEX:
        return "WAV";
    case SF_FORMAT_AIFF:
        return "AIFF";
    case SF_FORMAT_AU:
        return "AU";
    case SF_FORMAT_RAW:
        return "RAW";
    case SF_FORMAT_W64:
        return "W64";
    case SF_FORMAT_RF64:
        return "RF64";
    case SF_FORMAT_FLAC:
        return "FLAC";
    case SF_FORMAT_OGG:
        return "OGG";
    case SF_FORMAT_CAF:
        return "CAF";
    case SF_FORMAT_MPEG:
        return (format & SF_FORMAT_SUBMASK) == SF_FORMAT_MPEG_LAYER_III ? "MP3" : "MPEG";
    default:
        return formatInfoName(format & SF_FORMAT_TYPEMASK);
    }
}

struct SubtypeDesc {
    int subtype;
    const char* name;
    SampleKind kind;
};

constexpr SubtypeDesc kSubtypes[] = {
    {SF_FORMAT_PCM_S8, "PCM_S8", SampleKind::Pcm8},
    {SF_FORMAT_PCM_U8, "PCM_U8", SampleKind::Pcm8},
    {SF_FORMAT_PCM_16, "PCM_16", SampleKind::Pcm16},
    {SF_FORMAT_PCM_24, "PCM_24", SampleKind::Pcm24},
    {SF_FORMAT_PCM_32, "PCM_32", SampleKind::Pcm32},
    {SF_FORMAT_FLOAT, "FLOAT", SampleKind::Float},
    {SF_FORMAT_DOUBLE, "DOUBLE", SampleKind::Float},
    {SF_FORMAT_ALAC_16, "ALAC_16", SampleKind::Pcm16},
    {SF_FORMAT_ALAC_20, "ALAC_20", SampleKind::Pcm24},
    {SF_FORMAT_ALAC_24, "ALAC_24", SampleKind::Pcm24},
    {SF_FORMAT_ALAC_32, "ALAC_32", SampleKind::Pcm32},
    {SF_FORMAT_VORBIS, "VORBIS", SampleKind::Compressed},
    {SF_FORMAT_OPUS, "OPUS", SampleKind::Compressed},
    {SF_FORMAT_MPEG_LAYER_I, "MPEG_LAYER_I", SampleKind::Compressed},
    {SF_FORMAT_MPEG_LAYER_II, "MPEG_LAYER_II", SampleKind::Compressed},
    {SF_FORMAT_MPEG_LAYER_III, "MPEG_LAYER_III", SampleKind::Compressed},
    {SF_FORMAT_ULAW, "ULAW", SampleKind::Compressed},
    {SF_FORMAT_ALAW, "ALAW", SampleKind::Compressed},
};

// libsndfile opens a file whose data chunk is longer than the file and silently shortens it; its
// log keeps the evidence ("data : 176400 (should be 49956)"). A header size of 0 or 0xFFFFFFFF is
// the placeholder of a writer that never finalised the file, not a truncation.
struct Truncation {
    bool truncated = false;
    bool placeholder = false;
    long long announced = 0;
    long long present = 0;
};

Truncation findTruncation(SNDFILE* file) {
    Truncation t;
    char log[8192] = {};
    sf_command(file, SFC_GET_LOG_INFO, log, sizeof log);
    std::istringstream lines(log);
    std::string line;
    while (std::getline(lines, line)) {
        const auto start = line.find_first_not_of(' ');
        if (start == std::string::npos)
            continue;
        const std::string key = line.substr(start, 4);
        // W64 and RF64 log no "should be" on their data chunk, only on their riff size ("riff"
        // in W64, "Riff size" in RF64's ds64 chunk; plain WAV's "RIFF" is covered by "data").
        if (key != "data" && key != "SSND" && key != "riff" && key != "Riff")
            continue;
        const auto colon = line.find(':');
        const auto should = line.find("(should be");
        if (colon == std::string::npos || should == std::string::npos)
            continue;
        long long announced = std::atoll(line.c_str() + colon + 1);
        long long present = std::atoll(line.c_str() + should + 10);
        if (present >= announced)
            continue;
        if (announced == 0 || announced == 0xFFFFFFFFLL || announced < 0) {
            t.placeholder = true;
            continue;
        }
        t.truncated = true;
        t.announced = announced;
        t.present = present;
    }
    return t;
}

} // namespace

const char* sampleKindName(SampleKind kind) {
    switch (kind) {
    case SampleKind::Pcm8:
        return "PCM 8-bit";
    case SampleKind::Pcm16:
        return "PCM 16-bit";
    case SampleKind::Pcm24:
        return "PCM 24-bit";
    case SampleKind::Pcm32:
        return "PCM 32-bit";
    case SampleKind::Float:
        return "floating point";
    case SampleKind::Compressed:
        return "compressed";
    }
    return "unknown";
}

struct AudioReader::Impl {
    SNDFILE* file = nullptr;
    std::filesystem::path path;
    SourceInfo info;
    DecodeOptions options;
    std::vector<std::string> notes;
    std::vector<float> interleaved;
    int64_t position = 0;
    int64_t sanitized = 0;
    bool exactLength = true; // false for lossy formats whose frame count is an estimate

    ~Impl() { closeFile(); }
    void closeFile() {
        if (file)
            sf_close(file);
        file = nullptr;
    }
};

AudioReader::AudioReader() : m_impl(std::make_unique<Impl>()) {}
AudioReader::~AudioReader() = default;
AudioReader::AudioReader(AudioReader&&) noexcept = default;
AudioReader& AudioReader::operator=(AudioReader&&) noexcept = default;

void AudioReader::open(const std::filesystem::path& path, const DecodeOptions& options) {
    if (!m_impl)
        m_impl = std::make_unique<Impl>();
    close();
    Impl& d = *m_impl;
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status))
        throw Error(ErrorCode::FileNotFound, isUndecodableName(path)
                                                 ? undecodableNameMessage(quoted(path))
                                                 : "Audio file not found: " + quoted(path));
    if (std::filesystem::is_directory(status))
        throw Error(ErrorCode::UnreadableFile,
                    "Cannot read " + quoted(path) + ": it is a folder, not an audio file");
    if (std::filesystem::is_regular_file(status) && std::filesystem::file_size(path, ec) == 0 &&
        !ec)
        throw Error(ErrorCode::EmptyInput,
                    "Cannot read " + quoted(path) + ": the file is empty (0 bytes)");

    SF_INFO sfinfo{};
    SNDFILE* file = sf_open(path.c_str(), SFM_READ, &sfinfo);
    if (!file) {
        const std::string why = sf_strerror(nullptr);
        throw Error(ErrorCode::UnreadableFile,
                    "Cannot read audio file " + quoted(path) + ": " + why, why);
    }
    d.file = file;
    d.path = path;
    d.options = options;
    d.notes.clear();
    d.position = 0;
    d.sanitized = 0;

    SourceInfo& info = d.info;
    info = SourceInfo{};
    info.format = majorName(sfinfo.format);
    info.sampleRate = sfinfo.samplerate;
    info.channels = sfinfo.channels;
    info.frames = sfinfo.frames;
    const int subtype = sfinfo.format & SF_FORMAT_SUBMASK;
    info.kind = SampleKind::Compressed;
    info.subtype = formatInfoName(subtype);
    for (const auto& s : kSubtypes)
        if (s.subtype == subtype) {
            info.subtype = s.name;
            info.kind = s.kind;
        }
    d.exactLength = info.kind != SampleKind::Compressed;

    if (info.channels <= 0 || info.sampleRate <= 0) {
        close();
        throw Error(ErrorCode::UnreadableFile, "Cannot read audio file " + quoted(path) +
                                                   ": its header declares " +
                                                   std::to_string(info.channels) + " channels at " +
                                                   std::to_string(info.sampleRate) + " Hz");
    }

    const Truncation t = findTruncation(file);
    if (t.truncated) {
        close();
        throw Error(ErrorCode::UnreadableFile,
                    "Cannot read audio file " + quoted(path) +
                        ": the file is truncated (its header announces " +
                        std::to_string(t.announced) + " bytes of audio, only " +
                        std::to_string(t.present) + " are present)",
                    "libsndfile: data chunk larger than the file");
    }
    if (t.placeholder)
        d.notes.push_back(path.filename().string() +
                          ": the header has no final length (an unfinished recording?); read to "
                          "the end of the file");

    if (info.frames <= 0) {
        close();
        throw Error(ErrorCode::EmptyInput,
                    "Cannot use " + quoted(path) + ": it contains no audio (0 frames)");
    }
    SD_LOG(log::audio, Debug) << "opened " << path.string() << ": " << info.format << " "
                              << info.subtype << " " << info.sampleRate << " Hz, " << info.channels
                              << " ch, " << info.frames << " frames";
}

void AudioReader::close() {
    if (m_impl)
        m_impl->closeFile();
}

bool AudioReader::isOpen() const {
    return m_impl && m_impl->file;
}

const SourceInfo& AudioReader::info() const {
    return m_impl->info;
}
const std::filesystem::path& AudioReader::path() const {
    return m_impl->path;
}
const std::vector<std::string>& AudioReader::notes() const {
    return m_impl->notes;
}
int64_t AudioReader::position() const {
    return m_impl->position;
}

int64_t AudioReader::read(AudioBuffer& block, int64_t maxFrames) {
    if (!isOpen())
        throw Error(ErrorCode::InvalidArgument, "AudioReader::read called without an open file");
    Impl& d = *m_impl;
    const int channels = d.info.channels;
    block.sampleRate = d.info.sampleRate;
    block.channels = channels;
    if (maxFrames <= 0) {
        block.frames = 0;
        block.samples.clear();
        return 0;
    }
    d.interleaved.resize(static_cast<size_t>(maxFrames) * static_cast<size_t>(channels));
    const sf_count_t got = sf_readf_float(d.file, d.interleaved.data(), maxFrames);
    const int err = sf_error(d.file);
    if (err != SF_ERR_NO_ERROR) {
        const std::string why = sf_strerror(d.file);
        throw Error(ErrorCode::UnreadableFile,
                    "Cannot decode " + quoted(d.path) + " after frame " +
                        std::to_string(d.position) + " (the file is damaged or truncated): " + why,
                    why);
    }
    if (got <= 0 && d.exactLength && d.position < d.info.frames)
        throw Error(ErrorCode::UnreadableFile,
                    "Cannot decode " + quoted(d.path) + ": the file ends after " +
                        std::to_string(d.position) + " of the " + std::to_string(d.info.frames) +
                        " frames its header announces (truncated)");

    const int64_t n = std::max<sf_count_t>(got, 0);
    block.frames = n;
    block.samples.resize(static_cast<size_t>(n) * static_cast<size_t>(channels));
    for (int c = 0; c < channels; ++c) {
        float* dst = block.samples.data() + static_cast<size_t>(c) * static_cast<size_t>(n);
        const float* src = d.interleaved.data() + c;
        for (int64_t i = 0; i < n; ++i)
            dst[i] = src[static_cast<size_t>(i) * static_cast<size_t>(channels)];
    }

    if (!allFinite(block)) {
        if (!d.options.sanitizeNonFinite) {
            // The first such frame exactly, not the start of the block it was read in.
            int64_t first = n;
            for (int c = 0; c < channels; ++c) {
                const float* s = block.samples.data() + static_cast<size_t>(c) * static_cast<size_t>(n);
                for (int64_t i = 0; i < first; ++i)
                    if (!std::isfinite(s[i])) {
                        first = i;
                        break;
                    }
            }
            const int64_t frame = d.position + first;
            char seconds[32];
            std::snprintf(seconds, sizeof seconds, "%.3f", d.info.sampleRate > 0 ? double(frame) / d.info.sampleRate : 0.0);
            throw Error(ErrorCode::NonFiniteAudio,
                        "Cannot use " + quoted(d.path) + ": it contains invalid samples (NaN or infinity), the first at frame " +
                            std::to_string(frame) + " (" + seconds +
                            " s); the file is damaged or was written by a faulty program");
        }
        d.sanitized += sanitizeNonFinite(block);
    }
    d.position += n;
    if (n == 0 && d.sanitized > 0)
        d.notes.push_back(d.path.filename().string() + ": replaced " + std::to_string(d.sanitized) +
                          " invalid samples (NaN or infinity) by silence");
    if (n == 0)
        d.sanitized = 0; // the note is written once, at the end
    return n;
}

void AudioReader::seek(int64_t frame) {
    if (!isOpen())
        throw Error(ErrorCode::InvalidArgument, "AudioReader::seek called without an open file");
    Impl& d = *m_impl;
    if (frame < 0 || (d.exactLength && frame > d.info.frames))
        throw Error(ErrorCode::InvalidArgument, "Cannot seek " + quoted(d.path) + " to frame " +
                                                    std::to_string(frame) + ": the file has " +
                                                    std::to_string(d.info.frames) + " frames");
    if (sf_seek(d.file, frame, SEEK_SET) < 0) {
        const std::string why = sf_strerror(d.file);
        throw Error(ErrorCode::UnreadableFile, "Cannot seek in " + quoted(d.path) + ": " + why,
                    why);
    }
    d.position = frame;
}

Decoded decodeFile(const std::filesystem::path& path, const DecodeOptions& options) {
    AudioReader reader;
    reader.open(path, options);
    Decoded out;
    out.info = reader.info();
    const int channels = out.info.channels;

    // Planar output written in place; the capacity follows the header's frame count and grows when
    // a lossy file's estimate was short. No header is trusted with a huge allocation up front.
    // The first allocation is also bounded by the file's size: a 117-byte FLAC may claim hours of
    // 8-channel audio (found by fuzz_decode). 16 frames per byte and channel covers the best
    // lossless compression of real audio; a file that decodes to more grows by doubling.
    constexpr int64_t kMaxInitialFrames = int64_t(1) << 27; // about 50 minutes at 44.1 kHz
    std::error_code sizeError;
    const auto fileBytes = static_cast<int64_t>(std::filesystem::file_size(path, sizeError));
    const int64_t bySize = sizeError ? kMaxInitialFrames
                                     : fileBytes * 16 / std::max(1, channels) + (int64_t(1) << 16);
    int64_t capacity = std::clamp<int64_t>(out.info.frames, 1, std::min(kMaxInitialFrames, bySize));
    std::vector<float> planar(static_cast<size_t>(capacity) * static_cast<size_t>(channels));
    auto relayout = [&](int64_t used, int64_t newCapacity) {
        std::vector<float> next(static_cast<size_t>(newCapacity) * static_cast<size_t>(channels));
        for (int c = 0; c < channels; ++c)
            std::memcpy(next.data() + static_cast<size_t>(c) * static_cast<size_t>(newCapacity),
                        planar.data() + static_cast<size_t>(c) * static_cast<size_t>(capacity),
                        static_cast<size_t>(used) * sizeof(float));
        planar.swap(next);
        capacity = newCapacity;
    };

    AudioBuffer block;
    int64_t frames = 0;
    constexpr int64_t kBlock = 1 << 16;
    while (true) {
        const int64_t n = reader.read(block, kBlock);
        if (n == 0)
            break;
        if (frames + n > capacity)
            relayout(frames, std::max(capacity * 2, frames + n));
        for (int c = 0; c < channels; ++c)
            std::memcpy(planar.data() + static_cast<size_t>(c) * static_cast<size_t>(capacity) +
                            static_cast<size_t>(frames),
                        block.channel(c).data(), static_cast<size_t>(n) * sizeof(float));
        frames += n;
    }
    if (frames == 0)
        throw Error(ErrorCode::EmptyInput,
                    "Cannot use \"" + path.string() + "\": it contains no audio (0 frames)");
    if (frames != capacity)
        relayout(frames, frames);

    out.audio.sampleRate = out.info.sampleRate;
    out.audio.channels = channels;
    out.audio.frames = frames;
    out.audio.samples = std::move(planar);
    if (frames != out.info.frames) {
        SD_LOG(log::audio, Debug) << path.string() << ": header announced " << out.info.frames
                                  << " frames, decoded " << frames;
        out.info.frames = frames;
    }
    out.notes = reader.notes();
    return out;
}

} // namespace stemdeck::audio
