// Output naming: a template such as "{track}/{stem}.{ext}" turns a track, a stem and a format into
// a path relative to the destination folder. Templates are checked when parsed (unknown
// variables, absolute paths, ".." segments, literal characters that Windows refuses in names:
// : * ? " < > | and control characters) and again after expansion (nothing may leave the
// destination, two stems may not share a path); values are made safe as file names.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace stemdeck::audio {

struct NamingContext {
    std::string track; // the input's base name without extension
    std::string stem;  // "vocals", "drums", ...
    std::string ext;   // without the dot: "wav"
    std::string model; // the model's short name
    std::string date;  // empty: today's date, YYYY-MM-DD (local time)
    int index = 0;     // 1-based position of the stem among those written (expandAll: in `stems`)
    std::string folder; // the name of the folder that holds the input ("album1" for album1/01.wav)
};

class NamingTemplate {
public:
    static constexpr std::string_view kDefault = "{track}/{stem}.{ext}";

    NamingTemplate(); // the default template
    // Throws stemdeck::Error(InvalidArgument) with a plain message naming the problem.
    static NamingTemplate parse(std::string_view text);

    // A relative path (to be joined to the destination folder). Throws InvalidArgument when the
    // result would be empty or leave the destination folder.
    std::filesystem::path expand(const NamingContext& context) const;

    const std::string& text() const { return m_text; }
    bool uses(std::string_view variable) const; // e.g. uses("stem")

private:
    struct Unparsed {};
    explicit NamingTemplate(Unparsed) {}
    struct Piece {
        bool variable = false;
        std::string text; // literal text or variable name
    };
    std::string m_text;
    std::vector<Piece> m_pieces;
};

// Replaces characters that are invalid in file names on any desktop system (/ \ : * ? " < > | and
// control characters) by '_', trims trailing dots and spaces, and turns "", "." and ".." into "_".
std::string sanitizeFileNameComponent(std::string_view value);

// Expands the template once per stem (stem = stems[i], index = i + 1). Throws InvalidArgument when
// two stems would get the same path (compared case-insensitively, as macOS and Windows do).
std::vector<std::filesystem::path> expandAll(const NamingTemplate& naming,
                                             const NamingContext& base,
                                             const std::vector<std::string>& stems);

} // namespace stemdeck::audio
