#include "model/formats/dtype.h"

#include <array>
#include <utility>

namespace stemdeck::model::formats {

namespace {

struct DTypeInfo {
    DType dtype;
    std::size_t size;
    std::string_view safetensors;
    std::string_view torchStorage;
};

constexpr std::array<DTypeInfo, 10> kTypes{{
    {DType::F64, 8, "F64", "DoubleStorage"},
    {DType::F32, 4, "F32", "FloatStorage"},
    {DType::F16, 2, "F16", "HalfStorage"},
    {DType::BF16, 2, "BF16", "BFloat16Storage"},
    {DType::I64, 8, "I64", "LongStorage"},
    {DType::I32, 4, "I32", "IntStorage"},
    {DType::I16, 2, "I16", "ShortStorage"},
    {DType::I8, 1, "I8", "CharStorage"},
    {DType::U8, 1, "U8", "ByteStorage"},
    {DType::Bool, 1, "BOOL", "BoolStorage"},
}};

const DTypeInfo& info(DType dtype) {
    for (const auto& t : kTypes) {
        if (t.dtype == dtype) return t;
    }
    return kTypes[1];
}

} // namespace

std::size_t elementSize(DType dtype) { return info(dtype).size; }

std::string_view safetensorsName(DType dtype) { return info(dtype).safetensors; }

std::optional<DType> dtypeFromSafetensorsName(std::string_view name) {
    for (const auto& t : kTypes) {
        if (t.safetensors == name) return t.dtype;
    }
    return std::nullopt;
}

std::optional<DType> dtypeFromTorchStorageName(std::string_view name) {
    for (const auto& t : kTypes) {
        if (t.torchStorage == name) return t.dtype;
    }
    return std::nullopt;
}

bool isFloatingPoint(DType dtype) {
    return dtype == DType::F64 || dtype == DType::F32 || dtype == DType::F16 || dtype == DType::BF16;
}

} // namespace stemdeck::model::formats
