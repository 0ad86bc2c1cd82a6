// Fuzz target: naming templates. The input is "<template>\0<track>\0<stem>\0<ext>\0<model>".
// Whatever the template and the values, an expansion that succeeds is a non-empty relative path
// with no "..", no absolute part and no empty or "." component: it cannot leave the destination.
#include "audio/naming_template.h"
#include "fuzz_util.h"

#include <string>
#include <vector>

namespace {

std::vector<std::string> splitFields(std::string_view input, size_t count) {
    std::vector<std::string> fields;
    while (fields.size() + 1 < count) {
        const size_t nul = input.find('\0');
        if (nul == std::string_view::npos) break;
        fields.emplace_back(input.substr(0, nul));
        input.remove_prefix(nul + 1);
    }
    fields.emplace_back(input);
    fields.resize(count);
    return fields;
}

void checkInside(const std::filesystem::path& path, const std::string& text) {
    using stemdeck::fuzz::expect;
    expect(!path.empty(), "empty expansion of " + text);
    expect(path.is_relative() && !path.has_root_path(), "absolute expansion of " + text + ": " + path.string());
    for (const auto& part : path) {
        const std::string s = part.string();
        expect(!s.empty() && s != "." && s != "..", "expansion leaves the folder: " + path.string());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace stemdeck;
    using namespace stemdeck::audio;
    const auto f = splitFields({reinterpret_cast<const char*>(data), size}, 5);
    NamingTemplate naming;
    try {
        naming = NamingTemplate::parse(f[0]);
    } catch (const Error& e) {
        fuzz::expect(e.code() == ErrorCode::InvalidArgument, "parse threw an unexpected code");
        return 0;
    }
    NamingContext context{f[1], f[2], f[3], f[4], "2026-01-01", 1};
    try {
        checkInside(naming.expand(context), f[0]);
    } catch (const Error& e) {
        fuzz::expect(e.code() == ErrorCode::InvalidArgument, "expand threw an unexpected code");
    }
    try {
        const auto paths = expandAll(naming, context, {f[2], "drums", "Drums2"});
        fuzz::expect(paths.size() == 3, "expandAll lost a stem");
        for (const auto& p : paths) checkInside(p, f[0]);
    } catch (const Error& e) {
        fuzz::expect(e.code() == ErrorCode::InvalidArgument, "expandAll threw an unexpected code");
    }
    const std::string safe = sanitizeFileNameComponent(f[1]);
    fuzz::expect(!safe.empty() && safe != "." && safe != ".." &&
                     safe.find_first_of("/\\:*?\"<>|") == std::string::npos,
                 "sanitizeFileNameComponent left an unsafe name: " + safe);
    return 0;
}
