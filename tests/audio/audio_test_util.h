// Helpers shared by the audio suites: writing reference files with libsndfile directly (so decode
// tests do not depend on StemDeck's own encoder), building buffers and comparing them.
#pragma once

#include "audio/audio_buffer.h"

#include <sndfile.h>

#include <QTest>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace stemdeck::test {

inline audio::AudioBuffer makeBuffer(std::vector<float> planar, int channels, int sampleRate) {
    audio::AudioBuffer b;
    b.channels = channels;
    b.sampleRate = sampleRate;
    b.frames = static_cast<int64_t>(planar.size()) / channels;
    b.samples = std::move(planar);
    return b;
}

// Writes planar audio with libsndfile in the given SF_FORMAT_* combination. Returns false (and
// fails the test) when libsndfile refuses.
inline bool writeWithSndfile(const std::filesystem::path& path, int format,
                             const audio::AudioBuffer& buffer) {
    SF_INFO info{};
    info.samplerate = buffer.sampleRate;
    info.channels = buffer.channels;
    info.format = format;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    if (!f) {
        qWarning("sf_open(%s) failed: %s", path.c_str(), sf_strerror(nullptr));
        return false;
    }
    std::vector<float> interleaved(buffer.samples.size());
    for (int c = 0; c < buffer.channels; ++c)
        for (int64_t i = 0; i < buffer.frames; ++i)
            interleaved[static_cast<size_t>(i * buffer.channels + c)] =
                buffer.channel(c)[static_cast<size_t>(i)];
    const sf_count_t n = sf_writef_float(f, interleaved.data(), buffer.frames);
    sf_close(f);
    return n == buffer.frames;
}

inline double maxAbsDiff(const audio::AudioBuffer& a, const audio::AudioBuffer& b,
                         int64_t skip = 0) {
    double worst = 0;
    for (int c = 0; c < a.channels; ++c)
        for (int64_t i = skip; i < a.frames - skip; ++i)
            worst = std::max(worst, std::fabs(double(a.channel(c)[size_t(i)]) -
                                              double(b.channel(c)[size_t(i)])));
    return worst;
}

// Signal-to-noise ratio in dB of `test` against `ref` over [begin, end) frames, after shifting
// `test` by `lag` frames (test[i + lag] compared with ref[i]).
inline double snrDb(const audio::AudioBuffer& ref, const audio::AudioBuffer& test, int64_t lag,
                    int64_t begin, int64_t end) {
    double signal = 0, noise = 0;
    for (int c = 0; c < ref.channels; ++c)
        for (int64_t i = begin; i < end; ++i) {
            const int64_t j = i + lag;
            const double r = ref.channel(c)[size_t(i)];
            const double t = (j >= 0 && j < test.frames) ? test.channel(c)[size_t(j)] : 0.0;
            signal += r * r;
            noise += (r - t) * (r - t);
        }
    return noise > 0 ? 10.0 * std::log10(signal / noise) : 300.0;
}

// Lag in [-maxLag, maxLag] that best aligns `test` with `ref` (largest correlation of channel 0
// over at most 8192 frames from `begin`), for codecs that add padding (MP3 encoder delay).
inline int64_t bestLag(const audio::AudioBuffer& ref, const audio::AudioBuffer& test, int64_t maxLag,
                       int64_t begin, int64_t end) {
    end = std::min<int64_t>(end, begin + 8192);
    const float* r = ref.channel(0).data();
    const float* t = test.channel(0).data();
    int64_t best = 0;
    double bestCorr = -1e300;
    for (int64_t lag = -maxLag; lag <= maxLag; ++lag) {
        const int64_t from = std::max<int64_t>(begin, -lag);
        const int64_t to = std::min<int64_t>(end, test.frames - lag);
        double corr = 0;
        for (int64_t i = from; i < to; ++i)
            corr += double(r[i]) * double(t[i + lag]);
        if (corr > bestCorr) {
            bestCorr = corr;
            best = lag;
        }
    }
    return best;
}

} // namespace stemdeck::test
