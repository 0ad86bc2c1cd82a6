#include "audio/resample.h"

#include "common/error.h"

#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

namespace stemdeck::audio {

namespace {

unsigned long soxrRecipe(ResampleQuality q) {
    switch (q) {
    case ResampleQuality::Quick:
        return SOXR_QQ;
    case ResampleQuality::Low:
        return SOXR_LQ;
    case ResampleQuality::Medium:
        return SOXR_MQ;
    case ResampleQuality::High:
        return SOXR_HQ;
    case ResampleQuality::VeryHigh:
        return SOXR_VHQ;
    }
    return SOXR_VHQ;
}

void checkRates(int sourceRate, int targetRate) {
    if (sourceRate <= 0 || targetRate <= 0)
        throw Error(ErrorCode::InvalidArgument,
                    "Cannot resample from " + std::to_string(sourceRate) + " Hz to " +
                        std::to_string(targetRate) + " Hz: sample rates must be positive");
}

// Appends `frames` frames of each channel in `parts` to the planar growing output `out`.
struct PlanarAccumulator {
    std::vector<std::vector<float>> channels;
    explicit PlanarAccumulator(int n) : channels(static_cast<size_t>(n)) {}
    int64_t frames() const {
        return channels.empty() ? 0 : static_cast<int64_t>(channels[0].size());
    }
    AudioBuffer take(int rate, int64_t exactFrames) {
        AudioBuffer out = AudioBuffer::zeros(static_cast<int>(channels.size()), exactFrames, rate);
        for (size_t c = 0; c < channels.size(); ++c) {
            const size_t n = std::min(channels[c].size(), static_cast<size_t>(exactFrames));
            if (n > 0) // an empty vector's data() may be null: memcpy from null is undefined
                std::memcpy(out.channel(static_cast<int>(c)).data(), channels[c].data(),
                            n * sizeof(float));
            channels[c].clear();
        }
        return out;
    }
};

} // namespace

int64_t resampledLength(int64_t frames, int sourceRate, int targetRate) {
    checkRates(sourceRate, targetRate);
    // Integer arithmetic: frames * target fits int64 for any real file (2^63 / 768000 frames).
    const __int128 num = static_cast<__int128>(frames) * targetRate;
    return static_cast<int64_t>((num * 2 + sourceRate) / (2 * static_cast<__int128>(sourceRate)));
}

struct Resampler::Impl {
    soxr_t soxr = nullptr;
    int channels = 0;
    int sourceRate = 0;
    int targetRate = 0;
    int64_t in = 0;
    int64_t out = 0;
    bool flushed = false;
    std::vector<std::vector<float>> scratch;

    ~Impl() {
        if (soxr)
            soxr_delete(soxr);
    }

