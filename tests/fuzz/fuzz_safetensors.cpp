// Fuzz target: safetensors from memory (length prefix, JSON header, dtype/shape/offset checks
// against the data size), then every storage read back.
#include "fuzz_util.h"
#include "model/formats/safetensors.h"
#include "tensor_file_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace stemdeck;
    static const std::string kSource = "fuzz-input.safetensors";
    try {
        auto file = model::formats::readSafetensors(fuzz::toBytes(data, size), kSource);
        fuzz::checkTensorFile(*file);
    } catch (const Error& e) {
        fuzz::expectNamed(e, kSource);
    }
    return 0;
}
