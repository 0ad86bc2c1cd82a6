// Sample-rate conversion with libsoxr. Output is time-aligned with the input (soxr removes its own
// filter delay) and has exactly round(frames * target / source) frames, so stems line up with the
// mix sample for sample after a round trip through the model rate.
#pragma once

#include "audio/audio_buffer.h"

#include <cstdint>
#include <memory>

namespace stemdeck::audio {

enum class ResampleQuality { Quick, Low, Medium, High, VeryHigh };

// Exact output length for a conversion: round(frames * targetRate / sourceRate).
int64_t resampledLength(int64_t frames, int sourceRate, int targetRate);

// Whole-buffer conversion. Returns a copy when the rates already match. Throws InvalidArgument for
// non-positive rates, Internal when soxr fails.
AudioBuffer resample(const AudioBuffer& input, int targetRate,
                     ResampleQuality quality = ResampleQuality::VeryHigh);

// Streaming conversion for long files: feed blocks to process(), then call flush() once. The
// concatenation of all outputs equals resample() of the concatenated input (same length rule).
class Resampler {
public:
    Resampler(int channels, int sourceRate, int targetRate,
              ResampleQuality quality = ResampleQuality::VeryHigh);
    ~Resampler();
    Resampler(const Resampler&) = delete;
    Resampler& operator=(const Resampler&) = delete;

    // Returns the output that is ready (possibly fewer frames than the block's share: soxr holds
    // back what its filter still needs). block.channels must match; its sampleRate is not checked.
    AudioBuffer process(const AudioBuffer& block);
    // Returns the rest, padded or trimmed so the total is resampledLength(framesIn()).
    AudioBuffer flush();

    int64_t framesIn() const;
    int64_t framesOut() const;
    int channels() const;
    int sourceRate() const;
    int targetRate() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace stemdeck::audio
