#include "eval_set.h"

#include "common/error.h"
#include "kit_map.h"

#include <array>
#include <cstdlib>
#include <sstream>

namespace stemdeck::train {

namespace {

// Which Debian package holds a path of the set (for the message when a file is missing).
std::string packageFor(const std::filesystem::path& rel) {
    const std::string top = rel.begin() == rel.end() ? std::string() : rel.begin()->string();
    if (top == "sonic-pi") return "sonic-pi-samples";
    if (top == "lmms") return "lmms-common";
    return "that provides /usr/share/" + top;
}

} // namespace

std::vector<std::string> EvalSet::kits() const { return kitsInOrder(rows); }

EvalSet parseEvalSet(const std::string& text, const std::string& sourceName) {
    EvalSet set;
    forEachInstrumentRow(text, sourceName, {"kit", "instrument", "class", "role", "files"},
                         [&](const std::vector<std::string>& cols, const std::string& where, int line) {
        EvalSoundRow row;
        row.line = line;
        row.kit = cols[0];
        row.instrument = cols[1];
        row.role = cols[3];
        const auto stem = stemClassFromName(cols[2]);
        if (!stem)
            throw Error(ErrorCode::InvalidConfig, where + ": unknown class '" + cols[2] + "' (kick, snare, toms, hh or cymbals)");
        row.stem = *stem;
        std::istringstream files(cols[4]);
        std::string f;
        while (std::getline(files, f, ',')) {
            const std::filesystem::path p(f);
            if (f.empty() || p.is_absolute() || f.find("..") != std::string::npos)
                throw Error(ErrorCode::InvalidConfig, where + ": '" + f + "' is not a path inside the sounds folder");
            row.files.push_back(p);
        }
        if (row.files.empty()) throw Error(ErrorCode::InvalidConfig, where + ": no files");
        set.rows.push_back(std::move(row));
    });
    for (const auto& kit : set.kits()) {
        std::array<bool, kStemCount> has{};
        for (const auto& r : set.rows)
            if (r.kit == kit) has[static_cast<size_t>(r.stem)] = true;
        for (int s = 0; s < kStemCount; ++s)
            if (!has[static_cast<size_t>(s)])
                throw Error(ErrorCode::InvalidConfig, sourceName + ": kit '" + kit + "' has no " +
                            std::string(kStemNames[static_cast<size_t>(s)]) + " (every kit needs all five classes)");
    }
    return set;
}

EvalSet loadEvalSet(const std::filesystem::path& tsv) {
    return parseEvalSet(readTextFile(tsv, "Evaluation set"), tsv.string());
}

std::filesystem::path defaultEvalSoundsDir() {
    if (const char* env = std::getenv("STEMDECK_EVAL_SOUNDS_DIR"); env && *env) return env;
    return "/usr/share";
}

SampleBank buildEvalBank(const EvalSet& set, const std::filesystem::path& soundsDir, const BankOptions& options) {
    SampleBank bank;
    for (const auto& row : set.rows) {
        int kit = bank.kitIndex(row.kit);
        if (kit < 0) {
            bank.kits.push_back(row.kit);
            bank.validation.push_back(true);
            kit = static_cast<int>(bank.kits.size()) - 1;
        }
        std::vector<DrumkitLayer> layers;
        const auto n = static_cast<float>(row.files.size());
        for (size_t i = 0; i < row.files.size(); ++i) {
            const auto path = soundsDir / row.files[i];
            if (!std::filesystem::is_regular_file(path))
                throw Error(ErrorCode::FileNotFound, "evaluation set line " + std::to_string(row.line) + ": " + path.string() +
                            " not found (install the Debian package " + packageFor(row.files[i]) + ")");
            DrumkitLayer l;
            l.file = path;
            l.minVelocity = static_cast<float>(i) / n;
            l.maxVelocity = static_cast<float>(i + 1) / n;
            layers.push_back(std::move(l));
        }
        SampleInstrument si;
        si.kit = kit;
        si.name = row.instrument;
        si.stem = row.stem;
        si.role = row.role;
        if (loadInstrumentLayers(si, layers, 1.0f, options)) bank.instruments.push_back(std::move(si));
    }
    return bank;
}

} // namespace stemdeck::train
