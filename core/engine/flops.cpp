#include "engine/flops.h"

#include <cmath>

namespace stemdeck::engine {

namespace {

class Counter {
public:
    FlopCount result;

    // A k x k (kh x kw) convolution producing out channels at `positions` output positions.
    void conv(const std::string& name, int64_t in, int64_t out, int64_t kh, int64_t kw, int64_t positions) {
        add(name, LayerFlops::Kind::Conv2d, {out, in, kh, kw}, positions, 2.0 * double(in * out * kh * kw) * double(positions));
    }
    // Transposed convolution: every input position scatters in x out x kh x kw products.
    void convTranspose(const std::string& name, int64_t in, int64_t out, int64_t kh, int64_t kw, int64_t inputPositions) {
        add(name, LayerFlops::Kind::ConvTranspose2d, {in, out, kh, kw}, inputPositions,
            2.0 * double(in * out * kh * kw) * double(inputPositions));
    }
    void linear(const std::string& name, int64_t in, int64_t out, int64_t rows) {
        add(name, LayerFlops::Kind::Linear, {out, in}, rows, 2.0 * double(in * out) * double(rows));
    }
    void fft(const std::string& name, LayerFlops::Kind kind, int64_t transforms, int64_t n) {
        add(name, kind, {}, transforms, 2.5 * double(n) * std::log2(double(n)) * double(transforms));
    }

private:
    void add(const std::string& name, LayerFlops::Kind kind, std::vector<int64_t> shape, int64_t positions, double flops) {
        result.layers.push_back({name, kind, std::move(shape), positions, flops});
        switch (kind) {
        case LayerFlops::Kind::Conv2d:
        case LayerFlops::Kind::ConvTranspose2d: result.conv += flops; break;
        case LayerFlops::Kind::Linear: result.linear += flops; break;
        case LayerFlops::Kind::Stft:
        case LayerFlops::Kind::Istft: result.stft += flops; break;
        }
    }
};

// One TfcTdf block (num_blocks_per_scale units) at time x freq = t x f.
void tfcTdf(Counter& k, const model::ModelConfig& config, const std::string& prefix, int64_t in, int64_t c, int64_t t,
            int64_t f) {
    const int64_t hidden = f / config.model.bottleneck_factor;
    for (int64_t u = 0; u < config.model.num_blocks_per_scale; ++u) {
        const std::string unit = prefix + ".blocks." + std::to_string(u);
        // Sequential indices as registered: tfc1 = (norm, act, conv) -> conv at 2; tdf = (norm,
        // act, linear, norm, act, linear) -> 2 and 5; tfc2 like tfc1.
        k.conv(unit + ".tfc1.2", in, c, 3, 3, t * f);
        k.linear(unit + ".tdf.2", f, hidden, c * t);
        k.linear(unit + ".tdf.5", hidden, f, c * t);
        k.conv(unit + ".tfc2.2", c, c, 3, 3, t * f);
        k.conv(unit + ".shortcut", in, c, 1, 1, t * f);
        in = c;
    }
}

} // namespace

FlopCount countFlops(const model::ModelConfig& config) {
    const model::NetConfig& m = config.model;
    const int64_t channels = config.audio.num_channels;
    const int64_t k = m.num_subbands;
    const int64_t dimC = k * channels * 2;
    const int64_t g = m.growth;
    const int64_t stems = static_cast<int64_t>(config.stems().size());
    const int64_t sT = m.scale[0], sF = m.scale[1];

    Counter counter;
    int64_t t = config.framesPerChunk();
    int64_t f = config.audio.dim_f / k;
    int64_t c = m.num_channels;

    counter.fft("stft", LayerFlops::Kind::Stft, channels * t, config.audio.n_fft);
    counter.conv("first_conv", dimC, c, 1, 1, t * f);
    for (int64_t i = 0; i < m.num_scales; ++i) {
        const std::string block = "encoder_blocks." + std::to_string(i);
        tfcTdf(counter, config, block + ".tfc_tdf", c, c, t, f);
        t /= sT;
        f /= sF;
        counter.conv(block + ".downscale.conv.2", c, c + g, sT, sF, t * f);
        c += g;
    }
    tfcTdf(counter, config, "bottleneck_block", c, c, t, f);
    for (int64_t i = 0; i < m.num_scales; ++i) {
        const std::string block = "decoder_blocks." + std::to_string(i);
        counter.convTranspose(block + ".upscale.conv.2", c, c - g, sT, sF, t * f);
        t *= sT;
        f *= sF;
        c -= g;
        tfcTdf(counter, config, block + ".tfc_tdf", 2 * c, c, t, f);
    }
    counter.conv("final_conv.0", c + dimC, c, 1, 1, t * f);
    counter.conv("final_conv.2", c, stems * dimC, 1, 1, t * f);
    counter.fft("istft", LayerFlops::Kind::Istft, stems * channels * t, config.audio.n_fft);
    return counter.result;
}

double separationFlops(const FlopCount& perChunk, int64_t chunks) { return perChunk.network() * double(chunks); }

} // namespace stemdeck::engine
