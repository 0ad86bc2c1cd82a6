// The demo loop: a 10-20 s drum loop and its five ground-truth stems, rendered only from the
// validation kits (never seen in training), deterministic for a seed. stemdeck-cli's
// `demo --render DIR` writes it; resources/demo/README.md credits the kits.
#pragma once

#include "audio/audio_buffer.h"
#include "kit_map.h"
#include "sample_bank.h"
#include "synth.h"
#include "stem_class.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace stemdeck::train {

inline constexpr uint64_t kDemoSeed = 2026;
inline constexpr double kDemoSeconds = 16.0;

struct DemoLoop {
    audio::AudioBuffer mix;                          // 44.1 kHz stereo, exact sum of the stems
    std::array<audio::AudioBuffer, kStemCount> stems; // kick, snare, toms, hh, cymbals
    std::vector<std::string> kits;                   // kits the loop drew from
    double bpm = 0.0;
};

// From a bank that holds the validation kits (others are ignored). Throws InvalidArgument for
// seconds outside 1..120 or when the bank lacks the validation kits.
DemoLoop renderDemo(uint64_t seed, double seconds, const SampleBank& bank,
                    const std::vector<std::string>& validationKits);

// Convenience for the CLI: the built-in kit map, the installed Hydrogen kits (drumkitsDir, default
// defaultDrumkitsDir()), validation kits only. Throws stemdeck::Error naming what is missing.
DemoLoop renderDemo(uint64_t seed = kDemoSeed, double seconds = kDemoSeconds,
                    const std::filesystem::path& drumkitsDir = {});

// Musical, evaluation-friendly synthesis settings shared by the demo and validation loops:
// no silent stems, all five present, moderate tempo.
SynthOptions demoSynthOptions();

} // namespace stemdeck::train
