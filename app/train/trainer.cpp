#include "trainer.h"

#include "eval_set.h"
#include "voices.h"

#include "loss.h"

#include "common/error.h"
#include "common/log.h"
#include "demo.h"
#include "dsp/overlap_add.h"
#include "dsp/sdr.h"
#include "kit_map.h"
#include "model/formats/tensor_file.h"
#include "model/model_loader.h"
#include "model/state_dict.h"
#include "model/tfc_tdf_net.h"
#include "synth.h"
#include "widen.h"

#include <ATen/autocast_mode.h>
#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <algorithm>
#include <thread>
#include <type_traits>

namespace stemdeck::train {

namespace {

using Clock = std::chrono::steady_clock;
namespace F = torch::nn::functional;

// The config with inference chunks of `samples` and the frame count to match, or an Error that
// says why the network cannot take that length (`option` names where the length came from).
model::ModelConfig withInferenceChunk(model::ModelConfig c, int64_t samples, const std::string& option) {
    c.inference.chunk_size = samples;
    c.inference.dim_t = c.framesPerChunk();
    model::validateModelConfig(c, option);
    return c;
}

std::vector<std::string> stemList() {
    return {std::string(kStemNames[0]), std::string(kStemNames[1]), std::string(kStemNames[2]),
            std::string(kStemNames[3]), std::string(kStemNames[4])};
}

torch::Device deviceFor(const std::string& name) {
    if (name == "cpu") return torch::kCPU;
    if (name == "cuda") {
        if (!torch::cuda::is_available())
            throw Error(ErrorCode::DeviceUnavailable, "--device cuda: no CUDA device is available to LibTorch");
        return torch::Device(torch::kCUDA, 0);
    }
    throw Error(ErrorCode::InvalidArgument, "--device must be cpu or cuda, not '" + name + "'");
}

SampleBank loadBank(const TrainOptions& o) {
    if (!o.evalSet.empty()) return buildEvalBank(loadEvalSet(o.evalSet), defaultEvalSoundsDir(), o.bank);
    if (!o.pack.empty()) return readPack(o.pack);
    return buildSampleBank(builtinKitMap(), o.drumkitsDir.empty() ? defaultDrumkitsDir() : o.drumkitsDir, o.bank);
}


// Every tensor the state dict of the reference implementation has (parameters and buffers).
std::vector<std::pair<std::string, torch::Tensor>> stateOf(torch::nn::Module& m) {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto& p : m.named_parameters(true)) out.emplace_back(p.key(), p.value());
    for (const auto& b : m.named_buffers(true)) out.emplace_back(b.key(), b.value());
    return out;
}

// Opt-in per-phase timing of a training step (STEMDECK_TRAIN_PROFILE=1 or TrainOptions::profile).
// Every mark synchronises the device, so each phase's time is its own GPU work, not whatever
// was still queued; the synchronisation itself slows training a little, hence opt-in.
class PhaseTimer {
public:
    enum Phase { Data, Upload, RoomIr, RoomConv, Forward, Loss, Backward, Clip, Step, Ema, Sync, Count };
    PhaseTimer(bool on, bool cuda) : m_on(on), m_cuda(cuda) {}
    bool on() const { return m_on; }
    void start() {
        if (!m_on) return;
        if (m_cuda) torch::cuda::synchronize();
        m_last = Clock::now();
    }
    void mark(Phase p) {
        if (!m_on) return;
        if (m_cuda) torch::cuda::synchronize();
        const auto now = Clock::now();
        m_sum[p] += std::chrono::duration<double>(now - m_last).count();
        m_last = now;
    }
    void endStep() { ++m_steps; }
    // Averages since the last report, in milliseconds per step; resets.
    std::string report() {
        static const char* names[Count] = {"data", "upload", "room-ir(cpu)", "room-conv", "forward", "loss",
                                           "backward", "clip", "opt-step", "ema", "item"};
        std::ostringstream os;
        os.setf(std::ios::fixed);
        os.precision(1);
        double total = 0;
        for (double v : m_sum) total += v;
        os << "profile ms/step over " << m_steps << " steps: total " << 1000.0 * total / std::max<int64_t>(1, m_steps);
        for (int i = 0; i < Count; ++i) os << " | " << names[i] << " " << 1000.0 * m_sum[i] / std::max<int64_t>(1, m_steps);
        m_sum.fill(0.0);
        m_steps = 0;
        return os.str();
    }

private:
    bool m_on, m_cuda;
    Clock::time_point m_last{};
    std::array<double, Count> m_sum{};
    int64_t m_steps = 0;
};

// Warmup then cosine to minLrFraction, over steps scheduleStart..totalSteps (a restart from a
// checkpoint trained on other data warms up again instead of continuing a finished schedule).
double learningRate(const TrainOptions& o, int64_t step) {
    step = std::max<int64_t>(0, step - o.scheduleStart);
    const int64_t total = o.totalSteps - o.scheduleStart;
    if (step < o.warmupSteps) return o.lr * double(step + 1) / double(o.warmupSteps);
    const double p = std::min(1.0, double(step - o.warmupSteps) / double(std::max<int64_t>(1, total - o.warmupSteps)));
    const double cosine = 0.5 * (1.0 + std::cos(M_PI * p));
    return o.lr * (o.minLrFraction + (1.0 - o.minLrFraction) * cosine);
}

// Optimizer state is keyed by the parameter's TensorImpl: a string in LibTorch 1.x, a pointer in
// later versions.
template <typename Map> typename Map::key_type stateKey(const Map&, const torch::Tensor& p) {
    using Key = typename Map::key_type;
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream os;
        os << static_cast<const void*>(p.unsafeGetTensorImpl());
        return os.str();
    } else {
        return static_cast<Key>(p.unsafeGetTensorImpl());
    }
}

