// Shared by the fuzz targets: what counts as a finding besides a sanitizer report. The parsers
// promise stemdeck::Error whose message names the input; any other exception escapes to libFuzzer
// (reported as a crash), and an Error that does not name the input aborts here.
#pragma once

#include "common/error.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace stemdeck::fuzz {

inline std::vector<std::byte> toBytes(const uint8_t* data, size_t size) {
    const auto* begin = reinterpret_cast<const std::byte*>(data);
    return {begin, begin + size};
}

[[noreturn]] inline void finding(const std::string& what) {
    std::fprintf(stderr, "FINDING: %s\n", what.c_str());
    std::abort();
}

inline void expect(bool condition, const std::string& what) {
    if (!condition) finding(what);
}

// An error must name the input so a user can tell which file is broken.
inline void expectNamed(const Error& error, std::string_view source) {
    const std::string message = error.what();
    if (message.find(source) == std::string::npos)
        finding(std::string("error message does not name the input (") + errorCodeName(error.code()) +
                "): " + message);
}

} // namespace stemdeck::fuzz
