// Signal-to-distortion ratio as the MDX challenge defines it (the `eval` command, the bundled
// model's quality checks): SDR = 10 log10((sum ref^2 + eps) / (sum (ref - est)^2 + eps)),
// eps = 1e-8, summed over every channel and sample of one stem. Plain C++.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace stemdeck::dsp {

inline constexpr double kSdrEpsilon = 1e-8;

// Throws stemdeck::Error(InvalidArgument) when the sizes differ.
double sdr(std::span<const float> reference, std::span<const float> estimate);

struct SdrReport {
    std::vector<double> perStem;
    double mean = 0.0;
};

// Stems given as planar blocks of equal size; mean over stems (0 when there are none).
SdrReport sdrPerStem(const std::vector<std::span<const float>>& references,
                     const std::vector<std::span<const float>>& estimates);

} // namespace stemdeck::dsp