struct Checkpoint {
    std::string preset;
    int64_t step = 0;
};

// What a checkpoint holds besides the step, the weights and their EMA.
enum class CheckpointForm {
    Full,        // AdamW's two moments
    Slim,        // AdamW's second moment only (the first is rebuilt within ~10 steps)
    WeightsOnly, // the weights in float16 and their EMA: no optimizer state at all
    EmaOnly,     // the EMA alone (float16): on resume the weights start from it
};

void saveCheckpoint(const std::filesystem::path& path, const Checkpoint& meta, torch::nn::Module& net,
                    const std::vector<torch::Tensor>& ema, torch::optim::Optimizer& opt,
                    CheckpointForm form = CheckpointForm::Full) {
    torch::serialize::OutputArchive ar;
    ar.write("meta/preset", c10::IValue(meta.preset));
    ar.write("meta/step", c10::IValue(meta.step));
    const auto state = stateOf(net);
    const bool halfModel = form == CheckpointForm::WeightsOnly;
    const bool noOptimizer = form == CheckpointForm::WeightsOnly || form == CheckpointForm::EmaOnly;
    for (size_t i = 0; i < state.size(); ++i) {
        const auto w = state[i].second.detach().cpu();
        if (form != CheckpointForm::EmaOnly)
            ar.write("model/" + state[i].first, halfModel && w.is_floating_point() ? w.to(torch::kHalf) : w, true);
        ar.write("ema/" + state[i].first, ema[i].to(torch::kCPU, torch::kHalf), true);
    }
    const bool firstMoment = form == CheckpointForm::Full;
    // AdamW moments in bfloat16 and the EMA in float16: rounded once per device call, they halve
    // the checkpoint, which must come back from the GPU machine (16 MiB a file) and travel again.
    const auto params = net.parameters();
    for (size_t i = 0; !noOptimizer && i < params.size(); ++i) {
        auto it = opt.state().find(stateKey(opt.state(), params[i]));
        if (it == opt.state().end()) continue;
        auto& st = static_cast<torch::optim::AdamWParamState&>(*it->second);
        const auto k = "adam/" + std::to_string(i) + "/";
        if (firstMoment) ar.write(k + "exp_avg", st.exp_avg().detach().to(torch::kCPU, torch::kBFloat16), true);
        ar.write(k + "exp_avg_sq", st.exp_avg_sq().detach().to(torch::kCPU, torch::kBFloat16), true);
        ar.write(k + "step", c10::IValue(static_cast<int64_t>(st.step())));
    }
    const auto tmp = path.string() + ".tmp";
    ar.save_to(tmp);
    std::filesystem::rename(tmp, path);
}

// Reads meta only, or everything into the given model/EMA/optimizer. With expectPreset, a
// checkpoint of another preset is refused by name before any weight is read (its first tensor
// would fail on its shape instead).
Checkpoint loadCheckpoint(const std::filesystem::path& path, torch::nn::Module* net,
                          std::vector<torch::Tensor>* ema, torch::optim::Optimizer* opt,
                          const torch::Device& device, const std::string& expectPreset = {}) {
    if (!std::filesystem::is_regular_file(path))
        throw Error(ErrorCode::FileNotFound, "Checkpoint not found: " + path.string());
    torch::serialize::InputArchive ar;
    try {
        ar.load_from(path.string(), device);
    } catch (const c10::Error& e) {
        throw Error(ErrorCode::InvalidCheckpoint, "Cannot read the training checkpoint " + path.string(), e.what());
    }
    Checkpoint meta;
    c10::IValue v, v2;
    ar.read("meta/preset", v);
    meta.preset = v.toStringRef();
    ar.read("meta/step", v);
    meta.step = v.toInt();
    if (!expectPreset.empty() && meta.preset != expectPreset)
        throw Error(ErrorCode::InvalidArgument, "Checkpoint " + path.string() + " is a '" + meta.preset + "' model, not '" +
                    expectPreset + "'");
    if (net) {
        torch::NoGradGuard ng;
        const auto state = stateOf(*net);
        for (size_t i = 0; i < state.size(); ++i) {
            torch::Tensor t, e;
            ar.read("ema/" + state[i].first, e, true);
            // An EMA-only checkpoint: the weights start from their average.
            if (!ar.try_read("model/" + state[i].first, t, true)) t = e;
            if (t.sizes() != state[i].second.sizes())
                throw Error(ErrorCode::WeightMismatch, "Checkpoint " + path.string() + ": '" + state[i].first +
                            "' has another shape than the " + meta.preset + " model");
            state[i].second.copy_(t);
            if (ema) (*ema)[i].copy_(e.to(torch::kFloat32));
        }
    }
    if (opt && net) {
        const auto params = net->parameters();
        for (size_t i = 0; i < params.size(); ++i) {
            const auto k = "adam/" + std::to_string(i) + "/";
            torch::Tensor m, v;
            if (!ar.try_read(k + "exp_avg_sq", v)) continue; // parameter never stepped
            // A slim checkpoint has no first moment: it restarts at zero (rebuilt in ~10 steps).
            if (!ar.try_read(k + "exp_avg", m)) m = torch::zeros_like(v);
            ar.read(k + "step", v2);
            auto st = std::make_unique<torch::optim::AdamWParamState>();
            st->exp_avg(m.to(params[i].device(), torch::kFloat32));
            st->exp_avg_sq(v.to(params[i].device(), torch::kFloat32));
            st->step(v2.toInt());
            opt->state()[stateKey(opt->state(), params[i])] = std::move(st);
        }
    }
    return meta;
}

