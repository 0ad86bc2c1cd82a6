// Internal to core/model/formats: every error of the file parsers names the file (or the
// buffer's name) first, then the problem, so a user can tell which download is broken.
#pragma once

#include "common/error.h"

#include <string>

namespace stemdeck::model::formats::detail {

[[noreturn]] inline void fail(ErrorCode code, const std::string& source, const std::string& problem,
                              std::string rawDetail = {}) {
    throw Error(code, source + ": " + problem, std::move(rawDetail));
}

// A checkpoint cut short is nearly always an interrupted download or copy: every problem that
// says "truncated" (or an empty file) also names the way forward.
inline std::string withWayForward(const std::string& problem) {
    if (problem.find("truncated") == std::string::npos && problem.find("empty") == std::string::npos) return problem;
    return problem + "; the file is incomplete, most likely from an interrupted download or copy: download or copy "
                     "it again";
}

[[noreturn]] inline void invalid(const std::string& source, const std::string& problem,
                                 std::string rawDetail = {}) {
    fail(ErrorCode::InvalidCheckpoint, source, withWayForward(problem), std::move(rawDetail));
}

} // namespace stemdeck::model::formats::detail
