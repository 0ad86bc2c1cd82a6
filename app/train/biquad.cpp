#include "biquad.h"

#include "common/error.h"

#include <cmath>

namespace stemdeck::train {

Biquad makeBiquad(BiquadKind kind, double sampleRate, double freq, double gainDb, double q) {
    if (!(sampleRate > 0.0 && freq > 0.0 && freq < 0.5 * sampleRate && q > 0.0 && std::isfinite(gainDb)))
        throw Error(ErrorCode::InvalidArgument, "makeBiquad: frequency must lie between 0 and Nyquist, q above 0");
    const double A = std::pow(10.0, gainDb / 40.0);
    const double w0 = 2.0 * M_PI * freq / sampleRate;
    const double cw = std::cos(w0), sw = std::sin(w0);
    double b0, b1, b2, a0, a1, a2;
    if (kind == BiquadKind::LowPass || kind == BiquadKind::HighPass) {
        const double alpha = sw / (2.0 * q);
        const double sign = kind == BiquadKind::LowPass ? -1.0 : 1.0;
        b0 = (1.0 + sign * cw) / 2.0;
        b1 = -sign * (1.0 + sign * cw);
        b2 = b0;
        a0 = 1.0 + alpha;
        a1 = -2.0 * cw;
        a2 = 1.0 - alpha;
    } else if (kind == BiquadKind::AllPass) {
        const double alpha = sw / (2.0 * q);
        b0 = 1.0 - alpha;
        b1 = -2.0 * cw;
        b2 = 1.0 + alpha;
        a0 = 1.0 + alpha;
        a1 = -2.0 * cw;
        a2 = 1.0 - alpha;
    } else if (kind == BiquadKind::Peaking) {
        const double alpha = sw / (2.0 * q);
        b0 = 1.0 + alpha * A;
        b1 = -2.0 * cw;
        b2 = 1.0 - alpha * A;
        a0 = 1.0 + alpha / A;
        a1 = -2.0 * cw;
        a2 = 1.0 - alpha / A;
    } else {
        // q is the shelf slope S here (1: the steepest without overshoot).
        const double alpha = sw / 2.0 * std::sqrt((A + 1.0 / A) * (1.0 / q - 1.0) + 2.0);
        const double sa = 2.0 * std::sqrt(A) * alpha;
        const double sign = kind == BiquadKind::LowShelf ? 1.0 : -1.0;
        b0 = A * ((A + 1.0) - sign * (A - 1.0) * cw + sa);
        b1 = sign * 2.0 * A * ((A - 1.0) - sign * (A + 1.0) * cw);
        b2 = A * ((A + 1.0) - sign * (A - 1.0) * cw - sa);
        a0 = (A + 1.0) + sign * (A - 1.0) * cw + sa;
        a1 = -sign * 2.0 * ((A - 1.0) + sign * (A + 1.0) * cw);
        a2 = (A + 1.0) + sign * (A - 1.0) * cw - sa;
    }
    return {b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
}

void applyBiquads(std::vector<float>& planar, int channels, int64_t frames, const std::vector<Biquad>& sections) {
    if (planar.size() < static_cast<size_t>(channels) * static_cast<size_t>(frames))
        throw Error(ErrorCode::InvalidArgument, "applyBiquads: buffer smaller than channels x frames");
    for (int c = 0; c < channels; ++c) {
        float* x = planar.data() + static_cast<size_t>(c) * static_cast<size_t>(frames);
        for (const Biquad& q : sections) {
            double z1 = 0.0, z2 = 0.0; // transposed direct form II
            for (int64_t i = 0; i < frames; ++i) {
                const double in = x[i];
                const double y = q.b0 * in + z1;
                z1 = q.b1 * in - q.a1 * y + z2;
                z2 = q.b2 * in - q.a2 * y;
                // A decaying state would reach subnormal numbers in a silent tail (slow on x86).
                if (std::fabs(z1) < 1e-200) z1 = 0.0;
                if (std::fabs(z2) < 1e-200) z2 = 0.0;
                x[i] = static_cast<float>(y);
            }
        }
    }
}

double energyShareBelow(const std::vector<float>& planar, int channels, int64_t frames, double hz, double sampleRate) {
    std::vector<float> low(planar.begin(), planar.begin() + static_cast<std::ptrdiff_t>(channels * frames));
    const Biquad lp = makeBiquad(BiquadKind::LowPass, sampleRate, hz, 0.0, 0.707);
    applyBiquads(low, channels, frames, {lp, lp});
    double e = 0.0, el = 0.0;
    for (size_t i = 0; i < low.size(); ++i) {
        e += double(planar[i]) * planar[i];
        el += double(low[i]) * low[i];
    }
    return e > 0.0 ? el / e : 0.0;
}

} // namespace stemdeck::train
