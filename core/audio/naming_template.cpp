#include "audio/naming_template.h"

#include "common/error.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

namespace stemdeck::audio {

namespace {

constexpr std::string_view kVariables[] = {"track", "stem", "ext", "model", "date", "index", "folder"};

bool isKnown(std::string_view name) {
    return std::find(std::begin(kVariables), std::end(kVariables), name) != std::end(kVariables);
}

[[noreturn]] void reject(std::string_view text, const std::string& why) {
    throw Error(ErrorCode::InvalidArgument,
                "Invalid naming template \"" + std::string(text) + "\": " + why);
}

// The 1-based position of byte i counted in characters (UTF-8), as the user sees the text.
std::string positionOf(std::string_view text, size_t i) {
    size_t characters = 0;
    for (size_t k = 0; k <= i && k < text.size(); ++k)
        if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80) ++characters;
    return std::to_string(characters);
}

std::string today() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &local);
    return text;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Splits on '/' and '\' (both are folder separators somewhere, so both mean one here).
std::vector<std::string> segments(std::string_view text) {
    std::vector<std::string> out(1);
    for (char c : text) {
        if (c == '/' || c == '\\')
            out.emplace_back();
        else
            out.back() += c;
    }
    return out;
}

} // namespace

namespace {

// CON, PRN, AUX, NUL, COM1-9 and LPT1-9, with or without an extension, in any case, are devices
// on Windows, not files: a track or stem of that name gets "_" after it ("con.wav" -> "con_.wav")
// on every system, so a template gives the same paths everywhere.
bool isWindowsDeviceName(const std::string& segment) {
    std::string base = segment.substr(0, segment.find('.'));
    while (!base.empty() && base.back() == ' ') base.pop_back();
    for (char& c : base) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (base == "CON" || base == "PRN" || base == "AUX" || base == "NUL") return true;
    return base.size() == 4 && (base.rfind("COM", 0) == 0 || base.rfind("LPT", 0) == 0) && base[3] >= '1' && base[3] <= '9';
}

} // namespace

namespace {

// Characters Windows refuses in a file or folder name (besides the separators and control
// characters). A template holding one would work here and fail there, so it is refused on every
// system: a template is a setting that travels with the user.
bool isReservedOnWindows(char c) {
    return c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|';
}

} // namespace

std::string sanitizeFileNameComponent(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (unsigned char c : value) {
        const bool bad = c < 0x20 || c == 0x7f || c == '/' || c == '\\' ||
                         isReservedOnWindows(static_cast<char>(c));
        out += bad ? '_' : static_cast<char>(c);
    }
    while (!out.empty() && (out.back() == '.' || out.back() == ' '))
        out.pop_back();
    while (!out.empty() && out.front() == ' ')
        out.erase(out.begin());
    if (out.empty())
        return "_";
    return out;
}

NamingTemplate::NamingTemplate() : NamingTemplate(parse(kDefault)) {}

NamingTemplate NamingTemplate::parse(std::string_view text) {
    NamingTemplate t{Unparsed{}};
    t.m_text = std::string(text);
    if (text.empty())
        reject(text, "it is empty");
    if (text.front() == '/' || text.front() == '\\')
        reject(text, "it is an absolute path; it must name a path inside the output folder");
    if (text.size() >= 2 && std::isalpha(static_cast<unsigned char>(text[0])) && text[1] == ':')
        reject(text, "it starts with a drive letter; it must name a path inside the output folder");
    if (text.front() == '~')
        reject(text,
               "it starts with '~' (a home folder); it must name a path inside the output folder");

    std::string literal;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '}')
            reject(text, "'}' at position " + positionOf(text, i) + " has no matching '{'");
        if (c != '{') {
            const auto u = static_cast<unsigned char>(c);
            if (u < 0x20 || u == 0x7f)
                reject(text, "it contains a control character at position " + positionOf(text, i) +
                                 ", which no file name can hold");
            if (isReservedOnWindows(c))
                reject(text, std::string("'") + c + "' at position " + positionOf(text, i) +
                                 " cannot be part of a file name on Windows; use another "
                                 "character, such as '-' or '_'");
            literal += c;
            continue;
        }
        const size_t close = text.find('}', i + 1);
        if (close == std::string_view::npos)
            reject(text, "'{' at position " + positionOf(text, i) + " is never closed");
        const std::string name(text.substr(i + 1, close - i - 1));
        if (name.find('{') != std::string::npos)
            reject(text, "'{' at position " + positionOf(text, i) + " is never closed");
        if (!isKnown(name))
            reject(text, "unknown variable {" + name +
                             "}; use {track}, {stem}, {ext}, {model}, {date}, {index} or {folder}");
        if (!literal.empty())
            t.m_pieces.push_back({false, literal});
        literal.clear();
        t.m_pieces.push_back({true, name});
        i = close;
    }
    if (!literal.empty())
        t.m_pieces.push_back({false, literal});

    // Folder structure comes from the literal text only (values cannot contain separators), so
    // ".." and empty segments can be checked once, here.
    const auto segs = segments(text);
    for (size_t i = 0; i < segs.size(); ++i) {
        if (segs[i] == "..")
            reject(text, "it contains \"..\", which would leave the output folder");
        if (segs[i] == ".")
            reject(text, "it contains a \".\" folder segment");
        if (segs[i].empty())
            reject(text, i + 1 == segs.size()
                             ? "it ends with a folder separator; it must end with a file name"
                             : "it contains an empty folder name (\"//\")");
    }
    return t;
}

