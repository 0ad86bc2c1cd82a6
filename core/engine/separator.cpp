#include "engine/separator.h"

#include "engine/model_shape.h"

#include "common/error.h"
#include "common/log.h"
#include "device/backend.h"
#include "device/batch_planner.h"
#include "device/batch_runner.h"
#include "device/device_info.h"
#include "device/device_selector.h"
#include "device/memory_monitor.h"
#include "device/precision.h"
#include "device/torch_device.h"
#include "device/transfer.h"
#include "dsp/overlap_add.h"
#include "engine/profiler.h"
#include "model/model_loader.h"

#include <c10/core/InferenceMode.h>
#include <torch/types.h>

#include <chrono>
#include <cstring>

namespace stemdeck::engine {

namespace {


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

} // namespace

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
    ProfileRecorder ownRecorder;
    ProfileRecorder* recorder = nullptr;

    ProfileRecorder& rec(const SeparationCallbacks& cb) { return cb.recorder ? *cb.recorder : *recorder; }

    void placeNet(const device::DeviceId& target) {
        if (target == netDevice) return;
        loaded.net->to(device::toTorchDevice(target));
        netDevice = target;
    }

    torch::Tensor forward(const torch::Tensor& input, const c10::Device& target) {
        const device::DeviceId id = device::fromTorchDevice(target);
        placeNet(id);
        c10::InferenceMode guard;
        device::AutocastGuard autocast(id.kind, precision);
        torch::Tensor x = device::prepareForTransfer(input);
        if (id.kind == device::DeviceKind::Mps) device::checkMpsTensorLimits(x);
        x = x.to(target);
        torch::Tensor y = loaded.net->forward(x);
        if (y.scalar_type() != torch::kFloat32) y = y.to(torch::kFloat32);
        if (options.profile) device::synchronizeDevice(id);
        return y;
    }

    void warmup(ProfileRecorder& recorder) {
        const bool wanted = options.warmup.value_or(dev.kind != device::DeviceKind::Cpu || options.profile);
        if (warmedUp || !wanted) return;
        StageTimer timer(recorder, Stage::Warmup, dev.toString(), true, dev);
        const torch::Tensor zeros = torch::zeros({batch, loaded.config.audio.num_channels, chunk});
        (void)forward(zeros, device::toTorchDevice(dev));
        warmedUp = true;
    }

