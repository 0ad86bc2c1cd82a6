// Fuzz target: the YAML model-config reader up to a validated config. A config that parses must
// be usable (parameter count computable, stems non-empty) and must survive toYaml() and a
// second parse unchanged, as model_config.h promises.
#include "fuzz_util.h"
#include "model/model_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace stemdeck;
    static const std::string kSource = "fuzz-input.yaml";
    const std::string_view yaml(reinterpret_cast<const char*>(data), size);
    model::ModelConfig config;
    try {
        config = model::parseModelConfig(yaml, kSource);
    } catch (const Error& e) {
        fuzz::expectNamed(e, kSource);
        return 0;
    }
    fuzz::expect(!config.stems().empty(), "validated config without stems");
    fuzz::expect(config.chunkSize() > 0 && config.framesPerChunk() > 0, "validated config with no chunk");
    fuzz::expect(model::parameterCountOf(config) > 0, "validated config with no parameters");
    model::ModelConfig again;
    try {
        again = model::parseModelConfig(model::toYaml(config), "round-trip");
    } catch (const Error& e) {
        fuzz::finding(std::string("toYaml() of a valid config does not parse: ") + e.what());
    }
    fuzz::expect(again.stems() == config.stems(), "stems changed in the round trip");
    fuzz::expect(again.chunkSize() == config.chunkSize(), "chunk size changed in the round trip");
    fuzz::expect(again.audio.n_fft == config.audio.n_fft && again.audio.dim_f == config.audio.dim_f &&
                     again.audio.hop_length == config.audio.hop_length,
                 "STFT settings changed in the round trip");
    fuzz::expect(model::parameterCountOf(again) == model::parameterCountOf(config),
                 "network size changed in the round trip");
    return 0;
}
