#include "dsp/stft.h"

#include "common/error.h"
#include "common/log.h"

#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/hann_window.h>
#include <ATen/ops/istft.h>
#include <ATen/ops/stft.h>
#include <ATen/ops/view_as_complex.h>
#include <ATen/ops/view_as_real.h>
#include <c10/util/Exception.h>

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
        torch::Tensor full = x.to(computeType(x));
        if (full.size(-2) < bins) {
            // Zero the bins the network never saw (pad only the end of the frequency axis).
            full = at::constant_pad_nd(full, {0, 0, 0, bins - full.size(-2)}, 0.0);
        }
        // [..., C*2, bins, frames] -> [N, 2, bins, frames] -> [N, bins, frames, 2] -> complex
        const torch::Tensor parts = full.reshape({-1, 2, bins, frames}).permute({0, 2, 3, 1}).contiguous();
        const torch::Tensor complex = at::view_as_complex(parts);
        const torch::Tensor window = m_windows->hann(complex.device(), m_nFft).to(full.scalar_type());
        const torch::Tensor wave = at::istft(complex, m_nFft, m_hop, /*win_length=*/m_nFft, window,
                                             /*center=*/true, /*normalized=*/false, /*onesided=*/true,
                                             /*length=*/outLength, /*return_complex=*/false);
        std::vector<int64_t> shape = batch;
        shape.push_back(channels);
        shape.push_back(wave.size(-1));
        return wave.reshape(shape);
    });
}

} // namespace stemdeck::dsp