bool NamingTemplate::uses(std::string_view variable) const {
    return std::any_of(m_pieces.begin(), m_pieces.end(),
                       [&](const Piece& p) { return p.variable && p.text == variable; });
}

std::filesystem::path NamingTemplate::expand(const NamingContext& context) const {
    std::string out;
    for (const Piece& p : m_pieces) {
        if (!p.variable) {
            out += p.text;
            continue;
        }
        std::string value;
        if (p.text == "track")
            value = context.track;
        else if (p.text == "stem")
            value = context.stem;
        else if (p.text == "ext")
            value = context.ext;
        else if (p.text == "model")
            value = context.model;
        else if (p.text == "date")
            value = context.date.empty() ? today() : context.date;
        else if (p.text == "index")
            value = std::to_string(context.index);
        else if (p.text == "folder")
            value = context.folder;
        // Values must never add folders or climb out: separators and reserved characters go.
        out += sanitizeFileNameComponent(value);
    }
    // Each segment of the result must be a usable file name, and the whole must stay inside.
    std::filesystem::path result;
    const auto segs = segments(out);
    for (const auto& raw : segs) {
        std::string seg = raw;
        if (seg == "." || seg == "..")
            throw Error(ErrorCode::InvalidArgument, "Naming template \"" + m_text +
                                                        "\" gives the path \"" + out +
                                                        "\", which would leave the output folder");
        while (!seg.empty() && (seg.back() == '.' || seg.back() == ' '))
            seg.pop_back();
        if (seg.empty())
            seg = "_";
        if (isWindowsDeviceName(seg))
            seg.insert(seg.find('.') == std::string::npos ? seg.size() : seg.find('.'), "_");
        result /= seg;
    }
    const auto normal = result.lexically_normal();
    if (normal.is_absolute() || normal.empty() || *normal.begin() == "..")
        throw Error(ErrorCode::InvalidArgument, "Naming template \"" + m_text +
                                                    "\" gives the path \"" + out +
                                                    "\", which would leave the output folder");
    return normal;
}

std::vector<std::filesystem::path> expandAll(const NamingTemplate& naming,
                                             const NamingContext& base,
                                             const std::vector<std::string>& stems) {
    std::vector<std::filesystem::path> out;
    std::map<std::string, size_t> seen;
    NamingContext ctx = base;
    if (ctx.date.empty())
        ctx.date = today(); // one date for all stems, even across midnight
    for (size_t i = 0; i < stems.size(); ++i) {
        ctx.stem = stems[i];
        ctx.index = static_cast<int>(i) + 1;
        std::filesystem::path p = naming.expand(ctx);
        const auto [it, inserted] = seen.emplace(lower(p.generic_string()), i);
        if (!inserted)
            throw Error(ErrorCode::InvalidArgument,
                        "Naming template \"" + naming.text() + "\" gives the same file \"" +
                            p.generic_string() + "\" for the stems \"" + stems[it->second] +
                            "\" and \"" + stems[i] + "\"; add {stem} or {index} to the template");
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace stemdeck::audio
