// The five drum stems of the bundled model (the DrumSep 5-stem layout) and their names, in the
// order the model outputs them and the kit map spells them.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace stemdeck::train {

enum class StemClass { Kick = 0, Snare = 1, Toms = 2, HiHat = 3, Cymbals = 4 };

inline constexpr int kStemCount = 5;
inline constexpr std::array<std::string_view, kStemCount> kStemNames{"kick", "snare", "toms", "hh",
                                                                     "cymbals"};

inline std::string_view stemName(StemClass c) { return kStemNames[static_cast<int>(c)]; }

inline std::optional<StemClass> stemClassFromName(std::string_view name) {
    for (int i = 0; i < kStemCount; ++i)
        if (kStemNames[i] == name) return static_cast<StemClass>(i);
    return std::nullopt;
}

} // namespace stemdeck::train
