// What `stemdeck-cli model-info` and the GUI's model picker show about a config + checkpoint
// pair, as plain C++ values (core/model's own summary carries LibTorch types in its header).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace stemdeck::engine {

struct ModelDescription {
    std::filesystem::path config;
    std::filesystem::path checkpoint;
    std::vector<std::string> stems;
    int sampleRate = 0;
    int channels = 0;
    int64_t chunkSize = 0;
    double chunkSeconds = 0.0;
    int overlap = 0;   // inference.num_overlap
    int batchSize = 0; // inference.batch_size
    double softMaskPower = 0.0;      // inference.soft_mask_power (0: off)
    bool mixtureConsistency = false; // inference.mixture_consistency
    bool multichannelWiener = false; // inference.multichannel_wiener
    int wienerIterations = 1;        // inference.wiener_iterations
    std::vector<int64_t> wienerFftSizes; // inference.wiener_n_fft (empty: every pass at audio.n_fft)
    int64_t parameterCount = 0;
    bool weightsMatch = false;  // the checkpoint fits the network the config describes
    std::string weightReport;   // why not, in words (empty when they match)
};

// Throws stemdeck::Error when a file cannot be read at all; a mismatch is reported, not thrown.
ModelDescription describeModelFiles(const std::filesystem::path& config, const std::filesystem::path& checkpoint);

} // namespace stemdeck::engine
