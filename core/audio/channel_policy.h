// The channel policy between a file and the model: models take a fixed channel count (stereo for
// every public MDX23C), so mono is duplicated and extra channels are dropped, and the user is told.
#pragma once

#include "audio/audio_buffer.h"

#include <string>
#include <vector>

namespace stemdeck::audio {

// targetChannels >= 1. Same count: a copy. Mono -> N: the channel duplicated. More channels than
// asked: the first targetChannels kept, with a note (notes may be null). Stereo -> mono: the
// average, with a note. Throws InvalidArgument for targetChannels < 1 or an input without channels.
AudioBuffer applyChannelPolicy(const AudioBuffer& input, int targetChannels,
                               std::vector<std::string>* notes);

} // namespace stemdeck::audio
