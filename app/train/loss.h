// The loss stemdeck-train minimises (see docs/models/drumsep-compact.md for why this one).
#pragma once

#include <ATen/core/Tensor.h>

#include <string>

namespace stemdeck::train {

// Negative SDR in dB, mean over examples and stems. est, ref: [B, S, C, T]; mix: [B, C, T].
// A silent estimate of a present stem scores 0 dB; a silent stem scores the leakage level over
// a floor floorDb below the mix's energy per stem (a thresholded SDR: errors under the floor
// no longer count, so a quiet stem's leakage weighs what it does in the metric, down to it).
at::Tensor sdrLoss(const at::Tensor& est, const at::Tensor& ref, const at::Tensor& mix, double floorDb = -40.0);

// Per example, 10 log10(squared error summed over stems / mix energy), mean over examples.
at::Tensor mseLoss(const at::Tensor& est, const at::Tensor& ref, const at::Tensor& mix);

// Per stem, -SDR over the whole batch (energies summed over examples), mean over stems.
at::Tensor batchSdrLoss(const at::Tensor& est, const at::Tensor& ref, const at::Tensor& mix);

// The two sums of stems the model confuses most, kick+toms and hh+cymbals: [B, S, C, T] -> [B, 2, C, T].
at::Tensor confusablePairs(const at::Tensor& stems);

// kind "mse" (stemdeck-train's default), "bsdr", "sdr" (with sdrFloorDb) or "l1" (per-stem RMS-normalised L1 +
// stftWeight x multi-resolution STFT magnitude L1; session 1's loss, kept for comparison), or two of them joined
// by '+' ("bsdr+sdr"): their mean. Throws InvalidArgument on another kind.
at::Tensor separationLoss(const std::string& kind, const at::Tensor& est, const at::Tensor& ref,
                          const at::Tensor& mix, double stftWeight, double sdrFloorDb = -40.0);

} // namespace stemdeck::train
