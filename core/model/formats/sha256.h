// SHA-256 of a file, streamed (OpenSSL), for checking downloads against a model catalogue.
#pragma once

#include <filesystem>
#include <string>

namespace stemdeck::model::formats {

// Lowercase hex digest. Throws stemdeck::Error (FileNotFound / UnreadableFile) naming the file.
std::string sha256File(const std::filesystem::path& path);

} // namespace stemdeck::model::formats
