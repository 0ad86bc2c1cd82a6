// `stemdeck-cli bench` (issue #9): one warm-up separation, then timed separations of N seconds
// of generated audio (deterministic tones + noise per stem; their sum is the mix), printed as ONE
// JSON object on stdout: x real-time, per-stage totals, model TFLOP/s (FLOPs counted from the
// config by engine/flops.h), peak device and process memory, the batch plan and its changes, the
// speed levers used. Optional comparisons in the same process: a reference run at another
// precision or batch (max abs difference, SDR against the reference and against the generated
// stems), and a capped CUDA allocator (forced out-of-memory recovery). Never a test: speed is
// measured here, asserted nowhere. docs/cli.md "bench" documents the options and fields.
#include "cli.h"

#include "device/backend.h"
#include "device/batch_planner.h"
#include "device/device_info.h"
#include "device/device_kind.h"
#include "device/precision.h"
#include "dsp/overlap_add.h"
#include "dsp/sdr.h"
#include "engine/flops.h"
#include "engine/model_shape.h"
#include "engine/profiler.h"
#include "engine/separator.h"
#include "model/model_config.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QTextStream>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stemdeck::cli {

namespace {

using nlohmann::json;

std::filesystem::path toFsPath(const QString& s) { return std::filesystem::path(s.toStdString()); }

// Deterministic generated stems (planar [stems][channels][frames]): stem s is a decaying tone
// burst every (0.25 + 0.1 s) seconds at its own pitch plus a little noise, so stems differ in
// spectrum and timing like instruments do. The mix is their sum. xorshift noise: the same audio
// on every machine.
struct GeneratedAudio {
    audio::AudioBuffer mix;
    std::vector<std::vector<float>> stems; // each planar [channels][frames]
};

GeneratedAudio generate(int stems, int channels, int rate, int64_t frames) {
    GeneratedAudio g;
    g.mix = audio::AudioBuffer::zeros(channels, frames, rate);
    uint32_t state = 0x9e3779b9u;
    auto noise = [&state]() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return float(state) / 4294967296.0f * 2.0f - 1.0f;
    };
    for (int s = 0; s < stems; ++s) {
        std::vector<float> stem(static_cast<size_t>(channels) * static_cast<size_t>(frames));
        const double pitch = 55.0 * std::pow(2.0, 1.3 * s);
        const int64_t period = std::max<int64_t>(1, std::llround((0.25 + 0.1 * s) * rate));
        const int64_t offset = std::llround(0.03 * s * rate);
        const double decay = std::exp(-(8.0 + 4.0 * s) / rate);
        for (int c = 0; c < channels; ++c) {
            // Sine by rotation and the burst envelope by a per-sample decay (no transcendental
            // call per sample: three hours of audio generate in seconds).
            const double step = 2.0 * M_PI * pitch * (1.0 + 0.002 * c) / rate;
            const double cs = std::cos(step), sn = std::sin(step);
            double re = 1.0, im = 0.0, env = 1.0;
            float* dst = stem.data() + static_cast<size_t>(c) * static_cast<size_t>(frames);
            for (int64_t i = 0; i < frames; ++i) {
                if ((i + offset) % period == 0) env = 1.0;
                dst[i] = float(0.3 * env * im) + 0.02f * noise();
                const double r2 = re * cs - im * sn;
                im = re * sn + im * cs;
                re = r2;
                env *= decay;
                if ((i & 4095) == 4095) { // keep the phasor on the unit circle
                    const double n = std::sqrt(re * re + im * im);
                    re /= n;
                    im /= n;
                }
            }
        }
        for (size_t k = 0; k < stem.size(); ++k) g.mix.samples[k] += stem[k];
        g.stems.push_back(std::move(stem));
    }
    return g;
}

struct RunResult {
    double wallSeconds = 0.0;
    std::vector<audio::AudioBuffer> stems;
    engine::ProfileSummary summary;
    std::vector<ProfileEvent> events;
};

