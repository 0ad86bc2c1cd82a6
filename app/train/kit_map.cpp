#include "kit_map.h"

#include "common/error.h"
#include "drumkit.h"

#include <QFile>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

namespace stemdeck::train {

namespace {

std::string qrcText(const char* path) {
    QFile f(QString::fromLatin1(path));
    if (!f.open(QIODevice::ReadOnly))
        throw Error(ErrorCode::Internal, std::string("Built-in resource missing: ") + path);
    return f.readAll().toStdString();
}

std::vector<std::string> splitTabs(const std::string& line) {
    std::vector<std::string> out;
    size_t start = 0;
    for (;;) {
        const size_t tab = line.find('\t', start);
        out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
    }
    return out;
}

std::vector<std::string> parseKitList(const std::string& text) {
    std::vector<std::string> kits;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        kits.push_back(line);
    }
    return kits;
}

} // namespace

std::string readTextFile(const std::filesystem::path& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(ErrorCode::FileNotFound, what + " not found: " + path.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> KitMap::kits() const { return kitsInOrder(rows); }

std::vector<std::string> KitMap::trainingKits() const {
    std::vector<std::string> out;
    for (const auto& k : kits())
        if (!isValidation(k)) out.push_back(k);
    return out;
}

bool KitMap::isValidation(const std::string& kit) const {
    return std::find(validationKits.begin(), validationKits.end(), kit) != validationKits.end();
}

void forEachInstrumentRow(const std::string& text, const std::string& sourceName, const std::vector<std::string>& columns,
                          const std::function<void(const std::vector<std::string>&, const std::string&, int)>& row) {
    std::istringstream in(text);
    std::string line;
    int lineNo = 0;
    bool headerSeen = false;
    std::set<std::pair<std::string, std::string>> seen;
    std::string names;
    for (const auto& n : columns) names += (names.empty() ? "" : ", ") + n;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        const auto cols = splitTabs(line);
        const auto where = sourceName + " line " + std::to_string(lineNo);
        if (cols.size() != columns.size())
            throw Error(ErrorCode::InvalidConfig, where + ": expected " + std::to_string(columns.size()) +
                        " tab-separated columns (" + names + "), found " + std::to_string(cols.size()));
        if (!headerSeen) {
            headerSeen = true;
            if (cols[0] == columns[0]) continue;
        }
        if (cols[0].empty() || cols[1].empty())
            throw Error(ErrorCode::InvalidConfig, where + ": empty kit or instrument name");
        if (!seen.insert({cols[0], cols[1]}).second)
            throw Error(ErrorCode::InvalidConfig, where + ": '" + cols[1] + "' of kit '" + cols[0] + "' is listed twice");
        row(cols, where, lineNo);
    }
    if (seen.empty()) throw Error(ErrorCode::EmptyInput, sourceName + " lists no instruments");
}

KitMap parseKitMap(const std::string& text, const std::string& sourceName) {
    KitMap map;
    forEachInstrumentRow(text, sourceName, {"kit", "instrument", "class", "role"},
                         [&](const std::vector<std::string>& cols, const std::string& where, int line) {
        KitMapRow row;
        row.line = line;
        row.kit = cols[0];
        row.instrument = cols[1];
        row.role = cols[3];
        if (cols[2] != "skip") {
            row.stem = stemClassFromName(cols[2]);
            if (!row.stem)
                throw Error(ErrorCode::InvalidConfig, where + ": unknown class '" + cols[2] +
                            "' (kick, snare, toms, hh, cymbals or skip)");
        }
        map.rows.push_back(std::move(row));
    });
    return map;
}

KitMap loadKitMap(const std::filesystem::path& tsv, const std::filesystem::path& validationList) {
    KitMap map = parseKitMap(readTextFile(tsv, "Kit map file"), tsv.string());
    map.validationKits = parseKitList(readTextFile(validationList, "Kit map file"));
    return map;
}

KitMap builtinKitMap() {
    KitMap map = parseKitMap(qrcText(":/stemdeck/training/kit-map.tsv"), "kit-map.tsv (built in)");
    map.validationKits = parseKitList(qrcText(":/stemdeck/training/validation-kits.txt"));
    return map;
}

std::filesystem::path defaultDrumkitsDir() {
    if (const char* env = std::getenv("STEMDECK_DRUMKITS_DIR"); env && *env) return env;
    return "/usr/share/hydrogen/data/drumkits";
}

void checkKitMap(const KitMap& map, const std::filesystem::path& drumkitsDir) {
    for (const auto& v : map.validationKits) {
        const auto allKits = map.kits();
        if (std::find(allKits.begin(), allKits.end(), v) == allKits.end())
            throw Error(ErrorCode::InvalidConfig,
                        "Validation kit '" + v + "' has no rows in the kit map");
        std::array<bool, kStemCount> has{};
        for (const auto& r : map.rows)
            if (r.kit == v && r.stem) has[static_cast<int>(*r.stem)] = true;
        for (int s = 0; s < kStemCount; ++s)
            if (!has[s])
                throw Error(ErrorCode::InvalidConfig, "Validation kit '" + v + "' has no " +
                            std::string(kStemNames[s]) + " instrument: the demo needs all five");
    }
    std::string currentKit;
    Drumkit kit;
    for (const auto& r : map.rows) {
        const auto where = "kit map line " + std::to_string(r.line) + " (" + r.kit + " / " +
                           r.instrument + ")";
        if (r.kit != currentKit) {
            const auto dir = drumkitsDir / r.kit;
            if (!std::filesystem::is_directory(dir))
                throw Error(ErrorCode::FileNotFound,
                            where + ": no kit folder " + dir.string() +
                                " (is hydrogen-drumkits/hydrogen-data installed?)");
            kit = readDrumkit(dir);
            currentKit = r.kit;
        }
        const DrumkitInstrument* inst = kit.instrument(r.instrument);
        if (!inst)
            throw Error(ErrorCode::InvalidConfig,
                        where + ": no instrument of that name in " + (kit.dir / "drumkit.xml").string());
        if (!r.stem) continue;
        if (inst->layers.empty())
            throw Error(ErrorCode::InvalidConfig, where + ": the instrument has no sample layers");
        for (const auto& layer : inst->layers)
            if (!std::filesystem::is_regular_file(layer.file))
                throw Error(ErrorCode::FileNotFound, where + ": sample missing: " + layer.file.string());
    }
}

} // namespace stemdeck::train
