// stemdeck-train's engine: builds the TfcTdfNet of core/model (the network inference uses),
// feeds it synthesised batches, and trains it with AdamW, warmup + cosine schedule, bf16
// autocast on CUDA, gradient clipping and an EMA of the weights; checkpoints resume across
// device calls; validation SDR over whole loops from the held-out kits; export to fp16
// .safetensors + MSST config.yaml.
#pragma once

#include "model/model_config.h"
#include "room.h"
#include "sample_bank.h"
#include "synth.h"
#include "stem_class.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace stemdeck::train {

// Model layouts the trainer knows. "compact": the bundled model (DrumSep 5-stem topology,
// narrowed); "tiny": a few thousand parameters for the CPU smoke test.
model::ModelConfig presetConfig(const std::string& name);

// Turns bf16 autocast on CUDA on or off (LibTorch 1.13 and 2.x spell it differently).
void setAutocast(bool on);

struct TrainOptions {
    std::string preset = "compact";
    std::filesystem::path pack;        // sample pack (readPack); empty: build from installed kits
    std::filesystem::path drumkitsDir; // when building from installed kits
    BankOptions bank;                  // how, when building from installed kits
    std::filesystem::path evalSet;     // validate on this evaluation set (eval_set.h) instead
    std::filesystem::path outDir = "train-out";
    std::filesystem::path resume;      // checkpoint to continue from (optional)
    std::string device = "cpu";        // cpu | cuda
    bool autocast = true;              // bf16 autocast on CUDA
    int batchSize = 12;
    int64_t maxSteps = 0;              // 0: until maxMinutes
    double maxMinutes = 9.0;
    int64_t totalSteps = 40000;        // horizon of the cosine schedule
    int64_t warmupSteps = 500;
    double lr = 5e-4;
    double minLrFraction = 0.05;
    double weightDecay = 0.01;
    double gradClip = 1.0;
    double emaDecay = 0.999;
    std::string loss = "mse";          // mse (all stems' error / mix energy, dB) | bsdr | sdr | l1 | a+b (app/train/loss.h)
    double sdrFloorDb = -40.0;         // the sdr loss's floor under the mix's energy per stem
    double pairLossWeight = 0.0;       // + W x bsdr of the kick+toms and hh+cymbals sums (auxiliary)
    bool strongAugment = true;         // SynthOptions::strong for the training examples
    double hatsPitchSemitones = -1.0;  // SynthOptions::hatsPitchSemitones / hatsEqGainDb (negative: as the
    double hatsEqGainDb = -1.0;        // other stems)
    double bandLimitProbability = 0.0; // SynthOptions: the boundary augmentation (strong only)
    double hatsBandLimitProbability = -1.0;
    double resonanceProbability = 0.0;
    double cymbalsMinDecaySeconds = 0.0;
    double rideOnCrashProbability = 0.0; // SynthOptions::rideOnCrashProbability
    double rideHatsProbability = 0.0;    // SynthOptions::rideHatsProbability
    double polarityProbability = 0.0;    // SynthOptions::polarityProbability
    double quietHatsProbability = 0.0;   // SynthOptions::quietHatsProbability
    double stemGainDb = 12.0;            // SynthOptions::stemGainDb
    double kitMixProbability = 0.5;      // SynthOptions::kitMixProbability
    double instrumentKitMixProbability = 0.5; // SynthOptions::instrumentKitMixProbability (strong only)
    double silentStemProbability = 0.08; // SynthOptions::silentStemProbability
    double sparseStemProbability = 0.12; // SynthOptions::sparseStemProbability
    double brightMetalProbability = 0.0; // SynthOptions::brightMetalProbability
    double phaseProbability = 0.0;       // SynthOptions::phaseProbability
    double layerProbability = -1.0;    // SynthOptions::layerProbability (negative: its default)
    int syntheticKits = 0;             // drum-machine kits made by code beside the Hydrogen ones (voices.h)
    double syntheticKitProbability = 0.25; // SynthOptions::syntheticKitProbability, when syntheticKits > 0
    bool syntheticWideMetal = false;   // VoiceRanges::wideMetal (--synth-metal wide)
    std::array<bool, kStemCount> syntheticStems{true, true, true, true, true}; // SynthOptions::syntheticStems
    std::array<double, kStemCount> syntheticStemProbability{-1.0, -1.0, -1.0, -1.0, -1.0}; // SynthOptions::syntheticStemProbability
    int64_t scheduleStart = 0;         // step where warmup + cosine (re)start (a restart from a checkpoint)
    double stftLossWeight = 0.5;       // MR-STFT term, l1 loss only
    uint64_t seed = 1;
    int dataThreads = 4;
    int torchThreads = 0;              // 0: LibTorch's default
    int64_t logEvery = 50;
    int64_t checkpointEverySteps = 1000;
    int validationLoops = 6;           // whole loops from the validation kits
    double validationSeconds = 12.0;
    std::string validationKit;         // only this held-out kit (per-kit diagnosis); empty: all of them
    // Diagnosis: render the loops from the training kits instead (as plainly as validation's:
    // no augmentation), to tell what the model cannot separate at all from what it cannot
    // carry over to unheard kits.
    bool validateOnTrainingKits = false;
    // Soft masks in validation (model::NetRuntime::softMaskPower; 0: off). nullopt: the preset's
    // inference.soft_mask_power, what the exported config makes the engine do.
    std::optional<double> softMaskPower;
    // The multichannel Wiener filter in validation; nullopt: the preset's
    // inference.multichannel_wiener.
    std::optional<bool> multichannelWiener;
    // Its passes in validation (model::NetRuntime::wienerIterations); 0: the preset's
    // inference.wiener_iterations.
    int wienerIterations = 0;
    // The STFT size of each pass (model::NetRuntime::wienerFftSizes); nullopt: the preset's
    // inference.wiener_n_fft.
    std::optional<std::vector<int64_t>> wienerFftSizes;
    // Test-time augmentation in validation (model::NetRuntime::testTimeAugmentation).
    bool testTimeAugmentation = false;
    // Validation loops with their hi-hat and cymbals brightened (SynthOptions::
    // brightMetalProbability; a diagnosis of how the model takes brighter metal than it knows).
    double validationBrightMetal = 0.0;
    // Validation loops with each stem's phase turned (SynthOptions::phaseProbability; a diagnosis
    // of how much the model leans on phase that a kit's recording may not share).
    double validationPhase = 0.0;
    // Chunks overlapping each sample in validation (1-16); 0: the preset's inference.num_overlap.
    int validationOverlap = 0;
    // Samples per chunk in validation (inference.chunk_size); 0: the preset's. The network takes
    // any length whose frame count the scales divide, such as 261632 (512 frames, 5.9 s).
    int64_t validationChunk = 0;
    // Samples per training example; 0: the preset's audio.chunk_size. Same rule as validationChunk.
    int64_t trainChunk = 0;
    // Soft masks inside the training forward pass too (0: off): the loss then scores the masked
    // stems, so the network learns to give the masks what they need (model card, session 10).
    double trainSoftMaskPower = 0.0;
    // The multichannel Wiener filter inside the training forward pass too (stereo presets): the
    // loss then scores the filtered stems, as the engine writes them (model card, session 12).
    bool trainWiener = false;
    int trainWienerIterations = 1;     // its passes there (model::NetRuntime::wienerIterations)
    std::vector<int64_t> trainWienerFftSizes; // their STFT sizes there (model::NetRuntime::wienerFftSizes)
    bool validateAtEnd = true;
    RoomOptions room;
    bool roomOn = true;                // --room 0: no synthetic rooms
    bool channelsLast = false;         // convolution weights in channels-last memory format
    int64_t emaEvery = 1;              // EMA update every N steps (decay raised to the N-th power)
    bool profile = false;              // STEMDECK_TRAIN_PROFILE=1: per-phase timings (synchronised)
    bool slimCheckpoint = false;       // checkpoints without AdamW's first moment (3 MiB less to carry)
};

