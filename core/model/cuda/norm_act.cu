// Fused InstanceNorm2d(affine) + exact GELU (see norm_act.h). Two kernels:
//  1. statistics: each plane (one channel of one batch item) is cut into splits of about 8192
//     elements; one block per split sums the values and their squares (shifted by the split's
//     first value, so the float sums do not cancel) and writes (count, mean, M2);
//  2. apply: each block merges its plane's partials (Chan's formula), then normalises, scales,
//     rounds to the tensor's type as the unfused path does, applies GELU and writes once.
// Memory traffic: two reads and one write of the activations, against three reads and two writes
// for batch-norm statistics + normalise + GELU. 16-byte vector loads where the plane allows.
// The channels-last variant (instanceNormGeluNhwc, below) reads the same way with threads laid
// along the channels: statistics per split of rows, a merge kernel, an elementwise apply.
#include "model/cuda/norm_act.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>

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


// ---- channels-last (NHWC) ----------------------------------------------------------------------

// One block: tx threads along the channel vectors (V channels each) times ty rows; blockIdx.x picks
// a group of tx channel vectors, blockIdx.y a split of the rows, blockIdx.z the batch item.
struct NhwcGrid {
    int64_t channels, hw, splits, rowsPer, groups;
    int tx, ty;
};

NhwcGrid nhwcGridFor(int64_t batch, int64_t channels, int64_t hw, int vec) {
    NhwcGrid g{};
    g.channels = channels;
    g.hw = hw;
    const int64_t cvecs = channels / vec;
    g.tx = static_cast<int>(cvecs < 32 ? cvecs : 32);
    g.ty = kThreads / g.tx;
    g.groups = (cvecs + g.tx - 1) / g.tx;
    // About 1024 blocks in all (several per SM), each thread summing at least 16 rows.
    int64_t want = (1024 + g.groups * batch - 1) / (g.groups * batch);
    int64_t most = hw / (int64_t(g.ty) * 16);
    if (most < 1) most = 1;
    int64_t splits = want < most ? want : most;
    if (splits < 1) splits = 1;
    if (splits > 65535) splits = 65535;
    g.rowsPer = (hw + splits - 1) / splits;
    g.splits = (hw + g.rowsPer - 1) / g.rowsPer;
    return g;
}

template <typename T, int V>
__global__ void __launch_bounds__(kThreads) nhwcStatsKernel(const T* __restrict__ x, NhwcGrid g,
                                                             float* __restrict__ mean, float* __restrict__ m2) {
    __shared__ float shSum[kThreads * V], shSq[kThreads * V];
    const int tx = int(threadIdx.x) % g.tx, ty = int(threadIdx.x) / g.tx;
    const int64_t cv = int64_t(blockIdx.x) * g.tx + tx;
    const int64_t split = blockIdx.y, b = blockIdx.z;
    const int64_t r0 = split * g.rowsPer;
    const int64_t r1 = r0 + g.rowsPer < g.hw ? r0 + g.rowsPer : g.hw;
    const bool active = cv * V < g.channels;
    float sum[V], sq[V], shift[V];
#pragma unroll
    for (int k = 0; k < V; ++k) sum[k] = sq[k] = shift[k] = 0.0f;
    if (active) {
        const T* base = x + b * g.hw * g.channels + cv * V;
        // Shifted by the split's first row (the same for every thread of a channel, so the
        // partial sums of the block add up directly).
        const Pack<T, V> first = *reinterpret_cast<const Pack<T, V>*>(base + r0 * g.channels);
#pragma unroll
        for (int k = 0; k < V; ++k) shift[k] = toFloat(first.v[k]);
        // Unrolled so each thread has several independent 16-byte loads in flight.
#pragma unroll 4
        for (int64_t r = r0 + ty; r < r1; r += g.ty) {
            const Pack<T, V> pack = *reinterpret_cast<const Pack<T, V>*>(base + r * g.channels);
#pragma unroll
            for (int k = 0; k < V; ++k) {
                const float d = toFloat(pack.v[k]) - shift[k];
                sum[k] += d;
                sq[k] += d * d;
            }
        }
    }
#pragma unroll
    for (int k = 0; k < V; ++k) {
        shSum[threadIdx.x * V + k] = sum[k];
        shSq[threadIdx.x * V + k] = sq[k];
    }
    __syncthreads();
    if (ty != 0 || !active) return;
    for (int j = 1; j < g.ty; ++j) {
        const int other = (j * g.tx + tx) * V;
#pragma unroll
        for (int k = 0; k < V; ++k) {
            sum[k] += shSum[other + k];
            sq[k] += shSq[other + k];
        }
    }
    const float n = float(r1 - r0);
    const int64_t at = (b * g.splits + split) * g.channels + cv * V;
#pragma unroll
    for (int k = 0; k < V; ++k) {
        mean[at + k] = shift[k] + sum[k] / n;
        m2[at + k] = fmaxf(sq[k] - sum[k] * sum[k] / n, 0.0f);
    }
}

