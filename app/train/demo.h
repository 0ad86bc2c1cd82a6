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

// The seed of validation loop v: `validate` and `levels` render the same loops.
inline uint64_t validationLoopSeed(int v) { return 0xA11CE000ull + static_cast<uint64_t>(v); }

// An evaluation loop in which every stem has hits inside the window: the example for `seed`, or
// when a stem has none there (the patterns may leave, say, no crash in 12 s), the first complete
// one of seed + k * 1000003 (k = 1..50; after that the last one as it is). SDR is undefined for a
// silent reference (only leakage is measured, at -90 dB or so) and would swamp a mean over loops.
Example renderComplete(const PatternSynth& synth, uint64_t seed, int64_t frames);

} // namespace stemdeck::train
