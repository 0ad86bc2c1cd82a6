// Growing a trained TFC-TDF v3 network into a wider one without changing what it computes
// (Net2Net-style: Chen, Goodfellow & Shlens, "Net2Net", ICLR 2016), so that a wider preset can
// start from the weights of many training steps instead of from scratch.
#pragma once

#include "model/tfc_tdf_net.h"

namespace stemdeck::train {

// Copies `from` into `to`, a network of the same config except larger num_channels and/or growth
// (so more channels at some scales). Every old weight keeps its place; the new channels are live:
// their producing rows (convolution outputs, norm scales) keep `to`'s fresh initialisation,
// while every convolution's inputs from new channels are set to zero, so the old channels never
// see them and `to` computes exactly what `from` did (to float rounding). Training then grows
// those zero inputs first: their gradients are non-zero from the first step. The concatenations
// (decoder: upscaled | skip; final_conv: mix subbands | features) are mapped piece by piece.
// Throws stemdeck::Error(InvalidArgument) when the configs differ in anything else or shrink.
void widenInto(model::TfcTdfNetImpl& from, model::TfcTdfNetImpl& to);

} // namespace stemdeck::train
