// From a config file and a checkpoint file to a ready TFC-TDF v3 network: read both, compare the
// checkpoint's keys and shapes with the network the config describes (missing, unexpected,
// mismatched, stem count), copy the weights by name (fp16/bf16 converted to float32) and put
// the network in eval mode on the CPU. Also the summary `stemdeck-cli model-info` prints.
#pragma once

#include "model/model_config.h"
#include "model/state_dict.h"
#include "model/tfc_tdf_net.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stemdeck::model {

// Trainable parameters (not buffers) of a module and its children.
int64_t countParameters(const torch::nn::Module& module);

struct ShapeMismatch {
    std::string key;
    std::vector<int64_t> expected; // the network's (from the config)
    std::vector<int64_t> actual;   // the checkpoint's
};

struct WeightCheck {
    std::vector<std::string> missing;    // the network needs them, the checkpoint lacks them
    std::vector<std::string> unexpected; // in the checkpoint, unknown to the network
    std::vector<ShapeMismatch> shapeMismatches;
    // Set when final_conv's output channels say the checkpoint was trained for another number
    // of stems: {stems in the config, stems in the checkpoint}.
    std::optional<std::pair<int, int>> stemCount;

    bool ok() const;
    // One paragraph for people: "config lists N stems, checkpoint was trained for M", then the
    // missing / unexpected / mismatched keys (the first few of each, with counts).
    std::string describe() const;
};

// Compares by name and shape. Integer buffers (BatchNorm's num_batches_tracked) are compared
// like the rest. Does not modify the network.
WeightCheck checkWeights(const TfcTdfNet& net, const StateDict& weights);

// Copies weights by name into the network (converting dtype to the network's). Throws
// stemdeck::Error(WeightMismatch) with check.describe() when the check fails.
void applyWeights(TfcTdfNet& net, const StateDict& weights);

struct LoadedModel {
    ModelConfig config;
    TfcTdfNet net{nullptr};
    WeightCheck check;
    std::filesystem::path configPath;
    std::filesystem::path checkpointPath;
};

// Reads config and checkpoint (.ckpt/.pth/.pt torch.save files, .safetensors) and returns the
// network on the CPU in float32 and eval mode. Throws stemdeck::Error: InvalidConfig,
// InvalidCheckpoint / UnsafeCheckpoint (from the reader), WeightMismatch (with describe()).
LoadedModel loadModel(const std::filesystem::path& config, const std::filesystem::path& checkpoint);

struct ModelSummary {
    std::vector<std::string> stems;
    int sampleRate = 0;
    int64_t chunkSize = 0;
    double chunkSeconds = 0.0;
    int64_t parameterCount = 0; // of the network the config describes
    WeightCheck check;          // against the checkpoint; not ok() is reported, not thrown
};

// What `stemdeck-cli model-info` prints. Throws only when a file cannot be read at all.
ModelSummary describeModel(const std::filesystem::path& config, const std::filesystem::path& checkpoint);

} // namespace stemdeck::model