struct StepLog {
    int64_t step = 0;
    double loss = 0.0;
    double lr = 0.0;
    double gradNorm = 0.0;
    double seconds = 0.0;
};

struct ValidationReport {
    std::vector<double> perStem; // SDR dB, kick snare toms hh cymbals
    std::vector<double> pairs;   // SDR dB of the sums kick+toms and hh+cymbals (confusion vs failure)
    double mean = 0.0;
    // Per loop, for diagnosis (`stemdeck-train validate --per-loop`): each stem's SDR, its hits
    // inside the window and its energy in dB relative to the mix.
    // routed[j * 5 + i]: how much of true stem j estimate i holds, the coefficient of its
    // projection on stem j (<est_i, ref_j> / |ref_j|^2: 1 on the diagonal and 0 elsewhere is a
    // perfect split; 0.4 at toms -> kick means 40 % of the toms' amplitude was filed as kick).
    // The stems of a loop are nearly uncorrelated, so the rows tell where each stem went.
    struct Loop {
        std::vector<double> sdr, energyDb;
        std::vector<int> hits;
        std::vector<double> routed;
        std::vector<std::string> kits; // the kits that sound in the loop
    };
    std::vector<Loop> loops;
    std::vector<double> routed; // the loops' mean
};

struct TrainResult {
    int64_t firstStep = 0;
    int64_t lastStep = 0;
    std::vector<StepLog> log;  // every logEvery steps (and the first and last)
    std::vector<double> losses; // every step
    ValidationReport validation;
    std::filesystem::path checkpoint;
    double seconds = 0.0;
};

