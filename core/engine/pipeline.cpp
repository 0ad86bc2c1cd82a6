#include "engine/pipeline.h"

#include "engine/output_paths.h"

#include "audio/buffer_ops.h"
#include "audio/channel_policy.h"
#include "audio/decode.h"
#include "audio/export.h"
#include "audio/naming_template.h"
#include "audio/output_format.h"
#include "audio/resample.h"
#include "common/error.h"
#include "common/file_names.h"
#include "common/log.h"
#include "common/resource_paths.h"
#include "engine/profiler.h"
#include "engine/separator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include <unistd.h>

#ifndef STEMDECK_SOURCE_TREE
#define STEMDECK_SOURCE_TREE ""
#endif

namespace stemdeck::engine {

namespace fs = std::filesystem;

namespace {

std::string join(const std::vector<std::string>& items, const char* sep) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
    return out;
}

// Separators stay loaded between jobs of the same model and settings (a folder of 200 files
// loads the weights once). One job at a time uses a given Separator.
struct CacheEntry {
    std::string key;
    std::shared_ptr<Separator> separator;
    std::shared_ptr<std::mutex> inUse;
};
std::mutex g_cacheMutex;
std::vector<CacheEntry> g_cache; // most recent last; small
constexpr size_t kCacheSize = 2;

std::string cacheKey(const SeparatorOptions& o) {
    std::ostringstream k;
    k << o.configPath.string() << '|' << o.checkpointPath.string() << '|'
      << (o.device ? o.device->toString() : std::string("auto")) << '|'
      << (o.precision ? device::precisionName(*o.precision) : "default") << '|' << o.overlap << '|'
      << (o.softMaskPower ? std::to_string(*o.softMaskPower) : std::string("config")) << '|'
      << (o.multichannelWiener ? (*o.multichannelWiener ? "wiener" : "no-wiener") : "config") << '|'
      << (o.testTimeAugmentation ? "tta" : "no-tta") << '|' << o.batchSize
      << '|' << o.allowCpuFallback << '|' << o.profile;
    // A failure of this model recorded since a separator was made changes where the next one
    // runs (another model's failure must not reload this one).
    const std::string mine = o.checkpointPath.string() + '|';
    for (const auto& [modelAndDevice, entry] : o.failures.entries())
        if (modelAndDevice.rfind(mine, 0) == 0) k << '|' << modelAndDevice;
    std::error_code ec;
    k << '|' << fs::last_write_time(o.checkpointPath, ec).time_since_epoch().count();
    return k.str();
}

CacheEntry acquireSeparator(const SeparatorOptions& options, ProfileRecorder& recorder) {
    const std::string key = cacheKey(options);
    {
        std::lock_guard lock(g_cacheMutex);
        for (const CacheEntry& e : g_cache)
            if (e.key == key) return e;
    }
    CacheEntry entry{key, std::make_shared<Separator>(options, &recorder), std::make_shared<std::mutex>()};
    std::lock_guard lock(g_cacheMutex);
    g_cache.push_back(entry);
    if (g_cache.size() > kCacheSize) g_cache.erase(g_cache.begin());
    return entry;
}

void checkCancel(const std::atomic<bool>& cancel) {
    if (cancel.load()) throw Error(ErrorCode::Cancelled, "The separation was cancelled.");
}

// Planar buffer of `frames` frames: crops or zero-pads the end (resampling can differ by one).
void setLength(audio::AudioBuffer& b, int64_t frames) {
    if (b.frames == frames) return;
    audio::AudioBuffer out = audio::AudioBuffer::zeros(b.channels, frames, b.sampleRate);
    const int64_t n = std::min(frames, b.frames);
    for (int c = 0; c < b.channels; ++c) std::copy_n(b.channel(c).data(), n, out.channel(c).data());
    b = std::move(out);
}

} // namespace

std::string residualName(const std::vector<std::string>& selected) {
    if (selected.size() == 1 && selected[0] == "vocals") return "instrumental";
    return "no_" + join(selected, "_");
}

namespace {
// Error energy against the mix's, in dB. The mix's energy counts as at least that of -100 dBFS
// (RMS) over its samples: a digitally silent input (energy 0) once gave "0 dB" and the note that
// the stems do not add up, when they did exactly.
double sumCheckFromEnergies(double err, double ref, size_t samples) {
    const double floor = 1e-10 * double(samples);
    return 10.0 * std::log10((err + 1e-20) / std::max(ref, floor + 1e-20));
}
} // namespace

double sumCheckDb(const std::vector<const float*>& stems, const float* mix, size_t samples) {
    double err = 0.0, ref = 0.0;
    for (size_t i = 0; i < samples; ++i) {
        double sum = 0.0;
        for (const float* s : stems) sum += s[i];
        const double e = sum - mix[i];
        err += e * e;
        ref += double(mix[i]) * mix[i];
    }
    return sumCheckFromEnergies(err, ref, samples);
}

