#include "dsp/stft.h"

#include "common/error.h"
#include "common/log.h"

#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/fft_irfft.h>
#include <ATen/ops/zeros.h>
#include <ATen/ops/hann_window.h>
#include <ATen/ops/istft.h>
#include <ATen/ops/stft.h>
#include <ATen/ops/view_as_complex.h>
#include <ATen/ops/view_as_real.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <string>
#include <vector>

namespace stemdeck::dsp {

namespace {

// A backend that lacks an op raises NotImplementedError (MPS: "not currently implemented for the
// MPS device"); anything else (out of memory, bad shapes) is a real error and propagates.
bool isMissingOp(const c10::Error& error) {
    if (dynamic_cast<const c10::NotImplementedError*>(&error) != nullptr) {
        return true;
    }
    const std::string what = error.what_without_backtrace();
    return what.find("not implemented") != std::string::npos ||
           what.find("not currently implemented") != std::string::npos ||
           what.find("not supported") != std::string::npos;
}

std::vector<int64_t> leadingDims(const torch::Tensor& t, int64_t trailing) {
    auto sizes = t.sizes();
    return std::vector<int64_t>(sizes.begin(), sizes.end() - trailing);
}

torch::ScalarType computeType(const torch::Tensor& t) {
    return t.scalar_type() == torch::kDouble ? torch::kDouble : torch::kFloat;
}

} // namespace

torch::Tensor WindowCache::hann(const c10::Device& device, int64_t size) {
    const Key key{static_cast<int>(device.type()), static_cast<int>(device.index()), size};
    std::lock_guard<std::mutex> lock(m_mutex);
    auto it = m_windows.find(key);
    if (it != m_windows.end()) {
        return it->second;
    }
    // A plain tensor even when first asked for under InferenceMode (the engine): autograd (the
    // trainer) saves the window for backward, which an inference tensor cannot be.
    c10::InferenceMode normal(false);
    // Built on the CPU like the reference (torch.hann_window(...).to(device)).
    torch::Tensor window =
        at::hann_window(size, /*periodic=*/true, torch::TensorOptions().dtype(torch::kFloat)).to(device);
    m_windows.emplace(key, window);
    ++m_creations;
    return window;
}

int64_t WindowCache::creations() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_creations;
}

std::size_t WindowCache::size() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_windows.size();
}

std::shared_ptr<WindowCache> WindowCache::shared() {
    static const std::shared_ptr<WindowCache> cache = std::make_shared<WindowCache>();
    return cache;
}

Stft::Stft(int64_t nFft, int64_t hop, int64_t dimF, std::shared_ptr<WindowCache> windows)
    : m_nFft(nFft), m_hop(hop), m_dimF(dimF), m_windows(windows ? std::move(windows) : WindowCache::shared()) {
    if (nFft < 2 || hop < 1 || hop > nFft || dimF < 1 || dimF > nFft / 2 + 1) {
        throw Error(ErrorCode::InvalidArgument,
                    "STFT sizes do not fit together: n_fft " + std::to_string(nFft) + ", hop " + std::to_string(hop) +
                        ", bins kept " + std::to_string(dimF) + " (need 1 <= bins <= n_fft/2+1, 1 <= hop <= n_fft)");
    }
}

template <typename Fn> torch::Tensor Stft::runWithFallback(const torch::Tensor& input, Fn&& transform) const {
    const c10::Device device = input.device();
    const uint32_t bit = 1u << (static_cast<uint32_t>(device.type()) % 32);
    if (device.is_cpu() || (m_cpuOnlyDeviceTypes.load() & bit) == 0) {
        try {
            return transform(input);
        } catch (const c10::Error& error) {
            if (device.is_cpu() || !isMissingOp(error)) {
                throw;
            }
            m_cpuOnlyDeviceTypes.fetch_or(bit);
            SD_LOG(log::dsp, Warning) << "the " << device.str()
                                      << " backend lacks an FFT op; the STFT runs on the CPU from now on ("
                                      << error.what_without_backtrace() << ")";
        }
    }
    m_fallbacks.fetch_add(1);
    return transform(input.to(torch::kCPU)).to(device);
}

