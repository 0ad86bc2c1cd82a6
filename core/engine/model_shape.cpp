#include "engine/model_shape.h"

namespace stemdeck::engine {

device::ModelShape modelShapeOf(const model::ModelConfig& c, device::Precision precision) {
    device::ModelShape s;
    s.chunkSize = c.chunkSize();
    s.channels = c.audio.num_channels;
    s.stems = static_cast<int>(c.stems().size());
    s.nFft = static_cast<int>(c.audio.n_fft);
    s.hop = static_cast<int>(c.audio.hop_length);
    s.dimF = static_cast<int>(c.audio.dim_f);
    s.numChannels = static_cast<int>(c.model.num_channels);
    s.growth = static_cast<int>(c.model.growth);
    s.numScales = static_cast<int>(c.model.num_scales);
    s.numSubbands = static_cast<int>(c.model.num_subbands);
    s.bottleneck = static_cast<int>(c.model.bottleneck_factor);
    s.blocksPerScale = static_cast<int>(c.model.num_blocks_per_scale);
    s.scaleT = static_cast<int>(c.model.scale[0]);
    s.scaleF = static_cast<int>(c.model.scale[1]);
    s.precisionBytes = device::precisionBytes(precision);
    s.parameterBytes = model::parameterCountOf(c) * 4;
    return s;
}

} // namespace stemdeck::engine
