// Turns raw backend errors and warnings (LibTorch, CUDA, MPS, the C++ allocator) into a title, a
// plain explanation and actions a user can take (seed items 14 and 20). Plain C++: the UI and the
// CLI use it without LibTorch. Known messages are listed in shared/docs/troubleshooting-messages.md
// and in docs/devices.md; matching is on stable fragments because numbers and sizes vary.
#pragma once

#include "device/device_info.h"
#include "device/device_kind.h"

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stemdeck::device {

enum class ActionKind {
    RetryOnCpu,      // run this job on the CPU
    LowerBatch,      // fewer chunks per batch
    UpdateSystem,    // newer macOS / LibTorch / driver
    CloseApps,       // free memory other programs hold
    ReportBug,       // StemDeck's own bug: attach the profile
    UseFloat32,      // turn half precision off
    RememberCpuOnly, // keep this model on the CPU on this machine
    ExpertSetting,   // an environment variable with a risk (the MPS watermark)
};

struct Action {
    ActionKind kind;
    std::string label; // button / bullet text
};

// How the batch runner reacts to this failure.
enum class Recovery {
    Unknown,      // not recognised: retry once, then CPU (same as Kernel)
    HalveBatch,   // out of memory: release cache, halve, at 1 -> CPU
    CpuForOp,     // one op missing on the device: only that op runs on the CPU
    Kernel,       // kernel / compiler failure: retry once, then this batch on the CPU
    Float32,      // half precision unsupported: return to float32
    Bug,          // StemDeck's fault (dtype or device mix-up): stop and report
    Warning,      // not an error at all
};

struct TranslatedError {
    std::string id;          // stable key ("mps_oom", "cuda_oom", ... "unknown")
    std::string title;       // one line
    std::string explanation; // plain language, a few sentences
    std::vector<Action> actions;
    std::string details;     // the raw text, always kept
    bool isOutOfMemory = false;
    bool isKnown = false;
    Recovery recovery = Recovery::Unknown;

    bool hasAction(ActionKind kind) const;
};

class ErrorTranslator {
public:
    // Any raw message (exception text, warning text).
    static TranslatedError translate(std::string_view raw);
    // Same, but also looks at the exception type (std::bad_alloc has no useful text).
    static TranslatedError translate(const std::exception& e);
    static TranslatedError translate(std::exception_ptr e);
    // Row 11: the model produced NaN/Inf; there is no backend message.
    static TranslatedError numericalFailure(const DeviceId& device, std::string_view where);
    // A LibTorch built for AVX2 dies with SIGILL on an older CPU, which cannot be caught: check
    // the flags before the first LibTorch kernel runs. nullopt when the CPU is fine (or not x86).
    static std::optional<TranslatedError> checkInstructionSet(const CpuInfo& cpu);
    // Known backend warnings get an explanation (shown once); nullopt for unknown warnings.
    static std::optional<TranslatedError> explainWarning(std::string_view warning);
    // Ids of every known row, for docs and tests.
    static std::vector<std::string> knownIds();
};

// "Title: explanation (actions: a, b)" on one line, for logs and the CLI.
std::string formatOneLine(const TranslatedError& error);

} // namespace stemdeck::device