// One thread per (item, channel): Chan's merge of the splits, then scale and offset of the affine
// normalisation (coef[2 * i], coef[2 * i + 1]).
__global__ void nhwcMergeKernel(const float* __restrict__ mean, const float* __restrict__ m2,
                                const float* __restrict__ weight, const float* __restrict__ bias, int64_t batch,
                                NhwcGrid g, float eps, float* __restrict__ coef) {
    const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= batch * g.channels) return;
    const int64_t b = i / g.channels, c = i % g.channels;
    float n = 0.0f, mu = 0.0f, acc = 0.0f;
    for (int64_t s = 0; s < g.splits; ++s) {
        const int64_t rows = g.hw - s * g.rowsPer < g.rowsPer ? g.hw - s * g.rowsPer : g.rowsPer;
        const float nb = float(rows);
        const int64_t at = (b * g.splits + s) * g.channels + c;
        const float mb = mean[at], m2b = m2[at];
        const float nn = n + nb;
        const float d = mb - mu;
        mu += d * nb / nn;
        acc += m2b + d * d * n * nb / nn;
        n = nn;
    }
    const float invstd = rsqrtf(acc / n + eps); // biased variance, as InstanceNorm normalises
    const float scale = weight[c] * invstd;
    coef[2 * i] = scale;
    coef[2 * i + 1] = bias[c] - mu * scale;
}

template <typename T, int V, typename I>
__global__ void __launch_bounds__(kThreads) nhwcApplyKernel(const T* __restrict__ x, T* __restrict__ y,
                                                             const float2* __restrict__ coef, I vectors,
                                                             I channelVectors, I itemVectors, I channels) {
    for (I v = I(blockIdx.x) * kThreads + threadIdx.x; v < vectors; v += I(gridDim.x) * kThreads) {
        const I b = v / itemVectors;
        const float2* cf = coef + b * channels + (v % channelVectors) * V;
        const Pack<T, V> pack = *reinterpret_cast<const Pack<T, V>*>(x + v * V);
        Pack<T, V> result;
#pragma unroll
        for (int k = 0; k < V; ++k) {
            const float2 ab = cf[k];
            // Rounded to T between the two, as the unfused norm's output is.
            const float t = toFloat(fromFloat<T>(toFloat(pack.v[k]) * ab.x + ab.y));
            result.v[k] = fromFloat<T>(0.5f * t * (1.0f + erff(t * 0.70710678118654752f)));
        }
        *reinterpret_cast<Pack<T, V>*>(y + v * V) = result;
    }
}