void spreadResidual(const std::vector<float*>& stems, const float* mix, size_t samples) {
    if (stems.empty()) return;
    const double share = 1.0 / double(stems.size());
    for (size_t i = 0; i < samples; ++i) {
        double sum = 0.0;
        for (const float* s : stems) sum += s[i];
        const float add = static_cast<float>((double(mix[i]) - sum) * share);
        for (float* s : stems) s[i] += add;
    }
}

std::vector<fs::path> modelSearchPaths() {
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("STEMDECK_MODELS_DIR"); env && *env) dirs.emplace_back(env);
    // The same places the GUI looks (common/resource_paths.h): $STEMDECK_RESOURCES_DIR, the
    // install tree (<prefix>/share/stemdeck, macOS Contents/Resources), the source tree.
    const fs::path source = std::string(STEMDECK_SOURCE_TREE).empty() ? fs::path()
                                                                      : fs::path(STEMDECK_SOURCE_TREE) / "resources";
    for (const fs::path& dir : resourceDirCandidates(executableDir(), source)) dirs.push_back(dir / "models");
    return dirs;
}

namespace {

// The model files a folder holds: its config and checkpoint, either left empty when missing.
ModelFiles filesIn(const fs::path& dir) {
    std::error_code ec;
    ModelFiles m;
    m.name = dir.filename().string();
    std::vector<fs::path> yaml, safetensors, ckpt;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string ext = entry.path().extension().string();
        if (ext == ".yaml" || ext == ".yml") yaml.push_back(entry.path());
        else if (ext == ".safetensors") safetensors.push_back(entry.path());
        else if (ext == ".ckpt" || ext == ".pth" || ext == ".pt") ckpt.push_back(entry.path());
    }
    std::sort(yaml.begin(), yaml.end());
    std::sort(safetensors.begin(), safetensors.end());
    std::sort(ckpt.begin(), ckpt.end());
    if (fs::exists(dir / "config.yaml")) m.config = dir / "config.yaml";
    else if (!yaml.empty()) m.config = yaml.front();
    if (!safetensors.empty()) m.checkpoint = safetensors.front();
    else if (!ckpt.empty()) m.checkpoint = ckpt.front();
    return m;
}

// A usable model folder: one with both files.
std::optional<ModelFiles> modelIn(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return std::nullopt;
    ModelFiles m = filesIn(dir);
    if (m.config.empty() || m.checkpoint.empty()) return std::nullopt;
    return m;
}

} // namespace

std::vector<ModelFiles> availableModels() {
    std::vector<ModelFiles> out;
    std::set<std::string> seen;
    for (const fs::path& dir : modelSearchPaths()) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) continue;
        std::vector<fs::path> subdirs;
        for (const auto& entry : fs::directory_iterator(dir, ec))
            if (entry.is_directory()) subdirs.push_back(entry.path());
        std::sort(subdirs.begin(), subdirs.end());
        for (const fs::path& sub : subdirs)
            if (auto m = modelIn(sub); m && seen.insert(m->name).second) out.push_back(*m);
    }
    return out;
}

ModelFiles resolveModel(const std::string& name) {
    fs::path incomplete; // a folder of that name that lacks a config or a checkpoint
    for (const fs::path& dir : modelSearchPaths()) {
        if (auto m = modelIn(dir / name)) return *m;
        std::error_code ec;
        if (incomplete.empty() && fs::is_directory(dir / name, ec)) incomplete = dir / name;
    }
    if (!incomplete.empty()) {
        // Found, but not usable: say which file is missing, not that no such model exists.
        const ModelFiles parts = filesIn(incomplete);
        const bool config = !parts.config.empty(), checkpoint = !parts.checkpoint.empty();
        const std::string missing = !config && !checkpoint ? "neither a config (config.yaml) nor a checkpoint"
                                    : !config               ? "no config (config.yaml)"
                                                            : "no checkpoint (.safetensors, .ckpt, .pth or .pt)";
        throw Error(ErrorCode::InvalidCheckpoint,
                    "The model folder " + incomplete.string() + " holds " + missing +
                        ". Put the model's files there, or name them with --config and --checkpoint.");
    }
    std::vector<std::string> names, dirs;
    for (const ModelFiles& m : availableModels()) names.push_back(m.name);
    for (const fs::path& d : modelSearchPaths()) dirs.push_back(d.string());
    throw Error(ErrorCode::FileNotFound,
                "No model named \"" + name + "\" was found (a folder with config.yaml and a checkpoint). " +
                    (names.empty() ? std::string("No models are installed.") : "Available: " + join(names, ", ") + ".") +
                    " Searched: " + join(dirs, ", ") + ". Use --config and --checkpoint to name files directly.");
}

void clearModelCache() {
    std::lock_guard lock(g_cacheMutex);
    g_cache.clear();
}

size_t cachedModelCount() {
    std::lock_guard lock(g_cacheMutex);
    return g_cache.size();
}

