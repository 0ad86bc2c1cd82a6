#include "device/precision.h"

#include "common/log.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include <algorithm>
#include <cctype>

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define STEMDECK_AUTOCAST_DEVICE_API 1 // set_autocast_enabled(DeviceType, bool) etc.
#endif
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 5)
#define STEMDECK_AUTOCAST_MPS 1
#endif

namespace stemdeck::device {

const char* precisionName(Precision p) {
    switch (p) {
    case Precision::Fp32: return "fp32";
    case Precision::Fp16: return "fp16";
    case Precision::Bf16: return "bf16";
    }
    return "?";
}

std::optional<Precision> parsePrecision(std::string_view text) {
    std::string t(text);
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (t == "fp32" || t == "float32" || t == "float" || t == "full") return Precision::Fp32;
    if (t == "fp16" || t == "float16" || t == "half") return Precision::Fp16;
    if (t == "bf16" || t == "bfloat16") return Precision::Bf16;
    return std::nullopt;
}

int precisionBytes(Precision p) { return p == Precision::Fp32 ? 4 : 2; }

Precision defaultPrecision(DeviceKind kind) {
    return kind == DeviceKind::Cuda ? kCudaDefaultPrecision : Precision::Fp32;
}

bool autocastSupported(DeviceKind kind, Precision p) {
    if (p == Precision::Fp32) return true;
    switch (kind) {
    case DeviceKind::Cuda: return true;
    case DeviceKind::Cpu:
#if defined(STEMDECK_AUTOCAST_DEVICE_API)
        return true; // CPU autocast gained fp16 in 2.x
#else
        return p == Precision::Bf16;
#endif
    case DeviceKind::Mps:
#if defined(STEMDECK_AUTOCAST_MPS)
        return true;
#else
        return false;
#endif
    }
    return false;
}

PrecisionChoice choosePrecision(DeviceKind kind, std::optional<Precision> requested) {
    PrecisionChoice c;
    const Precision want = requested.value_or(defaultPrecision(kind));
    if (want == Precision::Fp32) {
        c.precision = Precision::Fp32;
        c.reason = requested ? "fp32 as requested" : std::string("fp32, the default on ") + deviceKindName(kind);
        return c;
    }
    if (!autocastSupported(kind, want)) {
        c.precision = Precision::Fp32;
        c.reason = std::string(precisionName(want)) + " autocast is not available on " + deviceKindName(kind) +
                   " with this LibTorch; using fp32";
        return c;
    }
    c.precision = want;
    c.reason = std::string(precisionName(want)) + (requested ? " as requested" : " (default)") + " on " + deviceKindName(kind);
    if (kind == DeviceKind::Mps) c.reason += " (opt-in; returns to fp32 on MPS half-precision errors)";
    return c;
}

PrecisionPolicy::PrecisionPolicy(DeviceKind kind, std::optional<Precision> requested) : m_kind(kind) {
    const auto c = choosePrecision(kind, requested);
    m_current = c.precision;
    m_reason = c.reason;
}

bool PrecisionPolicy::onFailure(const TranslatedError& error) {
    if (m_current == Precision::Fp32 || error.recovery != Recovery::Float32) return false;
    SD_LOG(log::device, Warning) << precisionName(m_current) << " failed on " << deviceKindName(m_kind) << " ("
                                 << error.id << "), returning to fp32";
    m_current = Precision::Fp32;
    m_returned = true;
    m_reason = "returned to fp32 after: " + error.title;
    return true;
}

namespace {
c10::ScalarType scalarType(Precision p) { return p == Precision::Bf16 ? at::kBFloat16 : at::kHalf; }
} // namespace

AutocastGuard::AutocastGuard(DeviceKind kind, Precision p) : m_kind(kind) {
    if (p == Precision::Fp32 || !autocastSupported(kind, p)) return;
    const c10::ScalarType dtype = scalarType(p);
#if defined(STEMDECK_AUTOCAST_DEVICE_API)
    const c10::DeviceType type = kind == DeviceKind::Cuda ? c10::DeviceType::CUDA
                                 : kind == DeviceKind::Mps ? c10::DeviceType::MPS
                                                           : c10::DeviceType::CPU;
    m_prevEnabled = at::autocast::is_autocast_enabled(type);
    m_prevDtype = static_cast<int>(at::autocast::get_autocast_dtype(type));
    at::autocast::set_autocast_dtype(type, dtype);
    at::autocast::set_autocast_enabled(type, true);
#else
    if (kind == DeviceKind::Cuda) {
        m_prevEnabled = at::autocast::is_enabled();
        m_prevDtype = static_cast<int>(at::autocast::get_autocast_gpu_dtype());
        at::autocast::set_autocast_gpu_dtype(dtype);
        at::autocast::set_enabled(true);
    } else {
        m_prevEnabled = at::autocast::is_cpu_enabled();
        m_prevDtype = static_cast<int>(at::autocast::get_autocast_cpu_dtype());
        at::autocast::set_autocast_cpu_dtype(dtype);
        at::autocast::set_cpu_enabled(true);
    }
#endif
    at::autocast::increment_nesting();
    m_active = true;
}

AutocastGuard::~AutocastGuard() {
    if (!m_active) return;
    // Like torch.autocast's __exit__: drop the cast-weight cache when leaving the outermost scope.
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    const auto dtype = static_cast<c10::ScalarType>(m_prevDtype);
#if defined(STEMDECK_AUTOCAST_DEVICE_API)
    const c10::DeviceType type = m_kind == DeviceKind::Cuda ? c10::DeviceType::CUDA
                                 : m_kind == DeviceKind::Mps ? c10::DeviceType::MPS
                                                             : c10::DeviceType::CPU;
    at::autocast::set_autocast_enabled(type, m_prevEnabled);
    at::autocast::set_autocast_dtype(type, dtype);
#else
    if (m_kind == DeviceKind::Cuda) {
        at::autocast::set_enabled(m_prevEnabled);
        at::autocast::set_autocast_gpu_dtype(dtype);
    } else {
        at::autocast::set_cpu_enabled(m_prevEnabled);
        at::autocast::set_autocast_cpu_dtype(dtype);
    }
#endif
}

} // namespace stemdeck::device
