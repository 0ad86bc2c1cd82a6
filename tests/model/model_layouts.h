// The public MDX23C layouts of shared/docs/model-configs.md written as MSST-style YAML, shared by
// the config and network suites (fixtures: the numbers come from that page, not from our code).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace stemdeck::test {

struct Layout {
    const char* name;
    int64_t nFft, hop, dimF, chunk, channels, growth, subbands;
    std::vector<std::string> stems;
    int64_t batch, dimT, overlap;
    int64_t expectedParameters; // 0 where the page gives no figure
};

inline std::vector<Layout> publicLayouts() {
    return {
        {"drumsep_5stem", 2048, 512, 1024, 523776, 128, 128, 4, {"kick", "snare", "toms", "hh", "cymbals"}, 2,
         512, 4, 109376576},
        {"drumsep_6stem", 2048, 512, 1024, 130560, 128, 128, 4, {"Kick", "Snare", "Toms", "Hh", "Ride", "Crash"}, 1,
         256, 4, 0},
        {"msst_vocals", 8192, 1024, 4096, 261120, 128, 128, 4, {"vocals", "other"}, 1, 256, 4, 0},
        {"msst_musdb18", 8192, 1024, 4096, 261120, 128, 128, 4, {"vocals", "bass", "drums", "other"}, 1, 256, 4,
         111994368},
        {"uvr_instvoc_hq", 8192, 1024, 4096, 261120, 128, 128, 4, {"Vocals", "Instrumental"}, 1, 256, 8, 0},
        {"uvr_full_band", 12288, 1024, 6144, 261120, 128, 128, 6, {"Vocals", "Instrumental"}, 1, 256, 8, 0},
        {"uvr_sndfx", 2048, 1024, 1024, 261120, 64, 64, 4, {"Music", "Speech", "SFX"}, 1, 256, 8, 0},
    };
}

// As MSST writes them: act gelu, bottleneck 4, InstanceNorm, 2 blocks per scale, 5 scales,
// scale [2, 2], 44.1 kHz stereo; plus the unknown keys real configs carry.
inline std::string layoutYaml(const Layout& l) {
    std::string y;
    y += "audio:\n";
    y += "  chunk_size: " + std::to_string(l.chunk) + "\n";
    y += "  dim_f: " + std::to_string(l.dimF) + "\n";
    y += "  dim_t: " + std::to_string(l.chunk / l.hop + 1) + "\n";
    y += "  hop_length: " + std::to_string(l.hop) + "\n";
    y += "  n_fft: " + std::to_string(l.nFft) + "\n";
    y += "  num_channels: 2\n  sample_rate: 44100\n  min_mean_abs: 0.000\n";
    y += "model:\n  act: gelu\n  bottleneck_factor: 4\n";
    y += "  growth: " + std::to_string(l.growth) + "\n";
    y += "  norm: InstanceNorm\n  num_blocks_per_scale: 2\n";
    y += "  num_channels: " + std::to_string(l.channels) + "\n";
    y += "  num_scales: 5\n";
    y += "  num_subbands: " + std::to_string(l.subbands) + "\n";
    y += "  scale:\n  - 2\n  - 2\n";
    y += "training:\n  batch_size: 6\n  gradient_accumulation_steps: 1\n  grad_clip: 0\n  instruments:\n";
    for (const auto& s : l.stems) {
        y += "  - " + s + "\n";
    }
    y += "  lr: 9.0e-05\n  target_instrument: null\n  num_epochs: 1000\n  use_amp: true\n";
    y += "augmentations:\n  enable: false\n  mixup_probs: !!python/tuple\n  - 0.2\n  - 0.02\n";
    y += "inference:\n";
    y += "  batch_size: " + std::to_string(l.batch) + "\n";
    y += "  dim_t: " + std::to_string(l.dimT) + "\n";
    y += "  num_overlap: " + std::to_string(l.overlap) + "\n";
    return y;
}

} // namespace stemdeck::test