namespace {

// With --overwrite, a job's earlier stems are replaced only if the whole job succeeds. Each
// existing target is moved aside (".stemdeck-old-<pid>-<name>", same folder, one rename) just
// before its new file is published; if the job then fails or is cancelled, the new files are
// removed and the old ones moved back, and once every stem is in place the old ones are deleted.
// (Publishing each stem over its predecessor, then removing the new stems on a later failure,
// lost the earlier stems: a full disk on the second stem left a folder with neither set.)
// A process killed between the two leaves the old stem under its ".stemdeck-old-" name, which
// no cleanup removes.
class ReplacedStems {
public:
    // targets: the job's files below root (the output folder); the folders between the two that
    // do not exist yet are removed again on a rollback if they are still empty (a failed job
    // left "DEST/<track>/"). The output folder itself stays: other jobs may be writing there.
    ReplacedStems(bool overwrite, const std::vector<fs::path>& targets, const fs::path& root) : m_overwrite(overwrite) {
        const fs::path top = root.lexically_normal();
        for (const fs::path& t : targets)
            for (fs::path f = t.parent_path().lexically_normal(); !f.empty() && f != f.root_path() && f != top &&
                                                                   f.native().size() > top.native().size();
                 f = f.parent_path()) {
                std::error_code ec;
                if (fs::exists(f, ec) || ec) break;
                if (std::find(m_newFolders.begin(), m_newFolders.end(), f) == m_newFolders.end()) m_newFolders.push_back(f);
            }
        // Deepest first, so a parent is empty by the time it is tried.
        std::sort(m_newFolders.begin(), m_newFolders.end(),
                  [](const fs::path& a, const fs::path& b) { return a.native().size() > b.native().size(); });
    }
    ReplacedStems(const ReplacedStems&) = delete;
    ReplacedStems& operator=(const ReplacedStems&) = delete;
    ~ReplacedStems() {
        if (!m_done) rollback();
    }

    // Call just before publishing to target. Moves an existing file (or link) aside; a folder in
    // the way stays, and the export then fails on it.
    void setAside(const fs::path& target) {
        std::error_code ec;
        const auto status = fs::symlink_status(target, ec);
        if (!m_overwrite || ec || !fs::exists(status) || fs::is_directory(status)) return;
        const fs::path aside =
            target.parent_path() / (".stemdeck-old-" + std::to_string(::getpid()) + "-" + target.filename().string());
        fs::rename(target, aside, ec);
        if (ec)
            throw Error(ErrorCode::WriteFailed, "Cannot move the earlier " + target.string() +
                                                    " aside to replace it: " + ec.message());
        m_aside.push_back({target, aside});
    }
    void published(const fs::path& path) { m_published.push_back(path); }

    // Every stem is in place: the earlier ones go.
    void commit() {
        m_done = true;
        for (const auto& [target, aside] : m_aside) {
            std::error_code ec;
            fs::remove(aside, ec);
        }
    }
    // The job failed: none of its new stems stay, the earlier ones come back.
    void rollback() noexcept {
        m_done = true;
        for (const fs::path& p : m_published) {
            std::error_code ec;
            fs::remove(p, ec);
        }
        for (const auto& [target, aside] : m_aside) {
            std::error_code ec;
            fs::rename(aside, target, ec);
            if (ec) SD_LOG(log::engine, Warning) << "could not restore " << target.string() << " from " << aside.string() << ": " << ec.message();
        }
        for (const fs::path& f : m_newFolders) {
            std::error_code ec;
            fs::remove(f, ec); // only if empty
        }
    }

private:
    bool m_overwrite;
    bool m_done = false;
    std::vector<fs::path> m_published;
    std::vector<std::pair<fs::path, fs::path>> m_aside;
    std::vector<fs::path> m_newFolders;
};

// The folder a job writes below (its naming template's root).
fs::path outputRoot(const JobSpec& spec) { return spec.outputDir.empty() ? spec.input.parent_path() : spec.outputDir; }

// Everything both paths share, settled before any heavy work.
struct Plan {
    const JobSpec& spec;
    const JobCallbacks& callbacks;
    const std::atomic<bool>& cancel;
    ProfileRecorder& recorder;
    Separator& separator;
    std::mutex& inUse;
    audio::SourceInfo source;
    std::vector<std::string> selected; // model stems to write
    std::vector<std::string> names;    // files to write: selected (+ residual)
    std::vector<fs::path> targets;
    audio::ExportOptions exportOptions;
    bool back = false;    // resample the outputs to the source rate
    bool toMono = false;  // the source was mono: write mono stems
    bool sumToMix = false; // mixture consistency (spreadResidual) before the sum check

    void report(Stage stage, double fraction, double eta) const {
        if (callbacks.progress) callbacks.progress({std::clamp(fraction, 0.0, 1.0), stage, eta});
    }

