// Fused InstanceNorm2d(affine) + exact GELU (see norm_act.h). Two kernels:
//  1. statistics: each plane (one channel of one batch item) is cut into splits of about 8192
//     elements; one block per split sums the values and their squares (shifted by the split's
//     first value, so the float sums do not cancel) and writes (count, mean, M2);
//  2. apply: each block merges its plane's partials (Chan's formula), then normalises, scales,
//     rounds to the tensor's type as the unfused path does, applies GELU and writes once.
// Memory traffic: two reads and one write of the activations, against three reads and two writes
// for batch-norm statistics + normalise + GELU. 16-byte vector loads where the plane allows.
#include "model/cuda/norm_act.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

namespace stemdeck::model::cuda {

namespace {

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;
constexpr int64_t kPerBlock = 8192;
constexpr int64_t kMaxSplits = 64;

__device__ __forceinline__ float toFloat(float v) { return v; }
__device__ __forceinline__ float toFloat(__half v) { return __half2float(v); }
__device__ __forceinline__ float toFloat(__nv_bfloat16 v) { return __bfloat162float(v); }

template <typename T> __device__ __forceinline__ T fromFloat(float v);
template <> __device__ __forceinline__ float fromFloat<float>(float v) { return v; }
template <> __device__ __forceinline__ __half fromFloat<__half>(float v) { return __float2half_rn(v); }
template <> __device__ __forceinline__ __nv_bfloat16 fromFloat<__nv_bfloat16>(float v) { return __float2bfloat16_rn(v); }

template <typename T, int V> struct alignas(sizeof(T) * V) Pack {
    T v[V];
};

struct Split {
    int64_t splits;
    int64_t per; // elements per split, a multiple of the vector width
};

Split splitFor(int64_t hw, int vec) {
    int64_t splits = (hw + kPerBlock - 1) / kPerBlock;
    if (splits > kMaxSplits) splits = kMaxSplits;
    if (splits < 1) splits = 1;
    int64_t per = (hw + splits - 1) / splits;
    per = (per + vec - 1) / vec * vec;
    return {(hw + per - 1) / per, per};
}

// Sums a and b over the block; the result is valid in thread 0.
__device__ __forceinline__ void blockSum2(float& a, float& b) {
    __shared__ float sa[kWarps], sb[kWarps];
    for (int o = 16; o > 0; o >>= 1) {
        a += __shfl_down_sync(0xffffffffu, a, o);
        b += __shfl_down_sync(0xffffffffu, b, o);
    }
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    if (lane == 0) {
        sa[warp] = a;
        sb[warp] = b;
    }
    __syncthreads();
    if (warp == 0) {
        a = lane < kWarps ? sa[lane] : 0.0f;
        b = lane < kWarps ? sb[lane] : 0.0f;
        for (int o = kWarps / 2; o > 0; o >>= 1) {
            a += __shfl_down_sync(0xffffffffu, a, o);
            b += __shfl_down_sync(0xffffffffu, b, o);
        }
    }
}

template <typename T, int V>
__global__ void __launch_bounds__(kThreads) statsKernel(const T* __restrict__ x, int64_t hw, int64_t splits,
                                                         int64_t per, float* __restrict__ partial) {
    const int64_t plane = blockIdx.x / splits, split = blockIdx.x % splits;
    const int64_t begin = split * per;
    const int64_t end = begin + per < hw ? begin + per : hw;
    const T* p = x + plane * hw;
    const float shift = toFloat(p[begin]);
    float s = 0.0f, ss = 0.0f;
    for (int64_t i = begin + int64_t(threadIdx.x) * V; i < end; i += int64_t(kThreads) * V) {
        const Pack<T, V> pack = *reinterpret_cast<const Pack<T, V>*>(p + i);
#pragma unroll
        for (int k = 0; k < V; ++k) {
            const float d = toFloat(pack.v[k]) - shift;
            s += d;
            ss += d * d;
        }
    }
    blockSum2(s, ss);
    if (threadIdx.x == 0) {
        const float n = float(end - begin);
        partial[3 * blockIdx.x + 0] = n;
        partial[3 * blockIdx.x + 1] = shift + s / n;
        partial[3 * blockIdx.x + 2] = fmaxf(ss - s * s / n, 0.0f);
    }
}

template <typename T, int V>
__global__ void __launch_bounds__(kThreads) applyKernel(const T* __restrict__ x, T* __restrict__ y,
                                                         const float* __restrict__ weight,
                                                         const float* __restrict__ bias, int64_t channels,
                                                         int64_t hw, int64_t splits, int64_t per, float eps,
                                                         const float* __restrict__ partial) {
    __shared__ float coef[2];
    const int64_t plane = blockIdx.x / splits, split = blockIdx.x % splits;
    if (threadIdx.x == 0) {
        float n = 0.0f, mean = 0.0f, m2 = 0.0f;
        const float* q = partial + 3 * plane * splits;
        for (int64_t k = 0; k < splits; ++k) {
            const float nb = q[3 * k], mb = q[3 * k + 1], m2b = q[3 * k + 2];
            const float nn = n + nb;
            const float d = mb - mean;
            mean += d * nb / nn;
            m2 += m2b + d * d * n * nb / nn;
            n = nn;
        }
        const float invstd = rsqrtf(m2 / n + eps); // biased variance, as InstanceNorm normalises
        const int64_t c = plane % channels;
        const float scale = weight[c] * invstd;
        coef[0] = scale;
        coef[1] = bias[c] - mean * scale;
    }
    __syncthreads();
    const float scale = coef[0], offset = coef[1];
    const int64_t begin = split * per;
    const int64_t end = begin + per < hw ? begin + per : hw;
    const T* p = x + plane * hw;
    T* out = y + plane * hw;
    for (int64_t i = begin + int64_t(threadIdx.x) * V; i < end; i += int64_t(kThreads) * V) {
        const Pack<T, V> pack = *reinterpret_cast<const Pack<T, V>*>(p + i);
        Pack<T, V> result;
#pragma unroll
        for (int k = 0; k < V; ++k) {
            // Rounded to T between the two, as the unfused norm's output is.
            const float t = toFloat(fromFloat<T>(toFloat(pack.v[k]) * scale + offset));
            result.v[k] = fromFloat<T>(0.5f * t * (1.0f + erff(t * 0.70710678118654752f)));
        }
        *reinterpret_cast<Pack<T, V>*>(out + i) = result;
    }
}

template <typename T>
int launch(const void* x, void* y, const float* weight, const float* bias, int64_t planes, int64_t channels,
           int64_t hw, float eps, float* partial, cudaStream_t stream) {
    constexpr int V = 16 / sizeof(T);
    const T* in = static_cast<const T*>(x);
    T* out = static_cast<T*>(y);
    if (hw % V == 0) {
        const Split s = splitFor(hw, V);
        const unsigned blocks = static_cast<unsigned>(planes * s.splits);
        statsKernel<T, V><<<blocks, kThreads, 0, stream>>>(in, hw, s.splits, s.per, partial);
        applyKernel<T, V><<<blocks, kThreads, 0, stream>>>(in, out, weight, bias, channels, hw, s.splits, s.per, eps,
                                                           partial);
    } else {
        const Split s = splitFor(hw, 1);
        const unsigned blocks = static_cast<unsigned>(planes * s.splits);
        statsKernel<T, 1><<<blocks, kThreads, 0, stream>>>(in, hw, s.splits, s.per, partial);
        applyKernel<T, 1><<<blocks, kThreads, 0, stream>>>(in, out, weight, bias, channels, hw, s.splits, s.per, eps,
                                                           partial);
    }
    return static_cast<int>(cudaGetLastError());
}

} // namespace

int64_t partialFloats(int64_t planes, int64_t hw) { return 3 * planes * splitFor(hw, 1).splits; }

int instanceNormGelu(const void* x, void* y, const float* weight, const float* bias, int64_t planes,
                     int64_t channels, int64_t hw, float eps, ElementType type, float* partial, void* stream) {
    if (planes < 1 || hw < 1 || channels < 1) return 0;
    const cudaStream_t s = static_cast<cudaStream_t>(stream);
    switch (type) {
    case ElementType::Float16:
        return launch<__half>(x, y, weight, bias, planes, channels, hw, eps, partial, s);
    case ElementType::BFloat16:
        return launch<__nv_bfloat16>(x, y, weight, bias, planes, channels, hw, eps, partial, s);
    case ElementType::Float32:
        break;
    }
    return launch<float>(x, y, weight, bias, planes, channels, hw, eps, partial, s);
}

} // namespace stemdeck::model::cuda
