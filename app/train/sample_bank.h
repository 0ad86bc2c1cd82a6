// The drum samples training and the demo draw from: every mapped instrument's velocity layers,
// resampled to 44.1 kHz, trimmed and normalised, held in memory; and the pack, one binary file
// (FLAC 16-bit layers + index) that carries them to the GPU machine without the Hydrogen packages.
#pragma once

#include "drumkit.h"
#include "kit_map.h"
#include "stem_class.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace stemdeck::train {

inline constexpr int kSampleRate = 44100;

struct SampleLayer {
    float minVelocity = 0.0f;
    float maxVelocity = 1.0f;
    int channels = 1;               // 1 or 2
    int64_t frames = 0;
    std::vector<float> samples;     // planar, channels x frames, peak of the instrument's loudest layer = 1
};

struct SampleInstrument {
    int kit = 0;                    // index into SampleBank::kits
    std::string name;
    StemClass stem = StemClass::Kick;
    std::string role;
    std::vector<SampleLayer> layers; // sorted by maxVelocity

    // The layer Hydrogen would play for this velocity (0..1): the one whose range holds it, else
    // the nearest range.
    const SampleLayer& layerFor(float velocity) const;
};

struct SampleBank {
    std::vector<std::string> kits;
    std::vector<bool> validation;   // per kit
    // Per kit, true for kits made by code (addSyntheticKits, voices.h); may be shorter than kits
    // (a pack or Hydrogen's kits alone leave it empty). Never packed: made again from the seed.
    std::vector<bool> synthetic;
    std::vector<SampleInstrument> instruments;

    int kitIndex(const std::string& name) const; // -1 when absent
    bool isSynthetic(int kit) const { return kit >= 0 && static_cast<size_t>(kit) < synthetic.size() && synthetic[static_cast<size_t>(kit)]; }
    int64_t totalFrames() const;
};

struct BankOptions {
    // The pack travels to the GPU machine with .gpudeps (26 MiB) and a checkpoint (15 MiB) inside
    // 64 MiB: at most 4 velocity layers (3 hi-hat, 2 cymbal), spread evenly over the range, and
    // capped lengths (longer tails faded out).
    int maxLayersPerInstrument[kStemCount] = {4, 4, 4, 3, 2};
    double maxSeconds[kStemCount] = {1.0, 1.0, 1.2, 1.2, 2.0};
    double tailFloorDb = -60.0;      // trailing samples below this (re. peak) are cut
    // DC-blocking high-pass (second-order Butterworth, Hz; 0: off), applied to every decoded
    // sample before trimming. Some kits' files carry a subsonic offset under the sound (the
    // TR808EmulationKit's all do: 58 % of its cymbal's energy lies under 30 Hz), which no mix
    // keeps and no separator can file under the right stem. 10 Hz removes it and leaves the
    // kicks' energy within 0.6 % (docs/models/drumsep-compact.md, session 8).
    double highPassHz = 10.0;
    bool includeValidation = true;
    bool includeTraining = true;
};

// Decodes each layer's file, resamples it to 44.1 kHz, high-passes, trims and caps it (the cap
// of inst.stem) into inst.layers, scaled by gain and the layer's own, then normalises the
// instrument so its loudest layer peaks at 1. False when every layer is silent. Throws
// stemdeck::Error for a file that cannot be decoded.
bool loadInstrumentLayers(SampleInstrument& inst, const std::vector<DrumkitLayer>& layers, float gain,
                          const BankOptions& options);

// Reads every mapped instrument of the installed kits. Throws stemdeck::Error naming the kit map
// row or sample file at fault.
SampleBank buildSampleBank(const KitMap& map, const std::filesystem::path& drumkitsDir,
                           const BankOptions& options = {});

// Pack file: "SDPACK01", little-endian index, each layer a 16-bit FLAC blob. writePack throws WriteFailed (never leaves a partial
// file: it writes a temporary file and renames it), InvalidArgument for a bank with synthetic kits; readPack throws FileNotFound/UnreadableFile
// naming the file and what is wrong (bad magic, truncated index or data).
void writePack(const SampleBank& bank, const std::filesystem::path& path);
SampleBank readPack(const std::filesystem::path& path);

// The indices of the bank's validation kits (true) or training kits (false); an error when the
// bank holds none.
std::vector<int> kitsWhere(const SampleBank& bank, bool validation);

} // namespace stemdeck::train