    // The separator's callbacks: its events go to the job's recorder, its batches advance the
    // job's progress from `from` over `span` of the whole.
    SeparationCallbacks modelCallbacks(double from, double span) const {
        SeparationCallbacks sc;
        sc.recorder = &recorder;
        sc.progress = [this, from, span](int64_t done, int64_t count, double eta) {
            report(Stage::Model, from + span * double(done) / double(std::max<int64_t>(count, 1)), eta);
        };
        return sc;
    }
};

// Holds the device for the duration of the separation (one separation per device in a queue).
class DeviceHold {
public:
    DeviceHold(const Plan& plan) : m_cb(plan.callbacks), m_dev(plan.separator.device()) {
        if (m_cb.acquireDevice && !m_cb.acquireDevice(m_dev))
            throw Error(ErrorCode::Cancelled, "The separation was cancelled.");
    }
    ~DeviceHold() {
        if (m_cb.releaseDevice) m_cb.releaseDevice(m_dev);
    }

private:
    const JobCallbacks& m_cb;
    device::DeviceId m_dev;
};

void noteSumCheck(JobResult& result) {
    SD_LOG(log::engine, Info) << "stem sum check: " << result.sumCheckDb << " dB";
    if (result.sumCheckDb > -10.0)
        result.notes.push_back("The stems do not add up to the mix (sum check " +
                               std::to_string(static_cast<int>(std::lround(result.sumCheckDb))) +
                               " dB): the model or its settings may not suit this audio.");
}

void wholeBuffer(const Plan& plan, JobResult& result) {
    const JobSpec& spec = plan.spec;
    ProfileRecorder& recorder = plan.recorder;
    Separator& separator = plan.separator;
    const std::vector<std::string>& modelStems = separator.stems();

    audio::Decoded decoded;
    {
        const double t0 = recorder.now();
        recorder.beginStage(Stage::Decode);
        audio::DecodeOptions decodeOptions;
        decodeOptions.sanitizeNonFinite = spec.replaceInvalidSamples;
        decoded = audio::decodeFile(spec.input, decodeOptions);
        recorder.endStage(Stage::Decode, t0);
    }
    for (const std::string& n : decoded.notes) result.notes.push_back(n);
    const int64_t sourceFrames = decoded.audio.frames;
    result.durationSeconds = decoded.audio.durationSeconds();
    checkCancel(plan.cancel);
    plan.report(Stage::Decode, 0.06, -1);

    audio::AudioBuffer mix;
    {
        const double t0 = recorder.now();
        recorder.beginStage(Stage::Resample);
        mix = decoded.audio.sampleRate == separator.sampleRate() ? std::move(decoded.audio)
                                                                   : audio::resample(decoded.audio, separator.sampleRate());
        recorder.endStage(Stage::Resample, t0);
    }
    decoded.audio = {};
    mix = audio::applyChannelPolicy(mix, separator.channels(), &result.notes);
    checkCancel(plan.cancel);
    plan.report(Stage::Resample, 0.1, -1);

    std::vector<audio::AudioBuffer> stems;
    {
        DeviceHold hold(plan);
        std::lock_guard inUse(plan.inUse);
        stems = separator.separate(mix, plan.modelCallbacks(0.1, 0.8), &plan.cancel);
    }
    checkCancel(plan.cancel);

    if (plan.sumToMix) {
        std::vector<float*> all;
        for (auto& s : stems) all.push_back(s.samples.data());
        spreadResidual(all, mix.samples.data(), mix.samples.size());
    }
    {
        std::vector<const float*> all;
        for (const auto& s : stems) all.push_back(s.samples.data());
        result.sumCheckDb = sumCheckDb(all, mix.samples.data(), mix.samples.size());
        noteSumCheck(result);
    }
    // Moved, not copied (selected names are unique): a long whole-buffer job holds one copy.
    std::vector<audio::AudioBuffer> outputs;
    for (const std::string& s : plan.selected)
        outputs.push_back(std::move(
            stems[static_cast<size_t>(std::find(modelStems.begin(), modelStems.end(), s) - modelStems.begin())]));
    if (spec.residual) {
        audio::AudioBuffer residual = mix;
        for (size_t o = 0; o < plan.selected.size(); ++o)
            for (size_t k = 0; k < residual.samples.size(); ++k) residual.samples[k] -= outputs[o].samples[k];
        outputs.push_back(std::move(residual));
    }
    stems.clear();
    mix = {};

    {
        const double t0 = recorder.now();
        recorder.beginStage(Stage::Resample);
        for (audio::AudioBuffer& b : outputs) {
            if (plan.back) {
                b = audio::resample(b, plan.source.sampleRate);
                setLength(b, sourceFrames);
            }
            if (plan.toMono) b = audio::applyChannelPolicy(b, 1, nullptr);
            checkCancel(plan.cancel);
        }
        recorder.endStage(Stage::Resample, t0);
    }
    plan.report(Stage::Resample, 0.92, -1);

    // A job that fails or is cancelled while writing leaves none of its stems behind, and with
    // --overwrite the earlier stems stay as they were (ReplacedStems).
    ReplacedStems replaced(plan.exportOptions.overwrite, plan.targets, outputRoot(plan.spec));
    {
        const double t0 = recorder.now();
        recorder.beginStage(Stage::Write);
        for (size_t i = 0; i < outputs.size(); ++i) {
            checkCancel(plan.cancel);
            replaced.setAside(plan.targets[i]);
            const audio::ExportResult r = audio::exportAudio(outputs[i], plan.targets[i], plan.exportOptions);
            replaced.published(r.path);
            result.files.push_back({plan.names[i], r.path, r.peak, r.limited, r.note});
            if (r.limited && !r.note.empty()) result.notes.push_back(plan.names[i] + ": " + r.note);
            plan.report(Stage::Write, 0.92 + 0.08 * double(i + 1) / double(outputs.size()), -1);
        }
        recorder.endStage(Stage::Write, t0);
        checkCancel(plan.cancel);
    }
    replaced.commit();
    result.sampleRate = outputs.empty() ? 0 : outputs.front().sampleRate;
    result.frames = outputs.empty() ? 0 : outputs.front().frames;
}

// Planar FIFO of model-rate audio: blocks in at the back, frames out at the front.
class PlanarFifo {
public:
    explicit PlanarFifo(int channels) : m_data(static_cast<size_t>(channels)) {}
    int64_t start() const { return m_start; }
    int64_t end() const { return m_start + size(); }
    int64_t size() const { return m_data.empty() ? 0 : static_cast<int64_t>(m_data[0].size()) - m_offset; }
    void push(const audio::AudioBuffer& b) {
        for (int c = 0; c < b.channels; ++c) {
            auto ch = b.channel(c);
            m_data[size_t(c)].insert(m_data[size_t(c)].end(), ch.begin(), ch.end());
        }
    }
    void pushZeros(int64_t n) {
        for (auto& ch : m_data) ch.insert(ch.end(), static_cast<size_t>(n), 0.0f);
    }
    // Frames [from, from + n) into dst (planar channels x n).
    void copy(int64_t from, int64_t n, float* dst) const {
        for (size_t c = 0; c < m_data.size(); ++c)
            std::copy_n(m_data[c].data() + m_offset + (from - m_start), n, dst + c * static_cast<size_t>(n));
    }
    // Forgets frames before `frame`; compacts once the dead prefix is large.
    void dropBefore(int64_t frame) {
        const int64_t n = std::min(frame - m_start, size());
        if (n <= 0) return;
        m_offset += n;
        m_start += n;
        if (m_offset > (1 << 20) && m_offset > size()) {
            for (auto& ch : m_data) ch.erase(ch.begin(), ch.begin() + m_offset);
            m_offset = 0;
        }
    }

private:
    std::vector<std::vector<float>> m_data;
    int64_t m_start = 0;  // frame index of the first kept frame
    int64_t m_offset = 0; // dead prefix inside m_data
};

void streamed(const Plan& plan, JobResult& result) {
    const JobSpec& spec = plan.spec;
    ProfileRecorder& recorder = plan.recorder;
    Separator& separator = plan.separator;
    const std::vector<std::string>& modelStems = separator.stems();
    const int C = separator.channels();
    const int S = static_cast<int>(modelStems.size());
    const int modelRate = separator.sampleRate();
    const audio::SourceInfo& source = plan.source;

    audio::AudioReader reader;
    audio::DecodeOptions decodeOptions;
    decodeOptions.sanitizeNonFinite = spec.replaceInvalidSamples;
    reader.open(spec.input, decodeOptions);
    const int64_t sourceFrames = reader.info().frames;
    const int64_t modelFrames = source.sampleRate == modelRate
                                    ? sourceFrames
                                    : audio::resampledLength(sourceFrames, source.sampleRate, modelRate);
    result.durationSeconds = double(sourceFrames) / source.sampleRate;
    std::unique_ptr<audio::Resampler> in;
    if (source.sampleRate != modelRate) in = std::make_unique<audio::Resampler>(source.channels, source.sampleRate, modelRate);

    // Input side: reader -> resampler -> channel policy -> window (for chunks) + mix FIFO
    // (for the residual and the sum check, consumed as output regions come out).
    PlanarFifo window(C), mixFifo(C);
    bool inputDone = false;
    double decodeSeconds = 0.0, resampleSeconds = 0.0;
    std::vector<std::string> channelNotes;
    auto pull = [&]() {
        audio::AudioBuffer block;
        const double t0 = recorder.now();
        const int64_t n = reader.read(block, 1 << 16);
        const double t1 = recorder.now();
        decodeSeconds += t1 - t0;
        audio::AudioBuffer model;
        if (n == 0) {
            inputDone = true;
            if (!in) return;
            model = in->flush();
        } else {
            model = in ? in->process(block) : std::move(block);
        }
        resampleSeconds += recorder.now() - t1;
        if (model.frames == 0) return;
        model.sampleRate = modelRate;
        model = audio::applyChannelPolicy(model, C, channelNotes.empty() ? &channelNotes : nullptr);
        window.push(model);
        mixFifo.push(model);
    };
    std::vector<float> scratch;
    const int64_t keepBehind = separator.chunkSize() * (separator.batchSize() + 1);
    Separator::InputWindow input = [&](int64_t first, int64_t last, int64_t* start, int64_t* count) -> const float* {
        while (window.end() <= last && !inputDone) pull();
        if (window.end() <= last) {
            // The file ended before the frames its header announced: the reader reports that as
            // an error; pad defensively should a resampler hand out one frame less.
            if (last - window.end() > 4)
                throw Error(ErrorCode::UnreadableFile, "The file " + spec.input.string() + " ended early.");
            const int64_t missing = last + 1 - window.end();
            window.pushZeros(missing);
            mixFifo.pushZeros(missing);
        }
        window.dropBefore(first - keepBehind);
        scratch.resize(static_cast<size_t>(C * (last - first + 1)));
        window.copy(first, last - first + 1, scratch.data());
        *start = first;
        *count = last - first + 1;
        return scratch.data();
    };

    // Output side: per output file a resampler back (optional) and a streaming exporter.
    const size_t outputs = plan.names.size();
    // Before the exporters, so that on a failure it runs after they have removed their
    // temporaries: the folders they created are empty by then and go too.
    ReplacedStems replaced(plan.exportOptions.overwrite, plan.targets, outputRoot(plan.spec));
    std::vector<std::unique_ptr<audio::StreamingExporter>> exporters;
    std::vector<std::unique_ptr<audio::Resampler>> backs;
    std::vector<int64_t> framesWritten(outputs, 0);
    const int outChannels = plan.toMono ? 1 : C;
    const int outRate = plan.back ? source.sampleRate : modelRate;
    const int64_t outFrames = plan.back ? sourceFrames : modelFrames;
    for (size_t i = 0; i < outputs; ++i) {
        exporters.push_back(std::make_unique<audio::StreamingExporter>());
        exporters.back()->begin(plan.targets[i], outChannels, outRate, plan.exportOptions);
        if (plan.back) backs.push_back(std::make_unique<audio::Resampler>(C, modelRate, source.sampleRate));
    }
    std::vector<size_t> stemIndex;
    for (const std::string& s : plan.selected)
        stemIndex.push_back(static_cast<size_t>(std::find(modelStems.begin(), modelStems.end(), s) - modelStems.begin()));

    double errEnergy = 0.0, mixEnergy = 0.0, writeSeconds = 0.0;
    size_t checkedSamples = 0;
    std::vector<float> mixRegion;
    auto emit = [&](size_t i, audio::AudioBuffer block) {
        if (plan.toMono) block = audio::applyChannelPolicy(block, 1, nullptr);
        // Exactly the source's length: the last resampled block may overshoot by a frame.
        if (framesWritten[i] + block.frames > outFrames) setLength(block, outFrames - framesWritten[i]);
        if (block.frames == 0) return;
        const double t0 = recorder.now();
        exporters[i]->write(block);
        writeSeconds += recorder.now() - t0;
        framesWritten[i] += block.frames;
    };
    auto toBlock = [&](const float* planar, int64_t n) {
        audio::AudioBuffer b;
        b.sampleRate = modelRate;
        b.channels = C;
        b.frames = n;
        b.samples.assign(planar, planar + static_cast<size_t>(C) * static_cast<size_t>(n));
        return b;
    };
    std::vector<float> projected;
    Separator::RegionSink sink = [&](const std::vector<float>& separated, int64_t n) {
        // separated: [S][C][n]; the mix frames of this region are at the FIFO's front.
        const int64_t at = mixFifo.start();
        while (mixFifo.end() < at + n && !inputDone) pull();
        mixRegion.resize(static_cast<size_t>(C * n));
        mixFifo.copy(at, n, mixRegion.data());
        mixFifo.dropBefore(at + n);
        const std::vector<float>* stemsPlanar = &separated;
        if (plan.sumToMix) {
            projected = separated;
            std::vector<float*> all;
            for (int s = 0; s < S; ++s) all.push_back(projected.data() + static_cast<size_t>(s * C * n));
            spreadResidual(all, mixRegion.data(), static_cast<size_t>(C * n));
            stemsPlanar = &projected;
        }
        const std::vector<float>& planar = *stemsPlanar;
        for (int64_t k = 0; k < C * n; ++k) {
            double sum = 0.0;
            for (int s = 0; s < S; ++s) sum += planar[static_cast<size_t>(s * C * n + k)];
            const double e = sum - mixRegion[size_t(k)];
            errEnergy += e * e;
            mixEnergy += double(mixRegion[size_t(k)]) * mixRegion[size_t(k)];
        }
        checkedSamples += static_cast<size_t>(C * n);
        std::vector<audio::AudioBuffer> blocks;
        for (size_t o = 0; o < plan.selected.size(); ++o)
            blocks.push_back(toBlock(planar.data() + stemIndex[o] * static_cast<size_t>(C * n), n));
        if (spec.residual) {
            audio::AudioBuffer residual = toBlock(mixRegion.data(), n);
            for (const auto& b : blocks)
                for (size_t k = 0; k < residual.samples.size(); ++k) residual.samples[k] -= b.samples[k];
            blocks.push_back(std::move(residual));
        }
        for (size_t i = 0; i < outputs; ++i) emit(i, plan.back ? backs[i]->process(blocks[i]) : std::move(blocks[i]));
    };

    {
        DeviceHold hold(plan);
        std::lock_guard inUse(plan.inUse);
        separator.separateStreaming(modelFrames, input, sink, plan.modelCallbacks(0.02, 0.93), &plan.cancel);
    }
    checkCancel(plan.cancel);
    for (size_t i = 0; i < outputs; ++i) {
        if (plan.back) emit(i, backs[i]->flush());
        if (framesWritten[i] < outFrames) {
            audio::AudioBuffer pad = audio::AudioBuffer::zeros(outChannels, outFrames - framesWritten[i], outRate);
            exporters[i]->write(pad);
            framesWritten[i] = outFrames;
        }
    }
    for (const std::string& n : channelNotes) result.notes.push_back(n);
    for (const std::string& n : reader.notes()) result.notes.push_back(n);
    for (auto [stage, seconds] : {std::pair{Stage::Decode, decodeSeconds}, std::pair{Stage::Resample, resampleSeconds},
                                  std::pair{Stage::Write, writeSeconds}}) {
        ProfileEvent e;
        e.kind = ProfileEvent::Kind::StageEnd;
        e.stage = stage;
        e.time = recorder.now();
        e.duration = seconds;
        e.message = "streamed, total";
        recorder.record(e);
    }
    result.sumCheckDb = sumCheckFromEnergies(errEnergy, mixEnergy, checkedSamples);
    noteSumCheck(result);

    // Publish: all or nothing; with --overwrite the earlier stems come back on a failure
    // (ReplacedStems). The exporters not finished abort in their destructors.
    for (size_t i = 0; i < outputs; ++i) {
        checkCancel(plan.cancel);
        replaced.setAside(plan.targets[i]);
        const audio::ExportResult r = exporters[i]->finish();
        replaced.published(r.path);
        result.files.push_back({plan.names[i], r.path, r.peak, r.limited, r.note});
        if (r.limited && !r.note.empty()) result.notes.push_back(plan.names[i] + ": " + r.note);
    }
    replaced.commit();
    result.sampleRate = outRate;
    result.frames = outFrames;
}

} // namespace

