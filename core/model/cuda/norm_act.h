// Fused InstanceNorm2d(affine) + exact GELU for CUDA tensors (issue #9 lever 3): the pair that
// comes before every convolution and TDF Linear of TFC-TDF v3, in two kernels instead of the
// unfused path's three passes (statistics, normalise, activation). Plain C++ interface (no CUDA
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

} // namespace stemdeck::model::cuda