// Overlap-add separation of a whole loop, as inference does it (ARCHITECTURE.md semantics).
std::vector<float> separate(model::TfcTdfNet& net, const model::ModelConfig& cfg, const std::vector<float>& mix,
                            int channels, int64_t frames, const torch::Device& device, bool autocast) {
    const dsp::ChunkPlan plan(frames, cfg.chunkSize(), static_cast<int>(cfg.inference.num_overlap));
    dsp::OverlapAddAccumulator acc(plan, kStemCount, channels);
    const int64_t chunk = plan.chunk();
    const int64_t batch = 4;
    std::vector<float> in(static_cast<size_t>(channels * chunk));
    torch::NoGradGuard ng;
    for (int64_t first = 0; first < plan.chunkCount(); first += batch) {
        const int64_t n = std::min(batch, plan.chunkCount() - first);
        auto x = torch::empty({n, channels, chunk});
        for (int64_t i = 0; i < n; ++i) {
            plan.extractChunk(mix.data(), channels, first + i, in.data());
            std::memcpy(x[i].data_ptr<float>(), in.data(), in.size() * sizeof(float));
        }
        if (autocast) setAutocast(true);
        auto y = net->forward(x.to(device));
        if (autocast) setAutocast(false);
        y = y.to(torch::kCPU, torch::kFloat32).contiguous();
        for (int64_t i = 0; i < n; ++i) acc.add(first + i, y[i].data_ptr<float>());
    }
    return acc.result();
}

ValidationReport validate(model::TfcTdfNet& net, const model::ModelConfig& cfg, const SampleBank& bank,
                          const TrainOptions& o, const torch::Device& device) {
    net->eval();
    std::vector<int> kits = kitsWhere(bank, !o.validateOnTrainingKits);
    if (!o.validationKit.empty()) {
        if (o.validateOnTrainingKits) throw Error(ErrorCode::InvalidArgument, "--kit names a held-out kit; --training-kits takes the others");
        const int k = bank.kitIndex(o.validationKit);
        if (k < 0 || !bank.validation[static_cast<size_t>(k)])
            throw Error(ErrorCode::InvalidArgument, "--kit: '" + o.validationKit + "' is not a validation kit of the sample pack");
        kits = {k};
    }
    SynthOptions loops = demoSynthOptions();
    loops.brightMetalProbability = o.validationBrightMetal; // diagnoses; 0 for the figures
    loops.phaseProbability = o.validationPhase;
    const PatternSynth synth(bank, kits, loops);
    const auto frames = static_cast<int64_t>(o.validationSeconds * kSampleRate);
    // Scored as the engine will separate: with the config's soft masks (training runs without);
    // the power the network had is restored on the way out, an exception included.
    struct PostFilters {
        model::TfcTdfNet& net;
        const double power = net->softMaskPower();
        const bool wiener = net->multichannelWienerOn();
        const int wienerPasses = net->wienerIterations();
        const std::vector<int64_t> wienerSizes = net->wienerFftSizes();
        const bool tta = net->testTimeAugmentation();
        ~PostFilters() {
            net->setSoftMaskPower(power);
            net->setMultichannelWiener(wiener);
            net->setWienerIterations(wienerPasses);
            net->setWienerFftSizes(wienerSizes);
            net->setTestTimeAugmentation(tta);
        }
    } postFilters{net};
    net->setSoftMaskPower(o.softMaskPower.value_or(cfg.inference.soft_mask_power));
    net->setMultichannelWiener(o.multichannelWiener.value_or(cfg.inference.multichannel_wiener));
    net->setWienerIterations(o.wienerIterations > 0 ? o.wienerIterations : static_cast<int>(cfg.inference.wiener_iterations));
    net->setWienerFftSizes(o.wienerFftSizes.value_or(cfg.inference.wiener_n_fft));
    net->setTestTimeAugmentation(o.testTimeAugmentation);
    model::ModelConfig run = cfg;
    if (o.validationOverlap > 0) run.inference.num_overlap = o.validationOverlap;
    if (o.validationChunk > 0) run = withInferenceChunk(run, o.validationChunk, "--chunk-size");
    ValidationReport rep;
    rep.perStem.assign(kStemCount, 0.0);
    rep.pairs.assign(kConfusablePairs.size(), 0.0);
    rep.routed.assign(kStemCount * kStemCount, 0.0);
    for (int v = 0; v < o.validationLoops; ++v) {
        // Fixed seeds: every validation sees the same loops, each with all five stems playing
        // (since session 4: before, a loop without a cymbal hit scored -92 dB and took 11.5 dB
        // off the cymbals' mean; docs/models/drumsep-compact.md).
        const Example ex = renderComplete(synth, validationLoopSeed(v), frames);
        const auto est = separate(net, run, ex.mix, ex.channels, frames, device, o.autocast && device.is_cuda());
        const size_t per = static_cast<size_t>(ex.channels) * static_cast<size_t>(frames);
        ValidationReport::Loop loop;
        double mixEnergy = 0.0;
        for (float x : ex.mix) mixEnergy += double(x) * x;
        for (int s = 0; s < kStemCount; ++s) {
            const double d = dsp::sdr(ex.stems[s], std::span<const float>(est.data() + s * per, per));
            double energy = 0.0;
            for (float x : ex.stems[s]) energy += double(x) * x;
            loop.sdr.push_back(d);
            loop.energyDb.push_back(10.0 * std::log10((energy + dsp::kSdrEpsilon) / (mixEnergy + dsp::kSdrEpsilon)));
            loop.hits.push_back(ex.hits[static_cast<size_t>(s)]);
            rep.perStem[s] += d / o.validationLoops;
        }
        loop.routed = stemRouting(ex.stems, est);
        std::set<std::string> kitNames;
        for (const auto& insts : ex.instruments)
            for (int inst : insts) kitNames.insert(bank.kits[static_cast<size_t>(bank.instruments[static_cast<size_t>(inst)].kit)]);
        loop.kits.assign(kitNames.begin(), kitNames.end());
        for (size_t k = 0; k < loop.routed.size(); ++k) rep.routed[k] += loop.routed[k] / o.validationLoops;
        rep.loops.push_back(std::move(loop));
        // The confusable pairs summed: a stem filed under its neighbour scores well here.
        for (size_t p = 0; p < kConfusablePairs.size(); ++p) {
            const auto [a, b] = kConfusablePairs[p];
            std::vector<float> ref(per), sum(per);
            for (size_t i = 0; i < per; ++i) {
                ref[i] = ex.stems[a][i] + ex.stems[b][i];
                sum[i] = est[a * per + i] + est[b * per + i];
            }
            rep.pairs[p] += dsp::sdr(ref, sum) / o.validationLoops;
        }
    }
    for (double d : rep.perStem) rep.mean += d / kStemCount;
    net->train();
    return rep;
}

} // namespace

