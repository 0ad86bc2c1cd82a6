// The STFT front end and iSTFT back end of TFC-TDF v3 (MDX23C), numerically the same as the
// reference: periodic Hann window, center=true with reflect padding, not normalised, onesided,
// real/imaginary interleaved per channel ([.., C*2, F, frames]: c0.re, c0.im, c1.re, ...), only
// the first dim_f bins kept; the inverse zero-pads the bins back to n_fft/2+1.
// Device-aware: windows are cached per (device, size); where a backend lacks the FFT ops (MPS on
// some builds) the transform alone runs on the CPU and fallbackCount() says how often.
#pragma once

#include <torch/types.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>

namespace stemdeck::dsp {

// Hann windows (periodic, float32), built lazily once per (device, size) and shared; safe to
// use from several threads. Windows are computed on the CPU and copied, so every device sees
// bit-identical values.
class WindowCache {
public:
    torch::Tensor hann(const c10::Device& device, int64_t size);

    // How many windows have been built (each (device, size) once), and how many are held.
    int64_t creations() const;
    std::size_t size() const;

    // The process-wide cache used by Stft unless one is given.
    static std::shared_ptr<WindowCache> shared();

private:
    using Key = std::tuple<int, int, int64_t>; // device type, device index, size
    mutable std::mutex m_mutex;
    std::map<Key, torch::Tensor> m_windows;
    int64_t m_creations = 0;
};

class Stft {
public:
    // dimF: bins kept by forward() (1 .. nFft/2+1). Throws stemdeck::Error(InvalidArgument) on
    // sizes the transform cannot use.
    Stft(int64_t nFft, int64_t hop, int64_t dimF, std::shared_ptr<WindowCache> windows = nullptr);

    Stft(const Stft&) = delete;
    Stft& operator=(const Stft&) = delete;

    // [..., C, T] -> [..., C*2, dimF, T/hop + 1], float32 (float64 stays float64).
    torch::Tensor forward(const torch::Tensor& signal) const;

    // [..., C*2, F <= nFft/2+1, frames] -> [..., C, length]; length defaults to
    // hop * (frames - 1), the length forward() was given when it was a multiple of hop.
    torch::Tensor inverse(const torch::Tensor& spectrum, std::optional<int64_t> length = std::nullopt) const;

    int64_t nFft() const { return m_nFft; }
    int64_t hop() const { return m_hop; }
    int64_t dimF() const { return m_dimF; }

    // Transforms that ran on the CPU because the tensor's device lacks the op.
    int64_t fallbackCount() const { return m_fallbacks.load(); }

private:
    // The iSTFT for n_fft % hop == 0: [N, 2, F, frames] -> [N, length] (see stft.cpp).
    torch::Tensor overlapAddInverse(const torch::Tensor& parts, const torch::Tensor& window, int64_t length) const;
    // The summed squared window that overlapAddInverse divides by, cropped to the output:
    // [available] on `device` in `type`. It depends only on the window, hop, frame count and
    // length, so it is built and checked (non-zero everywhere) once per such key, on the CPU,
    // and cached: the per-call path has no host synchronisation (a CUDA graph can capture it).
    torch::Tensor envelope(const c10::Device& device, torch::ScalarType type, int64_t frames, int64_t length) const;
    template <typename Fn> torch::Tensor runWithFallback(const torch::Tensor& input, Fn&& transform) const;

    int64_t m_nFft;
    int64_t m_hop;
    int64_t m_dimF;
    std::shared_ptr<WindowCache> m_windows;
    mutable std::atomic<int64_t> m_fallbacks{0};
    // Set once a device type has failed, so later calls go straight to the CPU.
    mutable std::atomic<uint32_t> m_cpuOnlyDeviceTypes{0};
    using EnvelopeKey = std::tuple<int, int, int, int64_t, int64_t>; // device type, index, dtype, frames, length
    mutable std::mutex m_envelopeMutex;
    mutable std::map<EnvelopeKey, torch::Tensor> m_envelopes;
};

} // namespace stemdeck::dsp
