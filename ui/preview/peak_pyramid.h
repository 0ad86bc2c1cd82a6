// PeakPyramid: min/max peaks of one track at several zoom levels, so a waveform of any width is
// drawn from at most a few thousand buckets instead of the samples. Level 0 holds one (min, max)
// pair per `baseBucket` frames over all channels; each next level merges pairs of the previous
// one (bucket size doubles) until one bucket covers the track. Built off the GUI thread.
//
// Memory: level 0 takes 8 bytes per baseBucket frames and all levels together less than twice
// that, i.e. < 16 * frames / baseBucket bytes (256: frames / 16 bytes, 0.4 MB per stereo or mono
// stem for 5 minutes at 44.1 kHz).
#pragma once

#include "audio/audio_buffer.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace stemdeck::preview {

class PeakPyramid {
public:
    static constexpr int kDefaultBaseBucket = 256;

    PeakPyramid() = default;
    static PeakPyramid build(const audio::AudioBuffer& audio, int baseBucket = kDefaultBaseBucket);

    bool empty() const { return m_levels.empty(); }
    int64_t frames() const { return m_frames; }
    int levelCount() const { return int(m_levels.size()); }
    int64_t bucketFrames(int level) const { return m_levels[size_t(level)].bucket; }
    const std::vector<float>& mins(int level) const { return m_levels[size_t(level)].min; }
    const std::vector<float>& maxs(int level) const { return m_levels[size_t(level)].max; }

    // The coarsest level whose buckets are no wider than framesPerPixel (0 when the view is
    // zoomed in further than level 0).
    int levelFor(double framesPerPixel) const;
    // (min, max) over frames [a, b) from the given level's buckets (bucket-aligned outward);
    // (0, 0) for an empty range.
    std::pair<float, float> range(int64_t a, int64_t b, int level) const;

    size_t memoryBytes() const;

private:
    struct Level {
        int64_t bucket = 0;
        std::vector<float> min;
        std::vector<float> max;
    };
    int64_t m_frames = 0;
    std::vector<Level> m_levels;
};

} // namespace stemdeck::preview
