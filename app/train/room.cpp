#include "room.h"

#include <torch/fft.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>

namespace stemdeck::train {

torch::Tensor makeRoomImpulses(int64_t batch, int64_t stems, int64_t channels, int sampleRate,
                               uint64_t seed, const RoomOptions& o, const torch::Device& device) {
    const auto len = static_cast<int64_t>(o.maxSeconds * sampleRate);
    auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto f32 = torch::TensorOptions().dtype(torch::kFloat32);
    auto ir = torch::zeros({batch, stems, channels, len}, f32);
    ir.index_put_({torch::indexing::Slice(), torch::indexing::Slice(), torch::indexing::Slice(), 0}, 1.0f);

    auto u = [&](int64_t n) { return at::rand({n}, gen, f32); };
    const auto has = u(batch) < o.probability;
    const auto rt60 = o.minRt60 + (o.maxRt60 - o.minRt60) * u(batch);
    const auto t = torch::arange(len, f32) / double(sampleRate);
    for (int64_t b = 0; b < batch; ++b) {
        if (!has[b].item<bool>()) continue;
        const double rt = rt60[b].item<double>();
        // Exponential decay (-60 dB at rt60), slight darkening of the tail by a running mean.
        auto env = torch::exp(-6.907755 * t / rt);
        auto noise = at::randn({stems, channels, len}, gen, f32) * env;
        noise = (noise + torch::roll(noise, 1, -1)) * 0.5;
        noise.index_put_({torch::indexing::Slice(), torch::indexing::Slice(), torch::indexing::Slice(0, 40)}, 0.0f);
        // Early reflections: a few sparse taps in the first 40 ms, shared by the stems (one room).
        for (int k = 0; k < 6; ++k) {
            const auto pos = static_cast<int64_t>(40 + (u(1).item<double>() * 0.04 * sampleRate));
            const float g = static_cast<float>(0.5 * std::exp(-k * 0.4));
            noise.index({torch::indexing::Slice(), torch::indexing::Slice(), std::min(pos, len - 1)}) += g;
        }
        // Normalise the tail's energy and scale by a per-stem send level.
        const auto energy = noise.pow(2).sum(-1, true).sqrt().clamp_min(1e-6);
        const auto wetDb = o.minWetDb + (o.maxWetDb - o.minWetDb) * u(stems).view({stems, 1, 1});
        noise = noise / energy * torch::pow(10.0, wetDb / 20.0);
        ir[b] += noise;
    }
    return ir.to(device);
}

torch::Tensor convolveRooms(const torch::Tensor& stems, const torch::Tensor& irs) {
    const int64_t T = stems.size(-1), L = irs.size(-1);
    int64_t n = 1;
    while (n < T + L) n <<= 1;
    const auto X = torch::fft::rfft(stems.to(torch::kFloat32), n, -1);
    const auto H = torch::fft::rfft(irs.to(torch::kFloat32), n, -1);
    return torch::fft::irfft(X * H, n, -1).narrow(-1, 0, T);
}

} // namespace stemdeck::train
