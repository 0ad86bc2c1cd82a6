// Overlap-add for chunked separation (ARCHITECTURE.md, "Overlap-add semantics"): the chunk plan
// (where each model chunk starts, how it is padded), the per-chunk fade window, and the
// accumulators that turn windowed chunk outputs back into full-length stems. Plain C++: the
// engine copies model outputs into host float32 and hands them here, so this file is testable
// without LibTorch and behaves the same on every device.
//
// Compatible with the public MDX23C inference (MSST demix) with two deliberate differences:
//  - first/last chunk is decided per chunk, never per batch, so results do not depend on the
//    batch size (and a chunk that is both first and last has no fades at all);
//  - with num_overlap == 1 the chunks do not overlap, so no fades are applied: the reference
//    fades there too and its zero-weight samples come out as silence at every chunk boundary.
#pragma once

#include <cstdint>
#include <vector>

namespace stemdeck::dsp {

struct ChunkInfo {
    int64_t index = 0;
    int64_t start = 0;  // in padded coordinates
    int64_t length = 0; // real (padded-signal) samples in the chunk; the rest is tail padding
    bool first = false;
    bool last = false;
    bool tailReflect = false; // tail padding is a reflection (more than half real), else zeros
};

class ChunkPlan {
public:
    // Throws stemdeck::Error(InvalidArgument) for frames < 1, chunk < 1, numOverlap outside
    // [1, chunk].
    ChunkPlan(int64_t frames, int64_t chunk, int numOverlap);

    int64_t frames() const { return m_frames; }
    int64_t chunk() const { return m_chunk; }
    int numOverlap() const { return m_numOverlap; }
    int64_t step() const { return m_step; }
    int64_t border() const { return m_border; }
    int64_t fade() const { return m_fade; }
    // border when the input is longer than 2 x border (and border > 0), else 0.
    int64_t outerPad() const { return m_outerPad; }
    int64_t paddedFrames() const { return m_frames + 2 * m_outerPad; }
    int64_t chunkCount() const { return m_chunkCount; }
    ChunkInfo chunkInfo(int64_t index) const;

    // Index into the unpadded input for a padded coordinate in [0, paddedFrames()) (reflection
    // without repeating the edge sample, as torch's "reflect").
    int64_t sourceIndex(int64_t padded) const;

    // The model input of one chunk, planar [channels][chunk], from a planar whole input
    // (channels x frames()). Outer and tail padding applied.
    void extractChunk(const float* input, int channels, int64_t index, float* out) const;

    // As extractChunk, reading from a window of the input: `window` holds planar channels x
    // windowFrames samples of the input starting at input frame windowStart. The window must
    // cover every source sample the chunk needs (see sourceRange).
    void extractChunk(const float* window, int channels, int64_t windowStart, int64_t windowFrames,
                      int64_t index, float* out) const;

    // The range [first, last] of input frames chunk `index` reads (for streaming readers).
    void sourceRange(int64_t index, int64_t* first, int64_t* last) const;

    // The weights of chunk `index` (chunk() values): linear fade-in over fade() samples, ones,
    // linear fade-out; no fade-in on the first chunk, no fade-out on the last.
    std::vector<float> window(int64_t index) const;

private:
    int64_t m_frames;
    int64_t m_chunk;
    int m_numOverlap;
    int64_t m_step;
    int64_t m_border;
    int64_t m_fade;
    int64_t m_outerPad;
    int64_t m_chunkCount;
    std::vector<float> m_fadeIn;
    std::vector<float> m_fadeOut;
};

// Chunk output layout everywhere: planar [stems][channels][chunk] float32.

// Whole-buffer accumulator: full-length sums, result() once every chunk is in. Chunks may come in
// any order.
class OverlapAddAccumulator {
public:
    OverlapAddAccumulator(const ChunkPlan& plan, int stems, int channels);
    void add(int64_t index, const float* chunkOutput);
    // Planar [stems][channels][plan.frames()]: sum / weights, outer padding cropped; samples no
    // chunk weighted (weight 0) are 0. Stems already taken are not in it.
    std::vector<float> result() const;
    // The same for one stem, [channels][plan.frames()], made in place in that stem's sums and
    // moved out: handing out every stem this way costs no second copy of the separation (a
    // 10-minute whole-buffer job held three). The stem's sums are gone afterwards.
    std::vector<float> takeStem(int stem);

private:
    const ChunkPlan& m_plan;
    int m_stems;
    int m_channels;
    std::vector<std::vector<float>> m_sum; // per stem: [channels][padded]
    std::vector<float> m_weight;           // [padded]
};

// Streaming accumulator: chunks must be added in order; after each add, everything before the
// next chunk's start is final and can be taken. Memory is O(chunk), independent of length.
class StreamingOverlapAdd {
public:
    StreamingOverlapAdd(const ChunkPlan& plan, int stems, int channels);
    void add(int64_t index, const float* chunkOutput);
    // Output frames (unpadded coordinates) that are final and not yet taken.
    int64_t available() const;
    // Moves up to maxFrames final frames into `out` (planar [stems][channels][n], resized);
    // returns n. After the last chunk everything becomes available.
    int64_t take(std::vector<float>& out, int64_t maxFrames = INT64_MAX);
    int64_t framesTaken() const { return m_taken; }
    bool finished() const { return m_taken == m_plan.frames(); }

private:
    void compact();

    const ChunkPlan& m_plan;
    int m_stems;
    int m_channels;
    int64_t m_nextIndex = 0;
    int64_t m_base = 0;      // padded coordinate of m_sum[...][0]
    int64_t m_capacity;      // frames held per channel
    int64_t m_finalEnd = 0;  // padded coordinate up to which sums are final
    int64_t m_taken = 0;     // output frames handed out
    std::vector<float> m_sum;
    std::vector<float> m_weight;
};

} // namespace stemdeck::dsp
