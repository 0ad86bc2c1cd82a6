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

[[noreturn]] inline void invalid(const std::string& source, const std::string& problem,
                                 std::string rawDetail = {}) {
    fail(ErrorCode::InvalidCheckpoint, source, problem, std::move(rawDetail));
}

// A file that ends before its own structure says it should (or is empty): nearly always an
// interrupted download or copy, so the message names the way forward too.
[[noreturn]] inline void cutShort(const std::string& source, const std::string& problem,
                                  std::string rawDetail = {}) {
    invalid(source,
            problem + "; the file is incomplete, most likely from an interrupted download or copy: download or "
                      "copy it again",
            std::move(rawDetail));
}

} // namespace stemdeck::model::formats::detail
