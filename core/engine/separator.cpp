#include "engine/separator.h"

#include "engine/model_shape.h"

#include "common/error.h"
#include "common/log.h"
#include "device/backend.h"
#include "device/batch_planner.h"
#include "device/batch_runner.h"
#include "device/cuda_graph.h"
#include "device/device_info.h"
#include "device/device_selector.h"
#include "device/memory_monitor.h"
#include "device/precision.h"
#include "device/torch_device.h"
#include "device/transfer.h"
#include "device/error_translator.h"
#include "device/warning_capture.h"
#include "dsp/overlap_add.h"
#include "engine/profiler.h"
#include "model/model_loader.h"

#include <ATen/ATen.h>
#include <ATen/Context.h>
#include <ATen/ops/reflection_pad1d.h>
#include <c10/core/InferenceMode.h>
#include <torch/types.h>

#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>

namespace stemdeck::engine {

namespace {

// Defaults of the model-layout levers on CUDA (PerformanceOptions; bench/NOTES.md "GPU", session 4,
// H200): channels-last activations +17 % x real time alone (DrumSep fp16), +19 % (DrumSep) and
// +27 % (musdb18) with the TDF residual in its product (+1.2 % alone). Both change only the order
// of float operations (tst_net_layouts). Off on the CPU, where they measured slower (1.0x against
// 1.5x real time with the compact model).
constexpr bool kChannelsLastOnCuda = true;
constexpr bool kTdfResidualProductOnCuda = true;

class StageTimer {
public:
    StageTimer(ProfileRecorder& recorder, Stage stage, std::string device, bool sync, const device::DeviceId& dev)
        : m_recorder(recorder), m_stage(stage), m_device(std::move(device)), m_sync(sync), m_dev(dev) {
        if (m_sync) device::synchronizeDevice(m_dev);
        m_start = recorder.now();
        recorder.beginStage(stage, m_device);
    }
    ~StageTimer() {
        if (m_sync) {
            try {
                device::synchronizeDevice(m_dev);
            } catch (...) {
            }
        }
        m_recorder.endStage(m_stage, m_start, m_device);
    }

private:
    ProfileRecorder& m_recorder;
    Stage m_stage;
    std::string m_device;
    bool m_sync;
    device::DeviceId m_dev;
    double m_start = 0.0;
};

// Overlap-add on the model's device (PerformanceOptions::deviceOverlapAdd): the same arithmetic
// as dsp::OverlapAddAccumulator (sum += out x window, then sum / weights, 0 where no weight; in
// float32, mul then add, chunks in order), in a sliding window of chunk + batch x step frames.
// After each batch the region before the next chunk's start is final: it is divided there and
// copied back on a side stream into pinned host memory while the model runs the next batch.
class DeviceOverlapAdd {
public:
    // streamStems: landed regions go on into per-stem buffers on the download helper thread
    // (allocated there too, so their page faults overlap the model), taken by takeStems().
    DeviceOverlapAdd(const dsp::ChunkPlan& plan, int stems, int channels, const c10::Device& device, int batch,
                     bool streamStems)
        : m_plan(plan), m_rows(int64_t(stems) * channels), m_channels(channels), m_device(device), m_download(device),
          m_streamStems(streamStems) {
        m_capacity = std::min(plan.paddedFrames(), plan.chunk() + int64_t(std::max(batch, 1)) * plan.step());
        const auto opts = at::TensorOptions().dtype(at::kFloat).device(device);
        m_sum = at::zeros({m_rows, m_capacity}, opts);
        m_weight = at::zeros({m_capacity}, opts);
        m_bad = at::zeros({}, opts.dtype(at::kBool));
        m_host = device::pinnedHostTensor({m_rows, plan.frames()});
        if (m_streamStems) {
            m_download.then([this, stems] {
                m_stems.resize(static_cast<size_t>(stems));
                for (auto& s : m_stems) s.resize(static_cast<size_t>(m_channels * m_plan.frames()));
            });
        }
    }

    // Pending copies and helper work read m_host and write m_stems: finish them before those go.
    ~DeviceOverlapAdd() {
        try {
            m_download.wait();
        } catch (...) {
        }
    }

    // out: [S, C, chunk] float32 of chunk `index`; chunks come in order.
    void add(int64_t index, const at::Tensor& out) {
        const dsp::ChunkInfo info = m_plan.chunkInfo(index);
        const int64_t end = info.start + info.length;
        if (end > m_base + m_capacity) {
            finalizeUpTo(info.start);
            shiftTo(info.start);
        }
        const at::Tensor w = windowFor(info).narrow(0, 0, info.length);
        const at::Tensor y = out.to(m_device).reshape({m_rows, m_plan.chunk()}).narrow(1, 0, info.length);
        m_sum.narrow(1, info.start - m_base, info.length).add_(y * w);
        m_weight.narrow(0, info.start - m_base, info.length).add_(w);
    }