    // Runs soxr until the given input is consumed and no more output is pending (input nullptr:
    // end of stream). Appends to acc.
    void pump(const float* planarIn, int64_t frames, PlanarAccumulator& acc) {
        const size_t chunk = static_cast<size_t>(
            std::max<int64_t>(4096, resampledLength(frames, sourceRate, targetRate) + 64));
        for (auto& s : scratch)
            s.resize(chunk);
        std::vector<const void*> inPtrs(static_cast<size_t>(channels));
        std::vector<void*> outPtrs(static_cast<size_t>(channels));
        int64_t consumed = 0;
        while (true) {
            for (int c = 0; c < channels; ++c) {
                inPtrs[c] =
                    planarIn
                        ? planarIn + static_cast<size_t>(c) * static_cast<size_t>(frames) + consumed
                        : nullptr;
                outPtrs[c] = scratch[c].data();
            }
            size_t idone = 0, odone = 0;
            soxr_error_t err = soxr_process(
                soxr, planarIn ? static_cast<soxr_in_t>(inPtrs.data()) : nullptr,
                planarIn ? static_cast<size_t>(frames - consumed) : 0, planarIn ? &idone : nullptr,
                static_cast<soxr_out_t>(outPtrs.data()), chunk, &odone);
            if (err)
                throw Error(ErrorCode::Internal, std::string("Resampling failed: ") + err, err);
            consumed += static_cast<int64_t>(idone);
            for (int c = 0; c < channels; ++c)
                acc.channels[c].insert(acc.channels[c].end(), scratch[c].begin(),
                                       scratch[c].begin() + static_cast<long>(odone));
            const bool inputDone = !planarIn || consumed >= frames;
            if (inputDone && odone < chunk)
                break;
        }
    }
};

Resampler::Resampler(int channels, int sourceRate, int targetRate, ResampleQuality quality)
    : m_impl(std::make_unique<Impl>()) {
    checkRates(sourceRate, targetRate);
    if (channels <= 0)
        throw Error(ErrorCode::InvalidArgument,
                    "Cannot resample audio with " + std::to_string(channels) + " channels");
    Impl& d = *m_impl;
    d.channels = channels;
    d.sourceRate = sourceRate;
    d.targetRate = targetRate;
    d.scratch.resize(static_cast<size_t>(channels));
    soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_S, SOXR_FLOAT32_S);
    soxr_quality_spec_t q = soxr_quality_spec(soxrRecipe(quality), 0);
    soxr_error_t err = nullptr;
    d.soxr = soxr_create(sourceRate, targetRate, static_cast<unsigned>(channels), &err, &io, &q,
                         nullptr);
    if (err || !d.soxr)
        throw Error(ErrorCode::Internal,
                    std::string("Cannot set up resampling: ") + (err ? err : "soxr_create failed"));
}

Resampler::~Resampler() = default;

AudioBuffer Resampler::process(const AudioBuffer& block) {
    Impl& d = *m_impl;
    if (d.flushed)
        throw Error(ErrorCode::InvalidArgument, "Resampler::process called after flush()");
    if (block.channels != d.channels)
        throw Error(ErrorCode::InvalidArgument, "Resampler expects " + std::to_string(d.channels) +
                                                    " channels, got a block with " +
                                                    std::to_string(block.channels));
    PlanarAccumulator acc(d.channels);
    if (block.frames > 0)
        d.pump(block.samples.data(), block.frames, acc);
    d.in += block.frames;
    const int64_t n = acc.frames();
    d.out += n;
    return acc.take(d.targetRate, n);
}

AudioBuffer Resampler::flush() {
    Impl& d = *m_impl;
    if (d.flushed)
        return AudioBuffer::zeros(d.channels, 0, d.targetRate);
    d.flushed = true;
    PlanarAccumulator acc(d.channels);
    d.pump(nullptr, 0, acc);
    const int64_t expected = resampledLength(d.in, d.sourceRate, d.targetRate);
    const int64_t rest = std::max<int64_t>(expected - d.out, 0);
    d.out += rest;
    return acc.take(d.targetRate,
                    rest); // trims soxr's tail or pads the last sample or so with zeros
}

int64_t Resampler::framesIn() const {
    return m_impl->in;
}
int64_t Resampler::framesOut() const {
    return m_impl->out;
}
int Resampler::channels() const {
    return m_impl->channels;
}
int Resampler::sourceRate() const {
    return m_impl->sourceRate;
}
int Resampler::targetRate() const {
    return m_impl->targetRate;
}

AudioBuffer resample(const AudioBuffer& input, int targetRate, ResampleQuality quality) {
    checkRates(input.sampleRate, targetRate);
    if (input.sampleRate == targetRate)
        return input;
    if (input.empty())
        return AudioBuffer::zeros(input.channels, 0, targetRate);
    Resampler r(input.channels, input.sampleRate, targetRate, quality);
    AudioBuffer head = r.process(input);
    AudioBuffer tail = r.flush();
    AudioBuffer out = AudioBuffer::zeros(input.channels, head.frames + tail.frames, targetRate);
    for (int c = 0; c < input.channels; ++c) {
        // std::copy, not memcpy: head or tail may be empty, and memcpy from null is undefined.
        const auto h = head.channel(c), t = tail.channel(c);
        auto dst = std::copy(h.begin(), h.end(), out.channel(c).begin());
        std::copy(t.begin(), t.end(), dst);
    }
    return out;
}

} // namespace stemdeck::audio
