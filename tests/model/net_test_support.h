// Fixtures shared by the network suites (tst_tfc_tdf_net, tst_net_layouts, tst_model_parity): a
// small TFC-TDF v3 config that builds and runs in milliseconds on the CPU, and a decoded WAV of
// the shared vectors as a [channels, frames] tensor.
#pragma once

#include "audio/decode.h"
#include "model/model_config.h"

#include <torch/types.h>

#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

namespace stemdeck::test {

// 3 scales of 2 blocks over a 256-bin, 16-frame chunk; stems a, b, c (or only `target`).
inline model::ModelConfig smallNetConfig(const std::string& norm, const std::string& act, int64_t channels = 4,
                                         int64_t growth = 4, int64_t subbands = 2,
                                         std::optional<std::string> target = std::nullopt) {
    model::ModelConfig c;
    c.audio.chunk_size = 256 * 15; // 16 frames, divisible by 2^3
    c.audio.dim_f = 256;
    c.audio.dim_t = 16;
    c.audio.hop_length = 256;
    c.audio.n_fft = 512;
    c.audio.num_channels = 2;
    c.audio.sample_rate = 44100;
    c.model.act = act;
    c.model.norm = norm;
    c.model.bottleneck_factor = 2;
    c.model.growth = growth;
    c.model.num_blocks_per_scale = 2;
    c.model.num_channels = channels;
    c.model.num_scales = 3;
    c.model.num_subbands = subbands;
    c.model.scale = {2, 2};
    c.training.instruments = {"a", "b", "c"};
    c.training.target_instrument = std::move(target);
    c.inference.dim_t = 16;
    model::validateModelConfig(c, "small");
    return c;
}

// [channels, frames] float tensor of a decoded file (the planar AudioBuffer copied out once).
inline torch::Tensor readWavTensor(const std::filesystem::path& path) {
    const audio::Decoded decoded = audio::decodeFile(path);
    const auto& a = decoded.audio;
    torch::Tensor t = torch::empty({a.channels, a.frames}, torch::kFloat);
    std::memcpy(t.data_ptr<float>(), a.samples.data(), sizeof(float) * a.samples.size());
    return t;
}

} // namespace stemdeck::test
