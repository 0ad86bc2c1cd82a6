#include "jobs/manifest.h"

#include "common/error.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QString>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace fs = std::filesystem;

namespace stemdeck::jobs {

namespace {

constexpr size_t kMaxLineBytes = 4096; // PATH_MAX on Linux: a longer line is not a path
constexpr int kMaxShards = 100000;

std::string_view trim(std::string_view s) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && blank(s.back())) s.remove_suffix(1);
    return s;
}

std::optional<int> parseInt(std::string_view s) {
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

} // namespace

Manifest parseManifest(std::string_view text, const fs::path& folder, const std::string& name) {
    Manifest m;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    if (text.find('\0') != std::string_view::npos)
        throw Error(ErrorCode::InvalidArgument,
                    "The manifest " + name + " contains a NUL byte: it must be a text file with one path per line.");
    std::unordered_map<std::string, int> firstLine;
    int lineNo = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view raw = text.substr(pos, end - pos);
        pos = end + 1;
        ++lineNo;
        if (raw.size() > kMaxLineBytes)
            throw Error(ErrorCode::InvalidArgument, "Line " + std::to_string(lineNo) + " of the manifest " + name +
                                                        " is longer than " + std::to_string(kMaxLineBytes) +
                                                        " bytes; a line holds one file path.");
        const std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#') continue;
        const fs::path written(line);
        std::string key = written.lexically_normal().generic_string();
        const auto [it, fresh] = firstLine.emplace(key, lineNo);
        if (!fresh) {
            m.duplicates.push_back("line " + std::to_string(lineNo) + " repeats line " + std::to_string(it->second) +
                                   " (" + key + ")");
            continue;
        }
        ManifestEntry e;
        e.path = written.is_absolute() ? fs::path(key) : (folder / key).lexically_normal();
        // A line that is not valid UTF-8 (a Latin-1 name) keeps its bytes in the key, so its
        // shard stays what the hash of those bytes says; its path gets U+FFFD where they were, as
        // a Qt listing would show it, so the track fails saying why (common/file_names.h) instead
        // of the run stopping on a conversion error.
        const QByteArray bytes(key.data(), qsizetype(key.size()));
        const QByteArray valid = QString::fromUtf8(bytes).toUtf8();
        if (valid != bytes)
            e.path = written.is_absolute() ? fs::path(valid.toStdString())
                                           : (folder / valid.toStdString()).lexically_normal();
        e.key = std::move(key);
        e.line = lineNo;
        m.entries.push_back(std::move(e));
    }
    if (m.entries.empty())
        throw Error(ErrorCode::EmptyInput, "The manifest " + name + " lists no input files (only blank or # lines).");
    return m;
}

Manifest readManifest(const fs::path& file) {
    std::error_code ec;
    const fs::path absolute = fs::absolute(file, ec).lexically_normal();
    const std::string name = file.string();
    if (!fs::exists(absolute, ec))
        throw Error(ErrorCode::FileNotFound, "The manifest " + name + " does not exist.");
    if (fs::is_directory(absolute, ec))
        throw Error(ErrorCode::UnreadableFile,
                    "The manifest " + name + " is a folder; give a text file with one input path per line.");
    // Read in blocks with a bound: a pipe (--manifest <(find ...)) is fine, /dev/zero or a large
    // binary file given by mistake is refused at its first NUL byte or at 64 MiB (about half a
    // million paths), not read until memory runs out.
    constexpr size_t kMaxManifestBytes = size_t(64) << 20;
    std::ifstream in(absolute, std::ios::binary);
    if (!in) throw Error(ErrorCode::UnreadableFile, "The manifest " + name + " cannot be read.");
    std::string text;
    std::vector<char> block(size_t(1) << 16);
    while (in) {
        in.read(block.data(), std::streamsize(block.size()));
        const size_t got = size_t(in.gcount());
        if (std::find(block.begin(), block.begin() + std::ptrdiff_t(got), '\0') != block.begin() + std::ptrdiff_t(got))
            throw Error(ErrorCode::InvalidArgument,
                        "The manifest " + name + " contains a NUL byte: it must be a text file with one path per line.");
        text.append(block.data(), got);
        if (text.size() > kMaxManifestBytes)
            throw Error(ErrorCode::InvalidArgument, "The manifest " + name +
                                                       " is larger than 64 MiB: it must be a text file with one path per line.");
    }
    if (in.bad()) throw Error(ErrorCode::UnreadableFile, "The manifest " + name + " cannot be read.");
    Manifest m = parseManifest(text, absolute.parent_path(), name);
    m.file = absolute;
    return m;
}

std::optional<Shard> parseShard(std::string_view text) {
    const size_t slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const auto index = parseInt(text.substr(0, slash));
    const auto count = parseInt(text.substr(slash + 1));
    if (!index || !count || *count < 1 || *count > kMaxShards || *index < 0 || *index >= *count) return std::nullopt;
    return Shard{*index, *count};
}

int shardOf(std::string_view key, int count) {
    if (count <= 1) return 0;
    const QByteArray digest = QCryptographicHash::hash(
        QByteArrayView(key.data(), static_cast<qsizetype>(key.size())), QCryptographicHash::Sha256);
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(digest[i]);
    return static_cast<int>(v % static_cast<uint64_t>(count));
}

std::vector<ManifestEntry> entriesOf(const Manifest& manifest, const Shard& shard) {
    std::vector<ManifestEntry> out;
    for (const ManifestEntry& e : manifest.entries)
        if (shardOf(e.key, shard.count) == shard.index) out.push_back(e);
    return out;
}

} // namespace stemdeck::jobs
