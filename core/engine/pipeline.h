// The file pipeline: one JobSpec in, stems on disk out (ARCHITECTURE.md "Data flow of one
// separation"): decode -> model rate (soxr) -> channel policy -> separate -> (mixture
// consistency) -> stem sum check ->
// residual -> back to the source rate -> atomic export through the naming template. Plain C++;
// core/jobs runs it as engine::EngineFunction, the CLI and the GUI through core/jobs.
//
// Naming of residual stems (--residual): mix minus the selected stems, called "instrumental"
// when the selection is exactly {"vocals"}, else "no_" + the selected stems joined by "_"
// ("no_drums", "no_kick_snare").
#pragma once

#include "engine/job_spec.h"

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace stemdeck::engine {

// Runs one job. Throws stemdeck::Error: Cancelled (nothing written), FileNotFound /
// UnreadableFile / EmptyInput / UnsupportedFormat for the input, InvalidArgument for options
// (unknown stem, bad template or format), the model's and device's errors, and the export's
// (DestinationExists, DestinationFull, ...). A failed or cancelled job leaves no stem files.
JobResult runJob(const JobSpec& spec, const JobCallbacks& callbacks, const std::atomic<bool>& cancel);

// The residual stem's name for a selection (see the header comment).
std::string residualName(const std::vector<std::string>& selected);

// Stem sum check: 10 log10(energy(sum of stems - mix) / energy(mix)), eps 1e-8 in both. Buffers
// planar, equal size. Very negative = the stems add up to the mix.
double sumCheckDb(const std::vector<const float*>& stems, const float* mix, size_t samples);

// Mixture consistency (inference.mixture_consistency, JobSpec::sumToMix): adds (mix - sum of the
// stems) / number of stems to every stem, the least-squares projection onto stems that add up to
// the mix. Buffers planar, equal size.
void spreadResidual(const std::vector<float*>& stems, const float* mix, size_t samples);

// Models found by name: <dir>/<name>/config.yaml (or *.yaml) + one checkpoint (.safetensors
// preferred, else .ckpt/.pth/.pt). Searched in $STEMDECK_MODELS_DIR, the installed
// share/stemdeck/models next to the executable, and the source tree's resources/models.
struct ModelFiles {
    std::string name;
    std::filesystem::path config;
    std::filesystem::path checkpoint;
};
// The model a separation uses when none is named: the compact drum model bundled with StemDeck
// (resources/models/drumsep-compact, docs/models/drumsep-compact.md).
inline constexpr const char* kDefaultModelName = "drumsep-compact";
std::vector<std::filesystem::path> modelSearchPaths();
std::vector<ModelFiles> availableModels();
// Throws Error(FileNotFound) naming the folders searched and the models that exist.
ModelFiles resolveModel(const std::string& name);

// Drops the models runJob keeps loaded between jobs (tests, memory pressure).
void clearModelCache();
// How many models runJob keeps loaded now.
size_t cachedModelCount();

// Clears the model cache when it goes out of scope: a main() holds one so the cached models are
// freed before static destruction (where freeing GPU memory can abort the process).
struct ModelCacheRelease {
    ModelCacheRelease() = default;
    ModelCacheRelease(const ModelCacheRelease&) = delete;
    ModelCacheRelease& operator=(const ModelCacheRelease&) = delete;
    ~ModelCacheRelease() { clearModelCache(); }
};

} // namespace stemdeck::engine