SynthOptions trainingSynthOptions(const TrainOptions& o) {
    SynthOptions synthOptions;
    synthOptions.strong = o.strongAugment;
    synthOptions.hatsPitchSemitones = o.hatsPitchSemitones;
    synthOptions.hatsEqGainDb = o.hatsEqGainDb;
    synthOptions.bandLimitProbability = o.bandLimitProbability;
    synthOptions.hatsBandLimitProbability = o.hatsBandLimitProbability;
    synthOptions.resonanceProbability = o.resonanceProbability;
    synthOptions.cymbalsMinDecaySeconds = o.cymbalsMinDecaySeconds;
    synthOptions.rideOnCrashProbability = o.rideOnCrashProbability;
    synthOptions.rideHatsProbability = o.rideHatsProbability;
    synthOptions.polarityProbability = o.polarityProbability;
    synthOptions.quietHatsProbability = o.quietHatsProbability;
    synthOptions.stemGainDb = o.stemGainDb;
    synthOptions.kitMixProbability = o.kitMixProbability;
    synthOptions.instrumentKitMixProbability = o.instrumentKitMixProbability;
    synthOptions.silentStemProbability = o.silentStemProbability;
    synthOptions.sparseStemProbability = o.sparseStemProbability;
    synthOptions.brightMetalProbability = o.brightMetalProbability;
    synthOptions.phaseProbability = o.phaseProbability;
    if (o.layerProbability >= 0.0) synthOptions.layerProbability = o.layerProbability;
    synthOptions.syntheticKitProbability = o.syntheticKitProbability; // no effect without synthetic kits
    synthOptions.syntheticStems = o.syntheticStems;
    synthOptions.syntheticStemProbability = o.syntheticStemProbability;
    return synthOptions;
}

std::vector<double> stemRouting(const std::array<std::vector<float>, kStemCount>& truth, const std::vector<float>& est) {
    const size_t per = truth[0].size();
    if (est.size() != per * kStemCount)
        throw Error(ErrorCode::InvalidArgument, "stemRouting: the estimates are not five stems of the truth's length");
    std::vector<double> routed(kStemCount * kStemCount, 0.0);
    for (int j = 0; j < kStemCount; ++j) {
        double refEnergy = 0.0;
        for (float x : truth[j]) refEnergy += double(x) * x;
        for (int i = 0; i < kStemCount && refEnergy > 0.0; ++i) {
            double dot = 0.0;
            for (size_t n = 0; n < per; ++n) dot += double(est[i * per + n]) * truth[j][n];
            routed[j * kStemCount + i] = dot / refEnergy;
        }
    }
    return routed;
}

void setAutocast(bool on) {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_dtype(at::kCUDA, at::kBFloat16);
    at::autocast::set_autocast_enabled(at::kCUDA, on);
#else
    at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
    at::autocast::set_enabled(on);
#endif
    if (!on) at::autocast::clear_cache();
}

