// Shared by fuzz_checkpoint and fuzz_safetensors: everything a reader returned must be usable.
// Each record's strided extent must lie within its storage (the reader promises to have checked
// that) and every storage must read back, so a lie about sizes shows up under ASan here rather
// than in LibTorch later.
#pragma once

#include "fuzz_util.h"
#include "model/formats/tensor_file.h"

namespace stemdeck::fuzz {

inline void checkTensorFile(const model::formats::TensorFile& file) {
    for (const auto& t : file.tensors()) {
        const auto& storage = file.storage(t.storageKey);
        expect(t.shape.size() == t.stride.size(), "shape and stride ranks differ for " + t.name);
        expect(t.storageOffset >= 0, "negative storage offset for " + t.name);
        if (t.numel() == 0) continue;
        // Last element reached by the view, in elements; must be inside the storage.
        uint64_t last = static_cast<uint64_t>(t.storageOffset);
        for (size_t d = 0; d < t.shape.size(); ++d) {
            expect(t.shape[d] > 0 && t.stride[d] >= 0, "bad dimension accepted for " + t.name);
            last += static_cast<uint64_t>(t.shape[d] - 1) * static_cast<uint64_t>(t.stride[d]);
        }
        expect(last < storage.numel, "view of " + t.name + " runs past its storage");
    }
    for (const auto& s : file.storages()) {
        if (s.byteSize() > (8u << 20)) continue; // keep executions fast; sizes were checked above
        const auto bytes = file.readStorage(s.key);
        expect(bytes.size() == s.byteSize(), "storage " + s.key + " read back with the wrong size");
    }
}

} // namespace stemdeck::fuzz