    // Everything before padded coordinate `p` is final: divide and copy it back (async).
    void finalizeUpTo(int64_t p) {
        const int64_t pad = m_plan.outerPad();
        const int64_t a = std::max(m_done, pad), b = std::min(p, pad + m_plan.frames());
        if (b > a) {
            const at::Tensor s = m_sum.narrow(1, a - m_base, b - a);
            const at::Tensor w = m_weight.narrow(0, a - m_base, b - a);
            const at::Tensor region = at::where(w != 0, s / w, at::zeros({}, s.options()));
            m_bad = at::logical_or(m_bad, at::isfinite(region).logical_not().any());
            for (int64_t r = 0; r < m_rows; ++r) m_download.copy(m_host[r].narrow(0, a - pad, b - a), region[r]);
            if (m_streamStems) {
                const float* host = m_host.data_ptr<float>();
                const int64_t frames = m_plan.frames(), from = a - pad, n = b - a;
                m_download.then([this, host, frames, from, n] {
                    for (int64_t r = 0; r < m_rows; ++r)
                        std::memcpy(m_stems[size_t(r / m_channels)].data() + (r % m_channels) * frames + from,
                                    host + r * frames + from, size_t(n) * sizeof(float));
                });
            }
        }
        m_done = std::max(m_done, p);
    }

    // Planar [S][C][frames] on the host; throws NumericalFailure when a value was NaN/Inf.
    const at::Tensor& finish(const device::DeviceId& dev) {
        finalizeUpTo(m_plan.paddedFrames());
        m_download.wait();
        if (m_bad.item<bool>()) {
            const auto t = device::ErrorTranslator::numericalFailure(dev, "the separation");
            throw Error(ErrorCode::NumericalFailure, t.title + ". " + t.explanation, t.details);
        }
        return m_host;
    }

    // After finish(), with streamStems: planar [C][frames] per stem, moved out.
    std::vector<std::vector<float>> takeStems() { return std::move(m_stems); }

private:
    void shiftTo(int64_t newBase) {
        const int64_t shift = std::min(newBase - m_base, m_capacity);
        if (shift <= 0) return;
        const int64_t keep = m_capacity - shift;
        if (keep > 0) {
            m_sum.narrow(1, 0, keep).copy_(m_sum.narrow(1, shift, keep).clone());
            m_weight.narrow(0, 0, keep).copy_(m_weight.narrow(0, shift, keep).clone());
        }
        m_sum.narrow(1, keep, shift).zero_();
        m_weight.narrow(0, keep, shift).zero_();
        m_base = newBase;
    }

    // The window depends only on whether the chunk is the first and/or the last.
    const at::Tensor& windowFor(const dsp::ChunkInfo& info) {
        const int key = (info.first ? 1 : 0) + (info.last ? 2 : 0);
        auto it = m_windows.find(key);
        if (it == m_windows.end()) {
            std::vector<float> w = m_plan.window(info.index);
            at::Tensor t = at::from_blob(w.data(), {int64_t(w.size())}, at::kFloat).to(m_device).clone();
            it = m_windows.emplace(key, t).first;
        }
        return it->second;
    }

    const dsp::ChunkPlan& m_plan;
    int64_t m_rows;
    int64_t m_channels;
    c10::Device m_device;
    device::AsyncDownload m_download;
    bool m_streamStems;
    std::vector<std::vector<float>> m_stems; // written only by the download helper until finish()
    int64_t m_capacity = 0;
    int64_t m_base = 0; // padded coordinate of column 0
    int64_t m_done = 0; // padded coordinate up to which regions were copied back
    at::Tensor m_sum, m_weight, m_bad, m_host;
    std::map<int, at::Tensor> m_windows;
};

// The chunk inputs cut on the model's device (PerformanceOptions::deviceChunks): the mix is
// uploaded once and reflect-padded there; each chunk is a slice, and a chunk running past the end
// gets its tail padding (reflection or zeros) as dsp::ChunkPlan::extractChunk gives it, so the
// batches are bit-identical to the host path's.
class DeviceChunks {
public:
    DeviceChunks(const dsp::ChunkPlan& plan, const audio::AudioBuffer& mix, const c10::Device& device) : m_plan(plan) {
        const at::Tensor host =
            at::from_blob(const_cast<float*>(mix.samples.data()), {1, int64_t(mix.channels), mix.frames}, at::kFloat);
        at::Tensor placed;
        if (device.is_cuda()) {
            // Through pinned memory: the upload is asynchronous (the allocator keeps the block
            // until the copy has read it).
            at::Tensor pinned = device::pinnedHostTensor(host.sizes());
            pinned.copy_(host);
            placed = pinned.to(device, /*non_blocking=*/true);
        } else {
            placed = host.to(device).clone(); // never alias the caller's buffer
        }
        const int64_t pad = plan.outerPad();
        m_padded = (pad > 0 ? at::reflection_pad1d(placed, {pad, pad}) : placed).squeeze(0); // [C, padded]
    }

