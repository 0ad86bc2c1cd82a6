#include "peak_pyramid.h"

#include <algorithm>
#include <limits>

namespace stemdeck::preview {

PeakPyramid PeakPyramid::build(const audio::AudioBuffer& audio, int baseBucket) {
    PeakPyramid p;
    if (audio.empty() || baseBucket < 1) return p;
    p.m_frames = audio.frames;
    Level base;
    base.bucket = baseBucket;
    const int64_t n = (audio.frames + baseBucket - 1) / baseBucket;
    base.min.assign(size_t(n), std::numeric_limits<float>::max());
    base.max.assign(size_t(n), std::numeric_limits<float>::lowest());
    for (int c = 0; c < audio.channels; ++c) {
        const float* s = audio.channel(c).data();
        for (int64_t i = 0; i < n; ++i) {
            const int64_t a = i * baseBucket;
            const int64_t b = std::min<int64_t>(a + baseBucket, audio.frames);
            float lo = base.min[size_t(i)], hi = base.max[size_t(i)];
            for (int64_t f = a; f < b; ++f) {
                lo = std::min(lo, s[f]);
                hi = std::max(hi, s[f]);
            }
            base.min[size_t(i)] = lo;
            base.max[size_t(i)] = hi;
        }
    }
    p.m_levels.push_back(std::move(base));
    while (p.m_levels.back().min.size() > 1) {
        const Level& prev = p.m_levels.back();
        Level next;
        next.bucket = prev.bucket * 2;
        const size_t m = (prev.min.size() + 1) / 2;
        next.min.resize(m);
        next.max.resize(m);
        for (size_t i = 0; i < m; ++i) {
            const size_t j = 2 * i, k = std::min(j + 1, prev.min.size() - 1);
            next.min[i] = std::min(prev.min[j], prev.min[k]);
            next.max[i] = std::max(prev.max[j], prev.max[k]);
        }
        p.m_levels.push_back(std::move(next));
    }
    return p;
}

int PeakPyramid::levelFor(double framesPerPixel) const {
    int level = 0;
    for (int l = 0; l < levelCount(); ++l)
        if (double(m_levels[size_t(l)].bucket) <= framesPerPixel) level = l;
    return level;
}

std::pair<float, float> PeakPyramid::range(int64_t a, int64_t b, int level) const {
    a = std::max<int64_t>(a, 0);
    b = std::min(b, m_frames);
    if (empty() || b <= a) return {0.0f, 0.0f};
    const Level& l = m_levels[size_t(std::clamp(level, 0, levelCount() - 1))];
    const size_t i0 = size_t(a / l.bucket);
    const size_t i1 = std::min(size_t((b + l.bucket - 1) / l.bucket), l.min.size());
    float lo = std::numeric_limits<float>::max(), hi = std::numeric_limits<float>::lowest();
    for (size_t i = i0; i < i1; ++i) {
        lo = std::min(lo, l.min[i]);
        hi = std::max(hi, l.max[i]);
    }
    return {lo, hi};
}

size_t PeakPyramid::memoryBytes() const {
    size_t bytes = 0;
    for (const Level& l : m_levels) bytes += (l.min.capacity() + l.max.capacity()) * sizeof(float);
    return bytes;
}

} // namespace stemdeck::preview