JobResult runJob(const JobSpec& spec, const JobCallbacks& callbacks, const std::atomic<bool>& cancel) {
    ProfileRecorder recorder;
    recorder.setForward(callbacks.profile);
    JobResult result;
    result.input = spec.input;

    // ---- options that can be checked before any heavy work -------------------------------
    // A bad naming template fails here, before the model loads (outputPaths uses it later).
    audio::NamingTemplate::parse(spec.namingTemplate.empty() ? std::string(audio::NamingTemplate::kDefault)
                                                             : spec.namingTemplate);
    std::optional<audio::OutputFormat> format;
    if (!spec.format.empty()) {
        format = audio::parseOutputFormat(spec.format);
        if (!format)
            throw Error(ErrorCode::InvalidArgument, "Unknown output format \"" + spec.format + "\"; choose one of " +
                                                        std::string(audio::allFormatNames()) + ".");
    }
    if (spec.configPath.empty() || spec.checkpointPath.empty())
        throw Error(ErrorCode::InvalidArgument, "No model was given: name a model or a config and a checkpoint.");
    {
        std::error_code ec;
        if (!fs::is_regular_file(spec.input, ec))
            throw Error(ErrorCode::FileNotFound, isUndecodableName(spec.input)
                                                     ? undecodableNameMessage(spec.input.string())
                                                     : "The input file " + spec.input.string() + " does not exist.");
    }
    // The file's format, rate and length, without decoding it yet.
    audio::SourceInfo source;
    {
        audio::AudioReader peek;
        peek.open(spec.input);
        source = peek.info();
    }
    checkCancel(cancel);

    // ---- model ---------------------------------------------------------------------------
    if (callbacks.progress) callbacks.progress({0.0, Stage::Load, -1});
    SeparatorOptions so;
    so.configPath = spec.configPath;
    so.checkpointPath = spec.checkpointPath;
    so.device = spec.device;
    so.failures = deviceFailures();
    so.precision = spec.precision;
    so.overlap = spec.overlap;
    so.softMaskPower = spec.softMaskPower;
    so.multichannelWiener = spec.multichannelWiener;
    so.testTimeAugmentation = spec.testTimeAugmentation;
    so.batchSize = spec.batchSize;
    so.allowCpuFallback = spec.allowCpuFallback;
    so.profile = spec.profile;
    const CacheEntry entry = acquireSeparator(so, recorder);
    Separator& separator = *entry.separator;
    const std::vector<std::string>& modelStems = separator.stems();

    Plan plan{spec, callbacks, cancel, recorder, separator, *entry.inUse};
    plan.source = source;
    // Each stem once, in the order asked (a stem named twice would be written twice to one file).
    for (const std::string& s : spec.stems.empty() ? modelStems : spec.stems)
        if (std::find(plan.selected.begin(), plan.selected.end(), s) == plan.selected.end()) plan.selected.push_back(s);
    for (const std::string& s : plan.selected)
        if (std::find(modelStems.begin(), modelStems.end(), s) == modelStems.end())
            throw Error(ErrorCode::InvalidArgument,
                        "The model has no stem \"" + s + "\"; its stems are: " + join(modelStems, ", ") + ".");
    plan.names = plan.selected;
    if (spec.residual) plan.names.push_back(residualName(plan.selected));
    plan.back = spec.resampleBack && source.sampleRate != separator.sampleRate();
    plan.toMono = source.channels == 1 && separator.channels() != 1;
    plan.sumToMix = spec.sumToMix.value_or(separator.mixtureConsistency());

    const audio::OutputFormat fmt = format.value_or(audio::defaultOutputFormat(source));
    plan.targets = outputPaths(spec, plan.names, audio::fileExtension(fmt));
    // Temporaries that a killed run left in these folders (an hour old, their process gone) go.
    {
        std::set<fs::path> folders;
        for (const fs::path& t : plan.targets) folders.insert(t.parent_path());
        for (const fs::path& f : folders) audio::cleanupStaleTemporaries(f, false, audio::kStaleTemporaryAge);
    }
    // A template such as "{track}.{ext}" with the output folder the input's own would write a
    // stem over the input (with --overwrite it did): refused, whatever the options.
    for (const fs::path& t : plan.targets) {
        std::error_code ec;
        if (fs::equivalent(t, spec.input, ec))
            throw Error(ErrorCode::InvalidArgument,
                        "The stem file " + t.string() + " would replace the input itself. Choose another "
                        "output folder or file name pattern.");
    }
    plan.exportOptions.format = fmt;
    plan.exportOptions.clip = spec.clip;
    plan.exportOptions.overwrite = spec.overwrite;
    // Refuse before the long part, not after it (the export checks again, atomically).
    // A file where a folder of the stems' paths must be (-o naming a file, or a file named like
    // the track's folder) would fail only at the first write, after the whole separation.
    for (const fs::path& t : plan.targets)
        for (fs::path f = t.parent_path(); !f.empty() && f != f.root_path(); f = f.parent_path()) {
            std::error_code ec;
            const auto status = fs::status(f, ec);
            if (fs::is_directory(status)) break;
            if (fs::exists(status))
                throw Error(ErrorCode::WriteFailed, "Cannot write " + t.string() + ": " + f.string() +
                                                        " is a file, not a folder. Choose another output folder.");
            if (fs::is_symlink(fs::symlink_status(f, ec)))
                throw Error(ErrorCode::WriteFailed, "Cannot write " + t.string() + ": " + f.string() +
                                                        " is a link to a folder that does not exist. Choose another output folder.");
        }
    if (!spec.overwrite)
        for (const fs::path& t : plan.targets) {
            std::error_code ec;
            if (fs::exists(fs::symlink_status(t, ec)))
                throw Error(ErrorCode::DestinationExists,
                            "Cannot write " + t.string() +
                                ": a file with that name already exists (use --overwrite to replace it).");
        }
    checkCancel(cancel);
    plan.report(Stage::Load, 0.03, -1);

    const bool exactLength = source.kind != audio::SampleKind::Compressed;
    const bool canStream = exactLength && spec.clip != audio::ClipPolicy::Rescale;
    bool stream = false;
    switch (spec.streaming) {
    case JobSpec::Streaming::Off: break;
    case JobSpec::Streaming::On:
        if (!canStream)
            result.notes.push_back(exactLength ? "Streaming is not possible with the rescale clip policy; "
                                                 "the whole track was processed in memory."
                                               : "This format does not state its exact length; the whole track "
                                                 "was processed in memory.");
        stream = canStream;
        break;
    case JobSpec::Streaming::Auto:
        stream = canStream && double(source.frames) / source.sampleRate > JobSpec::kStreamingThresholdSeconds;
        break;
    }
    if (source.sampleRate != separator.sampleRate())
        result.notes.push_back("Resampled from " + std::to_string(source.sampleRate) + " Hz to the model's " +
                               std::to_string(separator.sampleRate()) + " Hz" +
                               (plan.back ? " and back." : "; stems are written at the model's rate."));
    if (plan.toMono) result.notes.push_back("The mono input was separated as stereo; the stems are written in mono.");

    if (stream)
        streamed(plan, result);
    else
        wholeBuffer(plan, result);

    for (const std::string& n : separator.notes()) result.notes.push_back(n);
    result.device = separator.device().toString();
    result.batchSize = separator.batchSize();
    result.chunkSize = separator.chunkSize();
    result.chunkSeconds = separator.chunkSeconds();
    result.overlap = separator.overlap();
    result.softMaskPower = separator.softMaskPower();
    result.multichannelWiener = separator.multichannelWiener();
    result.wienerPasses = separator.wienerPasses();
    result.testTimeAugmentation = separator.testTimeAugmentation();
    recorder.memorySample();
    result.profile = recorder.summary(result.durationSeconds);
    plan.report(Stage::Write, 1.0, 0.0);
    return result;
}

} // namespace stemdeck::engine
