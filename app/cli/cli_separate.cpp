// `stemdeck-cli separate`: builds a JobSpec from the options, runs every input through
// jobs::JobQueue with engine::runJob (the GUI's exact code path), shows a progress bar on a TTY,
// and reports the result (plain text, or JSON on stdout with --json). With --manifest FILE
// [--shard I/N] the inputs come from a list, this process takes its hash share of it, and tracks
// whose stems are already complete (jobs/track_outputs.h) are skipped: docs/scale-out.md.
#include "cli.h"

#include "audio/naming_template.h"
#include "common/file_names.h"
#include "audio/output_format.h"
#include "device/device_kind.h"
#include "device/precision.h"
#include "engine/output_paths.h"
#include "engine/pipeline.h"
#include "engine/profiler.h"
#include "jobs/job_queue.h"
#include "jobs/manifest.h"
#include "jobs/track_outputs.h"
#include "model/model_config.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QMap>
#include <QTextStream>
#include <QSaveFile>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include <unistd.h>

namespace stemdeck::cli {

namespace {

std::atomic<bool> g_interrupted{false};

// SIGINT (Ctrl+C) and SIGTERM (what Slurm and Kubernetes send before killing a task) cancel the
// running job cleanly; a second signal of the same kind ends the process at once.
extern "C" void onInterrupt(int sig) {
    g_interrupted.store(true);
    std::signal(sig, SIG_DFL);
}

std::string utf8(const std::filesystem::path& p) { return p.string(); }

nlohmann::json resultJson(const jobs::JobInfo& job) {
    using nlohmann::json;
    json j;
    j["input"] = job.file.toStdString();
    j["state"] = jobs::jobStateName(job.state);
    if (job.state == jobs::JobState::Done) {
        const engine::JobResult& r = job.result;
        json files = json::array();
        for (const engine::StemFile& f : r.files)
            files.push_back({{"stem", f.stem}, {"path", utf8(f.path)}, {"peak", f.peak}, {"limited", f.limited},
                             {"note", f.note}});
        j["files"] = files;
        j["sample_rate"] = r.sampleRate;
        j["frames"] = r.frames;
        j["duration_seconds"] = r.durationSeconds;
        j["device"] = r.device;
        j["batch_size"] = r.batchSize;
        j["chunk_size"] = r.chunkSize;
        j["chunk_seconds"] = r.chunkSeconds;
        j["overlap"] = r.overlap;
        j["soft_mask_power"] = r.softMaskPower;
        j["multichannel_wiener"] = r.multichannelWiener;
        j["wiener_passes"] = r.wienerPasses;
        j["test_time_augmentation"] = r.testTimeAugmentation;
        j["sum_check_db"] = r.sumCheckDb;
        j["notes"] = r.notes;
        json stages = json::object();
        for (const engine::StageTotal& t : r.profile.stages) stages[stageName(t.stage)] = t.seconds;
        j["profile"] = {{"wall_seconds", r.profile.wallSeconds},
                        {"real_time_factor", r.profile.realTimeFactor},
                        {"warmup_seconds", r.profile.warmupSeconds},
                        {"peak_rss_bytes", r.profile.peakRssBytes},
                        {"batches", r.profile.batches},
                        {"stages", stages}};
    } else if (job.state == jobs::JobState::Failed) {
        j["error"] = {{"code", errorCodeName(job.errorCode)},
                      {"message", job.errorMessage.toStdString()},
                      {"detail", job.errorDetail.toStdString()}};
    }
    return j;
}

class ProgressBar {
public:
    explicit ProgressBar(bool enabled) : m_enabled(enabled) {}
    void update(const QString& file, double fraction, const QString& stage, double eta, int index, int total) {
        if (!m_enabled) return;
        const int width = 30;
        const int filled = static_cast<int>(fraction * width + 0.5);
        QString bar = QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('.'));
        QString etaText = eta >= 0 ? QStringLiteral(" ETA %1s").arg(static_cast<int>(eta + 0.5)) : QString();
        QString name = QFileInfo(file).fileName();
        if (name.size() > 32) name = name.left(29) + QStringLiteral("...");
        std::fprintf(stderr, "\r\033[K[%d/%d] [%s] %3d%% %-11s%s  %s", index, total, qPrintable(bar),
                     static_cast<int>(fraction * 100 + 0.5), qPrintable(stage), qPrintable(etaText), qPrintable(name));
        std::fflush(stderr);
        m_dirty = true;
    }
    void clear() {
        if (!m_enabled || !m_dirty) return;
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
        m_dirty = false;
    }

private:
    bool m_enabled;
    bool m_dirty = false;
};

// ---- --manifest / --shard -------------------------------------------------------------------

// One manifest entry this shard owns, and what became of it.
struct ManifestTrack {
    jobs::ManifestEntry entry;
    engine::JobSpec spec;
    jobs::ExpectedOutputs expected;
    // "" while it is still to run; then "separated", "complete" (skipped: its stems passed the
    // check), "failed" or "cancelled".
    std::string status;
    bool redone = false; // some of its stems were on disk but failed the check
    std::string reason;  // why it was redone, or why it failed
    quint64 job = 0;
};

struct ManifestRun {
    jobs::Manifest manifest;
    jobs::Shard shard;
    std::vector<ManifestTrack> tracks; // the owned entries, in manifest order
};

std::string joined(const std::vector<std::string>& v, const char* sep) {
    std::string s;
    for (const std::string& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}

QString qpath(const std::filesystem::path& p) { return QString::fromStdU16String(p.u16string()); }

// The stem files each track gets: the model's stems (or the --stems selection) and the residual.
// Throws InvalidArgument for a --stems name the model does not have.
std::vector<std::string> writtenStemNames(const engine::JobSpec& spec) {
    const model::ModelConfig config = model::loadModelConfig(spec.configPath);
    const std::vector<std::string> modelStems = config.stems();
    std::vector<std::string> names = spec.stems.empty() ? modelStems : spec.stems;
    for (const std::string& s : names)
        if (std::find(modelStems.begin(), modelStems.end(), s) == modelStems.end())
            throw Error(ErrorCode::InvalidArgument,
                        "The model has no stem \"" + s + "\"; its stems are: " + joined(modelStems, ", ") + ".");
    if (spec.residual) names.push_back(engine::residualName(names));
    return names;
}

// Two inputs whose stems would land on the same file: the indices of the first such pair and that
// file, or nothing. Without --format the extension follows each input, so it is left out of the
// comparison: "a/song.wav" and "b/song.flac" collide too (their stems would share a folder, or a
// file once both are written as WAV). Compared case-insensitively, as expandAll does for macOS
// and Windows file systems.
struct SharedOutput {
    size_t first = 0, second = 0;
    std::filesystem::path file;
};
std::optional<SharedOutput> findSharedOutput(const std::vector<std::filesystem::path>& inputs, const engine::JobSpec& spec,
                                             const std::vector<std::string>& names) {
    const auto forced = audio::parseOutputFormat(spec.format);
    const std::string ext = forced ? std::string(audio::fileExtension(*forced)) : std::string("{ext}");
    std::unordered_map<std::string, size_t> owner;
    for (size_t i = 0; i < inputs.size(); ++i) {
        engine::JobSpec s = spec;
        s.input = inputs[i];
        for (const std::filesystem::path& f : engine::outputPaths(s, names, ext)) {
            // Compared as file systems that ignore case (Windows, macOS) and Unicode normal forms
            // (macOS) would: "Älbum/01" and "älbum/01", or é composed and decomposed, are one file there.
            const std::string key = qpath(f).normalized(QString::NormalizationForm_C).toCaseFolded().toStdString();
            const auto [it, fresh] = owner.emplace(key, i);
            if (!fresh && it->second != i) return SharedOutput{it->second, i, f};
        }
    }
    return std::nullopt;
}

// A compared output path as the user should read it: "out/01/kick.*" when the extension follows
// each input.
std::string shownOutput(const std::filesystem::path& file) {
    std::string s = file.generic_string();
    if (const auto at = s.rfind("{ext}"); at != std::string::npos) s.replace(at, 5, "*");
    return s;
}

constexpr const char* kSharedOutputAdvice =
    "Rename one of them, or, when they are in different folders, add {folder} to --template "
    "(for example \"{folder}/{track}/{stem}.{ext}\").";

// Reads the manifest, refuses option combinations under which shards could collide or a rerun
// could not recognise finished work, and sorts this shard's entries into "complete" (skipped),
// "failed" (the input is missing or unreadable) and to run. Throws stemdeck::Error for problems
// of the whole run (manifest, model config, template, colliding names): no shard then starts.
ManifestRun planManifest(const std::filesystem::path& manifestFile, const jobs::Shard& shard,
                         const engine::JobSpec& spec) {
    ManifestRun run;
    run.manifest = jobs::readManifest(manifestFile);
    run.shard = shard;

    const audio::NamingTemplate naming = audio::NamingTemplate::parse(
        spec.namingTemplate.empty() ? std::string(audio::NamingTemplate::kDefault) : spec.namingTemplate);
    if (naming.uses("date"))
        throw Error(ErrorCode::InvalidArgument,
                    "--template with {date} cannot be used with --manifest: a rerun on another day would not find "
                    "the stems of finished tracks and would separate them again.");

    const model::ModelConfig config = model::loadModelConfig(spec.configPath);
    jobs::OutputModel om;
    om.names = writtenStemNames(spec);
    om.sampleRate = config.audio.sample_rate;
    om.channels = config.audio.num_channels;

    // No two entries of the whole manifest (not just this shard's) may name the same output file,
    // or two shards could write it at once.
    std::vector<std::filesystem::path> paths;
    for (const jobs::ManifestEntry& e : run.manifest.entries) paths.push_back(e.path);
    if (const auto shared = findSharedOutput(paths, spec, om.names)) {
        const jobs::ManifestEntry& a = run.manifest.entries[shared->first];
        const jobs::ManifestEntry& b = run.manifest.entries[shared->second];
        throw Error(ErrorCode::InvalidArgument,
                    "Manifest lines " + std::to_string(a.line) + " (" + a.key + ") and " + std::to_string(b.line) +
                        " (" + b.key + ") would write the same stem file " + shownOutput(shared->file) + ". " +
                        kSharedOutputAdvice);
    }

    for (const jobs::ManifestEntry& e : jobs::entriesOf(run.manifest, shard)) {
        ManifestTrack t;
        t.entry = e;
        t.spec = spec;
        t.spec.input = e.path;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(e.path, ec)) {
            t.status = "failed";
            t.reason = isUndecodableName(e.path)
                           ? undecodableNameMessage(e.path.string()) + " (manifest line " + std::to_string(e.line) + ")"
                           : "The input " + e.path.string() + " (manifest line " + std::to_string(e.line) + ") " +
                                 (std::filesystem::exists(e.path, ec) ? "is not a file." : "does not exist.");
        } else {
            try {
                t.expected = jobs::expectedOutputs(t.spec, om);
                if (!spec.overwrite) {
                    const jobs::OutputCheck check = jobs::checkOutputs(t.expected);
                    if (check.complete) {
                        t.status = "complete";
                    } else if (check.anyPresent) {
                        // What is there is this track's own earlier, incomplete output (shards own
                        // their tracks, names cannot collide): replace it.
                        t.redone = true;
                        t.spec.overwrite = true;
                        t.reason = joined(check.problems, " ");
                    }
                }
            } catch (const Error& err) {
                t.status = "failed";
                t.reason = err.what();
            }
        }
        run.tracks.push_back(std::move(t));
    }
    return run;
}

// After a job reports Done: its files must be the ones planned and pass the check, or every
// rerun would redo the track forever. Returns the problem, or "" when the output is complete.
std::string verifyWritten(const ManifestTrack& t, const engine::JobResult& r) {
    std::vector<std::filesystem::path> written;
    for (const engine::StemFile& f : r.files) written.push_back(f.path);
    if (written != t.expected.files)
        return "The stems were written to other paths than the completeness check expects; please report this.";
    const jobs::OutputCheck check = jobs::checkOutputs(t.expected);
    return check.complete ? std::string() : "The stems written do not pass the completeness check: " +
                                                 joined(check.problems, " ");
}

nlohmann::json manifestJson(const ManifestRun& run) {
    using nlohmann::json;
    json tracks = json::array();
    std::map<std::string, int> counts{{"separated", 0}, {"complete", 0}, {"failed", 0}, {"cancelled", 0}};
    for (const ManifestTrack& t : run.tracks) {
        ++counts[t.status];
        tracks.push_back({{"input", utf8(t.entry.path)},
                          {"entry", t.entry.key},
                          {"line", t.entry.line},
                          {"status", t.status},
                          {"redone", t.redone},
                          {"reason", t.reason}});
    }
    return {{"file", utf8(run.manifest.file)},
            {"shard", {{"index", run.shard.index}, {"count", run.shard.count}}},
            {"entries", run.manifest.entries.size()},
            {"owned", run.tracks.size()},
            {"duplicates", run.manifest.duplicates},
            {"separated", counts["separated"]},
            {"complete", counts["complete"]},
            {"failed", counts["failed"]},
            {"cancelled", counts["cancelled"]},
            {"tracks", tracks}};
}

void printManifestSummary(const ManifestRun& run) {
    int separated = 0, redone = 0, complete = 0, failed = 0, cancelled = 0;
    for (const ManifestTrack& t : run.tracks) {
        separated += t.status == "separated";
        redone += t.status == "separated" && t.redone;
        complete += t.status == "complete";
        failed += t.status == "failed";
        cancelled += t.status == "cancelled";
    }
    QTextStream o(stdout);
    o << "shard " << run.shard.index << '/' << run.shard.count << " of " << qpath(run.manifest.file) << ": "
      << run.tracks.size() << " of " << run.manifest.entries.size() << " tracks; " << separated << " separated ("
      << redone << " redone), " << complete << " already complete, " << failed << " failed";
    if (cancelled) o << ", " << cancelled << " cancelled";
    o << '\n';
    for (const ManifestTrack& t : run.tracks) {
        const char* label = t.status == "separated" ? (t.redone ? "redone   " : "separated") :
                            t.status == "complete"  ? "complete " :
                            t.status == "failed"    ? "FAILED   " : "cancelled";
        o << "  " << label << "  " << qpath(t.entry.path);
        if (!t.reason.empty()) o << ": " << QString::fromStdString(t.reason);
        o << '\n';
    }
}

} // namespace