RunResult runOnce(engine::Separator& separator, const audio::AudioBuffer& mix) {
    engine::ProfileRecorder recorder;
    engine::SeparationCallbacks cb;
    cb.recorder = &recorder;
    RunResult r;
    const auto t0 = std::chrono::steady_clock::now();
    r.stems = separator.separate(mix, cb);
    r.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.summary = recorder.summary(mix.durationSeconds());
    r.events = recorder.events();
    return r;
}

json stageTotals(const engine::ProfileSummary& s) {
    json j = json::object();
    for (const engine::StageTotal& t : s.stages) j[stageName(t.stage)] = t.seconds;
    return j;
}

double stageSeconds(const engine::ProfileSummary& s, Stage stage) {
    for (const engine::StageTotal& t : s.stages)
        if (t.stage == stage) return t.seconds;
    return 0.0;
}

// Per stem: SDR of `est` against `ref` (dB), and the largest absolute difference overall.
json compareStems(const std::vector<audio::AudioBuffer>& est, const std::vector<audio::AudioBuffer>& ref,
                  const std::vector<std::string>& names) {
    json perStem = json::object();
    double maxAbs = 0.0;
    for (size_t s = 0; s < est.size() && s < ref.size(); ++s) {
        for (size_t k = 0; k < est[s].samples.size(); ++k)
            maxAbs = std::max(maxAbs, double(std::abs(est[s].samples[k] - ref[s].samples[k])));
        perStem[names[s]] = dsp::sdr(ref[s].samples, est[s].samples);
    }
    return {{"max_abs_diff", maxAbs}, {"sdr_vs_reference_db", perStem}};
}

json sdrAgainstTruth(const std::vector<audio::AudioBuffer>& est, const GeneratedAudio& g,
                     const std::vector<std::string>& names) {
    json perStem = json::object();
    for (size_t s = 0; s < est.size() && s < g.stems.size(); ++s)
        perStem[names[s]] = dsp::sdr(g.stems[s], est[s].samples);
    return perStem;
}

std::optional<bool> onOff(const QCommandLineParser& p, const QCommandLineOption& o, bool* bad) {
    if (!p.isSet(o)) return std::nullopt;
    const QString v = p.value(o).toLower();
    if (v == QLatin1String("on") || v == QLatin1String("1") || v == QLatin1String("true")) return true;
    if (v == QLatin1String("off") || v == QLatin1String("0") || v == QLatin1String("false")) return false;
    *bad = true;
    return std::nullopt;
}

} // namespace

