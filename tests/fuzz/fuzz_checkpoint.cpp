// Fuzz target: a torch.save zip from memory (libzip container, the whitelisting unpickler, the
// state-dict search and the storage checks), then every storage read back.
#include "fuzz_util.h"
#include "model/formats/torch_checkpoint.h"
#include "tensor_file_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace stemdeck;
    static const std::string kSource = "fuzz-input.ckpt";
    try {
        auto file = model::formats::readTorchCheckpoint(fuzz::toBytes(data, size), kSource);
        fuzz::checkTensorFile(*file);
    } catch (const Error& e) {
        fuzz::expectNamed(e, kSource);
    }
    return 0;
}
