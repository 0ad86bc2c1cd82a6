#include "dsp/overlap_add.h"

#include "common/error.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace stemdeck::dsp {

namespace {

// torch.linspace(start, end, steps) for float32 on the CPU: the first half counts up from start,
// the second half down from end, with a float step. Matching it keeps the window bit-identical
// to the reference instead of merely close.
std::vector<float> linspace(float start, float end, int64_t steps) {
    std::vector<float> v(static_cast<size_t>(std::max<int64_t>(steps, 0)));
    if (steps == 1) {
        v[0] = start;
    } else if (steps > 1) {
        const float step = (end - start) / static_cast<float>(steps - 1);
        const int64_t halfway = steps / 2;
        for (int64_t i = 0; i < steps; ++i)
            v[static_cast<size_t>(i)] = i < halfway ? start + step * static_cast<float>(i)
                                                    : end - step * static_cast<float>(steps - i - 1);
    }
    return v;
}

} // namespace

ChunkPlan::ChunkPlan(int64_t frames, int64_t chunk, int numOverlap)
    : m_frames(frames), m_chunk(chunk), m_numOverlap(numOverlap) {
    if (frames < 1)
        throw Error(ErrorCode::EmptyInput, "The audio is empty: there is nothing to separate.");
    if (chunk < 1)
        throw Error(ErrorCode::InvalidArgument,
                    "The chunk size must be at least 1 sample (got " + std::to_string(chunk) + ").");
    if (numOverlap < 1 || numOverlap > chunk)
        throw Error(ErrorCode::InvalidArgument,
                    "The overlap must be between 1 and the chunk size (got " + std::to_string(numOverlap) + ").");
    m_step = chunk / numOverlap;
    m_border = chunk - m_step;
    // No overlap means no cross-fade partner: fading would only zero samples (see header).
    m_fade = numOverlap == 1 ? 0 : chunk / 10;
    m_outerPad = (frames > 2 * m_border && m_border > 0) ? m_border : 0;
    m_chunkCount = (paddedFrames() + m_step - 1) / m_step;
    m_fadeIn = linspace(0.0f, 1.0f, m_fade);
    m_fadeOut = linspace(1.0f, 0.0f, m_fade);
}

ChunkInfo ChunkPlan::chunkInfo(int64_t index) const {
    if (index < 0 || index >= m_chunkCount)
        throw Error(ErrorCode::Internal, "Chunk index " + std::to_string(index) + " is out of range.");
    ChunkInfo info;
    info.index = index;
    info.start = index * m_step;
    info.length = std::min(m_chunk, paddedFrames() - info.start);
    info.first = index == 0;
    info.last = index == m_chunkCount - 1;
    info.tailReflect = info.length < m_chunk && info.length > m_chunk / 2;
    return info;
}

int64_t ChunkPlan::sourceIndex(int64_t padded) const {
    int64_t s = padded - m_outerPad;
    if (s < 0) s = -s;
    if (s >= m_frames) s = 2 * (m_frames - 1) - s;
    return s;
}

void ChunkPlan::sourceRange(int64_t index, int64_t* first, int64_t* last) const {
    const ChunkInfo info = chunkInfo(index);
    const int64_t a = info.start, b = info.start + info.length - 1;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    auto consider = [&](int64_t p) {
        if (p < a || p > b) return;
        const int64_t s = sourceIndex(p);
        lo = std::min(lo, s);
        hi = std::max(hi, s);
    };
    consider(a);
    consider(b);
    consider(m_outerPad);
    consider(m_outerPad + m_frames - 1);
    *first = lo;
    *last = hi;
}

void ChunkPlan::extractChunk(const float* input, int channels, int64_t index, float* out) const {
    extractChunk(input, channels, 0, m_frames, index, out);
}

void ChunkPlan::extractChunk(const float* window, int channels, int64_t windowStart, int64_t windowFrames,
                             int64_t index, float* out) const {
    const ChunkInfo info = chunkInfo(index);
    int64_t lo = 0, hi = 0;
    sourceRange(index, &lo, &hi);
    if (lo < windowStart || hi >= windowStart + windowFrames)
        throw Error(ErrorCode::Internal, "Chunk " + std::to_string(index) + " needs input frames outside the window.");
    for (int c = 0; c < channels; ++c) {
        const float* src = window + static_cast<size_t>(c) * static_cast<size_t>(windowFrames);
        float* dst = out + static_cast<size_t>(c) * static_cast<size_t>(m_chunk);
        for (int64_t k = 0; k < m_chunk; ++k) {
            int64_t j = k;
            if (k >= info.length) {
                if (!info.tailReflect) {
                    dst[k] = 0.0f;
                    continue;
                }
                j = 2 * (info.length - 1) - k;
            }
            dst[k] = src[sourceIndex(info.start + j) - windowStart];
        }
    }
}

