// MSST-style model configs (the YAML files that ship with MDX23C / TFC-TDF v3 checkpoints):
// the structs the network, the engine and the CLI read, the bounded YAML reader that fills them
// and a writer for our own models. Plain C++ and yaml-cpp only (no LibTorch, no Qt) so the
// reader can be fuzzed and sanitised on its own.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stemdeck::model {

// `audio:` section. dim_t is optional in the file (derived from chunk_size when absent).
struct AudioConfig {
    int64_t chunk_size = 0;
    int64_t dim_f = 0;
    int64_t dim_t = 0;
    int64_t hop_length = 0;
    int64_t n_fft = 0;
    int num_channels = 2;
    int sample_rate = 44100;
    double min_mean_abs = 0.0;
};

// `model:` section (TFC-TDF v3 hyper-parameters). act: gelu | relu | elu<alpha>;
// norm: InstanceNorm | BatchNorm | GroupNorm<N> | anything else = no normalisation.
struct NetConfig {
    std::string act;
    std::string norm;
    int64_t bottleneck_factor = 0;
    int64_t growth = 0;
    int64_t num_blocks_per_scale = 0;
    int64_t num_channels = 0;
    int64_t num_scales = 0;
    int64_t num_subbands = 0;
    std::array<int64_t, 2> scale{0, 0}; // (time, frequency) stride of down/upscaling
};

// `training:` section: the stems, and the one stem a single-target model predicts.
struct TrainingConfig {
    std::vector<std::string> instruments;
    std::optional<std::string> target_instrument; // absent, null or "" -> all instruments
};

// `inference:` section (optional in the file; defaults below).
struct InferenceConfig {
    int64_t batch_size = 1;
    int64_t dim_t = 0;
    int64_t num_overlap = 4;
    std::optional<int64_t> chunk_size;
    // StemDeck's own key (the public inference ignores it): spread what the stems miss of the mix
    // equally over them, so they add up to the mix exactly. Off unless the config says so; the
    // bundled model's config turns it on (docs/models/drumsep-compact.md).
    bool mixture_consistency = false;
    // StemDeck's own key too: soft masks after the network (model::NetRuntime::softMaskPower):
    // each stem takes the mix's spectrum weighted by |S_i|^p / sum_j |S_j|^p of the estimates.
    // 0 (absent): off; otherwise in (0, kMaxSoftMaskPower]; needs at least two stems.
    double soft_mask_power = 0.0;
    // StemDeck's own key too: a multichannel Wiener filter after the soft masks
    // (model::multichannelWiener). Off unless the config says so; stereo models only.
    bool multichannel_wiener = false;
    // StemDeck's own key too: that filter's passes (model::NetRuntime::wienerIterations), 1 to
    // kMaxWienerIterations; 1 (absent): one pass.
    int64_t wiener_iterations = 1;
    // StemDeck's own key too: the STFT size of each pass of that filter (model::NetRuntime::
    // wienerFftSizes), hop a quarter of it; one entry per pass (as many as wiener_iterations),
    // each a power of two from kMinWienerFft to kMaxWienerFft. Empty (absent): every pass at
    // audio.n_fft, on the network's own spectra.
    std::vector<int64_t> wiener_n_fft;
};

inline constexpr double kMaxSoftMaskPower = 8.0;
inline constexpr int64_t kMaxWienerIterations = 8;
inline constexpr int64_t kMinWienerFft = 256;
inline constexpr int64_t kMaxWienerFft = 8192;
// Whether n may be a Wiener pass's STFT size (inference.wiener_n_fft): a power of two from
// kMinWienerFft to kMaxWienerFft.
inline constexpr bool isWienerFftSize(int64_t n) { return n >= kMinWienerFft && n <= kMaxWienerFft && (n & (n - 1)) == 0; }

enum class Activation { Gelu, Relu, Elu };
enum class Norm { Instance, Batch, Group, Identity };

struct ModelConfig {
    AudioConfig audio;
    NetConfig model;
    TrainingConfig training;
    InferenceConfig inference;

    // The stems the network outputs, in output order: {target_instrument} or instruments.
    std::vector<std::string> stems() const;
    // Samples per model call: inference.chunk_size if present, else audio.chunk_size.
    int64_t chunkSize() const;
    // STFT frames of one chunk (center=true): chunkSize() / hop_length + 1.
    int64_t framesPerChunk() const;

    Activation activation() const;
    double eluAlpha() const; // only meaningful for Activation::Elu
    Norm normKind() const;
    int64_t groupNormGroups() const; // only meaningful for Norm::Group
};

// Parameters of the TFC-TDF v3 network this config describes, computed without building it
// (used to refuse absurd sizes before allocating, and by model-info).
int64_t parameterCountOf(const ModelConfig& config);

// Checks ranges and cross-field constraints (the network must be buildable and a chunk must
// round-trip through STFT, down- and upscaling). Throws stemdeck::Error(InvalidConfig).
// parseModelConfig already calls it; call it again after editing a config in code.
void validateModelConfig(const ModelConfig& config, std::string_view sourceName = "config");

// Reads and validates a config. The YAML is bounded before parsing: at most 1 MiB, nesting
// depth 64, 100,000 nodes after alias expansion. Unknown keys and tags (!!python/tuple) are
// ignored. Errors are stemdeck::Error(InvalidConfig) naming the file, the key and the line
// (FileNotFound / UnreadableFile for the file itself).
ModelConfig loadModelConfig(const std::filesystem::path& path);
ModelConfig parseModelConfig(std::string_view yaml, std::string_view sourceName);

// An MSST-style config for this ModelConfig (what our own trainer writes next to a checkpoint);
// parseModelConfig(toYaml(c)) gives c back.
std::string toYaml(const ModelConfig& config);

} // namespace stemdeck::model