model::ModelConfig presetConfig(const std::string& name) {
    model::ModelConfig c;
    c.audio.num_channels = 2;
    c.audio.sample_rate = kSampleRate;
    c.model.act = "gelu";
    c.model.norm = "InstanceNorm";
    c.model.scale = {2, 2};
    c.training.instruments = stemList();
    c.inference.batch_size = 1;
    if (name == "compact" || name == "wide" || name == "wide24" || name == "wide32") {
        // DrumSep 5-stem topology, narrowed until a 2-core CPU separates faster than real time
        // at the default overlap (docs/models/drumsep-compact.md has the measurements). "wide"
        // grows twice as fast per scale (2.9 M parameters instead of 1.5 M): measured 1.73x real
        // time on the same CPU, for when the compact model's capacity is what limits it.
        // "wide24" and "wide32" grow by 24 and 32 (4.7 M and 7.0 M parameters): the deep scales
        // are cheap on the CPU (session 11, one thread, per chunk with the soft masks: compact
        // 0.45 s, wide 0.49 s, wide24 0.53 s, wide32 0.56 s). `widen` grows a trained compact
        // model into any of them.
        c.audio.n_fft = 2048;
        c.audio.hop_length = 512;
        c.audio.dim_f = 1024;
        c.audio.chunk_size = 130560;
        c.model.num_subbands = 4;
        c.model.num_scales = 5;
        c.model.num_blocks_per_scale = 2;
        c.model.bottleneck_factor = 4;
        c.model.num_channels = 32;
        c.model.growth = name == "wide" ? 16 : name == "wide24" ? 24 : name == "wide32" ? 32 : 8;
        c.inference.num_overlap = 2;
        // The stems are made to add up to the mix at inference (engine::spreadResidual): measured
        // on the demo loop, the same SDR as the raw output (docs/models/drumsep-compact.md).
        c.inference.mixture_consistency = true;
        // Soft masks after the network, power 1.5: +0.32 dB on 96 validation loops with the
        // session-9 weights (p 1: +0.30); with session 8's +0.28 at p 1 and 1.5, +0.18 at 2,
        // -1.82 at 0.5 (docs/models/drumsep-compact.md, "Session 9").
        // Power 1.25 since session 18, with the two Wiener passes and 11.9 s chunks below: the
        // session-18 weights (trained at 1.5) 9.38 -> 9.42 dB on the 96 loops ("Session 18").
        c.inference.soft_mask_power = 1.25;
        // A multichannel Wiener filter after the masks: 6.90 -> 7.06 dB on 96 validation loops
        // with the session-10 weights, every stem up (docs/models/drumsep-compact.md, "Session 11");
        // 7.36 with weights trained through it (--train-wiener, "Session 12").
        c.inference.multichannel_wiener = true;
        // Two passes of it since session 18: session 16's weights 8.91 -> 9.04 dB on the 96
        // loops (three passes with 11.9 s chunks 9.10 against two passes' 9.13), and weights trained
        // through two (--train-wiener-iterations 2) gain more ("Session 18").
        c.inference.wiener_iterations = 2;
        // Inference chunks twice as long as the training ones (5.9 s against 2.96 s; the network
        // takes any frame count its scales divide): 6.07 -> 6.49 dB on 24 validation loops with
        // session 12's weights, four times as long 6.52 (docs/models/drumsep-compact.md,
        // "Session 12"). Training keeps audio.chunk_size. Since session 18 four times as long
        // (11.9 s, the public DrumSep model's): the session-18 weights 9.25 -> 9.38 dB on the 96
        // loops (soft masks 1.5, two Wiener passes); with the masks at 1.25 too, 9.78 -> 9.84 on
        // the independent set.
        c.inference.chunk_size = 523776;
    } else if (name == "tiny") {
        // A few-second CPU smoke test: same code paths, toy sizes.
        c.audio.n_fft = 256;
        c.audio.hop_length = 64;
        c.audio.dim_f = 128;
        c.audio.chunk_size = 64 * 63;
        c.model.num_subbands = 2;
        c.model.num_scales = 2;
        c.model.num_blocks_per_scale = 1;
        c.model.bottleneck_factor = 2;
        c.model.num_channels = 8;
        c.model.growth = 8;
        c.inference.num_overlap = 2;
    } else {
        throw Error(ErrorCode::InvalidArgument, "Unknown model preset '" + name + "' (compact, wide, wide24, wide32 or tiny)");
    }
    c.audio.dim_t = c.audio.chunk_size / c.audio.hop_length + 1;
    c.inference.dim_t = c.framesPerChunk(); // the inference chunk's frames
    model::validateModelConfig(c, "preset " + name);
    return c;
}