    // [count, C, chunk] on the device.
    at::Tensor batch(int64_t first, int64_t count) const {
        std::vector<at::Tensor> parts;
        parts.reserve(size_t(count));
        for (int64_t j = 0; j < count; ++j) parts.push_back(chunk(first + j));
        return at::stack(parts);
    }

private:
    at::Tensor chunk(int64_t index) const {
        const dsp::ChunkInfo info = m_plan.chunkInfo(index);
        const at::Tensor real = m_padded.narrow(1, info.start, info.length);
        const int64_t tail = m_plan.chunk() - info.length;
        if (tail == 0) return real;
        if (info.tailReflect) return at::reflection_pad1d(real.unsqueeze(0), {0, tail}).squeeze(0);
        return at::constant_pad_nd(real, {0, tail}, 0.0);
    }

    const dsp::ChunkPlan& m_plan;
    at::Tensor m_padded;
};

std::mutex g_failuresMutex;
device::FailureMemory g_failures; // deviceFailures(): this process's failures per (model, device)

} // namespace

void recordDeviceFailures(const device::FailureMemory& met) {
    if (met.empty()) return;
    std::lock_guard lock(g_failuresMutex);
    g_failures.merge(met);
}

device::FailureMemory deviceFailures() {
    std::lock_guard lock(g_failuresMutex);
    return g_failures;
}

void forgetDeviceFailures() {
    std::lock_guard lock(g_failuresMutex);
    g_failures.clear();
}

struct Separator::Impl {
    SeparatorOptions options;
    model::LoadedModel loaded;
    std::vector<std::string> stems;
    std::vector<std::string> notes;
    device::DeviceId dev;
    device::DeviceId netDevice = device::DeviceId::cpu(); // where the weights are right now
    device::Precision precision = device::Precision::Fp32;
    int overlap = 4;
    int batch = 1;
    int64_t chunk = 0;
    bool warmedUp = false;
    std::vector<std::string> perfNotes;
    bool deviceOverlapAdd = false; // resolved PerformanceOptions
    bool pinnedUpload = false;
    bool deviceChunks = false;
    bool streamedStems = false;
    std::unique_ptr<device::PinnedStaging> staging;
    device::CapturedForward graph;
    std::vector<int64_t> graphTriedShape; // capture is tried once per input shape
    ProfileRecorder ownRecorder;
    ProfileRecorder* recorder = nullptr;

    ProfileRecorder& rec(const SeparationCallbacks& cb) { return cb.recorder ? *cb.recorder : *recorder; }

    void placeNet(const device::DeviceId& target) {
        if (target == netDevice) return;
        loaded.net->to(device::toTorchDevice(target));
        netDevice = target;
    }

    // The network on an input already on its device, float32 out; through a CUDA graph when
    // asked for and the shape is the captured (full batch) one.
    torch::Tensor forwardOnDevice(const torch::Tensor& x, const device::DeviceId& id) {
        c10::InferenceMode guard;
        auto eager = [this, kind = id.kind](const at::Tensor& in) {
            device::AutocastGuard autocast(kind, precision);
            torch::Tensor y = loaded.net->forward(in);
            if (y.scalar_type() != torch::kFloat32) y = y.to(torch::kFloat32);
            return y;
        };
        if (options.performance.cudaGraphs && id.kind == device::DeviceKind::Cuda && x.size(0) == batch) {
            if (graphTriedShape != x.sizes().vec()) {
                graphTriedShape = x.sizes().vec();
                std::string why;
                if (graph.capture(eager, x, &why))
                    perfNotes.push_back("CUDA graphs: captured the forward of batch " + std::to_string(x.size(0)));
                else
                    perfNotes.push_back("CUDA graphs: not used (" + why + ")");
            }
            if (graph.matches(x)) return graph.run(x);
        }
        return eager(x);
    }

