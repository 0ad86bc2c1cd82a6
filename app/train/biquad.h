// Second-order IIR sections (RBJ audio-EQ cookbook) for the training data: the per-stem EQ of the
// augmentation and the pack's DC-blocking high-pass.
#pragma once

#include <cstdint>
#include <vector>

namespace stemdeck::train {

// A second-order section (RBJ audio-EQ cookbook), normalised so a0 = 1.
struct Biquad {
    double b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0;
};
enum class BiquadKind { Peaking, LowShelf, HighShelf, LowPass, HighPass, AllPass };
// freq in Hz, gainDb the boost (negative: cut), q the bandwidth (shelves: slope, 1 = steepest
// without overshoot; low- and high-pass: the resonance, 0.707 = Butterworth, gainDb unused;
// all-pass: unit gain everywhere, the phase turning through -180 degrees at freq, faster the
// higher q; gainDb unused).
Biquad makeBiquad(BiquadKind kind, double sampleRate, double freq, double gainDb, double q);
// Filters each of `channels` planar rows of `frames` samples in place through the sections in
// turn (double-precision state; linear and time-invariant).
void applyBiquads(std::vector<float>& planar, int channels, int64_t frames, const std::vector<Biquad>& sections);
// The share of the planar signal's energy below `hz` (through two Butterworth low-pass sections),
// all channels together; 0 for silence. Where a sound's spectrum sits (the brightness of metal).
double energyShareBelow(const std::vector<float>& planar, int channels, int64_t frames, double hz, double sampleRate);

} // namespace stemdeck::train
