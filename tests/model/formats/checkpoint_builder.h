// Test fixtures that write checkpoint files byte by byte, the way torch.save and the
// safetensors library lay them out, so the readers are tested on well-formed, unusual and
// hostile files without Python in CI. Plain C++ (+ libzip) so the sanitizer build uses it too.
#pragma once

#include "model/formats/dtype.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stemdeck::test::ckpt {

using Bytes = std::vector<std::byte>;
using model::formats::DType;

// Emits pickle opcodes. Protocol 2 as torch.save writes it by default; protocol >= 4 switches
// to SHORT_BINUNICODE / STACK_GLOBAL / MEMOIZE and frame() wraps the body in a FRAME.
class PickleWriter {
public:
    explicit PickleWriter(int protocol = 2);

    PickleWriter& op(char opcode);
    PickleWriter& raw(std::string_view bytes);
    PickleWriter& mark() { return op('('); }
    PickleWriter& str(std::string_view s);
    PickleWriter& integer(std::int64_t v);
    PickleWriter& boolean(bool v);
    PickleWriter& real(double v);
    PickleWriter& global(std::string_view module, std::string_view name);
    PickleWriter& put(std::uint32_t index); // BINPUT / LONG_BINPUT, or MEMOIZE for protocol >= 4
    PickleWriter& get(std::uint32_t index);
    PickleWriter& tuple(const std::vector<std::int64_t>& ints);
    PickleWriter& orderedDictCall(); // collections.OrderedDict() via REDUCE

    // The finished pickle (PROTO first, STOP appended, a FRAME for protocol >= 4).
    std::string finish() const;
    int protocol() const { return m_protocol; }

private:
    int m_protocol;
    std::uint32_t m_memo = 0;
    std::string m_body;
};

struct TensorSpec {
    std::string name;
    std::string storageKey;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::vector<std::int64_t> stride;
    std::int64_t offset = 0;
    bool parameter = false; // wrapped in torch._utils._rebuild_parameter
};

struct StorageSpec {
    DType dtype = DType::F32;
    std::uint64_t declaredNumel = 0; // what the pickle says
    Bytes bytes;                     // what the zip entry holds
};

enum class Layout { OrderedDict, PlainDict, Lightning };

struct CheckpointSpec {
    Layout layout = Layout::OrderedDict;
    std::string namePrefix; // put before every tensor name ("module.", "model.")
    int protocol = 2;
    std::vector<TensorSpec> tensors;
    std::map<std::string, StorageSpec> storages;
};

std::string torchPickle(const CheckpointSpec& spec);

// A zip (stored entries) with the given names and contents.
Bytes zipArchive(const std::vector<std::pair<std::string, Bytes>>& entries);

// A torch.save zip: <archive>/data.pkl, <archive>/data/<key>, <archive>/version, byteorder.
Bytes torchCheckpoint(const CheckpointSpec& spec, const std::string& archive = "archive");
Bytes torchCheckpointWithPickle(const std::string& pickle, const std::map<std::string, StorageSpec>& storages = {},
                                const std::string& archive = "archive");

// 8-byte length + header + data, exactly as given (no validation: for hostile headers).
Bytes safetensorsFile(const std::string& header, const Bytes& data);

Bytes toBytes(std::string_view s);
void writeFile(const std::filesystem::path& path, const Bytes& data);
Bytes readFile(const std::filesystem::path& path);

// Element encodings (little-endian). Values used in tests are exactly representable.
std::uint16_t toHalf(float v);
float fromHalf(std::uint16_t h);
std::uint16_t toBFloat16(float v);
float fromBFloat16(std::uint16_t b);
Bytes encode(const std::vector<float>& values, DType dtype);
std::vector<float> decode(const Bytes& bytes, DType dtype);

// Deterministic values k/8 in [-8, 8): exact in F16, BF16 and F32.
std::vector<float> exactValues(std::size_t count, std::uint32_t seed);

} // namespace stemdeck::test::ckpt
