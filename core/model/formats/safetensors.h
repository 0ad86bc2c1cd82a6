// The safetensors format: an 8-byte little-endian header length, a JSON header naming each
// tensor's dtype, shape and [begin, end) byte range in the data that follows, and an optional
// "__metadata__" string map. Reading validates everything against the file size before any
// tensor is touched; writing is for StemDeck's own models (atomic: temp file, then rename).
#pragma once

#include "model/formats/tensor_file.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace stemdeck::model::formats {

// Header length limit (the reference implementation uses the same 100 MB).
inline constexpr std::uint64_t kMaxSafetensorsHeader = 100'000'000;

std::unique_ptr<TensorFile> readSafetensors(const std::filesystem::path& path);
std::unique_ptr<TensorFile> readSafetensors(std::vector<std::byte> data, std::string sourceName);

struct SafetensorsTensor {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::span<const std::byte> data; // contiguous, little-endian, numel * elementSize bytes
};

// Writes tensors in the given order (8-byte aligned header). Throws stemdeck::Error:
// InvalidArgument for inconsistent tensors, WriteFailed (naming the file) if writing fails;
// the destination is then untouched.
void writeSafetensors(const std::filesystem::path& path, const std::vector<SafetensorsTensor>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

} // namespace stemdeck::model::formats
