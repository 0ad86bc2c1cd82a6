#include "device/error_translator.h"

#include <algorithm>
#include <cctype>
#include <new>

namespace stemdeck::device {

namespace {

Action retryOnCpu() { return {ActionKind::RetryOnCpu, "Run on the CPU"}; }
Action lowerBatch() { return {ActionKind::LowerBatch, "Use a smaller batch size"}; }
Action closeApps() { return {ActionKind::CloseApps, "Close other memory-heavy apps"}; }
Action reportBug() { return {ActionKind::ReportBug, "Report this bug (attach the profile)"}; }
Action useFloat32() { return {ActionKind::UseFloat32, "Use full precision (float32)"}; }
Action updateMac() { return {ActionKind::UpdateSystem, "Update macOS and StemDeck"}; }
Action updateDriver() { return {ActionKind::UpdateSystem, "Update the NVIDIA driver or StemDeck"}; }
Action rememberCpu() { return {ActionKind::RememberCpuOnly, "Keep this model on the CPU"}; }

struct Row {
    const char* id;
    std::vector<const char*> fragments; // any one matches (case-insensitive)
    const char* title;
    const char* explanation;
    std::vector<Action> actions;
    bool oom;
    Recovery recovery;
    bool warning; // a warning text rather than an error
};

// Order matters: more specific rows first (an MPS OOM message also says "out of memory").
const std::vector<Row>& rows() {
    static const std::vector<Row> table = {
        {"mps_oom",
         {"MPS backend out of memory"},
         "The Mac ran out of GPU memory",
         "The graphics chip shares memory with every other app (unified memory), and this batch did "
         "not fit. StemDeck released its cached memory and is retrying with fewer chunks at a time; "
         "at one chunk it can continue on the CPU. Expert option: PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0 "
         "removes the limit but can make the whole system unstable.",
         {lowerBatch(), closeApps(), retryOnCpu(), {ActionKind::ExpertSetting, "Raise the MPS memory limit (risky)"}},
         true, Recovery::HalveBatch, false},
        {"mps_missing_op",
         {"not currently implemented for the MPS device", "not currently supported on the MPS backend",
          "PYTORCH_ENABLE_MPS_FALLBACK"},
         "An operation is not available on this Mac's GPU",
         "This macOS/PyTorch combination lacks one operation (often the FFT used by the STFT). StemDeck "
         "runs only that step on the CPU and counts it in the profile; a newer macOS or StemDeck makes "
         "it faster. PYTORCH_ENABLE_MPS_FALLBACK only works when set before the library starts.",
         {updateMac()},
         false, Recovery::CpuForOp, false},
        {"mps_conv_channels",
         {"Output channels > 65536 not supported at the MPS device"},
         "This macOS version cannot run one of the model's layers",
         "Older macOS versions limit convolutions to 65536 output channels. macOS 15.1 or later "
         "removes the limit; until then the model runs on the CPU.",
         {updateMac(), retryOnCpu(), rememberCpu()},
         false, Recovery::Kernel, false},
        {"mps_float64",
         {"Cannot convert a MPS Tensor to float64", "MPS framework doesn't support float64"},
         "Internal error: double-precision data reached the Mac GPU",
         "The Mac GPU has no float64 support and StemDeck should have converted the data to float32 "
         "first. This is a StemDeck bug; running on the CPU works around it.",
         {reportBug(), retryOnCpu()},
         false, Recovery::Bug, false},
        {"mps_tensor_too_large",
         {"total bytes of NDArray > 2**32", "product of dimension sizes > 2**31"},
         "A block of audio was too large for the Mac GPU",
         "The Mac GPU cannot hold a single array above 4 GiB or 2^31 values. StemDeck's batch planner "
         "should have kept every array below that; use a smaller batch or report this.",
         {lowerBatch(), reportBug()},
         false, Recovery::Bug, false},
        {"mps_placeholder",
         {"Placeholder storage has not been allocated on MPS device"},
         "Internal error: data on two devices were mixed",
         "Part of the computation was on the Mac GPU and part on the CPU. This is a StemDeck bug.",
         {reportBug(), retryOnCpu()},
         false, Recovery::Bug, false},
        {"mps_int64_minmax",
         {"no support for int64 min/max ops"},
         "Harmless Mac GPU notice",
         "The Mac GPU computes a 64-bit integer minimum/maximum in 32 bits. StemDeck's values are far "
         "inside that range, so results are unaffected. Shown once.",
         {},
         false, Recovery::Warning, true},
        {"mps_complex",
         {"ComplexFloat to the MPS backend", "Trying to convert ComplexFloat to the MPS"},
         "This PyTorch cannot use complex numbers on the Mac GPU",
         "The STFT needs complex numbers, which this version's Mac GPU backend lacks. StemDeck runs the "
         "STFT on the CPU for this device and everything else on the GPU.",
         {updateMac()},
         false, Recovery::CpuForOp, false},
        {"mps_half_unsupported",
         {"In MPS autocast, but the target dtype is not supported",
          "with BF16 or FP16 types is not supported on MPS"},
         "Half precision is not fully supported on this Mac",
         "Some layers cannot run in 16-bit on this Mac GPU. StemDeck returned to full precision "
         "(float32) for this model; results are unaffected, only speed.",
         {useFloat32()},
         false, Recovery::Float32, false},
        {"mps_compiler",
         {"mps_matmul: error: incompatible dimensions", "LLVM ERROR: Failed to infer result type"},
         "The Mac GPU compiler failed on this model",
         "A known bug in Apple's GPU compiler stops this model from running on the GPU. StemDeck remembers "
         "to run this model on the CPU on this Mac; a macOS update may fix it.",
         {rememberCpu(), retryOnCpu(), updateMac()},
         false, Recovery::Kernel, false},
        {"numerical",
         {"produced NaN or Inf"},
         "The separation produced invalid numbers",
         "The model's output contained NaN or infinite values on this device, so nothing was written. "
         "Running the same job on the CPU usually gives correct results.",
         {retryOnCpu(), useFloat32()},
         false, Recovery::Kernel, false},
        {"cuda_oom",
         {"CUDA out of memory", "CUDA error: out of memory", "OutOfMemoryError"},
         "The graphics card ran out of memory",
         "This batch did not fit in the GPU's memory (other programs using the GPU count too). StemDeck "
         "released its cached memory and is retrying with fewer chunks at a time; at one chunk it can "
         "continue on the CPU. Song-length buffers stay in main memory.",
         {lowerBatch(), closeApps(), retryOnCpu()},
         true, Recovery::HalveBatch, false},
        {"cuda_no_kernel_image",
         {"no kernel image is available for execution on the device"},
         "This graphics card is not supported by this build",
         "The LibTorch inside StemDeck was not compiled for this GPU's generation (compute capability). "
         "Run on the CPU, or install a StemDeck build that supports the card.",
         {retryOnCpu(), rememberCpu(), updateDriver()},
         false, Recovery::Kernel, false},
        {"cuda_driver",
         {"CUDA driver version is insufficient", "Found no NVIDIA driver"},
         "The NVIDIA driver is missing or too old",
         "StemDeck's GPU support needs a newer NVIDIA driver than the one installed.",
         {updateDriver(), retryOnCpu()},
         false, Recovery::Kernel, false},
        {"cuda_kernel",
         {"device-side assert triggered", "illegal memory access", "CUBLAS_STATUS", "CUDNN_STATUS",
          "cuDNN error", "unspecified launch failure"},
         "The graphics card failed while running the model",
         "A GPU computation failed. StemDeck retried the batch once and then ran it on the CPU; if this "
         "repeats, the model is kept on the CPU on this machine.",
         {retryOnCpu(), rememberCpu(), reportBug()},
         false, Recovery::Kernel, false},
        {"device_mix",
         {"Expected all tensors to be on the same device"},
         "Internal error: data on two devices were mixed",
         "Part of the computation was on the GPU and part on the CPU. This is a StemDeck bug.",
         {reportBug(), retryOnCpu()},
         false, Recovery::Bug, false},
        {"cpu_oom",
         {"DefaultCPUAllocator: can't allocate memory", "DefaultCPUAllocator: not enough memory",
          "std::bad_alloc"},
         "The computer ran out of memory",
         "There was not enough free RAM for this batch. StemDeck is retrying with fewer chunks at a "
         "time; closing other programs helps, as does a smaller batch size.",
         {lowerBatch(), closeApps()},
         true, Recovery::HalveBatch, false},
        {"cpu_instruction_set",
         {"Illegal instruction", "SIGILL"},
         "This processor is too old for StemDeck's math library",
         "The LibTorch in StemDeck needs AVX2 and FMA instructions, which this CPU lacks, so it would "
         "crash instead of running. Use a build for older processors or another computer.",
         {{ActionKind::UpdateSystem, "Use a StemDeck build for older processors"}},
         false, Recovery::Bug, false},
        // Last: a generic out-of-memory text from any backend.
        {"oom_generic",
         {"out of memory"},
         "Out of memory",
         "The device ran out of memory during this batch. StemDeck released cached memory and is "
         "retrying with fewer chunks at a time.",
         {lowerBatch(), closeApps(), retryOnCpu()},
         true, Recovery::HalveBatch, false},
    };
    return table;
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

TranslatedError fromRow(const Row& row, std::string_view raw) {
    TranslatedError t;
    t.id = row.id;
    t.title = row.title;
    t.explanation = row.explanation;
    t.actions = row.actions;
    t.details = std::string(raw);
    t.isOutOfMemory = row.oom;
    t.isKnown = true;
    t.recovery = row.recovery;
    return t;
}

const Row* findRow(std::string_view raw) {
    const std::string text = lower(raw);
    for (const auto& row : rows())
        for (const char* f : row.fragments)
            if (text.find(lower(f)) != std::string::npos) return &row;
    return nullptr;
}

const Row& rowById(std::string_view id) {
    for (const auto& row : rows())
        if (id == row.id) return row;
    return rows().back();
}

} // namespace

bool TranslatedError::hasAction(ActionKind kind) const {
    return std::any_of(actions.begin(), actions.end(), [&](const Action& a) { return a.kind == kind; });
}

TranslatedError ErrorTranslator::translate(std::string_view raw) {
    if (const Row* row = findRow(raw)) return fromRow(*row, raw);
    TranslatedError t;
    t.id = "unknown";
    t.title = "The separation failed";
    t.explanation = "An unexpected error came from the processing library. The technical details "
                    "below help when reporting it; running on the CPU may work.";
    t.actions = {retryOnCpu(), reportBug()};
    t.details = std::string(raw);
    t.recovery = Recovery::Unknown;
    return t;
}

TranslatedError ErrorTranslator::translate(const std::exception& e) {
    if (dynamic_cast<const std::bad_alloc*>(&e)) {
        TranslatedError t = fromRow(rowById("cpu_oom"), e.what());
        return t;
    }
    return translate(std::string_view(e.what()));
}

TranslatedError ErrorTranslator::translate(std::exception_ptr e) {
    try {
        if (e) std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        return translate(ex);
    } catch (...) {
        return translate(std::string_view("non-standard exception"));
    }
    return translate(std::string_view("no exception"));
}

TranslatedError ErrorTranslator::numericalFailure(const DeviceId& device, std::string_view where) {
    const std::string raw = "model output produced NaN or Inf on " + device.toString() +
                            (where.empty() ? std::string() : " (" + std::string(where) + ")");
    return fromRow(rowById("numerical"), raw);
}

std::optional<TranslatedError> ErrorTranslator::checkInstructionSet(const CpuInfo& cpu) {
    if (!cpu.isX86) return std::nullopt;
    // Debian's amd64 LibTorch dispatches kernels at run time (DEFAULT/AVX2/AVX512), but its
    // baseline and oneDNN still expect AVX; without it the first kernel may die with SIGILL.
    if (cpu.avx && cpu.avx2 && cpu.fma) return std::nullopt;
    std::string missing;
    if (!cpu.avx) missing += "AVX ";
    if (!cpu.avx2) missing += "AVX2 ";
    if (!cpu.fma) missing += "FMA ";
    TranslatedError t = fromRow(rowById("cpu_instruction_set"), "CPU " + cpu.modelName + " lacks " + missing);
    if (cpu.avx) {
        // AVX without AVX2: LibTorch still runs through its DEFAULT kernels, only slower.
        t.title = "This processor runs StemDeck slowly";
        t.explanation = "This CPU lacks AVX2/FMA, so the math library uses its slower generic code. "
                        "Separation works but takes longer.";
        t.recovery = Recovery::Warning;
    }
    return t;
}

std::optional<TranslatedError> ErrorTranslator::explainWarning(std::string_view warning) {
    const Row* row = findRow(warning);
    if (!row) return std::nullopt;
    return fromRow(*row, warning);
}

std::vector<std::string> ErrorTranslator::knownIds() {
    std::vector<std::string> ids;
    for (const auto& row : rows()) ids.emplace_back(row.id);
    return ids;
}

std::string formatOneLine(const TranslatedError& error) {
    std::string s = error.title + ": " + error.explanation;
    if (!error.actions.empty()) {
        s += " (actions: ";
        for (size_t i = 0; i < error.actions.size(); ++i) {
            if (i) s += ", ";
            s += error.actions[i].label;
        }
        s += ")";
    }
    return s;
}

} // namespace stemdeck::device