    // The batch loop shared by the whole-buffer and the streaming paths: chunk inputs come
    // from fillChunk, outputs (planar [S][C][chunk]) go to takeChunk in chunk order.
    void run(const dsp::ChunkPlan& plan, const std::function<void(int64_t, float*)>& fillChunk,
             const std::function<void(int64_t, const float*)>& takeChunk, const SeparationCallbacks& cb,
             const std::atomic<bool>* cancel) {
        ProfileRecorder& recorder = rec(cb);
        const int channels = loaded.config.audio.num_channels;
        const int64_t S = static_cast<int64_t>(stems.size());
        const int64_t chunkCount = plan.chunkCount();
        if (cancel && cancel->load()) throw Error(ErrorCode::Cancelled, "The separation was cancelled.");
        warmup(recorder);

        device::BatchRunnerOptions ro;
        ro.initialBatch = batch;
        ro.device = dev;
        ro.allowCpuFallback = options.allowCpuFallback;
        ro.modelKey = loaded.checkpointPath.string();
        ro.jobStart = recorder.startTime();
        device::BatchRunner runner(ro, recorder.sink());

        const auto started = std::chrono::steady_clock::now();
        int64_t done = 0;
        device::MemoryMonitor monitor;
        auto makeInput = [&](int64_t first, int64_t count) {
            torch::Tensor in = torch::empty({count, channels, plan.chunk()}, torch::kFloat32);
            float* data = in.data_ptr<float>();
            for (int64_t j = 0; j < count; ++j) fillChunk(first + j, data + j * channels * plan.chunk());
            return in;
        };
        auto fwd = [&](const torch::Tensor& input, const c10::Device& target) { return forward(input, target); };
        auto consume = [&](int64_t first, const torch::Tensor& output) {
            const torch::Tensor out = output.contiguous();
            if (out.dim() != 4 || out.size(1) != S || out.size(2) != channels || out.size(3) != plan.chunk())
                throw Error(ErrorCode::Internal, "The model returned an output of an unexpected shape.");
            const double t0 = recorder.now();
            const float* data = out.data_ptr<float>();
            for (int64_t j = 0; j < out.size(0); ++j) takeChunk(first + j, data + j * S * channels * plan.chunk());
            ProfileEvent e;
            e.kind = ProfileEvent::Kind::StageEnd;
            e.stage = Stage::OverlapAdd;
            e.time = recorder.now();
            e.duration = e.time - t0;
            e.device = "cpu";
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
            StageTimer timer(recorder, Stage::Model, dev.toString(), options.profile, dev);
            runner.run(chunkCount, makeInput, fwd, consume, cancel);
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
    const device::DeviceSelection selection =
        device::DeviceSelector(info).select(options.device ? options.device->toString() : std::string());
    d.dev = selection.device;
    if (selection.fellBack) d.notes.push_back(selection.message);
    SD_LOG(log::engine, Info) << "device " << d.dev.toString() << ": " << selection.message;
    const device::BackendSettings tuning = device::applyBackendTuning(d.dev.kind);
    for (ProfileEvent e : tuning.toProfileEvents()) {
        e.time = rec.now();
        rec.record(e);
    }

    {
        StageTimer timer(rec, Stage::Load, d.dev.toString(), false, d.dev);
        d.loaded = model::loadModel(options.configPath, options.checkpointPath);
    }
    const model::ModelConfig& config = d.loaded.config;
    d.stems = config.stems();
    d.chunk = config.chunkSize();
    d.overlap = options.overlap > 0 ? options.overlap : static_cast<int>(config.inference.num_overlap);
    if (d.overlap < 1 || d.overlap > d.chunk)
        throw Error(ErrorCode::InvalidArgument, "The overlap must be between 1 and the chunk size (" +
                                                    std::to_string(d.chunk) + "), got " + std::to_string(d.overlap) + ".");

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
int Separator::batchSize() const { return m_impl->batch; }
device::DeviceId Separator::device() const { return m_impl->dev; }
device::Precision Separator::precision() const { return m_impl->precision; }
const std::vector<std::string>& Separator::notes() const { return m_impl->notes; }

std::vector<audio::AudioBuffer> Separator::separate(const audio::AudioBuffer& mix, const SeparationCallbacks& callbacks,
                                                    const std::atomic<bool>* cancel) {
    if (mix.sampleRate != sampleRate() || mix.channels != channels())
        throw Error(ErrorCode::InvalidArgument,
                    "The model expects " + std::to_string(channels()) + " channels at " + std::to_string(sampleRate()) +
                        " Hz; got " + std::to_string(mix.channels) + " at " + std::to_string(mix.sampleRate) + " Hz.");
    if (mix.empty()) throw Error(ErrorCode::EmptyInput, "The audio is empty: there is nothing to separate.");
    const dsp::ChunkPlan plan(mix.frames, m_impl->chunk, m_impl->overlap);
    const int S = static_cast<int>(m_impl->stems.size());
    dsp::OverlapAddAccumulator acc(plan, S, channels());
    m_impl->run(
        plan, [&](int64_t index, float* dst) { plan.extractChunk(mix.samples.data(), mix.channels, index, dst); },
        [&](int64_t index, const float* out) { acc.add(index, out); }, callbacks, cancel);
    std::vector<float> all = acc.result();
    std::vector<audio::AudioBuffer> out;
    const size_t per = static_cast<size_t>(channels()) * static_cast<size_t>(mix.frames);
    for (int s = 0; s < S; ++s) {
        audio::AudioBuffer b;
        b.sampleRate = mix.sampleRate;
        b.channels = mix.channels;
        b.frames = mix.frames;
        b.samples.assign(all.begin() + static_cast<std::ptrdiff_t>(s * per),
                         all.begin() + static_cast<std::ptrdiff_t>((s + 1) * per));
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
