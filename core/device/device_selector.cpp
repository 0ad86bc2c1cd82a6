#include "device/device_selector.h"

#include "common/log.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace stemdeck::device {

namespace {
std::string lowerTrim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}
} // namespace

std::vector<DeviceId> DeviceSelector::candidates() const {
    std::vector<DeviceId> out;
    for (const auto& d : m_info.cuda) out.push_back(DeviceId::cuda(d.index));
    if (m_info.mps.available) out.push_back(DeviceId::mps());
    out.push_back(DeviceId::cpu());
    return out;
}

bool DeviceSelector::isAvailable(const DeviceId& device) const {
    switch (device.kind) {
    case DeviceKind::Cpu: return true;
    case DeviceKind::Cuda: return m_info.cudaDevice(device.index) != nullptr;
    case DeviceKind::Mps: return m_info.mps.available;
    }
    return false;
}

DeviceSelection DeviceSelector::select(std::string_view option, const FailureMemory* failures,
                                       const std::string& modelKey) const {
    DeviceSelection sel;
    std::string request = lowerTrim(option);
    sel.source = "option";
    if (request.empty()) {
        const char* env = std::getenv("STEMDECK_DEVICE");
        request = env ? lowerTrim(env) : std::string();
        sel.source = request.empty() ? "default" : "STEMDECK_DEVICE";
    }
    if (request.empty()) request = "auto";
    sel.request = request;

    auto failedBefore = [&](const DeviceId& d) {
        return failures && !modelKey.empty() && d.kind != DeviceKind::Cpu && failures->hasFailed(modelKey, d);
    };

    const auto parsed = request == "auto" ? std::nullopt : DeviceId::parse(request);
    if (request != "auto" && !parsed) {
        sel.fellBack = true;
        sel.message = "Unknown device \"" + request + "\" (from " + sel.source +
                      "; use auto, cpu, cuda, cuda:N or mps), choosing automatically.";
    }

    if (parsed) {
        const DeviceId want = *parsed;
        if (isAvailable(want) && !failedBefore(want)) {
            sel.device = want;
            sel.message = "Using " + want.toString() + " as requested (" + sel.source + ").";
        } else if (failedBefore(want)) {
            sel.device = DeviceId::cpu();
            sel.fellBack = true;
            const auto* e = failures->entry(modelKey, want);
            sel.message = "This model failed on " + want.toString() + " before (" + (e ? e->lastReason : "") +
                          "), so it runs on the CPU; StemDeck tries " + want.toString() + " again after a restart.";
        } else {
            sel.fellBack = true;
            std::string why;
            if (want.kind == DeviceKind::Cuda)
                why = m_info.cuda.empty()
                          ? (m_info.cudaCompiled ? "no NVIDIA GPU is visible" : "this build has no CUDA support")
                          : "there is no GPU number " + std::to_string(want.index) + " (found " +
                                std::to_string(m_info.cuda.size()) + ")";
            else if (want.kind == DeviceKind::Mps)
                why = m_info.mps.built ? "the Mac GPU (MPS) is not available on this machine"
                                       : "this build has no Apple GPU (MPS) support";
            // Fall back along the auto order rather than straight to the CPU: cuda:3 on a one-GPU
            // machine still gets cuda:0.
            for (const auto& c : candidates()) {
                if (!failedBefore(c)) {
                    sel.device = c;
                    break;
                }
            }
            sel.message = "Requested " + want.toString() + " is not available (" + why + "), using " +
                          sel.device.toString() + " instead.";
        }
    } else {
        for (const auto& c : candidates()) {
            if (failedBefore(c)) continue;
            sel.device = c;
            break;
        }
        const std::string chosen = "Using " + sel.device.toString() + " (automatic choice: CUDA, then MPS, then CPU).";
        sel.message = sel.message.empty() ? chosen : sel.message + " " + chosen;
        if (!candidates().empty() && candidates().front() != sel.device) {
            const DeviceId skipped = candidates().front();
            const auto* e = failures ? failures->entry(modelKey, skipped) : nullptr;
            sel.message += " Skipped " + skipped.toString() + ": this model failed there before" +
                           (e && !e->lastReason.empty() ? " (" + e->lastReason + ")" : std::string()) +
                           "; StemDeck tries it there again after a restart.";
            sel.fellBack = true; // a note for the job, not only a log line
        }
    }
    SD_LOG(log::device, Info) << "device: " << sel.message;
    if (sel.fellBack) SD_LOG(log::device, Warning) << sel.message;
    return sel;
}

MpsEnvironmentResult applyMpsEnvironment(const MpsSettings& settings) {
    MpsEnvironmentResult r;
    auto put = [&](const char* name, const std::string& value) {
        if (const char* existing = std::getenv(name)) {
            r.kept.push_back(std::string(name) + "=" + existing);
            return;
        }
#if defined(_WIN32)
        _putenv_s(name, value.c_str());
#else
        ::setenv(name, value.c_str(), 0);
#endif
        r.set.push_back(std::string(name) + "=" + value);
    };
    auto ratio = [](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", v);
        return std::string(buf);
    };
    if (settings.enableCpuFallback) put("PYTORCH_ENABLE_MPS_FALLBACK", "1");
    std::optional<double> high = settings.highWatermarkRatio;
    std::optional<double> low = settings.lowWatermarkRatio;
    if (high && (*high < 0.0 || !(*high == *high))) {
        r.refused.push_back("high watermark ratio must be >= 0 (0 = no limit), got " + ratio(*high));
        high.reset();
    }
    if (low && (*low < 0.0 || !(*low == *low))) {
        r.refused.push_back("low watermark ratio must be >= 0, got " + ratio(*low));
        low.reset();
    }
    // PyTorch refuses low > high (except high == 0, which disables the limit).
    if (high && low && *high > 0.0 && *low > *high) {
        r.refused.push_back("low watermark ratio " + ratio(*low) + " is above the high one " + ratio(*high));
        low.reset();
    }
    if (high) put("PYTORCH_MPS_HIGH_WATERMARK_RATIO", ratio(*high));
    if (low) put("PYTORCH_MPS_LOW_WATERMARK_RATIO", ratio(*low));
    for (const auto& s : r.set) SD_LOG(log::device, Info) << "MPS environment: " << s;
    for (const auto& s : r.kept) SD_LOG(log::device, Info) << "MPS environment kept from the shell: " << s;
    for (const auto& s : r.refused) SD_LOG(log::device, Warning) << "MPS environment: " << s;
    return r;
}

} // namespace stemdeck::device
