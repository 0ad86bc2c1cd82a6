// Each stem's level against its mix, 10 log10(E_stem / E_mix), counted in 5 dB bins over a set
// of examples: what `stemdeck-train levels` prints for the validation loops beside the training
// examples of a recipe. Session 25 found this way that a faint hi-hat under loud cymbals, a
// quarter of the validation loops, is rarer in training: 17.5 % of the shipped recipe's examples,
// and 10 % counting full hat patterns only (docs/models/drumsep-compact.md, "Session 25").
#pragma once

#include "stem_class.h"
#include "synth.h"

#include <array>
#include <cstdint>
#include <string>

namespace stemdeck::train {

struct LevelTable {
    // Bins: below -30, -30..-25, -25..-20, -20..-15, -15..-10, -10..-5, -5 and above, silent.
    static constexpr int kBins = 8;
    int examples = 0;
    std::array<std::array<int, kBins>, kStemCount> counts{};
    int quietHats = 0;                 // hi-hat sounding, below -20 dB
    int quietHatsUnderLoudCymbals = 0; // ... with the cymbals above -10 dB

    static int binOf(double stemEnergy, double mixEnergy);
    void add(const Example& ex);
    // Percent of the examples per bin, one row per stem, and the two hi-hat counts.
    std::string format(const std::string& title) const;
};

// The validation loops as `stemdeck-train validate` renders them (every stem playing, seeds
// 0xA11CE000 + v), `seconds` long.
LevelTable loopLevels(const PatternSynth& synth, int loops, double seconds);
// Training examples as `stemdeck-train train` draws them (item i of batch b from exampleSeed(seed,
// b, i)), before the trainer's rooms (which move these levels by under 0.5 dB).
LevelTable exampleLevels(const PatternSynth& synth, uint64_t seed, int batchSize, int examples, int64_t frames,
                         int threads);

} // namespace stemdeck::train
