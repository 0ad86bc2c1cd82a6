// Numeric precision per device (seed items 1 and 18): float32 by default on the CPU and MPS,
// half precision through autocast where the LibTorch version supports it, MPS half precision only
// when the user opts in, with an automatic return to float32 on MPS's known half-precision
// errors. Audio I/O is float32 whatever runs inside the model. Plain C++ header.
#pragma once

#include "device/device_kind.h"
#include "device/error_translator.h"

#include <optional>
#include <string>
#include <string_view>

namespace stemdeck::device {

enum class Precision { Fp32, Fp16, Bf16 };

const char* precisionName(Precision p); // "fp32", "fp16", "bf16"
std::optional<Precision> parsePrecision(std::string_view text); // also "float32", "half", "bfloat16"
int precisionBytes(Precision p);

// The CUDA default is ONE constant, chosen by measurement (issue #5c, bench/NOTES.md "Devices",
// H200, 2026-11-26): fp16 autocast is 1.36x (DrumSep 5-stem, batch 8) to 1.50x (musdb18) faster
// than fp32 and its output is 37-42 dB SDR from the fp32 output with a SDR change against the
// generated stems under 0.001 dB (limit 0.05 dB); bf16 is slower than fp16 here and only
// 25-28 dB from fp32. --precision fp32 still gives the parity-exact output.
inline constexpr Precision kCudaDefaultPrecision = Precision::Fp16;

Precision defaultPrecision(DeviceKind kind);

// Whether this LibTorch can autocast to `p` on `kind` (1.13: CUDA fp16/bf16, CPU bf16;
// >= 2.5: also MPS fp16/bf16). Fp32 is always supported.
bool autocastSupported(DeviceKind kind, Precision p);

struct PrecisionChoice {
    Precision precision = Precision::Fp32;
    std::string reason;
};

// requested = the user's choice (nullopt = default). Half precision on MPS needs the explicit
// request; unsupported combinations fall back to float32 with the reason.
PrecisionChoice choosePrecision(DeviceKind kind, std::optional<Precision> requested);

// Tracks the precision of one job and gives up half precision on the errors that mean it does
// not work (ErrorTranslator Recovery::Float32, e.g. "In MPS autocast, but the target dtype is
// not supported"). The engine reruns the batch when onFailure returns true.
class PrecisionPolicy {
public:
    PrecisionPolicy(DeviceKind kind, std::optional<Precision> requested);
    Precision current() const { return m_current; }
    const std::string& reason() const { return m_reason; }
    bool onFailure(const TranslatedError& error);
    bool returnedToFp32() const { return m_returned; }

private:
    DeviceKind m_kind;
    Precision m_current;
    std::string m_reason;
    bool m_returned = false;
};

// RAII: enables LibTorch autocast for `kind` with `p` for the current thread and restores the
// previous state on destruction. Inactive (a no-op) for Fp32 or unsupported combinations: the
// model then runs in float32. The model's output should be cast to float32 by the caller.
class AutocastGuard {
public:
    AutocastGuard(DeviceKind kind, Precision p);
    ~AutocastGuard();
    AutocastGuard(const AutocastGuard&) = delete;
    AutocastGuard& operator=(const AutocastGuard&) = delete;
    bool active() const { return m_active; }

private:
    DeviceKind m_kind;
    bool m_active = false;
    bool m_prevEnabled = false;
    int m_prevDtype = 0; // c10::ScalarType, kept as int to keep LibTorch out of this header
};

} // namespace stemdeck::device