    torch::Tensor forward(const torch::Tensor& input, const c10::Device& target) {
        const device::DeviceId id = device::fromTorchDevice(target);
        placeNet(id);
        torch::Tensor x = device::prepareForTransfer(input);
        if (id.kind == device::DeviceKind::Mps) device::checkMpsTensorLimits(x);
        if (x.device() == target) {
            // Cut on the device already (deviceChunks).
        } else if (pinnedUpload && id.kind == device::DeviceKind::Cuda && x.is_cpu()) {
            if (!staging) staging = std::make_unique<device::PinnedStaging>(target);
            x = staging->upload(x);
        } else {
            x = x.to(target);
        }
        torch::Tensor y = forwardOnDevice(x, id);
        if (options.profile) device::synchronizeDevice(id);
        return y;
    }

    void warmup(ProfileRecorder& recorder) {
        const bool wanted = options.warmup.value_or(dev.kind != device::DeviceKind::Cpu || options.profile);
        if (warmedUp || !wanted) return;
        StageTimer timer(recorder, Stage::Warmup, dev.toString(), true, dev);
        const torch::Tensor zeros = torch::zeros({batch, loaded.config.audio.num_channels, chunk});
        warmedUp = true;
        try {
            (void)forward(zeros, device::toTorchDevice(dev));
        } catch (const Error&) {
            throw;
        } catch (const std::exception& e) {
            // The batch runner's recovery takes over on the first real batch: for out of memory
            // release, halve, rerun; for a kernel failure a retry, then the CPU, remembered for
            // the next job (it used to fail the whole job here, with nothing remembered).
            const device::TranslatedError t = device::ErrorTranslator::translate(e);
            if (!t.isOutOfMemory) {
                graph.reset();
                graphTriedShape.clear();
                SD_LOG(log::engine, Warning) << "warm-up failed on " << dev.toString() << " (" << t.id
                                             << "); the first batch retries it, then runs on the CPU";
                return;
            }
            device::releaseCachedMemory(dev.kind);
            graph.reset();
            graphTriedShape.clear();
            SD_LOG(log::engine, Warning) << "warm-up at batch " << batch << " ran out of memory on "
                                         << dev.toString() << "; the first batches will find the size that fits";
        }
    }

