// Fused InstanceNorm2d(affine) + exact GELU for CUDA tensors (issue #9 lever 3): the pair that
// comes before every convolution and TDF Linear of TFC-TDF v3, in two passes over the activations
// instead of the unfused path's three (statistics, normalise, activation); one variant for
// contiguous (NCHW) tensors and one for channels-last (NHWC) ones. Plain C++ interface (no CUDA
// or LibTorch types) so norm_act.cu needs no LibTorch headers; built only when CMake finds a
// CUDA compiler and the Torch package has CUDA (core/model/CMakeLists.txt).
#pragma once

#include <cstdint>

namespace stemdeck::model::cuda {

enum class ElementType { Float32, Float16, BFloat16 };

// x, y: contiguous [planes = B * C][hw] of `type`; weight, bias: float32 [channels] (plane p
// uses channel p % channels). partial: device scratch of partialFloats(planes, hw) floats.
// stream: the cudaStream_t to launch on. Returns the CUDA error code (0 = success).
int instanceNormGelu(const void* x, void* y, const float* weight, const float* bias, int64_t planes,
                     int64_t channels, int64_t hw, float eps, ElementType type, float* partial, void* stream);

// Scratch floats instanceNormGelu needs for this shape.
int64_t partialFloats(int64_t planes, int64_t hw);

// The same for channels-last activations: x, y: [batch][hw][channels] of `type` (an NCHW tensor
// stored NHWC); the statistics of channel c of item b run over hw elements `channels` apart.
// Three kernels: per-split statistics (threads along the channels, so loads stay coalesced),
// one merge per (item, channel) into scale and offset, and the elementwise apply. scratch:
// device memory of nhwcScratchFloats(batch, channels, hw, type) floats.
int instanceNormGeluNhwc(const void* x, void* y, const float* weight, const float* bias, int64_t batch,
                         int64_t channels, int64_t hw, float eps, ElementType type, float* scratch, void* stream);
int64_t nhwcScratchFloats(int64_t batch, int64_t channels, int64_t hw, ElementType type);

} // namespace stemdeck::model::cuda
