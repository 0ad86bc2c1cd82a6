// Reader for Hydrogen's drumkit.xml: the kit's name, author and licence, and per instrument its
// velocity layers (sample file, velocity range, gain, pitch).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace stemdeck::train {

struct DrumkitLayer {
    std::filesystem::path file; // absolute path of the sample
    float minVelocity = 0.0f;   // Hydrogen's 0..1 velocity range this layer answers
    float maxVelocity = 1.0f;
    float gain = 1.0f;
    float pitch = 0.0f;         // semitones
};

struct DrumkitInstrument {
    int id = -1;
    std::string name;
    float gain = 1.0f;
    std::vector<DrumkitLayer> layers;
};

struct Drumkit {
    std::filesystem::path dir;
    std::string name;
    std::string author;
    std::string license;
    std::vector<DrumkitInstrument> instruments;

    const DrumkitInstrument* instrument(const std::string& name) const;
};

// Reads <dir>/drumkit.xml (old layouts with <filename> directly in <instrument> and new ones with
// <instrumentComponent><layer> both). Throws stemdeck::Error (FileNotFound, UnreadableFile) naming
// the file and, for XML errors, the line.
Drumkit readDrumkit(const std::filesystem::path& kitDir);

} // namespace stemdeck::train