// Where each true stem went (ValidationReport::Loop::routed): est holds the five estimates one
// after the other, each as long as a truth stem. A silent truth stem's row stays 0.
std::vector<double> stemRouting(const std::array<std::vector<float>, kStemCount>& truth, const std::vector<float>& est);

// Runs training as the options say; writes <outDir>/checkpoint.pt (resumable), train-log.tsv,
// validation.tsv. Throws stemdeck::Error for unusable options, data or devices.
TrainResult train(const TrainOptions& options);
// The synthesiser's options a training run with these options draws its examples with.
SynthOptions trainingSynthOptions(const TrainOptions& options);

// Whole-loop validation SDR of a model (EMA weights when from a checkpoint) on `loops` loops of
// `seconds` from the validation kits, separated with the project's overlap-add.
ValidationReport validateCheckpoint(const std::filesystem::path& checkpoint, const TrainOptions& options);

// What a rewritten checkpoint keeps: what travels to the GPU machine must fit 64 MiB with the
// sample pack and the build dependencies.
enum class SlimForm {
    NoFirstMoment, // AdamW's first moment dropped (it resumes from zero, rebuilt within ~10 steps;
                   // the second moment, which takes ~100 steps, is kept)
    WeightsOnly,   // the weights and their EMA in float16, no optimizer: 4 bytes a parameter
                   // instead of 8 (the `wide` preset's 2.9 M parameters in 11.6 MB)
    EmaOnly,       // the EMA in float16 alone, 2 bytes a parameter: training resumes from the
                   // averaged weights (what export ships), as a fine-tuning run starts
};
// Without the optimizer (WeightsOnly, EmaOnly) AdamW starts afresh: resume with a schedule restart
// (--schedule-start) whose warmup covers the moments' rebuilding.
void slimCheckpoint(const std::filesystem::path& in, const std::filesystem::path& out,
                    SlimForm form = SlimForm::NoFirstMoment);

// A "soup": the mean of the EMA weights of several checkpoints of one preset (fine-tunes of one
// parent, or points along one run), written as an EMA-only checkpoint at the largest step. Throws
// InvalidArgument for fewer than two or mixed presets.
void averageCheckpoints(const std::vector<std::filesystem::path>& in, const std::filesystem::path& out);

// An exported model (`export`'s .safetensors: fp16 EMA weights) back into an EMA-only checkpoint,
// so training can continue from what was shipped. The preset and step come from the file's
// metadata (stemdeck_preset, stemdeck_step) unless given (preset non-empty, step >= 0).
void importWeights(const std::filesystem::path& weights, const std::filesystem::path& out, std::string preset = {},
                   int64_t step = -1);

// A checkpoint's EMA weights grown into a wider preset (widen.h: the same function, new channels
// that start unheard), written as an EMA-only checkpoint of that preset at the same step.
void widenCheckpoint(const std::filesystem::path& in, const std::string& preset, const std::filesystem::path& out);

// Writes <dir>/<name>.safetensors (fp16, EMA weights) and <dir>/config.yaml from a checkpoint.
void exportCheckpoint(const std::filesystem::path& checkpoint, const std::filesystem::path& dir,
                      const std::string& name);

} // namespace stemdeck::train