    // The batch loop shared by the whole-buffer and the streaming paths: chunk inputs come
    // from fillChunk, outputs (planar [S][C][chunk]) go to takeChunk in chunk order.
    // deviceTake (optional): gets each chunk's output [S, C, chunk] where the model left it,
    // instead of takeChunk getting host memory.
    void run(const dsp::ChunkPlan& plan, const std::function<void(int64_t, float*)>& fillChunk,
             const std::function<void(int64_t, const float*)>& takeChunk, const SeparationCallbacks& cb,
             const std::atomic<bool>* cancel,
             const std::function<void(int64_t, const torch::Tensor&)>& deviceTake = {},
             const std::function<torch::Tensor(int64_t, int64_t)>& deviceBatch = {}) {
        ProfileRecorder& recorder = rec(cb);
        const int channels = loaded.config.audio.num_channels;
        const int64_t S = static_cast<int64_t>(stems.size());
        const int64_t chunkCount = plan.chunkCount();
        if (cancel && cancel->load()) throw Error(ErrorCode::Cancelled, "The separation was cancelled.");
        // LibTorch's warnings during the model's work, warm-up included (a warning given once
        // a process comes at the first forward): counted, each distinct one a profile event and
        // one log line (seed items 15 and 20), not printed on every batch.
        device::WarningCapture warnings(recorder.sink(), dev.toString());
        warmup(recorder);

        device::BatchRunnerOptions ro;
        ro.initialBatch = batch;
        ro.device = dev;
        ro.allowCpuFallback = options.allowCpuFallback;
        ro.modelKey = options.checkpointPath.string(); // the key runJob's next selection looks up
        device::FailureMemory met; // this run's failures, added to the process's after it
        ro.failures = &met;
        ro.jobStart = recorder.startTime();
        ro.keepOutputOnDevice = static_cast<bool>(deviceTake);
        device::BatchRunner runner(ro, recorder.sink());

        const auto started = std::chrono::steady_clock::now();
        int64_t done = 0;
        device::MemoryMonitor monitor;
        auto makeInput = [&](int64_t first, int64_t count) {
            if (deviceBatch) return deviceBatch(first, count);
            torch::Tensor in = torch::empty({count, channels, plan.chunk()}, torch::kFloat32);
            float* data = in.data_ptr<float>();
            for (int64_t j = 0; j < count; ++j) fillChunk(first + j, data + j * channels * plan.chunk());
            return in;
        };
        auto fwd = [&](const torch::Tensor& input, const c10::Device& target) { return forward(input, target); };
        auto consume = [&](int64_t first, const torch::Tensor& output) {
            const torch::Tensor out = deviceTake ? output : output.contiguous();
            if (out.dim() != 4 || out.size(1) != S || out.size(2) != channels || out.size(3) != plan.chunk())
                throw Error(ErrorCode::Internal, "The model returned an output of an unexpected shape.");
            const double t0 = recorder.now();
            if (deviceTake) {
                for (int64_t j = 0; j < out.size(0); ++j) deviceTake(first + j, out[j]);
            } else {
                const float* data = out.data_ptr<float>();
                for (int64_t j = 0; j < out.size(0); ++j) takeChunk(first + j, data + j * S * channels * plan.chunk());
            }
            ProfileEvent e;
            e.kind = ProfileEvent::Kind::StageEnd;
            e.stage = Stage::OverlapAdd;
            e.time = recorder.now();
            e.duration = e.time - t0;
            e.device = deviceTake ? runner.currentDevice().toString() : std::string("cpu");
            recorder.record(e);
            done += out.size(0);
            if (done == out.size(0) || done == chunkCount) {
                ProfileEvent m = monitor.sample(runner.currentDevice()).toEvent(recorder.now());
                m.device = runner.currentDevice().toString();
                recorder.record(m);
            }
            if (cb.progress) {
                const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
                const double eta = done > 0 ? elapsed / double(done) * double(chunkCount - done) : -1.0;
                cb.progress(done, chunkCount, eta);
            }
        };
        {
            // Synchronised at both ends even without profiling (once per separation): the stage
            // total is then the real device time, which `stemdeck-cli bench` reports.
            StageTimer timer(recorder, Stage::Model, dev.toString(), true, dev);
            try {
                runner.run(chunkCount, makeInput, fwd, consume, cancel);
            } catch (const Error& e) {
                // NaN/Inf found by a consumer on the device (the runner checks host outputs itself).
                if (e.code() == ErrorCode::NumericalFailure && dev.kind != device::DeviceKind::Cpu &&
                    !met.hasFailed(ro.modelKey, dev))
                    met.recordFailure(ro.modelKey, dev, "numerical");
                recordDeviceFailures(met);
                throw;
            } catch (...) {
                recordDeviceFailures(met);
                throw;
            }
            recordDeviceFailures(met);
        }
        if (runner.currentBatch() != batch || !(runner.currentDevice() == dev)) {
            for (const std::string& c : runner.changes()) notes.push_back(c);
            batch = runner.currentBatch();
        }
        if (dev.kind != device::DeviceKind::Cpu) device::releaseCachedMemory(dev.kind);
    }
};

Separator::Separator(const SeparatorOptions& options, ProfileRecorder* recorder) : m_impl(std::make_unique<Impl>()) {
    Impl& d = *m_impl;
    d.options = options;
    // The caller's recorder serves the load only; separations name theirs in the callbacks.
    d.recorder = &d.ownRecorder;
    ProfileRecorder& rec = recorder ? *recorder : d.ownRecorder;

    // Device first: its backend tuning must happen before the first LibTorch work.
    const device::DeviceInfo info = device::DeviceInfoCache::global().info();
    // A LibTorch built for AVX2 dies with SIGILL on an older CPU, which nothing can catch: say
    // why before the first kernel (once a process), so the last line before a crash explains it.
    static std::once_flag instructionSetChecked;
    std::call_once(instructionSetChecked, [&] {
        if (const auto missing = device::ErrorTranslator::checkInstructionSet(info.cpu))
            SD_LOG(log::engine, Warning) << missing->title << ". " << missing->explanation;
    });
    const device::DeviceSelection selection = device::DeviceSelector(info).select(
        options.device ? options.device->toString() : std::string(), &options.failures, options.checkpointPath.string());
    d.dev = selection.device;
    if (selection.fellBack) d.notes.push_back(selection.message);
    SD_LOG(log::engine, Info) << "device " << d.dev.toString() << ": " << selection.message;
    const device::BackendSettings tuning = device::applyBackendTuning(d.dev.kind);
    for (ProfileEvent e : tuning.toProfileEvents()) {
        e.time = rec.now();
        rec.record(e);
    }
    const PerformanceOptions& perf = options.performance;
    if (perf.cudnnBenchmark) {
        device::setCudnnBenchmark(*perf.cudnnBenchmark);
        d.perfNotes.push_back(std::string("cuDNN benchmark ") + (*perf.cudnnBenchmark ? "on" : "off"));
    }
    if (perf.tf32) {
        device::setTf32(*perf.tf32);
        d.perfNotes.push_back(std::string("TF32 ") + (*perf.tf32 ? "on" : "off"));
    }

    {
        StageTimer timer(rec, Stage::Load, d.dev.toString(), false, d.dev);
        if (options.randomWeights) {
            d.loaded.config = model::loadModelConfig(options.configPath);
            d.loaded.configPath = options.configPath;
            at::manual_seed(options.seed);
            d.loaded.net = model::TfcTdfNet(d.loaded.config);
            d.notes.push_back("random weights (seed " + std::to_string(options.seed) + "): a benchmark, not a separation");
        } else {
            d.loaded = model::loadModel(options.configPath, options.checkpointPath);
        }
    }
    const model::ModelConfig& config = d.loaded.config;
    d.stems = config.stems();
    d.chunk = config.chunkSize();
    d.overlap = options.overlap > 0 ? options.overlap : static_cast<int>(config.inference.num_overlap);
    if (d.overlap < 1 || d.overlap > d.chunk)
        throw Error(ErrorCode::InvalidArgument, "The overlap must be between 1 and the chunk size (" +
                                                    std::to_string(d.chunk) + "), got " + std::to_string(d.overlap) + ".");

    const double softMask = options.softMaskPower.value_or(config.inference.soft_mask_power);
    if (!(softMask >= 0 && softMask <= model::kMaxSoftMaskPower))
        throw Error(ErrorCode::InvalidArgument, "The soft-mask power must be 0 (off) or at most " +
                                                    std::to_string(static_cast<int>(model::kMaxSoftMaskPower)) + ".");
    if (softMask > 0 && d.stems.size() < 2)
        throw Error(ErrorCode::InvalidArgument,
                    "Soft masks need a model with at least two stems; this one has " + std::to_string(d.stems.size()) + ".");
    d.loaded.net->setSoftMaskPower(softMask);
    const bool wiener = options.multichannelWiener.value_or(config.inference.multichannel_wiener);
    if (wiener && (config.audio.num_channels != 2 || d.stems.size() < 2))
        throw Error(ErrorCode::InvalidArgument,
                    "The multichannel Wiener filter needs a stereo model with at least two stems.");
    d.loaded.net->setMultichannelWiener(wiener);
    d.loaded.net->setWienerIterations(static_cast<int>(config.inference.wiener_iterations));
    d.loaded.net->setWienerFftSizes(config.inference.wiener_n_fft);
    d.loaded.net->setTestTimeAugmentation(options.testTimeAugmentation);

    const device::PrecisionChoice precision = device::choosePrecision(d.dev.kind, options.precision);
    d.precision = precision.precision;
    if (options.precision && *options.precision != d.precision) d.notes.push_back(precision.reason);

    if (options.batchSize > 0) {
        d.batch = options.batchSize;
    } else if (options.batchSize == 0) {
        d.batch = static_cast<int>(std::max<int64_t>(1, config.inference.batch_size));
    } else {
        const device::BatchPlan plan = device::BatchPlanner::plan(modelShapeOf(config, d.precision), d.dev, info);
        d.batch = plan.batch;
        ProfileEvent e;
        e.kind = ProfileEvent::Kind::BatchSizeChange;
        e.time = rec.now();
        e.value = plan.batch;
        e.budget = plan.budgetBytes;
        e.message = plan.reason;
        e.device = d.dev.toString();
        rec.record(e);
    }

    d.loaded.net->eval();
    d.placeNet(d.dev);
    const bool cuda = d.dev.kind == device::DeviceKind::Cuda;
    // TF32 matrix products (cuBLAS: the TDF layers; fp32 only) on CUDA unless `tf32` or
    // `tf32Matmul` says otherwise: +4.9 % on DrumSep fp32, SDR moved by <= 0.0001 dB on the shipped
    // model and full-size random weights (bound for half precision: 0.05 dB; bench/NOTES.md "GPU").
    if (const std::optional<bool> tf32Matmul = perf.tf32Matmul ? perf.tf32Matmul
                                               : perf.tf32       ? perf.tf32
                                               : cuda            ? std::optional<bool>(true)
                                                                 : std::nullopt) {
        at::globalContext().setAllowTF32CuBLAS(*tf32Matmul);
        d.perfNotes.push_back(std::string("TF32 matrix products ") + (*tf32Matmul ? "on" : "off"));
    }
    if (perf.channelsLast.value_or(cuda && kChannelsLastOnCuda)) {
        d.loaded.net->setChannelsLast(true);
        d.perfNotes.push_back("channels-last activations and weights");
    }
    if (perf.tdfResidualInProduct.value_or(cuda && kTdfResidualProductOnCuda)) {
        d.loaded.net->setTdfResidualInProduct(true);
        d.perfNotes.push_back("TDF residual added by its second matrix product");
    }
    if (perf.cudaGraphs && !device::CapturedForward::supported())
        d.perfNotes.push_back("CUDA graphs: not available in this LibTorch build (no CUDA)");
    d.deviceOverlapAdd = perf.deviceOverlapAdd.value_or(cuda);
    d.pinnedUpload = perf.pinnedUpload.value_or(cuda);
    d.deviceChunks = d.deviceOverlapAdd && perf.deviceChunks.value_or(true);
    d.streamedStems = d.deviceOverlapAdd && perf.streamedStems.value_or(true);
    if (d.deviceOverlapAdd) d.perfNotes.push_back("overlap-add on " + d.dev.toString());
    if (d.deviceChunks) d.perfNotes.push_back("chunks cut on " + d.dev.toString() + " from one upload of the mix");
    if (d.streamedStems) d.perfNotes.push_back("stems filled as regions land (helper thread)");
    if (perf.fusedNormActivation.value_or(cuda)) {
        // Default on CUDA where the kernel was built: +12 % on DrumSep and +13 % on musdb18 (fp16,
        // H200), within fp16 rounding of the unfused path (bench/NOTES.md "GPU").
        const std::string support = model::fusedNormActivationSupport();
        const bool on = cuda && d.loaded.net->setFusedNormActivation(true);
        if (on)
            d.perfNotes.push_back("fused InstanceNorm+GELU kernel on");
        else if (perf.fusedNormActivation)
            d.perfNotes.push_back("fused InstanceNorm+GELU not used: " +
                                  (!cuda                 ? std::string("it runs on CUDA only")
                                   : support != "built" ? support
                                                        : std::string("the config's norm/activation is not InstanceNorm + GELU")));
    }
    if (d.pinnedUpload && cuda) d.perfNotes.push_back("pinned double-buffered uploads");
    ProfileEvent e;
    e.kind = ProfileEvent::Kind::Info;
    e.time = rec.now();
    e.device = d.dev.toString();
    e.message = "chunk " + std::to_string(d.chunk) + " samples (" + std::to_string(chunkSeconds()) + " s), overlap " +
                std::to_string(d.overlap) + ", batch " + std::to_string(d.batch) + ", precision " +
                device::precisionName(d.precision);
    rec.record(e);
    SD_LOG(log::engine, Info) << e.message;
}

Separator::~Separator() = default;

const std::vector<std::string>& Separator::stems() const { return m_impl->stems; }
int Separator::sampleRate() const { return m_impl->loaded.config.audio.sample_rate; }
int Separator::channels() const { return m_impl->loaded.config.audio.num_channels; }
int64_t Separator::chunkSize() const { return m_impl->chunk; }
double Separator::chunkSeconds() const { return double(m_impl->chunk) / double(sampleRate()); }
int Separator::overlap() const { return m_impl->overlap; }
bool Separator::mixtureConsistency() const { return m_impl->loaded.config.inference.mixture_consistency; }
double Separator::softMaskPower() const { return m_impl->loaded.net->softMaskPower(); }
bool Separator::multichannelWiener() const { return m_impl->loaded.net->multichannelWienerOn(); }
int Separator::wienerPasses() const { return multichannelWiener() ? m_impl->loaded.net->wienerIterations() : 0; }
bool Separator::testTimeAugmentation() const { return m_impl->loaded.net->testTimeAugmentation(); }
int Separator::networkPasses() const { return m_impl->loaded.net->networkPasses(); }
int Separator::batchSize() const { return m_impl->batch; }
device::DeviceId Separator::device() const { return m_impl->dev; }
device::Precision Separator::precision() const { return m_impl->precision; }
const std::vector<std::string>& Separator::notes() const { return m_impl->notes; }
const std::vector<std::string>& Separator::performanceNotes() const { return m_impl->perfNotes; }

double Separator::timeForward(int repeats) {
    Impl& d = *m_impl;
    const c10::Device target = device::toTorchDevice(d.dev);
    d.placeNet(d.dev);
    const torch::Tensor x = torch::zeros({d.batch, d.loaded.config.audio.num_channels, d.chunk}).to(target);
    (void)d.forwardOnDevice(x, d.dev);
    device::synchronizeDevice(d.dev);
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < std::max(repeats, 1); ++i) (void)d.forwardOnDevice(x, d.dev);
    device::synchronizeDevice(d.dev);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / std::max(repeats, 1);
}