std::vector<float> ChunkPlan::window(int64_t index) const {
    const ChunkInfo info = chunkInfo(index);
    std::vector<float> w(static_cast<size_t>(m_chunk), 1.0f);
    if (m_fade > 0 && m_fade <= m_chunk) {
        if (!info.last) std::copy(m_fadeOut.begin(), m_fadeOut.end(), w.end() - m_fade);
        if (!info.first) std::copy(m_fadeIn.begin(), m_fadeIn.end(), w.begin());
    }
    return w;
}

// ---- whole buffer --------------------------------------------------------------------------

OverlapAddAccumulator::OverlapAddAccumulator(const ChunkPlan& plan, int stems, int channels)
    : m_plan(plan), m_stems(stems), m_channels(channels),
      m_sum(static_cast<size_t>(stems), std::vector<float>(static_cast<size_t>(channels) * plan.paddedFrames(), 0.0f)),
      m_weight(static_cast<size_t>(plan.paddedFrames()), 0.0f) {}

void OverlapAddAccumulator::add(int64_t index, const float* chunkOutput) {
    const ChunkInfo info = m_plan.chunkInfo(index);
    const std::vector<float> w = m_plan.window(index);
    const int64_t padded = m_plan.paddedFrames(), chunk = m_plan.chunk();
    for (int s = 0; s < m_stems; ++s)
        for (int c = 0; c < m_channels; ++c) {
            float* dst = m_sum[static_cast<size_t>(s)].data() + static_cast<size_t>(c) * padded + info.start;
            const float* src = chunkOutput + (static_cast<size_t>(s) * m_channels + c) * chunk;
            for (int64_t k = 0; k < info.length; ++k) dst[k] += src[k] * w[static_cast<size_t>(k)];
        }
    for (int64_t k = 0; k < info.length; ++k) m_weight[static_cast<size_t>(info.start + k)] += w[static_cast<size_t>(k)];
}

std::vector<float> OverlapAddAccumulator::result() const {
    const int64_t frames = m_plan.frames(), padded = m_plan.paddedFrames(), pad = m_plan.outerPad();
    std::vector<float> out(static_cast<size_t>(m_stems) * m_channels * frames);
    for (int s = 0; s < m_stems; ++s)
        for (int c = 0; c < m_channels; ++c) {
            const std::vector<float>& sum = m_sum[static_cast<size_t>(s)];
            if (sum.empty()) continue; // taken
            const float* src = sum.data() + static_cast<size_t>(c) * padded + pad;
            const float* wt = m_weight.data() + pad;
            float* dst = out.data() + (static_cast<size_t>(s) * m_channels + c) * frames;
            for (int64_t k = 0; k < frames; ++k) dst[k] = wt[k] != 0.0f ? src[k] / wt[k] : 0.0f;
        }
    return out;
}

std::vector<float> OverlapAddAccumulator::takeStem(int stem) {
    std::vector<float> out = std::move(m_sum.at(static_cast<size_t>(stem)));
    m_sum[static_cast<size_t>(stem)].clear();
    if (out.empty()) return out; // taken before
    const int64_t frames = m_plan.frames(), padded = m_plan.paddedFrames(), pad = m_plan.outerPad();
    const float* wt = m_weight.data() + pad;
    // Channel c moves from c * padded + pad down to c * frames: never to the right of where it
    // reads (frames <= padded), so one forward pass in place is safe.
    for (int c = 0; c < m_channels; ++c) {
        const float* src = out.data() + static_cast<size_t>(c) * padded + pad;
        float* dst = out.data() + static_cast<size_t>(c) * frames;
        for (int64_t k = 0; k < frames; ++k) dst[k] = wt[k] != 0.0f ? src[k] / wt[k] : 0.0f;
    }
    out.resize(static_cast<size_t>(m_channels) * frames);
    return out;
}

// ---- streaming -----------------------------------------------------------------------------

