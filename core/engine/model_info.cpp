#include "engine/model_info.h"

#include "model/model_loader.h"

namespace stemdeck::engine {

ModelDescription describeModelFiles(const std::filesystem::path& config, const std::filesystem::path& checkpoint) {
    const model::ModelConfig cfg = model::loadModelConfig(config);
    const model::ModelSummary summary = model::describeModel(config, checkpoint);
    ModelDescription d;
    d.config = config;
    d.checkpoint = checkpoint;
    d.stems = summary.stems;
    d.sampleRate = summary.sampleRate;
    d.channels = cfg.audio.num_channels;
    d.chunkSize = summary.chunkSize;
    d.chunkSeconds = summary.chunkSeconds;
    d.overlap = static_cast<int>(cfg.inference.num_overlap);
    d.batchSize = static_cast<int>(cfg.inference.batch_size);
    d.softMaskPower = cfg.inference.soft_mask_power;
    d.mixtureConsistency = cfg.inference.mixture_consistency;
    d.multichannelWiener = cfg.inference.multichannel_wiener;
    d.wienerIterations = static_cast<int>(cfg.inference.wiener_iterations);
    d.wienerFftSizes = cfg.inference.wiener_n_fft;
    d.parameterCount = summary.parameterCount;
    d.weightsMatch = summary.check.ok();
    if (!d.weightsMatch) d.weightReport = summary.check.describe();
    return d;
}

} // namespace stemdeck::engine
