#include "model/state_dict.h"

#include "common/error.h"
#include "model/formats/safetensors.h"

#include <new>
#include <optional>

namespace stemdeck::model {

namespace {

using formats::DType;

torch::ScalarType toScalarType(DType dtype) {
    switch (dtype) {
    case DType::F64: return torch::kDouble;
    case DType::F32: return torch::kFloat;
    case DType::F16: return torch::kHalf;
    case DType::BF16: return torch::kBFloat16;
    case DType::I64: return torch::kLong;
    case DType::I32: return torch::kInt;
    case DType::I16: return torch::kShort;
    case DType::I8: return torch::kChar;
    case DType::U8: return torch::kByte;
    case DType::Bool: return torch::kBool;
    }
    return torch::kFloat;
}

std::optional<DType> toDType(torch::ScalarType type) {
    switch (type) {
    case torch::kDouble: return DType::F64;
    case torch::kFloat: return DType::F32;
    case torch::kHalf: return DType::F16;
    case torch::kBFloat16: return DType::BF16;
    case torch::kLong: return DType::I64;
    case torch::kInt: return DType::I32;
    case torch::kShort: return DType::I16;
    case torch::kChar: return DType::I8;
    case torch::kByte: return DType::U8;
    case torch::kBool: return DType::Bool;
    default: return std::nullopt;
    }
}

} // namespace

StateDict toStateDict(const formats::TensorFile& file) {
    const auto& records = file.tensors();
    StateDict out(records.size());
    try {
        // One storage in memory at a time; every view of it is copied out before the next.
        for (const auto& storage : file.storages()) {
            std::vector<std::byte> bytes = file.readStorage(storage.key);
            const auto options = torch::TensorOptions().dtype(toScalarType(storage.dtype)).device(torch::kCPU);
            for (std::size_t i = 0; i < records.size(); ++i) {
                const auto& r = records[i];
                if (r.storageKey != storage.key) continue;
                torch::Tensor tensor;
                if (r.numel() == 0) {
                    tensor = torch::empty(r.shape, options);
                } else {
                    // Bounds were checked by the reader: offset + strided extent <= storage numel.
                    std::byte* first = bytes.data() + static_cast<std::size_t>(r.storageOffset) * formats::elementSize(r.dtype);
                    tensor = torch::from_blob(first, r.shape, r.stride, options).clone(at::MemoryFormat::Contiguous);
                }
                out[i] = {r.name, std::move(tensor)};
            }
        }
    } catch (const std::bad_alloc&) {
        throw Error(ErrorCode::OutOfMemory, file.source() + ": not enough memory to load the checkpoint's tensors");
    } catch (const c10::Error& e) {
        throw Error(ErrorCode::InvalidCheckpoint, file.source() + ": a tensor cannot be built from the checkpoint",
                    e.what_without_backtrace());
    }
    return out;
}

StateDict loadStateDict(const std::filesystem::path& path, std::map<std::string, std::string>* metadata) {
    const auto file = formats::openTensorFile(path);
    if (metadata) *metadata = file->metadata();
    return toStateDict(*file);
}

void saveSafetensors(const std::filesystem::path& path, const StateDict& tensors, torch::ScalarType storeAs,
                     const std::map<std::string, std::string>& metadata) {
    if (storeAs != torch::kFloat && storeAs != torch::kHalf && storeAs != torch::kBFloat16) {
        throw Error(ErrorCode::InvalidArgument, path.string() + ": safetensors weights are stored as float32, float16 "
                                                                "or bfloat16, not " + std::string(c10::toString(storeAs)));
    }
    std::vector<torch::Tensor> keep; // owns the converted data the entries point into
    std::vector<formats::SafetensorsTensor> entries;
    keep.reserve(tensors.size());
    entries.reserve(tensors.size());
    for (const auto& [name, tensor] : tensors) {
        torch::Tensor t = tensor.detach().to(torch::kCPU);
        if (t.is_floating_point()) t = t.to(storeAs);
        t = t.contiguous();
        const auto dtype = toDType(t.scalar_type());
        if (!dtype) {
            throw Error(ErrorCode::InvalidArgument, path.string() + ": tensor '" + name + "' has the type " +
                                                        std::string(c10::toString(t.scalar_type())) +
                                                        ", which safetensors files from StemDeck do not hold");
        }
        const auto* data = static_cast<const std::byte*>(t.data_ptr());
        entries.push_back({name, *dtype, t.sizes().vec(),
                           std::span<const std::byte>(data, static_cast<std::size_t>(t.numel()) * t.element_size())});
        keep.push_back(std::move(t));
    }
    formats::writeSafetensors(path, entries, metadata);
}

} // namespace stemdeck::model
