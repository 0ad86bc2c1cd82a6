// Element types of tensors stored in checkpoint files (torch.save storages and safetensors),
// independent of LibTorch so the file parsers stay plain C++ and can be sanitised and fuzzed.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace stemdeck::model::formats {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

std::size_t elementSize(DType dtype);

// The safetensors spelling ("F32", "BF16", "BOOL"), also used in messages.
std::string_view safetensorsName(DType dtype);
std::optional<DType> dtypeFromSafetensorsName(std::string_view name);

// The storage class torch.save names in its pickle ("FloatStorage", "BFloat16Storage").
std::optional<DType> dtypeFromTorchStorageName(std::string_view name);

bool isFloatingPoint(DType dtype);

} // namespace stemdeck::model::formats