int runBench(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Benchmark: a warm-up, then a full separation of generated audio; prints one JSON object."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("This help."));
    const QCommandLineOption config(QStringLiteral("config"), QStringLiteral("Model config (YAML)."), QStringLiteral("FILE"));
    const QCommandLineOption checkpoint(QStringLiteral("checkpoint"), QStringLiteral("Weights."), QStringLiteral("FILE"));
    const QCommandLineOption random(QStringLiteral("random-weights"), QStringLiteral("Random weights (no checkpoint)."));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of the random weights (1)."), QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption seconds(QStringLiteral("seconds"), QStringLiteral("Audio length (30)."), QStringLiteral("N"), QStringLiteral("30"));
    const QCommandLineOption overlap(QStringLiteral("overlap"), QStringLiteral("Overlap (config's)."), QStringLiteral("K"), QStringLiteral("0"));
    const QCommandLineOption batch(QStringLiteral("batch"), QStringLiteral("Batch size or auto (config's)."), QStringLiteral("B|auto"));
    const QCommandLineOption precision(QStringLiteral("precision"), QStringLiteral("fp32|fp16|bf16 (device default)."), QStringLiteral("P"));
    const QCommandLineOption device(QStringLiteral("device"), QStringLiteral("auto|cpu|cuda|cuda:N|mps."), QStringLiteral("D"), QStringLiteral("auto"));
    const QCommandLineOption runs(QStringLiteral("runs"), QStringLiteral("Timed separations (1); the fastest is reported."), QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption forwardRepeats(QStringLiteral("forward-repeats"), QStringLiteral("Model-only forward calls timed (5; 0: none)."), QStringLiteral("N"), QStringLiteral("5"));
    const QCommandLineOption profile(QStringLiteral("profile"), QStringLiteral("Synchronise the device at every stage boundary."));
    const QCommandLineOption cudnn(QStringLiteral("cudnn-benchmark"), QStringLiteral("on|off (CUDA default on)."), QStringLiteral("on|off"));
    const QCommandLineOption tf32(QStringLiteral("tf32"), QStringLiteral("on|off (LibTorch default)."), QStringLiteral("on|off"));
    const QCommandLineOption tf32Matmul(QStringLiteral("tf32-matmul"), QStringLiteral("on|off: TF32 for the matrix products (TDF layers) alone."), QStringLiteral("on|off"));
    const QCommandLineOption channelsLast(QStringLiteral("channels-last"), QStringLiteral("on|off: channels-last activations and weights (measured default)."), QStringLiteral("on|off"));
    const QCommandLineOption tdfResidual(QStringLiteral("tdf-residual-product"), QStringLiteral("on|off: the TDF residual added by its second matrix product (measured default)."), QStringLiteral("on|off"));
    const QCommandLineOption compareLevers(QStringLiteral("compare-levers"), QStringLiteral("plain|kept: the reference run without levers (plain), or with this run's levers except channels-last, the TDF residual product and TF32 products (kept)."), QStringLiteral("plain|kept"), QStringLiteral("plain"));
    const QCommandLineOption graphs(QStringLiteral("cuda-graphs"), QStringLiteral("Replay a captured forward."));
    const QCommandLineOption deviceOla(QStringLiteral("device-overlap-add"), QStringLiteral("on|off: overlap-add on the device (CUDA default on)."), QStringLiteral("on|off"));
    const QCommandLineOption pinned(QStringLiteral("pinned-upload"), QStringLiteral("on|off: inputs through pinned memory (CUDA default on)."), QStringLiteral("on|off"));
    const QCommandLineOption deviceChunks(QStringLiteral("device-chunks"), QStringLiteral("on|off: cut chunks on the device from one upload (default: as --device-overlap-add)."), QStringLiteral("on|off"));
    const QCommandLineOption streamedStems(QStringLiteral("streamed-stems"), QStringLiteral("on|off: fill the stems as regions land (default: as --device-overlap-add)."), QStringLiteral("on|off"));
    const QCommandLineOption fusedNormAct(QStringLiteral("fused-norm-act"), QStringLiteral("on|off: fused InstanceNorm+GELU CUDA kernel (CUDA default on where built)."), QStringLiteral("on|off"));
    const QCommandLineOption comparePrecision(QStringLiteral("compare-precision"), QStringLiteral("Reference run at this precision first."), QStringLiteral("P"));
    const QCommandLineOption compareBatch(QStringLiteral("compare-batch"), QStringLiteral("Reference run's batch (the same)."), QStringLiteral("B"));
    const QCommandLineOption softMask(QStringLiteral("soft-mask"), QStringLiteral("P|off: soft masks after the network (config's)."), QStringLiteral("P|off"));
    const QCommandLineOption wiener(QStringLiteral("wiener"), QStringLiteral("on|off: the multichannel Wiener filter after the soft masks (config's)."), QStringLiteral("on|off"));
    const QCommandLineOption tta(QStringLiteral("tta"), QStringLiteral("Test-time augmentation (channels swapped, polarity inverted, averaged)."));
    const QCommandLineOption memoryFraction(QStringLiteral("memory-fraction"), QStringLiteral("Cap the CUDA allocator (after the reference run)."), QStringLiteral("F"));
    p.addOptions({help, config, checkpoint, random, seed, seconds, overlap, batch, precision, device, runs, forwardRepeats,
                  profile, cudnn, tf32, tf32Matmul, channelsLast, tdfResidual, graphs, deviceOla, pinned, deviceChunks,
                  streamedStems, fusedNormAct, comparePrecision, compareBatch, compareLevers, memoryFraction, softMask, wiener, tta});
    const char* usage = "bench --config Y (--checkpoint C | --random-weights) [--seconds N] [--overlap K] "
                        "[--batch B|auto] [--precision P] [--device D] (stemdeck-cli bench --help)";
    if (int rc = parseOrExit(p, args, help, 0, usage); rc >= 0) return rc;
    auto usageError = [&](const QString& what) {
        printError(what + QStringLiteral(" Usage: stemdeck-cli %1").arg(QLatin1String(usage)));
        return kExitUsage;
    };
    if (!p.isSet(config)) return usageError(QStringLiteral("--config is required."));
    if (p.isSet(random) == p.isSet(checkpoint))
        return usageError(QStringLiteral("Give exactly one of --checkpoint FILE and --random-weights."));

    bool ok = true;
    const double audioSeconds = p.value(seconds).toDouble(&ok);
    if (!ok || !(audioSeconds > 0.0) || audioSeconds > 4 * 3600.0)
        return usageError(QStringLiteral("--seconds must be a number above 0 and at most 14400, got \"%1\".").arg(p.value(seconds)));
    const int overlapValue = p.value(overlap).toInt(&ok);
    if (!ok || overlapValue < 0) return usageError(QStringLiteral("--overlap must be 0 (the config's) or more."));
    const int runCount = p.value(runs).toInt(&ok);
    if (!ok || runCount < 1 || runCount > 100) return usageError(QStringLiteral("--runs must be 1 to 100."));
    const int repeats = p.value(forwardRepeats).toInt(&ok);
    if (!ok || repeats < 0 || repeats > 1000) return usageError(QStringLiteral("--forward-repeats must be 0 to 1000."));
    const uint64_t seedValue = p.value(seed).toULongLong(&ok);
    if (!ok) return usageError(QStringLiteral("--seed must be a non-negative integer."));

    auto parseBatch = [&](const QString& text, int* out) {
        if (text.compare(QLatin1String("auto"), Qt::CaseInsensitive) == 0) {
            *out = -1;
            return true;
        }
        bool good = false;
        const int b = text.toInt(&good);
        if (!good || b < 1 || b > 4096) return false;
        *out = b;
        return true;
    };
    int batchValue = 0;
    if (p.isSet(batch) && !parseBatch(p.value(batch), &batchValue))
        return usageError(QStringLiteral("--batch must be a positive number or auto, got \"%1\".").arg(p.value(batch)));

    engine::SeparatorOptions so;
    so.configPath = toFsPath(p.value(config));
    so.randomWeights = p.isSet(random);
    so.seed = seedValue;
    if (p.isSet(checkpoint)) so.checkpointPath = toFsPath(p.value(checkpoint));
    so.overlap = overlapValue;
    if (p.isSet(softMask)) {
        so.softMaskPower = parseSoftMask(p.value(softMask));
        if (!so.softMaskPower) return kExitUsage;
    }
    so.testTimeAugmentation = p.isSet(tta);
    if (p.isSet(wiener)) {
        so.multichannelWiener = parseOnOff(QStringLiteral("wiener"), p.value(wiener));
        if (!so.multichannelWiener) return kExitUsage;
    }
    so.batchSize = batchValue;
    so.profile = p.isSet(profile);
    so.warmup = true;
    const QString deviceText = p.value(device);
    if (deviceText.compare(QLatin1String("auto"), Qt::CaseInsensitive) != 0) {
        const auto id = device::DeviceId::parse(deviceText.toStdString());
        if (!id) return usageError(QStringLiteral("Unknown device \"%1\" (auto, cpu, cuda, cuda:N, mps).").arg(deviceText));
        so.device = *id;
    }
    if (p.isSet(precision)) {
        const auto pr = device::parsePrecision(p.value(precision).toStdString());
        if (!pr) return usageError(QStringLiteral("Unknown precision \"%1\" (fp32, fp16, bf16).").arg(p.value(precision)));
        so.precision = *pr;
    }
    bool badSwitch = false;
    so.performance.cudnnBenchmark = onOff(p, cudnn, &badSwitch);
    so.performance.tf32 = onOff(p, tf32, &badSwitch);
    if (badSwitch) return usageError(QStringLiteral("--cudnn-benchmark and --tf32 take on or off."));
    so.performance.cudaGraphs = p.isSet(graphs);
    so.performance.deviceOverlapAdd = onOff(p, deviceOla, &badSwitch);
    so.performance.pinnedUpload = onOff(p, pinned, &badSwitch);
    so.performance.deviceChunks = onOff(p, deviceChunks, &badSwitch);
    so.performance.streamedStems = onOff(p, streamedStems, &badSwitch);
    so.performance.fusedNormActivation = onOff(p, fusedNormAct, &badSwitch);
    so.performance.tf32Matmul = onOff(p, tf32Matmul, &badSwitch);
    so.performance.channelsLast = onOff(p, channelsLast, &badSwitch);
    so.performance.tdfResidualInProduct = onOff(p, tdfResidual, &badSwitch);
    if (badSwitch)
        return usageError(QStringLiteral("--device-overlap-add, --pinned-upload, --device-chunks, --streamed-stems, "
                                         "--fused-norm-act, --tf32-matmul, --channels-last and --tdf-residual-product "
                                         "take on or off."));
    const QString compareLeversValue = p.value(compareLevers).toLower();
    if (compareLeversValue != QLatin1String("plain") && compareLeversValue != QLatin1String("kept"))
        return usageError(QStringLiteral("--compare-levers takes plain or kept, got \"%1\".").arg(p.value(compareLevers)));

    std::optional<engine::SeparatorOptions> reference;
    if (p.isSet(comparePrecision) || p.isSet(compareBatch)) {
        reference = so;
        reference->precision = device::Precision::Fp32;
        if (p.isSet(comparePrecision)) {
            const auto pr = device::parsePrecision(p.value(comparePrecision).toStdString());
            if (!pr) return usageError(QStringLiteral("Unknown precision \"%1\" for --compare-precision.").arg(p.value(comparePrecision)));
            reference->precision = *pr;
        }
        if (p.isSet(compareBatch) && !parseBatch(p.value(compareBatch), &reference->batchSize))
            return usageError(QStringLiteral("--compare-batch must be a positive number or auto."));
        if (compareLeversValue == QLatin1String("plain")) {
            // The reference is plain: no levers, no graphs (its output is what the levers must match).
            reference->performance = {};
            reference->performance.deviceOverlapAdd = false;
            reference->performance.pinnedUpload = false;
            reference->performance.fusedNormActivation = false;
            reference->performance.cudnnBenchmark = so.performance.cudnnBenchmark;
            reference->performance.tf32 = so.performance.tf32;
        } else {
            // This run's levers, less the three that change the model's arithmetic order or
            // precision: what channels-last, the residual product and TF32 products alone change.
            reference->performance.cudaGraphs = false;
        }
        reference->performance.channelsLast = false;
        reference->performance.tdfResidualInProduct = false;
        reference->performance.tf32Matmul = false;
    }
    std::optional<double> fraction;
    if (p.isSet(memoryFraction)) {
        const double f = p.value(memoryFraction).toDouble(&ok);
        if (!ok || !(f > 0.0) || f > 1.0) return usageError(QStringLiteral("--memory-fraction must be in (0, 1]."));
        fraction = f;
    }
    if (!QFileInfo::exists(p.value(config))) {
        printError(QStringLiteral("The config %1 does not exist.").arg(p.value(config)));
        return kExitModel;
    }

    // ---- the model and the audio ---------------------------------------------------------
    const model::ModelConfig modelConfig = model::loadModelConfig(so.configPath);
    const std::vector<std::string> stemNames = modelConfig.stems();
    const int rate = modelConfig.audio.sample_rate;
    const int64_t frames = static_cast<int64_t>(std::llround(audioSeconds * rate));
    const GeneratedAudio audio = generate(static_cast<int>(stemNames.size()), modelConfig.audio.num_channels, rate, frames);

    json out;
    out["version"] = STEMDECK_VERSION;
    out["torch"] = device::torchVersionString();
    out["config"] = p.value(config).toStdString();
    out["weights"] = so.randomWeights ? "random (seed " + std::to_string(seedValue) + ")" : so.checkpointPath.string();
    out["seconds"] = double(frames) / rate;
    out["sample_rate"] = rate;
    out["stems"] = stemNames;

    // Reference first, while the allocator is not capped.
    std::optional<RunResult> referenceRun;
    json referenceJson;
    if (reference) {
        engine::Separator refSeparator(*reference);
        referenceRun = runOnce(refSeparator, audio.mix);
        referenceJson = {{"precision", device::precisionName(refSeparator.precision())},
                         {"levers", compareLeversValue.toStdString()},
                         {"batch", refSeparator.batchSize()},
                         {"wall_seconds", referenceRun->wallSeconds},
                         {"sdr_vs_generated_db", sdrAgainstTruth(referenceRun->stems, audio, stemNames)}};
    }

    const auto loadStart = std::chrono::steady_clock::now();
    auto separator = std::make_unique<engine::Separator>(so);
    const double loadSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStart).count();
    const device::DeviceId dev = separator->device();
    const device::DeviceInfo info = device::DeviceInfoCache::global().info();
    std::string deviceName = info.cpu.modelName;
    if (dev.kind == device::DeviceKind::Cuda)
        if (const auto* gpu = info.cudaDevice(dev.index)) deviceName = gpu->name;
    out["device"] = dev.toString();
    out["device_name"] = deviceName;
    out["precision"] = device::precisionName(separator->precision());
    out["chunk_size"] = separator->chunkSize();
    out["overlap"] = separator->overlap();
    out["soft_mask_power"] = separator->softMaskPower();
    out["multichannel_wiener"] = separator->multichannelWiener();
    out["wiener_passes"] = separator->wienerPasses();
    out["test_time_augmentation"] = separator->testTimeAugmentation();
    const dsp::ChunkPlan plan(frames, separator->chunkSize(), separator->overlap());
    out["chunks"] = plan.chunkCount();

    // The planner's view, for calibration against the measured peak (docs/devices.md).
    const device::ModelShape shape = engine::modelShapeOf(modelConfig, separator->precision());
    const device::BatchPlan batchPlan = device::BatchPlanner::plan(shape, dev, info);
    const int plannedBatch = separator->batchSize();
    if (fraction) {
        device::releaseCachedMemory(dev.kind);
        const bool capped = device::setCudaMemoryFraction(*fraction, dev.index);
        out["memory_fraction"] = {{"fraction", *fraction}, {"applied", capped}};
    }

    // ---- warm-up, then the timed separations ---------------------------------------------
    RunResult warm = runOnce(*separator, audio.mix);
    std::optional<RunResult> best;
    std::vector<double> walls;
    int64_t peakDevice = -1;
    for (int i = 0; i < runCount; ++i) {
        device::resetPeakMemory(dev);
        RunResult r = runOnce(*separator, audio.mix);
        peakDevice = std::max(peakDevice, device::backendMemory(dev).peakAllocated);
        walls.push_back(r.wallSeconds);
        if (!best || r.wallSeconds < best->wallSeconds) best = std::move(r);
    }
    const RunResult& run = *best;

    const engine::FlopCount flops = engine::countFlops(modelConfig);
    // Test-time augmentation runs the network 2-3 times per chunk.
    const int passes = separator->networkPasses();
    const double networkFlops = engine::separationFlops(flops, plan.chunkCount()) * passes;
    const double modelSeconds = stageSeconds(run.summary, Stage::Model);
    json flopJson = {{"per_chunk_gflop", flops.network() / 1e9},
                     {"network_passes", passes},
                     {"stft_per_chunk_gflop", flops.stft / 1e9},
                     {"separation_tflop", networkFlops / 1e12},
                     {"model_stage_tflops", modelSeconds > 0 ? networkFlops / modelSeconds / 1e12 : 0.0},
                     {"end_to_end_tflops", networkFlops / run.wallSeconds / 1e12}};
    if (repeats > 0) {
        const double perCall = separator->timeForward(repeats);
        flopJson["forward_batch"] = separator->batchSize();
        flopJson["forward_seconds_per_batch"] = perCall;
        flopJson["forward_tflops"] = flops.network() * passes * separator->batchSize() / perCall / 1e12;
    }

    out["load_seconds"] = loadSeconds;
    out["warmup_seconds"] = warm.wallSeconds;
    out["wall_seconds"] = run.wallSeconds;
    out["wall_seconds_all"] = walls;
    out["x_realtime"] = double(frames) / rate / run.wallSeconds;
    out["stages"] = stageTotals(run.summary);
    out["batches"] = run.summary.batches;
    out["flops"] = flopJson;
    out["memory"] = {{"peak_device_bytes", peakDevice},
                     {"peak_rss_bytes", engine::peakRssBytes()},
                     {"estimate_per_chunk_bytes", batchPlan.estimate.perChunkBytes},
                     {"estimate_fixed_bytes", batchPlan.estimate.fixedBytes},
                     {"estimate_batch_bytes", batchPlan.estimate.fixedBytes + int64_t(plannedBatch) * batchPlan.estimate.perChunkBytes}};
    json changes = json::array();
    const std::vector<ProfileEvent>* eventLists[] = {&warm.events, &run.events};
    for (const auto* events : eventLists)
        for (const ProfileEvent& e : *events)
            if (e.kind == ProfileEvent::Kind::BatchSizeChange || e.kind == ProfileEvent::Kind::Fallback)
                changes.push_back(e.message);
    out["batch"] = {{"requested", !p.isSet(batch) ? json("config") : batchValue < 0 ? json("auto") : json(batchValue)},
                    {"planned", plannedBatch},
                    {"final", separator->batchSize()},
                    {"planner_batch", batchPlan.batch},
                    {"planner_reason", batchPlan.reason},
                    {"changes", changes}};
    out["levers"] = {{"cudnn_benchmark", so.performance.cudnnBenchmark ? json(*so.performance.cudnnBenchmark) : json("default")},
                     {"tf32", so.performance.tf32 ? json(*so.performance.tf32) : json("default")},
                     {"tf32_matmul", so.performance.tf32Matmul ? json(*so.performance.tf32Matmul) : json("default")},
                     {"channels_last", so.performance.channelsLast ? json(*so.performance.channelsLast) : json("default")},
                     {"tdf_residual_product", so.performance.tdfResidualInProduct ? json(*so.performance.tdfResidualInProduct) : json("default")},
                     {"cuda_graphs", so.performance.cudaGraphs},
                     {"device_overlap_add", so.performance.deviceOverlapAdd ? json(*so.performance.deviceOverlapAdd) : json("default")},
                     {"pinned_upload", so.performance.pinnedUpload ? json(*so.performance.pinnedUpload) : json("default")},
                     {"device_chunks", so.performance.deviceChunks ? json(*so.performance.deviceChunks) : json("default")},
                     {"streamed_stems", so.performance.streamedStems ? json(*so.performance.streamedStems) : json("default")},
                     {"fused_norm_act", so.performance.fusedNormActivation ? json(*so.performance.fusedNormActivation) : json("default")},
                     {"notes", separator->performanceNotes()}};
    out["notes"] = separator->notes();
    out["sdr_vs_generated_db"] = sdrAgainstTruth(run.stems, audio, stemNames);
    if (referenceRun) {
        referenceJson.update(compareStems(run.stems, referenceRun->stems, stemNames));
        // The warm-up is the separation that met the planned batch first (an out-of-memory
        // halving happens there, issue #5): its output must match the reference too.
        referenceJson["warmup"] = compareStems(warm.stems, referenceRun->stems, stemNames);
        out["reference"] = referenceJson;
    }
    if (fraction) device::setCudaMemoryFraction(1.0, dev.index);
    std::cout << out.dump() << std::endl;
    return kExitOk;
}

} // namespace stemdeck::cli