TrainResult train(const TrainOptions& o) {
    const auto t0 = Clock::now();
    if (o.batchSize < 1) throw Error(ErrorCode::InvalidArgument, "--batch must be at least 1");
    const torch::Device device = deviceFor(o.device);
    if (o.torchThreads > 0) {
        torch::set_num_threads(o.torchThreads);
    } else if (device.is_cuda()) {
        // The host side of a GPU step (room impulse responses, AdamW's scalar work) is small
        // tensor ops; with LibTorch's default of one intra-op thread per core they fight the
        // synthesiser's threads and a step took 0.49 s instead of 0.1 s (docs/models/drumsep-compact.md).
        const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        torch::set_num_threads(std::clamp(cores - o.dataThreads, 1, 4));
    }
    // Fixed input shapes: let cuDNN pick the fastest convolution algorithms once.
    if (device.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
    const model::ModelConfig cfg = presetConfig(o.preset);
    // Training chunks: the preset's audio.chunk_size, or --train-chunk (a length the network
    // takes; refused before anything is written).
    const int64_t T = o.trainChunk > 0 ? withInferenceChunk(cfg, o.trainChunk, "--train-chunk").chunkSize() : cfg.audio.chunk_size;
    std::filesystem::create_directories(o.outDir);
    SampleBank bank = loadBank(o);
    if (o.syntheticKits > 0) addSyntheticKits(bank, o.syntheticKits, kDefaultSyntheticKitSeed, VoiceRanges{o.syntheticWideMetal});
    const int C = cfg.audio.num_channels;

    torch::manual_seed(o.seed);
    model::TfcTdfNet net(cfg);
    net->to(device);
    net->train();
    net->setSoftMaskPower(o.trainSoftMaskPower);
    if (o.trainSoftMaskPower > 0.0)
        SD_LOG(log::train, Info) << "training through soft masks, power " << o.trainSoftMaskPower;
    if (o.trainWiener) {
        if (C != 2) throw Error(ErrorCode::InvalidArgument, "--train-wiener needs a stereo preset");
        net->setMultichannelWiener(true);
        net->setWienerIterations(o.trainWienerIterations);
        net->setWienerFftSizes(o.trainWienerFftSizes);
        SD_LOG(log::train, Info) << "training through the multichannel Wiener filter, " << o.trainWienerIterations
                                 << (o.trainWienerIterations == 1 ? " pass" : " passes")
                                 << (o.trainWienerFftSizes.empty() ? "" : " at their own STFT sizes");
    }
    if (o.channelsLast) {
        torch::NoGradGuard ng;
        for (auto& p : net->parameters())
            if (p.dim() == 4) p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
    }
    std::vector<torch::Tensor> ema;
    for (auto& [name, t] : stateOf(*net)) ema.push_back(t.detach().clone().to(torch::kFloat32));
    torch::optim::AdamW opt(net->parameters(),
                            torch::optim::AdamWOptions(o.lr).betas({0.9, 0.99}).weight_decay(o.weightDecay));

    int64_t step = 0;
    if (!o.resume.empty()) {
        const Checkpoint meta = loadCheckpoint(o.resume, net.ptr().get(), &ema, &opt, device, o.preset);
        step = meta.step;
        SD_LOG(log::train, Info) << "resumed from " << o.resume.string() << " at step " << step;
    }

    TrainResult res;
    res.firstStep = step;
    const SynthOptions synthOptions = trainingSynthOptions(o);
    const PatternSynth synth(bank, kitsWhere(bank, false), synthOptions);
    BatchProducer producer(synth, o.batchSize, T, o.seed, static_cast<uint64_t>(step), o.dataThreads);
    const auto params = net->parameters();
    const auto checkpointPath = o.outDir / "checkpoint.pt";
    std::ofstream logFile(o.outDir / "train-log.tsv", std::ios::app);
    if (step == 0) logFile << "step\tloss\tlr\tgrad_norm\tseconds\n";
    const auto state = stateOf(*net);
    const double budget = o.maxMinutes * 60.0;
    double stepSeconds = 0.0;
    double dataSeconds = 0.0; // time spent waiting for the synthesiser, to tell data from compute
    const char* profEnv = std::getenv("STEMDECK_TRAIN_PROFILE");
    PhaseTimer prof(o.profile || (profEnv && std::string(profEnv) == "1"), device.is_cuda());
    // Floating-point state tensors the EMA follows (one fused foreach update per step).
    std::vector<torch::Tensor> emaF, srcF;
    for (size_t i = 0; i < state.size(); ++i)
        if (state[i].second.is_floating_point() && state[i].second.scalar_type() == torch::kFloat32) {
            emaF.push_back(ema[i]);
            srcF.push_back(state[i].second);
        }

    for (;;) {
        const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
        if (o.maxSteps > 0 && step >= res.firstStep + o.maxSteps) break;
        // Leave room for a checkpoint and the validation pass inside the device call's limit.
        if (o.maxSteps == 0 && elapsed + 2.0 * stepSeconds + (o.validateAtEnd ? 30.0 : 5.0) > budget) break;
        const auto ts = Clock::now();
        prof.start();
        Batch b = producer.next();
        dataSeconds += std::chrono::duration<double>(Clock::now() - ts).count();
        prof.mark(PhaseTimer::Data);
        auto stems = torch::from_blob(b.stems.data(), {o.batchSize, kStemCount, C, T}).to(device).clone();
        prof.mark(PhaseTimer::Upload);
        if (o.roomOn) {
            const auto irs = makeRoomImpulses(o.batchSize, kStemCount, C, kSampleRate,
                                              static_cast<uint64_t>(exampleSeed(o.seed ^ 0x5EEDull, static_cast<uint64_t>(step), 0)),
                                              o.room, device);
            prof.mark(PhaseTimer::RoomIr);
            stems = convolveRooms(stems, irs);
        }
        {
            const auto peak = torch::maximum(stems.sum(1).abs().amax({1, 2}), stems.abs().amax({1, 2, 3}));
            stems = stems * (0.99 / peak.clamp_min(0.99)).view({o.batchSize, 1, 1, 1});
        }
        const auto mix = stems.sum(1);
        prof.mark(PhaseTimer::RoomConv);

        const double lr = learningRate(o, step);
        for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
        const bool ac = o.autocast && device.is_cuda();
        if (ac) setAutocast(true);
        auto est = net->forward(mix);
        if (ac) setAutocast(false);
        prof.mark(PhaseTimer::Forward);
        const auto est32 = est.to(torch::kFloat32);
        auto loss = separationLoss(o.loss, est32, stems, mix, o.stftLossWeight, o.sdrFloorDb);
        if (o.pairLossWeight > 0.0)
            loss = loss + o.pairLossWeight * batchSdrLoss(confusablePairs(est32), confusablePairs(stems), mix);
        prof.mark(PhaseTimer::Loss);
        opt.zero_grad();
        loss.backward();
        prof.mark(PhaseTimer::Backward);
        const double gn = torch::nn::utils::clip_grad_norm_(params, o.gradClip);
        prof.mark(PhaseTimer::Clip);
        opt.step();
        prof.mark(PhaseTimer::Step);
        if (o.emaEvery <= 1 || (step + 1) % o.emaEvery == 0) {
            torch::NoGradGuard ng;
            const int64_t n = std::max<int64_t>(1, o.emaEvery);
            const double d = std::pow(std::min(o.emaDecay, double(1 + step) / double(10 + step)), double(n));
            // ema <- d * ema + (1 - d) * weights, for all tensors in one fused kernel series.
            at::_foreach_mul_(emaF, d);
            at::_foreach_add_(emaF, srcF, 1.0 - d);
            for (size_t i = 0; i < state.size(); ++i)
                if (!(state[i].second.is_floating_point() && state[i].second.scalar_type() == torch::kFloat32))
                    ema[i].copy_(state[i].second);
        }
        prof.mark(PhaseTimer::Ema);
        const double l = loss.item<double>();
        if (!std::isfinite(l))
            throw Error(ErrorCode::NumericalFailure, "Training diverged at step " + std::to_string(step) +
                        " (loss is not finite); resume from the last checkpoint with a lower --lr");
        prof.mark(PhaseTimer::Sync);
        prof.endStep();
        ++step;
        res.losses.push_back(l);
        stepSeconds = std::chrono::duration<double>(Clock::now() - ts).count();
        const double now = std::chrono::duration<double>(Clock::now() - t0).count();
        if (step % o.logEvery == 0 || step == res.firstStep + 1) {
            res.log.push_back({step, l, lr, gn, now});
            logFile << step << '\t' << l << '\t' << lr << '\t' << gn << '\t' << now << '\n' << std::flush;
            SD_LOG(log::train, Info) << "step " << step << " loss " << l << " lr " << lr << " |g| " << gn << " "
                                     << now << " s (waiting for data " << dataSeconds << " s)";
            if (prof.on()) SD_LOG(log::train, Info) << prof.report();
        }
        if (o.checkpointEverySteps > 0 && step % o.checkpointEverySteps == 0)
            saveCheckpoint(checkpointPath, {o.preset, step}, *net, ema, opt,
                           o.slimCheckpoint ? CheckpointForm::Slim : CheckpointForm::Full);
    }
    res.lastStep = step;
    saveCheckpoint(checkpointPath, {o.preset, step}, *net, ema, opt,
                   o.slimCheckpoint ? CheckpointForm::Slim : CheckpointForm::Full);
    res.checkpoint = checkpointPath;

    if (o.validateAtEnd && o.validationLoops > 0) {
        model::TfcTdfNet evalNet(cfg);
        evalNet->to(device);
        {
            torch::NoGradGuard ng;
            const auto es = stateOf(*evalNet);
            for (size_t i = 0; i < es.size(); ++i) es[i].second.copy_(ema[i]);
        }
        res.validation = validate(evalNet, cfg, bank, o, device);
        std::ofstream v(o.outDir / "validation.tsv", std::ios::app);
        v << "step\tmean";
        for (auto n : kStemNames) v << '\t' << n;
        for (size_t p = 0; p < kConfusablePairs.size(); ++p) v << '\t' << pairName(p);
        v << '\n' << step << '\t' << res.validation.mean;
        for (double d : res.validation.perStem) v << '\t' << d;
        for (double d : res.validation.pairs) v << '\t' << d;
        v << '\n';
    }
    res.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return res;
}

namespace {

// A checkpoint's preset network on the CPU, with its EMA weights as the weights (what export
// ships and validation scores).
model::TfcTdfNet emaNetwork(const std::filesystem::path& checkpoint, Checkpoint* meta = nullptr) {
    const Checkpoint m = loadCheckpoint(checkpoint, nullptr, nullptr, nullptr, torch::kCPU);
    model::TfcTdfNet net(presetConfig(m.preset));
    std::vector<torch::Tensor> ema;
    for (auto& [n, t] : stateOf(*net)) ema.push_back(t.detach().clone());
    loadCheckpoint(checkpoint, net.ptr().get(), &ema, nullptr, torch::kCPU);
    torch::NoGradGuard ng;
    const auto s = stateOf(*net);
    for (size_t i = 0; i < s.size(); ++i) s[i].second.copy_(ema[i]);
    if (meta) *meta = m;
    return net;
}

// The network's weights as an EMA-only checkpoint (its EMA is the weights themselves).
void saveEmaOnly(const std::filesystem::path& out, const Checkpoint& meta, model::TfcTdfNet& net) {
    std::vector<torch::Tensor> ema;
    for (auto& [n, t] : stateOf(*net)) ema.push_back(t.detach().clone());
    torch::optim::AdamW opt(net->parameters(), torch::optim::AdamWOptions(1e-4));
    saveCheckpoint(out, meta, *net, ema, opt, CheckpointForm::EmaOnly);
}

} // namespace

ValidationReport validateCheckpoint(const std::filesystem::path& checkpoint, const TrainOptions& o) {
    const torch::Device device = deviceFor(o.device);
    model::TfcTdfNet net = emaNetwork(checkpoint);
    net->to(device);
    return validate(net, net->config(), loadBank(o), o, device);
}

void slimCheckpoint(const std::filesystem::path& in, const std::filesystem::path& out, SlimForm form) {
    const Checkpoint meta = loadCheckpoint(in, nullptr, nullptr, nullptr, torch::kCPU);
    model::TfcTdfNet net(presetConfig(meta.preset));
    std::vector<torch::Tensor> ema;
    for (auto& [n, t] : stateOf(*net)) ema.push_back(t.detach().clone());
    torch::optim::AdamW opt(net->parameters(), torch::optim::AdamWOptions(1e-4));
    loadCheckpoint(in, net.ptr().get(), &ema, &opt, torch::kCPU);
    saveCheckpoint(out, meta, *net, ema, opt,
                   form == SlimForm::WeightsOnly ? CheckpointForm::WeightsOnly
                   : form == SlimForm::EmaOnly   ? CheckpointForm::EmaOnly
                                                 : CheckpointForm::Slim);
}

void averageCheckpoints(const std::vector<std::filesystem::path>& in, const std::filesystem::path& out) {
    if (in.size() < 2) throw Error(ErrorCode::InvalidArgument, "average: give two checkpoints or more");
    Checkpoint meta = loadCheckpoint(in.front(), nullptr, nullptr, nullptr, torch::kCPU);
    model::TfcTdfNet net(presetConfig(meta.preset));
    std::vector<torch::Tensor> sum, ema;
    for (auto& [n, t] : stateOf(*net)) {
        sum.push_back(torch::zeros_like(t, torch::kFloat64));
        ema.push_back(t.detach().clone());
    }
    for (const auto& path : in) {
        const Checkpoint m = loadCheckpoint(path, net.ptr().get(), &ema, nullptr, torch::kCPU, meta.preset);
        for (size_t i = 0; i < ema.size(); ++i) sum[i] += ema[i].to(torch::kFloat64);
        meta.step = std::max(meta.step, m.step);
    }
    for (size_t i = 0; i < ema.size(); ++i) ema[i] = (sum[i] / double(in.size())).to(ema[i].scalar_type());
    torch::optim::AdamW opt(net->parameters(), torch::optim::AdamWOptions(1e-4));
    saveCheckpoint(out, meta, *net, ema, opt, CheckpointForm::EmaOnly);
}

void importWeights(const std::filesystem::path& weights, const std::filesystem::path& out, std::string preset,
                   int64_t step) {
    const auto file = model::formats::openTensorFile(weights);
    const auto& meta = file->metadata();
    if (preset.empty()) {
        const auto it = meta.find("stemdeck_preset");
        if (it == meta.end())
            throw Error(ErrorCode::InvalidArgument, weights.string() + " does not say its preset: give --preset");
        preset = it->second;
    }
    if (step < 0) {
        const auto it = meta.find("stemdeck_step");
        step = 0;
        if (it != meta.end()) {
            std::size_t used = 0;
            try {
                step = std::stoll(it->second, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used == 0 || used != it->second.size() || step < 0)
                throw Error(ErrorCode::InvalidArgument, weights.string() + ": its stemdeck_step '" + it->second +
                                                            "' is not a step count: give --step");
        }
    }
    model::TfcTdfNet net(presetConfig(preset));
    model::applyWeights(net, model::toStateDict(*file));
    saveEmaOnly(out, {preset, step}, net);
}

void widenCheckpoint(const std::filesystem::path& in, const std::string& preset, const std::filesystem::path& out) {
    Checkpoint meta;
    model::TfcTdfNet from = emaNetwork(in, &meta);
    model::TfcTdfNet to(presetConfig(preset));
    widenInto(*from, *to);
    saveEmaOnly(out, {preset, meta.step}, to);
}

void exportCheckpoint(const std::filesystem::path& checkpoint, const std::filesystem::path& dir,
                      const std::string& name) {
    Checkpoint meta;
    model::TfcTdfNet net = emaNetwork(checkpoint, &meta);
    model::StateDict tensors;
    for (auto& [n, t] : stateOf(*net)) tensors.emplace_back(n, t.detach());
    std::filesystem::create_directories(dir);
    // "stems": the config's own list, in order (the loader refuses a config that lists them otherwise).
    std::string stems;
    for (const std::string& s : net->config().stems()) stems += (stems.empty() ? "" : ",") + s;
    model::saveSafetensors(dir / (name + ".safetensors"), tensors, torch::kHalf,
                           {{"format", "pt"}, {"stemdeck_preset", meta.preset}, {"stemdeck_step", std::to_string(meta.step)},
                            {"stems", stems}});
    std::ofstream(dir / "config.yaml") << model::toYaml(net->config());
}

} // namespace stemdeck::train
