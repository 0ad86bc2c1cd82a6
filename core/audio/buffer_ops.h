// Whole-buffer checks and fixes used at the audio layer's boundaries: the peak that clip
// policies and reports need, and the NaN/Inf detection that decode and export refuse on.
#pragma once

#include "audio/audio_buffer.h"

#include <cstdint>
#include <string>

namespace stemdeck::audio {

// Largest |sample| over all channels; 0 for an empty buffer. NaN samples are ignored
// (std::fabs(NaN) compares false), so call allFinite() first where that matters.
float peakAbs(const AudioBuffer& buffer);
float peakAbs(const float* samples, size_t count);

bool allFinite(const AudioBuffer& buffer);
bool allFinite(const float* samples, size_t count);

// Replaces NaN and +-Inf by 0; returns how many samples were replaced.
int64_t sanitizeNonFinite(AudioBuffer& buffer);
int64_t sanitizeNonFinite(float* samples, size_t count);

// Peak as dBFS text for messages ("+2.3 dBFS", "-inf dBFS").
std::string peakDbfsText(float peak);

} // namespace stemdeck::audio
