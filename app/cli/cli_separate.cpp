// `stemdeck-cli separate`: builds a JobSpec from the options, runs every input through
// jobs::JobQueue with engine::runJob (the GUI's exact code path), shows a progress bar on a TTY,
// and reports the result (plain text, or JSON on stdout with --json).
#include "cli.h"

#include "audio/output_format.h"
#include "device/device_kind.h"
#include "device/precision.h"
#include "engine/pipeline.h"
#include "engine/profiler.h"
#include "jobs/job_queue.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QMap>
#include <QTextStream>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <unistd.h>

namespace stemdeck::cli {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int) {
    g_interrupted.store(true);
    std::signal(SIGINT, SIG_DFL); // a second Ctrl+C ends the process at once
}

std::filesystem::path toPath(const QString& s) { return std::filesystem::path(s.toStdU16String()); }
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
                                       QStringLiteral("fp32, fp16 or bf16 (default: the device's, fp32 today)."),
                                       QStringLiteral("P"));
    const QCommandLineOption stems(QStringLiteral("stems"), QStringLiteral("Comma-separated subset of stems to write."),
                                   QStringLiteral("LIST"));
    const QCommandLineOption residual(QStringLiteral("residual"),
                                      QStringLiteral("Also write the mix minus the selected stems (no_<stem>, instrumental)."));
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("Output format: %1 (default: follows the input).")
                                        .arg(QString::fromLatin1(audio::allFormatNames().data(),
                                                                 static_cast<qsizetype>(audio::allFormatNames().size()))),
                                    QStringLiteral("FMT"));
    const QCommandLineOption naming(QStringLiteral("template"),
                                    QStringLiteral("Output path below DIR (default {track}/{stem}.{ext}; also {model}, "
                                                   "{date}, {index})."),
                                    QStringLiteral("T"));
    const QCommandLineOption overwrite(QStringLiteral("overwrite"), QStringLiteral("Replace existing files."));
    const QCommandLineOption clip(QStringLiteral("clip"),
                                  QStringLiteral("Stems peaking above 0 dBFS: clamp (default), rescale, refuse or none."),
                                  QStringLiteral("POLICY"));
    const QCommandLineOption modelRate(QStringLiteral("model-rate"),
                                       QStringLiteral("Write at the model's sample rate instead of the input's."));
    const QCommandLineOption profile(QStringLiteral("profile"),
                                     QStringLiteral("Write a Chrome trace (open in ui.perfetto.dev) and print a summary."),
                                     QStringLiteral("trace.json"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Machine-readable result on stdout."));
    const QCommandLineOption streaming(QStringLiteral("streaming"),
                                       QStringLiteral("auto (default: tracks over 5 minutes), on or off: process block by "
                                                      "block in bounded memory."),
                                       QStringLiteral("MODE"));
    p.addOptions({out, model, config, checkpoint, deviceOpt, overlap, batch, precision, stems, residual, format, naming,
                  overwrite, clip, modelRate, profile, json, streaming});

    if (!p.parse(args)) {
        printError(p.errorText() + QStringLiteral(". See `stemdeck-cli separate --help`."));
        return kExitUsage;
    }
    if (p.isSet(help)) {
        QTextStream(stdout) << p.helpText();
        return kExitOk;
    }
    const QStringList inputs = p.positionalArguments();
    if (inputs.isEmpty()) {
        printError(QStringLiteral("Name at least one input file or folder."));
        return kExitUsage;
    }
    if (!p.isSet(out)) {
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
        printError(QString::fromStdString(e.what()));
        return exitCodeFor(e.code());
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
        if (!ok || spec.overlap < 1) {
            printError(QStringLiteral("--overlap needs a whole number of at least 1 (got \"%1\").").arg(p.value(overlap)));
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
    spec.profile = p.isSet(profile);
    const bool asJson = p.isSet(json);

    // Inputs: every name must exist before anything runs.
    for (const QString& in : inputs)
        if (!QFileInfo::exists(in)) {
            printError(QStringLiteral("The input %1 does not exist.").arg(in));
            return kExitInput;
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
        }
        if (!asJson && state == jobs::JobState::Done) {
            QTextStream o(stdout);
            const engine::JobResult& r = job.result;
            o << job.file << ": " << r.files.size() << " stems, device " << QString::fromStdString(r.device)
              << ", chunk " << QString::number(r.chunkSeconds, 'f', 2) << " s, overlap " << r.overlap << ", batch "
              << r.batchSize << ", sum check " << QString::number(r.sumCheckDb, 'f', 1) << " dB\n";
            for (const engine::StemFile& f : r.files) o << "  " << QString::fromStdString(f.path.string()) << '\n';
            for (const std::string& n : r.notes) o << "  note: " << QString::fromStdString(n) << '\n';
        }
    });

    // One job per file: one device used by one separation at a time (JobQueue's rule).
    queue.setMaxConcurrentJobs(1);
    const QList<quint64> ids = queue.addPaths(inputs, spec);
    for (int i = 0; i < ids.size(); ++i) indexOf.insert(ids[i], i + 1);
    total = static_cast<int>(ids.size());
    if (ids.isEmpty()) {
        printError(QStringLiteral("No audio files found in: %1.").arg(inputs.join(QStringLiteral(", "))));
        return kExitInput;
    }

    std::signal(SIGINT, onInterrupt);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        if (g_interrupted.load()) queue.cancelAll();
    });
    poll.start(100);
    queue.waitForAll();
    poll.stop();
    std::signal(SIGINT, SIG_DFL);
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
        std::ofstream f(tracePath, std::ios::binary | std::ios::trunc);
        f << nlohmann::json{{"traceEvents", trace}, {"displayTimeUnit", "ms"}}.dump(1);
        if (!f) {
            printError(QStringLiteral("Could not write the profile trace %1.").arg(p.value(profile)));
            return kExitOutput;
        }
    }
    if (asJson) std::cout << nlohmann::json{{"version", STEMDECK_VERSION}, {"jobs", report}}.dump(2) << std::endl;

    if (cancelled || g_interrupted.load()) return kExitCancelled;
    if (failureCodes.empty()) return kExitOk;
    if (failureCodes.size() == 1 && ids.size() == 1) return *failureCodes.begin();
    return failureCodes.size() == 1 ? *failureCodes.begin() : kExitFailed;
}

} // namespace stemdeck::cli
