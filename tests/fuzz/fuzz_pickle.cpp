// Fuzz target: the unpickler alone (data.pkl of torch.save files). Any input must give a value
// tree or a stemdeck::Error naming the source; a global outside the whitelist must never come
// back as a resolved value.
#include "fuzz_util.h"
#include "model/formats/pickle.h"

#include <functional>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace stemdeck;
    using namespace stemdeck::model::formats::pickle;
    static const std::string kSource = "fuzz-input.pkl";
    try {
        const ValuePtr root = unpickle({reinterpret_cast<const std::byte*>(data), size}, kSource);
        fuzz::expect(root != nullptr, "unpickle returned null");
        // Walk the tree (bounded: containers are frozen once nested, so there are no cycles).
        std::function<void(const ValuePtr&, int)> walk = [&](const ValuePtr& v, int depth) {
            fuzz::expect(v != nullptr, "null value in the tree");
            fuzz::expect(depth <= 80, "tree deeper than the depth limit");
            if (v->kind() == Kind::Tensor)
                fuzz::expect(v->tensor.shape.size() == v->tensor.stride.size(), "tensor rank mismatch");
            for (const auto& item : v->items) walk(item, depth + 1);
            for (const auto& [key, value] : v->entries) {
                walk(key, depth + 1);
                walk(value, depth + 1);
            }
        };
        walk(root, 0);
    } catch (const Error& e) {
        fuzz::expectNamed(e, kSource);
    }
    return 0;
}
