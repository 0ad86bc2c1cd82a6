// The batch planner's view of a model config (device::ModelShape from model::ModelConfig):
// one conversion shared by the Separator and the memory calibration bench.
#pragma once

#include "device/batch_planner.h"
#include "device/precision.h"
#include "model/model_config.h"

namespace stemdeck::engine {

device::ModelShape modelShapeOf(const model::ModelConfig& config, device::Precision precision);

} // namespace stemdeck::engine
