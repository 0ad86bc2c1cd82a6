#include "dsp/sdr.h"

#include "common/error.h"

#include <cmath>
#include <string>

namespace stemdeck::dsp {

double sdr(std::span<const float> reference, std::span<const float> estimate) {
    if (reference.size() != estimate.size())
        throw Error(ErrorCode::InvalidArgument,
                    "Reference and estimate differ in length (" + std::to_string(reference.size()) + " vs " +
                        std::to_string(estimate.size()) + " samples).");
    // Double sums: an hour of audio has ~3e8 samples, more than float32 can add up exactly.
    double num = 0.0, den = 0.0;
    for (size_t i = 0; i < reference.size(); ++i) {
        const double r = reference[i], e = r - static_cast<double>(estimate[i]);
        num += r * r;
        den += e * e;
    }
    return 10.0 * std::log10((num + kSdrEpsilon) / (den + kSdrEpsilon));
}

SdrReport sdrPerStem(const std::vector<std::span<const float>>& references,
                     const std::vector<std::span<const float>>& estimates) {
    if (references.size() != estimates.size())
        throw Error(ErrorCode::InvalidArgument, "Reference and estimate have a different number of stems.");
    SdrReport report;
    for (size_t s = 0; s < references.size(); ++s) report.perStem.push_back(sdr(references[s], estimates[s]));
    if (!report.perStem.empty()) {
        double total = 0.0;
        for (double v : report.perStem) total += v;
        report.mean = total / static_cast<double>(report.perStem.size());
    }
    return report;
}

} // namespace stemdeck::dsp
