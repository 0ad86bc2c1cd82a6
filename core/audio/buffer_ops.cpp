#include "audio/buffer_ops.h"

#include <cmath>
#include <cstdio>

namespace stemdeck::audio {

float peakAbs(const float* samples, size_t count) {
    float peak = 0.0f;
    for (size_t i = 0; i < count; ++i) {
        const float a = std::fabs(samples[i]);
        if (a > peak)
            peak = a;
    }
    return peak;
}

float peakAbs(const AudioBuffer& buffer) {
    return peakAbs(buffer.samples.data(), buffer.samples.size());
}

bool allFinite(const float* samples, size_t count) {
    for (size_t i = 0; i < count; ++i)
        if (!std::isfinite(samples[i]))
            return false;
    return true;
}

bool allFinite(const AudioBuffer& buffer) {
    return allFinite(buffer.samples.data(), buffer.samples.size());
}

int64_t sanitizeNonFinite(float* samples, size_t count) {
    int64_t replaced = 0;
    for (size_t i = 0; i < count; ++i)
        if (!std::isfinite(samples[i])) {
            samples[i] = 0.0f;
            ++replaced;
        }
    return replaced;
}

int64_t sanitizeNonFinite(AudioBuffer& buffer) {
    return sanitizeNonFinite(buffer.samples.data(), buffer.samples.size());
}

std::string peakDbfsText(float peak) {
    if (!(peak > 0.0f))
        return "-inf dBFS";
    char text[32];
    std::snprintf(text, sizeof text, "%+.2f dBFS", 20.0 * std::log10(static_cast<double>(peak)));
    return text;
}

} // namespace stemdeck::audio
