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

// The ranges the metals are drawn from. Narrow (the default, sessions 7-16): hats high-passed at
// 5-10 kHz, closed 10-50 ms, pedal 8-30 ms, open 150-600 ms; crashes high-passed at 2-6 kHz,
// 0.35-1.2 s. Wide (session 17): hats from 800 Hz, closed up to 120 ms, pedal up to 60 ms, open
// 120 ms-1 s; crashes from 800 Hz, 0.2-1.5 s, so the lengths of open hats and crashes overlap as
// real kits' do. The same random draws map to the other range: every other voice, and the
// narrow kits, stay bit for bit what they were.
struct VoiceRanges {
    bool wideMetal = false;
};

// Appends `count` kits named "synthetic-NN" (flagged in SampleBank::synthetic), each with a kick,
// a snare hit and rim, high/mid/low toms, closed/pedal/open hi-hats and a crash, ride and bell:
// the roles the pattern synthesiser asks for. Voices are mono, one velocity layer, peak 1, their
// lengths capped as the packed kits' are (BankOptions). Deterministic for (seed, kit index).
void addSyntheticKits(SampleBank& bank, int count, uint64_t seed = kDefaultSyntheticKitSeed,
                      const VoiceRanges& ranges = {});

} // namespace stemdeck::train
