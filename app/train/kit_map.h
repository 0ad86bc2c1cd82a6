// The curated kit map (resources/training/kit-map.tsv) and the validation kit list: which
// instrument of which Hydrogen kit feeds which stem, and which kits training never sees.
#pragma once

#include "stem_class.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace stemdeck::train {

struct KitMapRow {
    int line = 0;              // 1-based line in the file, for messages
    std::string kit;           // folder name under the drumkits directory
    std::string instrument;    // <name> in that kit's drumkit.xml
    std::optional<StemClass> stem; // empty: skip
    std::string role;          // articulation (hh closed/open/..., cymbals crash/ride/...)
};

struct KitMap {
    std::vector<KitMapRow> rows;
    std::vector<std::string> validationKits;

    std::vector<std::string> kits() const;         // every kit named, in first-seen order
    std::vector<std::string> trainingKits() const; // kits() minus validationKits
    bool isValidation(const std::string& kit) const;
};

// Parses the TSV (# comments, a header row, 4 tab-separated columns). Throws
// stemdeck::Error(InvalidConfig) naming the file and line for a malformed row or unknown class,
// FileNotFound when missing.
KitMap parseKitMap(const std::string& text, const std::string& sourceName);
KitMap loadKitMap(const std::filesystem::path& tsv, const std::filesystem::path& validationList);

// The kit map compiled into the library (Qt resource), so the CLI's demo renderer needs no files.
KitMap builtinKitMap();

// The kits that rows (anything with a .kit string) name, in first-seen order.
template <typename Rows> std::vector<std::string> kitsInOrder(const Rows& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows)
        if (std::find(out.begin(), out.end(), r.kit) == out.end()) out.push_back(r.kit);
    return out;
}

// The whole file as text; throws stemdeck::Error(FileNotFound) "<what> not found: <path>".
std::string readTextFile(const std::filesystem::path& path, const std::string& what);

// Reads an instrument table (the kit map's and the evaluation set's format): # comments and empty
// lines skipped, a first row whose first column is columns[0] taken as the header; calls
// row(cols, where, line) for every other line, where = "SOURCE line N" for messages. Throws
// stemdeck::Error(InvalidConfig) for a line without columns.size() tab-separated columns, an
// empty kit or instrument (the first two columns) or one listed twice; EmptyInput when no row.
void forEachInstrumentRow(const std::string& text, const std::string& sourceName, const std::vector<std::string>& columns,
                          const std::function<void(const std::vector<std::string>&, const std::string&, int)>& row);

// Default Hydrogen drumkits folder: $STEMDECK_DRUMKITS_DIR, else /usr/share/hydrogen/data/drumkits.
std::filesystem::path defaultDrumkitsDir();

// Checks every row against the installed kits: the kit folder and drumkit.xml exist, the
// instrument is in it and has at least one sample layer; validation kits exist in the map and
// hold every stem class. Throws stemdeck::Error naming the row, kit and problem.
void checkKitMap(const KitMap& map, const std::filesystem::path& drumkitsDir);

} // namespace stemdeck::train