StreamingOverlapAdd::StreamingOverlapAdd(const ChunkPlan& plan, int stems, int channels)
    : m_plan(plan), m_stems(stems), m_channels(channels),
      m_capacity(std::min(plan.paddedFrames(), 2 * plan.chunk())) {
    m_sum.assign(static_cast<size_t>(stems) * channels * m_capacity, 0.0f);
    m_weight.assign(static_cast<size_t>(m_capacity), 0.0f);
}

void StreamingOverlapAdd::compact() {
    // Drop what is final and already handed out (or lies in the leading outer padding).
    const int64_t dropTo = std::min(m_finalEnd, m_plan.outerPad() + m_taken);
    const int64_t shift = dropTo - m_base;
    if (shift <= 0) return;
    const int64_t keep = m_capacity - shift;
    for (int sc = 0; sc < m_stems * m_channels; ++sc) {
        float* row = m_sum.data() + static_cast<size_t>(sc) * m_capacity;
        std::memmove(row, row + shift, static_cast<size_t>(keep) * sizeof(float));
        std::fill(row + keep, row + m_capacity, 0.0f);
    }
    std::memmove(m_weight.data(), m_weight.data() + shift, static_cast<size_t>(keep) * sizeof(float));
    std::fill(m_weight.begin() + keep, m_weight.end(), 0.0f);
    m_base = dropTo;
}

void StreamingOverlapAdd::add(int64_t index, const float* chunkOutput) {
    if (index != m_nextIndex)
        throw Error(ErrorCode::Internal, "Streaming overlap-add got chunk " + std::to_string(index) +
                                             ", expected " + std::to_string(m_nextIndex) + ".");
    const ChunkInfo info = m_plan.chunkInfo(index);
    const int64_t end = info.start + info.length;
    if (end > m_base + m_capacity) compact();
    if (end > m_base + m_capacity) {
        // The caller is not taking finished frames: grow rather than lose them.
        const int64_t newCapacity = end - m_base;
        std::vector<float> sum(static_cast<size_t>(m_stems) * m_channels * newCapacity, 0.0f);
        for (int sc = 0; sc < m_stems * m_channels; ++sc)
            std::copy_n(m_sum.data() + static_cast<size_t>(sc) * m_capacity, m_capacity,
                        sum.data() + static_cast<size_t>(sc) * newCapacity);
        m_sum.swap(sum);
        m_weight.resize(static_cast<size_t>(newCapacity), 0.0f);
        m_capacity = newCapacity;
    }
    const std::vector<float> w = m_plan.window(index);
    const int64_t offset = info.start - m_base, chunk = m_plan.chunk();
    for (int sc = 0; sc < m_stems * m_channels; ++sc) {
        float* dst = m_sum.data() + static_cast<size_t>(sc) * m_capacity + offset;
        const float* src = chunkOutput + static_cast<size_t>(sc) * chunk;
        for (int64_t k = 0; k < info.length; ++k) dst[k] += src[k] * w[static_cast<size_t>(k)];
    }
    for (int64_t k = 0; k < info.length; ++k) m_weight[static_cast<size_t>(offset + k)] += w[static_cast<size_t>(k)];
    m_finalEnd = info.last ? m_plan.paddedFrames() : (index + 1) * m_plan.step();
    ++m_nextIndex;
}

int64_t StreamingOverlapAdd::available() const {
    const int64_t end = std::min(m_finalEnd, m_plan.outerPad() + m_plan.frames());
    return std::max<int64_t>(0, end - (m_plan.outerPad() + m_taken));
}

int64_t StreamingOverlapAdd::take(std::vector<float>& out, int64_t maxFrames) {
    const int64_t n = std::min(available(), std::max<int64_t>(0, maxFrames));
    out.resize(static_cast<size_t>(m_stems) * m_channels * n);
    const int64_t from = m_plan.outerPad() + m_taken - m_base;
    for (int sc = 0; sc < m_stems * m_channels; ++sc) {
        const float* src = m_sum.data() + static_cast<size_t>(sc) * m_capacity + from;
        const float* wt = m_weight.data() + from;
        float* dst = out.data() + static_cast<size_t>(sc) * n;
        for (int64_t k = 0; k < n; ++k) dst[k] = wt[k] != 0.0f ? src[k] / wt[k] : 0.0f;
    }
    m_taken += n;
    return n;
}

} // namespace stemdeck::dsp
