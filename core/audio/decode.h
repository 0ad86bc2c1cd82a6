// Reading audio files with libsndfile: a streaming AudioReader (hour-long inputs are read block by
// block) and decodeFile() for the whole file at once. Every failure is a stemdeck::Error whose
// message names the file and says what is wrong in plain words; libsndfile's own text goes to
// Error::detail().
#pragma once

#include "audio/audio_buffer.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace stemdeck::audio {

enum class SampleKind { Pcm8, Pcm16, Pcm24, Pcm32, Float, Compressed };

const char* sampleKindName(SampleKind kind);

struct SourceInfo {
    std::string
        format; // short container name: "WAV", "FLAC", "OGG", "MP3", "AIFF", "W64", "RF64", ...
    std::string subtype; // libsndfile's encoding name: "PCM_16", "FLOAT", "VORBIS", "OPUS", ...
    int sampleRate = 0;
    int channels = 0;
    int64_t frames = 0; // as announced by the file; for MP3 an estimate until read to the end
    SampleKind kind = SampleKind::Pcm16;
};

struct DecodeOptions {
    // false: NaN/Inf samples make the read fail (ErrorCode::NonFiniteAudio).
    // true: they are replaced by 0 and a note says how many.
    bool sanitizeNonFinite = false;
};

struct Decoded {
    AudioBuffer audio;
    SourceInfo info;
    std::vector<std::string> notes; // things the user should know (sanitized samples, fixes)
};

class AudioReader {
public:
    AudioReader();
    ~AudioReader();
    AudioReader(AudioReader&&) noexcept;
    AudioReader& operator=(AudioReader&&) noexcept;
    AudioReader(const AudioReader&) = delete;
    AudioReader& operator=(const AudioReader&) = delete;

    // Throws FileNotFound, UnreadableFile (truncated, corrupt, unknown format) or EmptyInput.
    void open(const std::filesystem::path& path, const DecodeOptions& options = {});
    void close();
    bool isOpen() const;

    const SourceInfo& info() const;
    const std::filesystem::path& path() const;

    // Reads up to maxFrames frames into block (resized to channels x n, planar, sampleRate set).
    // Returns n; 0 at the end. Throws UnreadableFile when libsndfile reports a decode error or the
    // file ends before the frame count its header announced, NonFiniteAudio per DecodeOptions.
    int64_t read(AudioBuffer& block, int64_t maxFrames);

    // Moves the read position to an absolute frame; throws InvalidArgument when out of range or
    // UnreadableFile when the format cannot seek.
    void seek(int64_t frame);
    int64_t position() const;

    // Notes gathered so far (sanitized samples, tolerated header quirks).
    const std::vector<std::string>& notes() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Decodes a whole file. Throws like AudioReader (EmptyInput for zero frames).
Decoded decodeFile(const std::filesystem::path& path, const DecodeOptions& options = {});

} // namespace stemdeck::audio
