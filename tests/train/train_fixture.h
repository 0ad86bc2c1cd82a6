// Shared by the tests/train suites: a kit map cut down to a few kits, so a bank loads in well
// under a second.
#pragma once

#include "train/kit_map.h"
#include "train/sample_bank.h"

#include <algorithm>
#include <string>
#include <vector>

namespace stemdeck::test {

inline train::KitMap kitMapOf(const std::vector<std::string>& kits) {
    train::KitMap full = train::builtinKitMap();
    train::KitMap out;
    for (const auto& r : full.rows)
        if (std::find(kits.begin(), kits.end(), r.kit) != kits.end()) out.rows.push_back(r);
    for (const auto& v : full.validationKits)
        if (std::find(kits.begin(), kits.end(), v) != kits.end()) out.validationKits.push_back(v);
    return out;
}

// Two training kits (acoustic multi-layer, electronic) and one validation kit.
inline train::SampleBank smallBank() {
    return train::buildSampleBank(kitMapOf({"GMRockKit", "VariBreaks", "TR808EmulationKit"}),
                                  train::defaultDrumkitsDir());
}

} // namespace stemdeck::test
