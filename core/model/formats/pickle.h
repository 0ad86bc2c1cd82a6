// A deliberately small unpickler for the data.pkl of torch.save files. It understands the
// opcodes Python's pickler emits for state dicts (protocols 2 to 5: memo, frames, persistent
// ids for storages) and builds plain values; it never runs code. Only these globals resolve:
// collections.OrderedDict, torch._utils._rebuild_tensor_v2 / _rebuild_parameter /
// _rebuild_parameter_with_state, the torch.*Storage classes and builtins.set / frozenset.
// Any other global is refused with ErrorCode::UnsafeCheckpoint naming it ("os.system").
// Nesting depth, memo size, stack size, string length and element counts are bounded, and a
// container cannot be changed after it was placed in another one, so there are no cycles.
#pragma once

#include "model/formats/dtype.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace stemdeck::model::formats::pickle {

struct Limits {
    std::size_t maxDepth = 64;               // nesting of containers
    std::size_t maxMemo = 1u << 22;          // memo entries
    std::size_t maxStack = 1u << 22;         // values on the stack
    std::size_t maxStringBytes = 16u << 20;  // one string / bytes object
    std::size_t maxElements = 1u << 24;      // container insertions in total
    std::size_t maxTensorDims = 32;
};

enum class Kind { None, Bool, Int, Float, String, Bytes, List, Tuple, Dict, Set, Global, Storage, Tensor };

const char* kindName(Kind kind);

// What a whitelisted global is.
enum class Callable { OrderedDict, RebuildTensorV2, RebuildParameter, RebuildParameterWithState, Set,
                      FrozenSet, StorageType };

// A storage of the checkpoint: the zip entry <archive>/data/<key> holding numel elements.
struct Storage {
    std::string key;
    DType dtype = DType::F32;
    std::uint64_t numel = 0;
    std::string location; // "cpu", "cuda:0": where it lived when saved; informative only
};

// A strided view of a storage, as _rebuild_tensor_v2 describes it (not yet validated
// against the storage size: the checkpoint reader does that).
struct TensorView {
    std::shared_ptr<const Storage> storage;
    std::int64_t storageOffset = 0;
    std::vector<std::int64_t> shape;
    std::vector<std::int64_t> stride;
};

class Value;
using ValuePtr = std::shared_ptr<Value>;

class Value {
public:
    explicit Value(Kind kind) : m_kind(kind) {}

    Kind kind() const { return m_kind; }
    bool isContainer() const;

    bool boolean = false;
    std::int64_t integer = 0;
    double real = 0.0;
    std::string text;                                   // String, Bytes, Global ("module.name")
    std::vector<ValuePtr> items;                        // List, Tuple, Set
    std::vector<std::pair<ValuePtr, ValuePtr>> entries; // Dict, in insertion order
    bool ordered = false;                               // Dict made by collections.OrderedDict
    Callable callable = Callable::OrderedDict;          // Global
    DType storageDType = DType::F32;                    // Global of Callable::StorageType
    std::shared_ptr<const Storage> storage;             // Storage
    TensorView tensor;                                  // Tensor

    // The entry whose key is this string, or nullptr (dicts only).
    ValuePtr find(const std::string& key) const;

private:
    friend class Unpickler;
    Kind m_kind;
    std::unordered_map<std::string, std::size_t> m_index; // Dict: string/int key -> entry
    std::size_t m_depth = 0;
    bool m_frozen = false; // placed inside another container: no further changes
};

// Parses a whole pickle. `source` names the file in error messages. Throws stemdeck::Error:
// UnsafeCheckpoint for a refused global, InvalidCheckpoint for anything malformed.
ValuePtr unpickle(std::span<const std::byte> data, const std::string& source, const Limits& limits = {});

} // namespace stemdeck::model::formats::pickle
