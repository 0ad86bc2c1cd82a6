// AudioBuffer: the one in-memory audio type of StemDeck. Planar float32 in a single contiguous
// block (channel c occupies samples[c * frames, (c + 1) * frames)), so a buffer maps onto a
// [channels, frames] tensor without copying and each channel is a plain float span.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace stemdeck::audio {

struct AudioBuffer {
    int sampleRate = 0;
    int channels = 0;
    int64_t frames = 0;
    std::vector<float> samples; // planar, channels * frames

    static AudioBuffer zeros(int channels, int64_t frames, int sampleRate) {
        AudioBuffer b;
        b.sampleRate = sampleRate;
        b.channels = channels;
        b.frames = frames;
        b.samples.assign(static_cast<size_t>(channels) * static_cast<size_t>(frames), 0.0f);
        return b;
    }

    bool empty() const { return frames == 0 || channels == 0; }
    double durationSeconds() const { return sampleRate > 0 ? double(frames) / sampleRate : 0.0; }

    std::span<float> channel(int c) {
        return {samples.data() + static_cast<size_t>(c) * static_cast<size_t>(frames),
                static_cast<size_t>(frames)};
    }
    std::span<const float> channel(int c) const {
        return {samples.data() + static_cast<size_t>(c) * static_cast<size_t>(frames),
                static_cast<size_t>(frames)};
    }
};

} // namespace stemdeck::audio
