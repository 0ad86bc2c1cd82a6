// Synthetic rooms for training examples, applied per stem on the device: each stem is convolved
// (FFT) with a generated impulse response, direct sound plus early reflections plus a decaying
// noise tail. Convolution is linear, so the mix recomputed as the sum of the reverberant stems
// stays consistent with the targets.
#pragma once

#include <torch/types.h>

#include <cstdint>

namespace stemdeck::train {

struct RoomOptions {
    double probability = 0.5;  // per example
    double minRt60 = 0.15, maxRt60 = 1.2; // seconds
    double maxSeconds = 0.75;  // impulse response length cap
    double minWetDb = -24.0, maxWetDb = -6.0; // per stem send level
};

// Impulse responses [B, S, C, L] (float32, on `device`), deterministic for the seed. Examples
// without a room get a unit impulse.
torch::Tensor makeRoomImpulses(int64_t batch, int64_t stems, int64_t channels, int sampleRate,
                               uint64_t seed, const RoomOptions& options, const torch::Device& device);

// stems [B, S, C, T] convolved with irs [B, S, C, L], cropped to T (causal).
torch::Tensor convolveRooms(const torch::Tensor& stems, const torch::Tensor& irs);

} // namespace stemdeck::train