torch::Tensor Stft::forward(const torch::Tensor& signal) const {
    if (signal.dim() < 2) {
        throw Error(ErrorCode::InvalidArgument,
                    "STFT input must be [..., channels, samples], got " + std::to_string(signal.dim()) + " dimensions");
    }
    const int64_t samples = signal.size(-1);
    if (samples <= m_nFft / 2) {
        throw Error(ErrorCode::InvalidArgument, "STFT input of " + std::to_string(samples) +
                                                    " samples is too short for reflect padding by n_fft/2 = " +
                                                    std::to_string(m_nFft / 2));
    }
    const std::vector<int64_t> batch = leadingDims(signal, 2);
    const int64_t channels = signal.size(-2);

    return runWithFallback(signal, [&](const torch::Tensor& x) {
        const torch::Tensor flat = x.to(computeType(x)).reshape({-1, samples});
        const torch::Tensor window = m_windows->hann(flat.device(), m_nFft).to(flat.scalar_type());
        // Every argument spelled out: the overload without `center` means center=false on 1.13.
        const torch::Tensor spec = at::stft(flat, m_nFft, m_hop, /*win_length=*/m_nFft, window,
                                            /*center=*/true, /*pad_mode=*/"reflect", /*normalized=*/false,
                                            /*onesided=*/true, /*return_complex=*/true);
        // [N, F, frames] complex -> [N, 2, F, frames] -> [..., C*2, F, frames]
        const torch::Tensor parts = at::view_as_real(spec).permute({0, 3, 1, 2});
        std::vector<int64_t> shape = batch;
        shape.push_back(channels * 2);
        shape.push_back(parts.size(2));
        shape.push_back(parts.size(3));
        return parts.reshape(shape).narrow(-2, 0, m_dimF).contiguous();
    });
}

torch::Tensor Stft::inverse(const torch::Tensor& spectrum, std::optional<int64_t> length) const {
    const int64_t bins = m_nFft / 2 + 1;
    if (spectrum.dim() < 3 || spectrum.size(-3) % 2 != 0 || spectrum.size(-2) > bins || spectrum.size(-2) < 1) {
        throw Error(ErrorCode::InvalidArgument,
                    "iSTFT input must be [..., channels*2, bins <= " + std::to_string(bins) + ", frames]");
    }
    const std::vector<int64_t> batch = leadingDims(spectrum, 3);
    const int64_t channels = spectrum.size(-3) / 2;
    const int64_t frames = spectrum.size(-1);
    const int64_t outLength = length.value_or(m_hop * (frames - 1));

    return runWithFallback(spectrum, [&](const torch::Tensor& x) {
        const torch::ScalarType type = computeType(x);
        const torch::Tensor window = m_windows->hann(x.device(), m_nFft).to(type);
        const torch::Tensor parts = x.reshape({-1, 2, x.size(-2), frames}); // [N, 2, F, frames]
        torch::Tensor wave;
        if (m_nFft % m_hop == 0) {
            wave = overlapAddInverse(parts, window, outLength);
        } else {
            // Zero the bins the network never saw (pad only the end of the frequency axis).
            torch::Tensor full = parts.to(type);
            if (full.size(-2) < bins) full = at::constant_pad_nd(full, {0, 0, 0, bins - full.size(-2)}, 0.0);
            const torch::Tensor complex = at::view_as_complex(full.permute({0, 2, 3, 1}).contiguous());
            wave = at::istft(complex, m_nFft, m_hop, /*win_length=*/m_nFft, window, /*center=*/true,
                             /*normalized=*/false, /*onesided=*/true, /*length=*/outLength, /*return_complex=*/false);
        }
        std::vector<int64_t> shape = batch;
        shape.push_back(channels);
        shape.push_back(wave.size(-1));
        return wave.reshape(shape);
    });
}

