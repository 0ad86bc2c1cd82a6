// Fuzz target: the audio decode wrapper (libsndfile through core/audio's AudioReader). decode.h
// reads from paths only, so each input is written to one file in /dev/shm (memory-backed) first.
// A decode that succeeds must give a consistent buffer (channels x frames samples, all finite:
// non-finite samples either fail the read or are sanitised); a failure must be an Error naming
// the file.
#include "audio/decode.h"
#include "fuzz_util.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace stemdeck;
    static const std::filesystem::path path = [] {
        const std::filesystem::path shm = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
        return shm / ("stemdeck-fuzz-decode-" + std::to_string(::getpid()) + ".input");
    }();
    static const bool cleanup = (std::atexit([] { std::filesystem::remove(path); }), true);
    (void)cleanup;
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    audio::DecodeOptions options;
    options.sanitizeNonFinite = size > 0 && (data[size - 1] & 1);
    try {
        audio::Decoded d = audio::decodeFile(path, options);
        fuzz::expect(d.audio.channels > 0 && d.audio.frames > 0, "empty audio decoded without an error");
        fuzz::expect(d.audio.samples.size() == size_t(d.audio.channels) * size_t(d.audio.frames),
                     "buffer size differs from channels x frames");
        fuzz::expect(d.audio.sampleRate > 0, "decoded audio without a sample rate");
        for (float s : d.audio.samples) fuzz::expect(std::isfinite(s), "non-finite sample passed through");
    } catch (const Error& e) {
        fuzz::expectNamed(e, path.filename().string());
    }
    // The streaming reader with a seek, as the engine uses it for long files.
    try {
        audio::AudioReader reader;
        reader.open(path, options);
        audio::AudioBuffer block;
        reader.read(block, 256);
        reader.seek(0);
        while (reader.read(block, 4096) > 0) {}
    } catch (const Error& e) {
        fuzz::expectNamed(e, path.filename().string());
    }
    return 0;
}