template <typename T, int V>
int launchNhwc(const void* x, void* y, const float* weight, const float* bias, int64_t batch, int64_t channels,
               int64_t hw, float eps, float* scratch, cudaStream_t stream) {
    const T* in = static_cast<const T*>(x);
    T* out = static_cast<T*>(y);
    const NhwcGrid g = nhwcGridFor(batch, channels, hw, V);
    float* mean = scratch;
    float* m2 = mean + batch * g.splits * channels;
    float* coef = m2 + batch * g.splits * channels;
    nhwcStatsKernel<T, V><<<dim3(unsigned(g.groups), unsigned(g.splits), unsigned(batch)), unsigned(g.tx * g.ty), 0,
                            stream>>>(in, g, mean, m2);
    const int64_t pairs = batch * channels;
    nhwcMergeKernel<<<unsigned((pairs + kThreads - 1) / kThreads), kThreads, 0, stream>>>(mean, m2, weight, bias,
                                                                                          batch, g, eps, coef);
    const int64_t vectors = batch * hw * channels / V;
    int64_t blocks = (vectors + kThreads - 1) / kThreads;
    if (blocks > (int64_t(1) << 20)) blocks = int64_t(1) << 20;
    const float2* cf = reinterpret_cast<const float2*>(coef);
    if (batch * hw * channels < (int64_t(1) << 31)) {
        nhwcApplyKernel<T, V, uint32_t><<<unsigned(blocks), kThreads, 0, stream>>>(
            in, out, cf, uint32_t(vectors), uint32_t(channels / V), uint32_t(hw * channels / V), uint32_t(channels));
    } else {
        nhwcApplyKernel<T, V, int64_t><<<unsigned(blocks), kThreads, 0, stream>>>(in, out, cf, vectors, channels / V,
                                                                                  hw * channels / V, channels);
    }
    return static_cast<int>(cudaGetLastError());
}

// 16-byte vectors where the channel count and the pointers allow, else one channel per thread.
template <typename T>
int dispatchNhwc(const void* x, void* y, const float* weight, const float* bias, int64_t batch, int64_t channels,
                 int64_t hw, float eps, float* scratch, cudaStream_t stream) {
    constexpr int V = 16 / sizeof(T);
    const bool aligned = reinterpret_cast<uintptr_t>(x) % 16 == 0 && reinterpret_cast<uintptr_t>(y) % 16 == 0;
    if (channels % V == 0 && aligned)
        return launchNhwc<T, V>(x, y, weight, bias, batch, channels, hw, eps, scratch, stream);
    return launchNhwc<T, 1>(x, y, weight, bias, batch, channels, hw, eps, scratch, stream);
}

int vectorWidth(int64_t channels, ElementType type) {
    const int v = type == ElementType::Float32 ? 4 : 8;
    return channels % v == 0 ? v : 1;
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

int64_t nhwcScratchFloats(int64_t batch, int64_t channels, int64_t hw, ElementType type) {
    // The grid of the vector width dispatchNhwc would pick, or of width 1 (its fallback), whichever
    // has more splits.
    const int64_t a = nhwcGridFor(batch, channels, hw, vectorWidth(channels, type)).splits;
    const int64_t b = nhwcGridFor(batch, channels, hw, 1).splits;
    return 2 * batch * channels * (a > b ? a : b) + 2 * batch * channels;
}

int instanceNormGeluNhwc(const void* x, void* y, const float* weight, const float* bias, int64_t batch,
                         int64_t channels, int64_t hw, float eps, ElementType type, float* scratch, void* stream) {
    if (batch < 1 || hw < 1 || channels < 1) return 0;
    const cudaStream_t s = static_cast<cudaStream_t>(stream);
    switch (type) {
    case ElementType::Float16:
        return dispatchNhwc<__half>(x, y, weight, bias, batch, channels, hw, eps, scratch, s);
    case ElementType::BFloat16:
        return dispatchNhwc<__nv_bfloat16>(x, y, weight, bias, batch, channels, hw, eps, scratch, s);
    case ElementType::Float32:
        break;
    }
    return dispatchNhwc<float>(x, y, weight, bias, batch, channels, hw, eps, scratch, s);
}

} // namespace stemdeck::model::cuda