torch::Tensor Stft::overlapAddInverse(const torch::Tensor& parts, const torch::Tensor& window, int64_t length) const {
    // torch.istft (center=true, onesided, not normalised) written out: inverse real FFT of every
    // frame, times the window, overlap-added, divided by the summed squared window, centre cropped.
    // LibTorch 1.13 does the overlap-add with col2im and needs two extra copies of the spectrum;
    // with n_fft a multiple of hop, R = n_fft / hop shifted adds of [N, frames, hop] blocks do the
    // same sums, about 3x faster on the CPU and bit-identical on the shared vectors.
    const int64_t n = parts.size(0), kept = parts.size(2), frames = parts.size(3);
    const int64_t bins = m_nFft / 2 + 1, r = m_nFft / m_hop;
    const torch::ScalarType type = window.scalar_type();
    // [N, frames, bins, (re, im)] in one pass: the bins the network never saw stay zero.
    torch::Tensor spec = at::zeros({n, frames, bins, 2}, parts.options().dtype(type));
    spec.narrow(2, 0, kept).copy_(parts.permute({0, 3, 2, 1}));
    torch::Tensor blocks = at::fft_irfft(at::view_as_complex(spec), m_nFft, -1, "backward"); // [N, frames, n_fft]
    blocks.mul_(window);
    const torch::Tensor pieces = blocks.view({n, frames, r, m_hop});
    torch::Tensor sum = at::zeros({n, frames + r - 1, m_hop}, blocks.options());
    for (int64_t i = 0; i < r; ++i) sum.narrow(1, i, frames).add_(pieces.select(2, i));
    const int64_t start = m_nFft / 2, total = (frames + r - 1) * m_hop;
    const int64_t available = std::min(length, total - start);
    torch::Tensor wave = sum.view({n, -1}).narrow(1, start, available).div(envelope(blocks.device(), type, frames, length));
    // A length past the signal is zero-filled, as torch.istft does.
    if (available < length) wave = at::constant_pad_nd(wave, {0, length - available}, 0.0);
    return wave;
}

torch::Tensor Stft::envelope(const c10::Device& device, torch::ScalarType type, int64_t frames, int64_t length) const {
    const EnvelopeKey key{static_cast<int>(device.type()), static_cast<int>(device.index()), static_cast<int>(type),
                          frames, length};
    std::lock_guard<std::mutex> lock(m_envelopeMutex);
    auto it = m_envelopes.find(key);
    if (it != m_envelopes.end()) return it->second;
    // A plain tensor even when first asked for under InferenceMode: training divides by it too,
    // and autograd cannot save an inference tensor for backward.
    c10::InferenceMode normal(false);
    // The same float operations, in the same order, as the device would do them: squares of the
    // CPU-built window summed frame by frame. The copy to the device is therefore bit-identical
    // to an envelope computed there.
    const int64_t r = m_nFft / m_hop;
    const torch::Tensor window = m_windows->hann(c10::Device(c10::kCPU), m_nFft).to(type);
    const torch::Tensor squares = (window * window).view({r, m_hop});
    torch::Tensor sums = at::zeros({frames + r - 1, m_hop}, window.options());
    for (int64_t i = 0; i < r; ++i) sums.narrow(0, i, frames).add_(squares[i]);
    const int64_t start = m_nFft / 2, total = (frames + r - 1) * m_hop;
    const int64_t available = std::min(length, total - start);
    const torch::Tensor env = sums.view({-1}).narrow(0, start, available).contiguous();
    if (env.abs().min().item<double>() < 1e-11)
        throw Error(ErrorCode::InvalidArgument, "iSTFT: the window does not overlap-add to a non-zero envelope (n_fft " +
                                                    std::to_string(m_nFft) + ", hop " + std::to_string(m_hop) + ")");
    torch::Tensor placed = env.to(device);
    m_envelopes.emplace(key, placed);
    return placed;
}

} // namespace stemdeck::dsp