std::vector<audio::AudioBuffer> Separator::separate(const audio::AudioBuffer& mix, const SeparationCallbacks& callbacks,
                                                    const std::atomic<bool>* cancel) {
    if (mix.sampleRate != sampleRate() || mix.channels != channels())
        throw Error(ErrorCode::InvalidArgument,
                    "The model expects " + std::to_string(channels()) + " channels at " + std::to_string(sampleRate()) +
                        " Hz; got " + std::to_string(mix.channels) + " at " + std::to_string(mix.sampleRate) + " Hz.");
    if (mix.empty()) throw Error(ErrorCode::EmptyInput, "The audio is empty: there is nothing to separate.");
    const dsp::ChunkPlan plan(mix.frames, m_impl->chunk, m_impl->overlap);
    const int S = static_cast<int>(m_impl->stems.size());
    const size_t per = static_cast<size_t>(channels()) * static_cast<size_t>(mix.frames);
    auto fill = [&](int64_t index, float* dst) { plan.extractChunk(mix.samples.data(), mix.channels, index, dst); };
    std::vector<audio::AudioBuffer> out;
    auto emitStems = [&](const float* all) {
        for (int s = 0; s < S; ++s) {
            audio::AudioBuffer b;
            b.sampleRate = mix.sampleRate;
            b.channels = mix.channels;
            b.frames = mix.frames;
            b.samples.assign(all + s * per, all + (s + 1) * per);
            out.push_back(std::move(b));
        }
    };
    if (m_impl->deviceOverlapAdd) {
        const c10::Device target = device::toTorchDevice(m_impl->dev);
        DeviceOverlapAdd acc(plan, S, channels(), target, m_impl->batch, m_impl->streamedStems);
        std::optional<DeviceChunks> chunks;
        if (m_impl->deviceChunks) chunks.emplace(plan, mix, target);
        m_impl->run(
            plan, fill, {}, callbacks, cancel,
            [&](int64_t index, const torch::Tensor& chunkOut) {
                acc.add(index, chunkOut);
                // The region before the next chunk is final: copy it back while the next batch runs.
                if (index + 1 < plan.chunkCount()) acc.finalizeUpTo(plan.chunkInfo(index + 1).start);
            },
            chunks ? std::function<torch::Tensor(int64_t, int64_t)>(
                         [&](int64_t first, int64_t count) { return chunks->batch(first, count); })
                   : std::function<torch::Tensor(int64_t, int64_t)>());
        const at::Tensor& host = acc.finish(m_impl->dev);
        if (!m_impl->streamedStems) {
            emitStems(host.data_ptr<float>());
            return out;
        }
        std::vector<std::vector<float>> data = acc.takeStems();
        for (int s = 0; s < S; ++s) {
            audio::AudioBuffer b;
            b.sampleRate = mix.sampleRate;
            b.channels = mix.channels;
            b.frames = mix.frames;
            b.samples = std::move(data[size_t(s)]);
            out.push_back(std::move(b));
        }
        return out;
    }
    dsp::OverlapAddAccumulator acc(plan, S, channels());
    m_impl->run(plan, fill, [&](int64_t index, const float* o) { acc.add(index, o); }, callbacks, cancel);
    // Each stem's sums become its buffer (no full-length copy of all stems at once).
    for (int s = 0; s < S; ++s) {
        audio::AudioBuffer b;
        b.sampleRate = mix.sampleRate;
        b.channels = mix.channels;
        b.frames = mix.frames;
        b.samples = acc.takeStem(s);
        out.push_back(std::move(b));
    }
    return out;
}

void Separator::separateStreaming(int64_t frames, const InputWindow& input, const RegionSink& output,
                                  const SeparationCallbacks& callbacks, const std::atomic<bool>* cancel) {
    const dsp::ChunkPlan plan(frames, m_impl->chunk, m_impl->overlap);
    const int S = static_cast<int>(m_impl->stems.size());
    const int C = channels();
    dsp::StreamingOverlapAdd acc(plan, S, C);
    std::vector<float> region;
    m_impl->run(
        plan,
        [&](int64_t index, float* dst) {
            int64_t first = 0, last = 0, windowStart = 0, windowFrames = 0;
            plan.sourceRange(index, &first, &last);
            const float* window = input(first, last, &windowStart, &windowFrames);
            plan.extractChunk(window, C, windowStart, windowFrames, index, dst);
        },
        [&](int64_t index, const float* out) {
            acc.add(index, out);
            if (acc.available() > 0) {
                const int64_t n = acc.take(region);
                output(region, n);
            }
        },
        callbacks, cancel);
    if (!acc.finished()) throw Error(ErrorCode::Internal, "The streaming separation ended before the last frame.");
}

} // namespace stemdeck::engine
