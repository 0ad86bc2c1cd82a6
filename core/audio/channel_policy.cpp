#include "audio/channel_policy.h"

#include "common/error.h"
#include "common/log.h"

#include <algorithm>
#include <cstring>

namespace stemdeck::audio {

AudioBuffer applyChannelPolicy(const AudioBuffer& input, int targetChannels,
                               std::vector<std::string>* notes) {
    if (targetChannels < 1)
        throw Error(ErrorCode::InvalidArgument,
                    "Cannot convert audio to " + std::to_string(targetChannels) + " channels");
    if (input.channels < 1)
        throw Error(ErrorCode::InvalidArgument, "Cannot convert audio that has no channels");
    if (input.channels == targetChannels)
        return input;

    AudioBuffer out = AudioBuffer::zeros(targetChannels, input.frames, input.sampleRate);
    const size_t bytes = static_cast<size_t>(input.frames) * sizeof(float);
    std::string note;
    if (input.channels == 1) {
        for (int c = 0; c < targetChannels; ++c)
            std::memcpy(out.channel(c).data(), input.channel(0).data(), bytes);
        SD_LOG(log::audio, Debug) << "mono input duplicated to " << targetChannels << " channels";
    } else if (input.channels > targetChannels && targetChannels > 1) {
        for (int c = 0; c < targetChannels; ++c)
            std::memcpy(out.channel(c).data(), input.channel(c).data(), bytes);
        note = "The input has " + std::to_string(input.channels) + " channels; only the first " +
               std::to_string(targetChannels) + " are used (the other " +
               std::to_string(input.channels - targetChannels) + " are ignored)";
    } else if (targetChannels == 1) {
        auto dst = out.channel(0);
        for (int c = 0; c < input.channels; ++c) {
            auto src = input.channel(c);
            for (int64_t i = 0; i < input.frames; ++i)
                dst[i] += src[i];
        }
        const float scale = 1.0f / static_cast<float>(input.channels);
        for (float& v : dst)
            v *= scale;
        note = "The input has " + std::to_string(input.channels) +
               " channels; they are mixed down to mono";
    } else {
        // Fewer channels than asked but more than one (e.g. stereo -> 4): repeat them in order.
        for (int c = 0; c < targetChannels; ++c)
            std::memcpy(out.channel(c).data(), input.channel(c % input.channels).data(), bytes);
        note = "The input has " + std::to_string(input.channels) +
               " channels; they are repeated to fill " + std::to_string(targetChannels);
    }
    if (!note.empty()) {
        SD_LOG(log::audio, Info) << note;
        if (notes)
            notes->push_back(note);
    }
    return out;
}

} // namespace stemdeck::audio
