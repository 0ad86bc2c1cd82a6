// The five drum stems of the bundled model (the DrumSep 5-stem layout) and their names, in the
// order the model outputs them and the kit map spells them.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace stemdeck::train {

enum class StemClass { Kick = 0, Snare = 1, Toms = 2, HiHat = 3, Cymbals = 4 };

inline constexpr int kStemCount = 5;
inline constexpr std::array<std::string_view, kStemCount> kStemNames{"kick", "snare", "toms", "hh",
                                                                     "cymbals"};

// The neighbours the model confuses most, kick+toms and hh+cymbals: scored summed in validation
// (a hit filed under its neighbour scores well there) and the optional pair loss.
inline constexpr std::array<std::array<int, 2>, 2> kConfusablePairs{{{static_cast<int>(StemClass::Kick), static_cast<int>(StemClass::Toms)},
                                                                     {static_cast<int>(StemClass::HiHat), static_cast<int>(StemClass::Cymbals)}}};

// "kick+toms", "hh+cymbals".
inline std::string pairName(size_t pair) {
    return std::string(kStemNames[size_t(kConfusablePairs[pair][0])]) + "+" + std::string(kStemNames[size_t(kConfusablePairs[pair][1])]);
}

inline std::string_view stemName(StemClass c) { return kStemNames[static_cast<int>(c)]; }

inline std::optional<StemClass> stemClassFromName(std::string_view name) {
    for (int i = 0; i < kStemCount; ++i)
        if (kStemNames[i] == name) return static_cast<StemClass>(i);
    return std::nullopt;
}

} // namespace stemdeck::train
