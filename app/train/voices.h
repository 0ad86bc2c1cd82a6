// Synthetic drum kits: drum-machine style voices made by code (oscillators with pitch and
// amplitude envelopes, filtered noise, clusters of square waves), added to the sample bank beside
// the Hydrogen kits. The Hydrogen training kits hold few electronic sounds, and the model is
// judged on drum sounds it never heard; a synthetic kit is a class of sound drawn from wide
// parameter ranges (a kick is a low sine falling in pitch, a tom a higher one falling less, a
// hi-hat a short high metallic burst, a cymbal a long one), not a copy of any machine.
//
// No sample data is read: every voice comes from the seed, so the same kits are made here and on
// the GPU machine, and nothing travels. Synthetic kits are training kits, never validation kits.
#pragma once

#include "sample_bank.h"

#include <cstdint>

namespace stemdeck::train {

inline constexpr uint64_t kDefaultSyntheticKitSeed = 2026;

// Appends `count` kits named "synthetic-NN" (flagged in SampleBank::synthetic), each with a kick,
// a snare hit and rim, high/mid/low toms, closed/pedal/open hi-hats and a crash, ride and bell:
// the roles the pattern synthesiser asks for. Voices are mono, one velocity layer, peak 1, their
// lengths capped as the packed kits' are (BankOptions). Deterministic for (seed, kit index).
void addSyntheticKits(SampleBank& bank, int count, uint64_t seed = kDefaultSyntheticKitSeed);

} // namespace stemdeck::train