int runSeparate(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Separates audio files into stems."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("This help."));
    p.addOption(help);
    p.addPositionalArgument(QStringLiteral("INPUT"), QStringLiteral("Audio files or folders (searched recursively)."),
                            QStringLiteral("INPUT..."));
    const QCommandLineOption out({QStringLiteral("o"), QStringLiteral("output")},
                                 QStringLiteral("Destination folder (required)."), QStringLiteral("DIR"));
    const QCommandLineOption model(QStringLiteral("model"),
                                   QStringLiteral("Model by name: resources/models/<name>/{config.yaml, checkpoint}. Default: the bundled "
                                                  "drumsep-compact."),
                                   QStringLiteral("NAME"));
    const QCommandLineOption config(QStringLiteral("config"), QStringLiteral("Model config (YAML)."), QStringLiteral("FILE"));
    const QCommandLineOption checkpoint(QStringLiteral("checkpoint"),
                                        QStringLiteral("Model weights (.ckpt, .pth, .safetensors)."), QStringLiteral("FILE"));
    const QCommandLineOption deviceOpt(QStringLiteral("device"), QStringLiteral("auto (default), cpu, cuda, cuda:N or mps."),
                                       QStringLiteral("DEVICE"), QStringLiteral("auto"));
    const QCommandLineOption overlap(QStringLiteral("overlap"),
                                     QStringLiteral("Chunks overlapping each sample (default: the config's num_overlap)."),
                                     QStringLiteral("N"));
    const QCommandLineOption batch(QStringLiteral("batch"),
                                   QStringLiteral("Chunks per model call, or auto (from free memory). Default: the config's."),
                                   QStringLiteral("N|auto"));
    const QCommandLineOption precision(QStringLiteral("precision"),
                                       QStringLiteral("fp32, fp16 or bf16 (default: the device's: fp16 on CUDA, fp32 elsewhere)."),
                                       QStringLiteral("P"));
    const QCommandLineOption stems(QStringLiteral("stems"), QStringLiteral("Comma-separated subset of stems to write."),
                                   QStringLiteral("LIST"));
    const QCommandLineOption residual(QStringLiteral("residual"),
                                      QStringLiteral("Also write the mix minus the selected stems (no_<stem>, instrumental)."));
    const QCommandLineOption sumToMix(QStringLiteral("sum-to-mix"),
                                      QStringLiteral("on: spread what the stems miss of the mix over them so they add up to "
                                                     "it exactly; off: the model's raw output (default: the model's config; "
                                                     "on for the bundled model)."),
                                      QStringLiteral("on|off"));
    const QCommandLineOption softMask(QStringLiteral("soft-mask"),
                                      QStringLiteral("P: each stem takes the mix weighted by |stem|^P / sum of |stems|^P "
                                                     "(a soft-mask post-filter; 1 to 2 are typical); off: the model's own "
                                                     "spectra (default: the model's config; 1.25 for the bundled model)."),
                                      QStringLiteral("P|off"));
    const QCommandLineOption wiener(QStringLiteral("wiener"),
                                    QStringLiteral("on: a multichannel Wiener filter after the soft masks tells apart "
                                                   "stems by their stereo images; off: without it (default: the model's "
                                                   "config; on for the bundled model)."),
                                    QStringLiteral("on|off"));
    const QCommandLineOption tta(QStringLiteral("tta"),
                                 QStringLiteral("Test-time augmentation: the model also hears the audio with its channels "
                                                "swapped and its polarity inverted, and the estimates are averaged (the "
                                                "network runs three times per chunk: about 2x the time on a CPU)."));
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("Output format: %1 (default: follows the input).")
                                        .arg(QString::fromLatin1(audio::allFormatNames().data(),
                                                                 static_cast<qsizetype>(audio::allFormatNames().size()))),
                                    QStringLiteral("FMT"));
    const QCommandLineOption naming(QStringLiteral("template"),
                                    QStringLiteral("Output path below DIR (default {track}/{stem}.{ext}; also {folder}, "
                                                   "{model}, {date}, {index})."),
                                    QStringLiteral("T"));
    const QCommandLineOption overwrite(QStringLiteral("overwrite"),
                                       QStringLiteral("Replace existing files (with --manifest: separate this shard's "
                                                      "tracks again even when their stems are complete)."));
    const QCommandLineOption clip(QStringLiteral("clip"),
                                  QStringLiteral("Stems peaking above 0 dBFS: clamp (default), rescale, refuse or none."),
                                  QStringLiteral("POLICY"));
    const QCommandLineOption modelRate(QStringLiteral("model-rate"),
                                       QStringLiteral("Write at the model's sample rate instead of the input's."));
    const QCommandLineOption profile(QStringLiteral("profile"),
                                     QStringLiteral("Write a Chrome trace (open in ui.perfetto.dev) and print a summary."),
                                     QStringLiteral("trace.json"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Machine-readable result on stdout."));
    const QCommandLineOption replaceInvalid(QStringLiteral("replace-invalid-samples"),
                                            QStringLiteral("Treat NaN or infinite input samples as silence (a note says how "
                                                           "many) instead of refusing the file."));
    const QCommandLineOption streaming(QStringLiteral("streaming"),
                                       QStringLiteral("auto (default: tracks over 5 minutes), on or off: process block by "
                                                      "block in bounded memory."),
                                       QStringLiteral("MODE"));
    const QCommandLineOption manifestOpt(
        QStringLiteral("manifest"),
        QStringLiteral("Inputs listed in a text file, one path per line (relative to the file's folder; blank lines and "
                       "# lines skipped). Tracks whose stems are all there and whole are skipped; incomplete ones are "
                       "redone."),
        QStringLiteral("FILE"));
    const QCommandLineOption shardOpt(QStringLiteral("shard"),
                                      QStringLiteral("With --manifest: process share I of N (0-based, 0 <= I < N), "
                                                     "e.g. $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT."),
                                      QStringLiteral("I/N"));
    p.addOptions({out, model, config, checkpoint, deviceOpt, overlap, batch, precision, stems, residual, sumToMix, softMask, wiener, tta, format, naming,
                  overwrite, clip, modelRate, profile, json, streaming, manifestOpt, shardOpt, replaceInvalid});

    if (!p.parse(args)) {
        printError(sentence(p.errorText()) + QStringLiteral(" See `stemdeck-cli separate --help`."));
        return kExitUsage;
    }
    if (p.isSet(help)) {
        QTextStream(stdout) << subcommandHelp(p, QStringLiteral("separate"));
        return kExitOk;
    }
    const QStringList inputs = p.positionalArguments();
    const bool fromManifest = p.isSet(manifestOpt);
    std::optional<jobs::Shard> shard;
    if (p.isSet(shardOpt)) {
        if (!fromManifest) {
            printError(QStringLiteral("--shard needs --manifest FILE: it picks a share of the manifest's tracks."));
            return kExitUsage;
        }
        shard = jobs::parseShard(p.value(shardOpt).toStdString());
        if (!shard) {
            printError(QStringLiteral("--shard takes I/N with 0 <= I < N, e.g. 0/4 for the first of four shares "
                                      "(got \"%1\").")
                           .arg(p.value(shardOpt)));
            return kExitUsage;
        }
    }
    if (fromManifest && !inputs.isEmpty()) {
        printError(QStringLiteral("Give the inputs either on the command line or in --manifest, not both (got %1).")
                       .arg(inputs.join(QStringLiteral(", "))));
        return kExitUsage;
    }
    if (inputs.isEmpty() && !fromManifest) {
        printError(QStringLiteral("Name at least one input file or folder, or a list of them with --manifest FILE."));
        return kExitUsage;
    }
    // An empty -o (a script's unset $OUT) would write next to every input: refused like a missing one.
    if (!p.isSet(out) || p.value(out).trimmed().isEmpty()) {
        printError(QStringLiteral("Name the destination folder with -o DIR."));
        return kExitUsage;
    }

    engine::JobSpec spec;
    spec.outputDir = toPath(p.value(out));
    try {
        if (p.isSet(config) || p.isSet(checkpoint)) {
            if (!p.isSet(config) || !p.isSet(checkpoint)) {
                printError(QStringLiteral("--config and --checkpoint go together: name both files."));
                return kExitUsage;
            }
            spec.configPath = toPath(p.value(config));
            spec.checkpointPath = toPath(p.value(checkpoint));
            spec.modelName = QFileInfo(p.value(checkpoint)).completeBaseName().toStdString();
            for (const auto& f : {spec.configPath, spec.checkpointPath})
                if (!std::filesystem::is_regular_file(f)) {
                    printError(QStringLiteral("The model file %1 does not exist.").arg(QString::fromStdString(f.string())));
                    return kExitModel;
                }
        } else {
            const engine::ModelFiles m = engine::resolveModel(
                p.isSet(model) ? p.value(model).toStdString() : std::string(engine::kDefaultModelName));
            spec.configPath = m.config;
            spec.checkpointPath = m.checkpoint;
            spec.modelName = m.name;
        }
    } catch (const Error& e) {
        // Everything in this block finds the model: a name that matches no model is a model
        // problem (4), not a missing input (3), though the engine reports it as a file not found.
        printError(QString::fromStdString(e.what()));
        return kExitModel;
    }

    const QString dev = p.value(deviceOpt).toLower();
    if (dev != QLatin1String("auto")) {
        const auto id = device::DeviceId::parse(dev.toStdString());
        if (!id) {
            printError(QStringLiteral("Unknown device \"%1\": use auto, cpu, cuda, cuda:N or mps.").arg(dev));
            return kExitUsage;
        }
        spec.device = *id;
    }
    if (p.isSet(overlap)) {
        bool ok = false;
        spec.overlap = p.value(overlap).toInt(&ok);
        // The bound a config's inference.num_overlap has (model_config.cpp): 99999 made the step
        // a few samples and a 10 ms file ran for minutes.
        if (!ok || spec.overlap < 1 || spec.overlap > 1024) {
            printError(QStringLiteral("--overlap needs a whole number from 1 to 1024 (got \"%1\"); 2 to 8 is usual.")
                           .arg(p.value(overlap)));
            return kExitUsage;
        }
    }
    if (p.isSet(batch)) {
        if (p.value(batch).toLower() == QLatin1String("auto")) {
            spec.batchSize = -1;
        } else {
            bool ok = false;
            spec.batchSize = p.value(batch).toInt(&ok);
            if (!ok || spec.batchSize < 1) {
                printError(QStringLiteral("--batch needs a whole number of at least 1 or \"auto\" (got \"%1\").")
                               .arg(p.value(batch)));
                return kExitUsage;
            }
        }
    }
    if (p.isSet(precision)) {
        const auto pr = device::parsePrecision(p.value(precision).toStdString());
        if (!pr) {
            printError(QStringLiteral("Unknown precision \"%1\": use fp32, fp16 or bf16.").arg(p.value(precision)));
            return kExitUsage;
        }
        spec.precision = *pr;
    }
    if (p.isSet(stems)) {
        for (const QString& s : p.value(stems).split(QLatin1Char(','), Qt::SkipEmptyParts))
            spec.stems.push_back(s.trimmed().toStdString());
        if (spec.stems.empty()) {
            printError(QStringLiteral("--stems needs at least one stem name."));
            return kExitUsage;
        }
    }
    spec.residual = p.isSet(residual);
    if (p.isSet(format)) {
        if (!audio::parseOutputFormat(p.value(format).toStdString())) {
            printError(QStringLiteral("Unknown format \"%1\": use one of %2.")
                           .arg(p.value(format), QString::fromLatin1(audio::allFormatNames().data(),
                                                                     static_cast<qsizetype>(audio::allFormatNames().size()))));
            return kExitUsage;
        }
        spec.format = p.value(format).toStdString();
    }
    if (p.isSet(naming)) spec.namingTemplate = p.value(naming).toStdString();
    spec.overwrite = p.isSet(overwrite);
    if (p.isSet(clip)) {
        const auto c = audio::parseClipPolicy(p.value(clip).toStdString());
        if (!c) {
            printError(QStringLiteral("Unknown clip policy \"%1\": use clamp, rescale, refuse or none.").arg(p.value(clip)));
            return kExitUsage;
        }
        spec.clip = *c;
    }
    spec.resampleBack = !p.isSet(modelRate);
    if (p.isSet(streaming)) {
        const QString m = p.value(streaming).toLower();
        if (m == QLatin1String("on")) spec.streaming = engine::JobSpec::Streaming::On;
        else if (m == QLatin1String("off")) spec.streaming = engine::JobSpec::Streaming::Off;
        else if (m != QLatin1String("auto")) {
            printError(QStringLiteral("--streaming takes auto, on or off (got \"%1\").").arg(p.value(streaming)));
            return kExitUsage;
        }
    }
    if (p.isSet(sumToMix)) {
        const QString m = p.value(sumToMix).toLower();
        if (m != QLatin1String("on") && m != QLatin1String("off")) {
            printError(QStringLiteral("--sum-to-mix takes on or off (got \"%1\").").arg(p.value(sumToMix)));
            return kExitUsage;
        }
        spec.sumToMix = m == QLatin1String("on");
    }
    if (p.isSet(softMask)) {
        spec.softMaskPower = parseSoftMask(p.value(softMask));
        if (!spec.softMaskPower) return kExitUsage;
    }
    if (p.isSet(wiener)) {
        spec.multichannelWiener = parseOnOff(QStringLiteral("wiener"), p.value(wiener));
        if (!spec.multichannelWiener) return kExitUsage;
    }
    spec.testTimeAugmentation = p.isSet(tta);
    spec.profile = p.isSet(profile);
    spec.replaceInvalidSamples = p.isSet(replaceInvalid);
    // The trace file follows the stems' rule: an existing file is replaced only with --overwrite,
    // and that is known before any work.
    if (spec.profile && !spec.overwrite && QFileInfo::exists(p.value(profile))) {
        printError(QStringLiteral("The profile trace %1 already exists (use --overwrite to replace it, or name another file).")
                       .arg(p.value(profile)));
        return kExitOutput;
    }
    const bool asJson = p.isSet(json);

    // Inputs: every name must exist before anything runs (a manifest's missing entries are failed
    // tracks instead: one lost file must not stop a shard of thousands).
    for (const QString& in : inputs)
        if (!QFileInfo::exists(in)) {
            printError(isUndecodableName(toPath(in)) ? QString::fromStdString(undecodableNameMessage(in.toStdString()))
                                                     : QStringLiteral("The input %1 does not exist.").arg(in));
            return kExitInput;
        }
    std::optional<ManifestRun> manifestRun;
    if (fromManifest) {
        try {
            manifestRun = planManifest(toPath(p.value(manifestOpt)), shard.value_or(jobs::Shard{}), spec);
        } catch (const Error& e) {
            printError(QString::fromStdString(e.what()), QString::fromStdString(e.detail()));
            return exitCodeFor(e.code());
        }
        for (const std::string& d : manifestRun->manifest.duplicates)
            QTextStream(stderr) << "stemdeck-cli: note: manifest " << QString::fromStdString(d) << "; it is done once.\n";
        for (const ManifestTrack& t : manifestRun->tracks)
            if (t.status == "failed") printError(QString::fromStdString(t.reason));
    }

    jobs::JobQueue queue(&engine::runJob);
    std::map<quint64, std::vector<ProfileEvent>> events;
    ProgressBar bar(::isatty(STDERR_FILENO) != 0);
    QMap<quint64, int> indexOf;
    int total = 0;
    QObject::connect(&queue, &jobs::JobQueue::profileEvent, [&](quint64 id, const ProfileEvent& e) {
        if (spec.profile) events[id].push_back(e);
    });
    QObject::connect(&queue, &jobs::JobQueue::jobProgress,
                     [&](quint64 id, double fraction, const QString& stage, double eta) {
                         bar.update(queue.job(id).file, fraction, stage, eta, indexOf.value(id), total);
                     });
    QObject::connect(&queue, &jobs::JobQueue::jobFinished, [&](quint64 id, jobs::JobState state) {
        bar.clear();
        const jobs::JobInfo job = queue.job(id);
        if (state == jobs::JobState::Failed) {
            printError(QStringLiteral("%1: %2").arg(job.file, job.errorMessage), job.errorDetail);
            // The offer that goes with a device failure (the GUI shows it as "Retry on CPU").
            const bool deviceTrouble = job.errorCode == ErrorCode::NumericalFailure ||
                                       job.errorCode == ErrorCode::BackendFailure ||
                                       job.errorCode == ErrorCode::OutOfMemory;
            if (deviceTrouble && job.spec.device != device::DeviceId::cpu())
                QTextStream(stderr) << "  The CPU is slower but avoids this: run again with --device cpu.\n";
            if (job.errorCode == ErrorCode::NonFiniteAudio)
                QTextStream(stderr) << "  To separate it anyway with those samples as silence: run again with "
                                       "--replace-invalid-samples.\n";
        }
        if (!asJson && state == jobs::JobState::Done) {
            QTextStream o(stdout);
            const engine::JobResult& r = job.result;
            o << job.file << ": " << r.files.size() << (r.files.size() == 1 ? " stem" : " stems") << ", device "
              << QString::fromStdString(r.device)
              << ", chunk " << QString::number(r.chunkSeconds, 'f', 2) << " s, overlap " << r.overlap << ", batch "
              << r.batchSize
              << (r.softMaskPower > 0 ? QStringLiteral(", soft masks p %1").arg(r.softMaskPower) : QString())
              << (r.wienerPasses > 0 ? QStringLiteral(", Wiener filter x%1").arg(r.wienerPasses) : QString())
              << (r.testTimeAugmentation ? QStringLiteral(", test-time augmentation") : QString())
              << ", sum check " << QString::number(r.sumCheckDb, 'f', 1) << " dB\n";
            for (const engine::StemFile& f : r.files) o << "  " << QString::fromStdString(f.path.string()) << '\n';
            for (const std::string& n : r.notes) o << "  note: " << QString::fromStdString(n) << '\n';
        }
    });

    // One job per file: one device used by one separation at a time (JobQueue's rule).
    queue.setMaxConcurrentJobs(1);
    QList<quint64> ids;
    if (manifestRun) {
        for (ManifestTrack& t : manifestRun->tracks) {
            if (!t.status.empty()) continue;
            t.job = queue.addFile(qpath(t.entry.path), t.spec);
            if (t.job == 0) {
                t.status = "failed";
                t.reason = "The input " + t.entry.path.string() + " disappeared before its turn.";
                printError(QString::fromStdString(t.reason));
            } else {
                ids.push_back(t.job);
            }
        }
    } else {
        // Every file of the run, checked as a whole before any is separated: two inputs whose
        // stems would land on the same files (album1/01.wav and album2/01.wav) are refused here,
        // not after the first has been written. A folder scan leaves out what lies in the
        // destination: the stems of an earlier run there are not new inputs.
        const std::filesystem::path dest = std::filesystem::absolute(spec.outputDir).lexically_normal();
        QStringList files;
        std::vector<std::filesystem::path> paths;
        std::set<std::filesystem::path> seen; // a file named twice (or in two named folders) runs once
        for (const QString& f : jobs::JobQueue::filesIn(inputs)) {
            const std::filesystem::path abs = std::filesystem::absolute(toPath(f)).lexically_normal();
            const auto [d, a] = std::mismatch(dest.begin(), dest.end(), abs.begin(), abs.end());
            if (d == dest.end() && !inputs.contains(f)) continue; // below the destination, found by a scan
            if (!seen.insert(abs).second) continue;
            files.append(f);
            paths.push_back(abs);
        }
        try {
            if (const auto shared = findSharedOutput(paths, spec, writtenStemNames(spec))) {
                printError(QStringLiteral("%1 and %2 would write the same stem file %3. %4")
                               .arg(files[int(shared->first)], files[int(shared->second)],
                                    QString::fromStdString(shownOutput(shared->file)),
                                    QString::fromUtf8(kSharedOutputAdvice)));
                return kExitUsage;
            }
        } catch (const Error& e) {
            printError(QString::fromStdString(e.what()));
            return exitCodeFor(e.code());
        }
        for (const QString& f : files)
            if (const quint64 id = queue.addFile(f, spec)) ids.append(id);
        if (ids.isEmpty()) {
            printError(QStringLiteral("No audio files found in: %1.").arg(inputs.join(QStringLiteral(", "))));
            return kExitInput;
        }
    }
    for (int i = 0; i < ids.size(); ++i) indexOf.insert(ids[i], i + 1);
    total = static_cast<int>(ids.size());

    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        if (g_interrupted.load()) queue.cancelAll();
    });
    poll.start(100);
    if (!ids.isEmpty()) queue.waitForAll();
    poll.stop();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    bar.clear();

    // Result and exit code.
    nlohmann::json report = nlohmann::json::array();
    std::set<int> failureCodes;
    bool cancelled = false;
    for (quint64 id : ids) {
        const jobs::JobInfo job = queue.job(id);
        report.push_back(resultJson(job));
        if (job.state == jobs::JobState::Failed) failureCodes.insert(exitCodeFor(job.errorCode));
        if (job.state == jobs::JobState::Cancelled) cancelled = true;
    }
    if (spec.profile) {
        nlohmann::json trace = nlohmann::json::array();
        int pid = 1;
        for (quint64 id : ids) {
            nlohmann::json one = nlohmann::json::parse(engine::chromeTraceJson(events[id]));
            for (auto& e : one["traceEvents"]) {
                e["pid"] = pid;
                if (e.value("name", "") == "process_name") e["args"]["name"] = queue.job(id).file.toStdString();
                trace.push_back(e);
            }
            ++pid;
            const jobs::JobInfo job = queue.job(id);
            if (job.state == jobs::JobState::Done)
                std::fprintf(stderr, "%s\n%s", qPrintable(job.file), engine::describe(job.result.profile).c_str());
        }
        const std::filesystem::path tracePath = toPath(p.value(profile));
        // Never over a file of this run: an input, or a stem just written (--overwrite allowed
        // "--profile out/song/vocals.wav" to replace that stem with the trace).
        for (quint64 id : ids) {
            const jobs::JobInfo job = queue.job(id);
            std::vector<std::filesystem::path> ours{toPath(job.file)};
            for (const auto& f : job.result.files) ours.push_back(f.path);
            for (const auto& f : ours) {
                std::error_code ec;
                if (std::filesystem::equivalent(f, tracePath, ec)) {
                    printError(QStringLiteral("The profile trace %1 would replace %2 of this run; the trace was not written.")
                                   .arg(p.value(profile), qpath(f)));
                    return kExitOutput;
                }
            }
        }
        // Written whole or not at all (QSaveFile: a temporary renamed into place), so a full disk
        // leaves no empty trace and keeps an earlier one.
        QSaveFile f(p.value(profile));
        const std::string text = nlohmann::json{{"traceEvents", trace}, {"displayTimeUnit", "ms"}}.dump(1);
        if (!f.open(QIODevice::WriteOnly) || f.write(text.data(), qint64(text.size())) != qint64(text.size()) ||
            !f.commit()) {
            printError(QStringLiteral("Could not write the profile trace %1: %2.").arg(p.value(profile), f.errorString()));
            return kExitOutput;
        }
    }
    if (manifestRun) {
        bool anyFailed = false;
        for (ManifestTrack& t : manifestRun->tracks) {
            if (t.job != 0) {
                const jobs::JobInfo job = queue.job(t.job);
                if (job.state == jobs::JobState::Done) {
                    const std::string problem = verifyWritten(t, job.result);
                    t.status = problem.empty() ? "separated" : "failed";
                    if (!problem.empty()) {
                        t.reason = problem;
                        printError(QStringLiteral("%1: %2").arg(job.file, QString::fromStdString(problem)));
                    }
                } else if (job.state == jobs::JobState::Failed) {
                    t.status = "failed";
                    t.reason = job.errorMessage.toStdString();
                } else {
                    t.status = "cancelled";
                }
            }
            anyFailed = anyFailed || t.status == "failed";
        }
        if (asJson)
            // A manifest line that is not valid UTF-8 keeps its bytes in "entry": written with
            // U+FFFD in their place (the JSON library refuses invalid UTF-8 otherwise).
            std::cout << nlohmann::json{{"version", STEMDECK_VERSION}, {"jobs", report}, {"manifest", manifestJson(*manifestRun)}}
                             .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                      << std::endl;
        else
            printManifestSummary(*manifestRun);
        // Per-track failures do not stop a shard; the exit code says some failed (the summary says
        // which), so a scheduler can mark the task for a rerun, which redoes only what is missing.
        if (cancelled || g_interrupted.load()) return kExitCancelled;
        return anyFailed ? kExitFailed : kExitOk;
    }
    if (asJson)
        std::cout << nlohmann::json{{"version", STEMDECK_VERSION}, {"jobs", report}}.dump(2, ' ', false,
                                                                                         nlohmann::json::error_handler_t::replace)
                  << std::endl;

    if (cancelled || g_interrupted.load()) return kExitCancelled;
    if (failureCodes.empty()) return kExitOk;
    if (failureCodes.size() == 1 && ids.size() == 1) return *failureCodes.begin();
    return failureCodes.size() == 1 ? *failureCodes.begin() : kExitFailed;
}

} // namespace stemdeck::cli
