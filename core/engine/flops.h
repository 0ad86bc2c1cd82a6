// Arithmetic cost of one TFC-TDF v3 (MDX23C) forward pass, counted from the config alone: every
// convolution, transposed convolution and Linear layer with its weight shape and the number of
// positions it is applied at, plus the STFT/iSTFT front and back ends. `stemdeck-cli bench`
// divides it by the measured model time to report TFLOP/s. Plain C++ (no LibTorch).
//
// Convention (the one PyTorch's FLOP counters use): 2 FLOPs per multiply-accumulate, batch 1,
// one chunk. Norms, activations, additions and the skip product are elementwise and left out
// (a few percent at most: they are memory-bound, not FLOP-bound). FFTs are counted as
// 2.5 N log2 N per real transform of length N (the usual radix-2 estimate).
#pragma once

#include "model/model_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace stemdeck::engine {

struct LayerFlops {
    enum class Kind { Conv2d, ConvTranspose2d, Linear, Stft, Istft };
    std::string name;                 // the state-dict name of the layer ("first_conv", ...)
    Kind kind = Kind::Conv2d;
    std::vector<int64_t> weightShape; // as torch stores it: conv [out, in, kh, kw] (transposed:
                                      // [in, out, kh, kw]), linear [out, in]; empty for STFT
    int64_t positions = 0; // conv: output positions (transposed: input positions); linear: rows
    double flops = 0.0;
};

struct FlopCount {
    std::vector<LayerFlops> layers; // in forward order
    double conv = 0.0;   // Conv2d + ConvTranspose2d
    double linear = 0.0; // the TDF layers
    double stft = 0.0;   // STFT + iSTFT
    // conv + linear: what runs on the matrix units; the TFLOP/s figure uses it.
    double network() const { return conv + linear; }
    double total() const { return conv + linear + stft; }
};

// One chunk of config.chunkSize() samples, batch 1. The config must be valid
// (model::validateModelConfig).
FlopCount countFlops(const model::ModelConfig& config);

// FLOPs of a whole separation: chunks x per-chunk network FLOPs.
double separationFlops(const FlopCount& perChunk, int64_t chunks);

} // namespace stemdeck::engine
