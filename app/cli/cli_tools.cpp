// `stemdeck-cli info`, `model-info`, `eval` and `convert`: small commands over the device layer's
// facts, the engine's model description, the SDR metric and the audio layer's decode/export.
#include "cli.h"

#include "audio/decode.h"
#include "audio/export.h"
#include "audio/output_format.h"
#include "device/backend.h"
#include "device/device_info.h"
#include "dsp/sdr.h"
#include "engine/model_info.h"
#include "engine/pipeline.h"
#include "jobs/job_queue.h"

#include <QCommandLineParser>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QTextStream>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace stemdeck::cli {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

// "2048, 1024, 512"
QString sizesText(const std::vector<int64_t>& sizes) {
    QStringList parts;
    for (const int64_t n : sizes) parts << QString::number(n);
    return parts.join(QStringLiteral(", "));
}


} // namespace

int runInfo(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Devices found, their capabilities, and the models available."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("This help."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Machine-readable output."));
    p.addOptions({help, json});
    if (int rc = parseOrExit(p, args, help, 0, "info [--json]"); rc >= 0) return rc;

    const device::DeviceInfo info = device::DeviceInfoCache::global().info();
    const std::vector<engine::ModelFiles> models = engine::availableModels();
    if (p.isSet(json)) {
        nlohmann::json m = nlohmann::json::array();
        for (const auto& f : models)
            m.push_back({{"name", f.name}, {"config", f.config.string()}, {"checkpoint", f.checkpoint.string()}});
        std::cout << nlohmann::json{{"version", STEMDECK_VERSION}, {"devices", device::toJson(info)}, {"models", m}}.dump(2)
                  << std::endl;
        return kExitOk;
    }
    QTextStream o(stdout);
    o << "StemDeck " << STEMDECK_VERSION << "\n\n" << qs(device::describe(info)) << '\n';
    o << "Models:";
    if (models.empty()) {
        o << " none installed (searched:";
        for (const auto& d : engine::modelSearchPaths()) o << ' ' << qs(d.string());
        o << ")\n";
    } else {
        o << '\n';
        for (const auto& f : models) o << "  " << qs(f.name) << "  (" << qs(f.checkpoint.string()) << ")\n";
    }
    return kExitOk;
}

int runModelInfo(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("What a model config and checkpoint hold, and whether they match."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("This help."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Machine-readable output."));
    p.addOptions({help, json});
    p.addPositionalArgument(QStringLiteral("CONFIG"), QStringLiteral("Model config (YAML)."));
    p.addPositionalArgument(QStringLiteral("CHECKPOINT"), QStringLiteral("Weights (.ckpt, .pth, .safetensors)."));
    if (int rc = parseOrExit(p, args, help, 2, "model-info CONFIG CHECKPOINT [--json]"); rc >= 0) return rc;
    try {
        const engine::ModelDescription d =
            engine::describeModelFiles(toPath(p.positionalArguments()[0]), toPath(p.positionalArguments()[1]));
        if (p.isSet(json)) {
            std::cout << nlohmann::json{{"config", d.config.string()},
                                        {"checkpoint", d.checkpoint.string()},
                                        {"stems", d.stems},
                                        {"sample_rate", d.sampleRate},
                                        {"channels", d.channels},
                                        {"chunk_size", d.chunkSize},
                                        {"chunk_seconds", d.chunkSeconds},
                                        {"num_overlap", d.overlap},
                                        {"batch_size", d.batchSize},
                                        {"soft_mask_power", d.softMaskPower},
                                        {"mixture_consistency", d.mixtureConsistency},
                                        {"multichannel_wiener", d.multichannelWiener},
                                        {"wiener_iterations", d.wienerIterations},
                                        {"wiener_n_fft", d.wienerFftSizes},
                                        {"parameters", d.parameterCount},
                                        {"weights_match", d.weightsMatch},
                                        {"weight_report", d.weightReport}}
                             .dump(2)
                      << std::endl;
        } else {
            QTextStream o(stdout);
            QStringList stems;
            for (const auto& s : d.stems) stems << qs(s);
            o << "stems:        " << stems.join(QStringLiteral(", ")) << '\n'
              << "sample rate:  " << d.sampleRate << " Hz, " << d.channels << " channels\n"
              << "chunk:        " << d.chunkSize << " samples (" << QString::number(d.chunkSeconds, 'f', 2) << " s)\n"
              << "inference:    overlap " << d.overlap << ", batch " << d.batchSize
              << (d.softMaskPower > 0 ? QStringLiteral(", soft masks p %1").arg(d.softMaskPower) : QString())
              << (d.multichannelWiener ? (d.wienerIterations > 1 ? QStringLiteral(", multichannel Wiener filter (%1 passes)").arg(d.wienerIterations)
                                                              : QStringLiteral(", multichannel Wiener filter"))
                                       : QString())
              << (d.multichannelWiener && !d.wienerFftSizes.empty() ? QStringLiteral(" at STFT sizes %1").arg(sizesText(d.wienerFftSizes)) : QString())
              << (d.mixtureConsistency ? ", stems sum to the mix" : "") << '\n'
              << "parameters:   " << d.parameterCount << '\n'
              << "weights:      " << (d.weightsMatch ? "match the config" : "DO NOT match the config") << '\n';
            if (!d.weightsMatch) o << qs(d.weightReport) << '\n';
        }
        return d.weightsMatch ? kExitOk : kExitModel;
    } catch (const Error& e) {
        printError(qs(e.what()), qs(e.detail()));
        return exitCodeFor(e.code());
    }
}

int runEval(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Per-stem SDR in dB (10 log10 of reference energy over error energy, the MDX challenge "
                       "definition) and the mean. Stems are matched by file name without extension."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("This help."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Machine-readable output."));
    p.addOptions({help, json});
    p.addPositionalArgument(QStringLiteral("REF_DIR"), QStringLiteral("Reference stems (<stem>.wav, ...)."));
    p.addPositionalArgument(QStringLiteral("EST_DIR"), QStringLiteral("Estimated stems, same names."));
    if (int rc = parseOrExit(p, args, help, 2, "eval REF_DIR EST_DIR [--json]"); rc >= 0) return rc;
    const QString refDir = p.positionalArguments()[0], estDir = p.positionalArguments()[1];
    for (const QString& d : {refDir, estDir})
        if (!QFileInfo(d).isDir()) {
            printError(QStringLiteral("%1 is not a folder.").arg(d));
            return kExitInput;
        }
    // Estimates by base name.
    QMap<QString, QString> estimates;
    for (const QFileInfo& f : QDir(estDir).entryInfoList(QDir::Files, QDir::Name))
        if (jobs::isAudioFile(f.filePath())) estimates.insert(f.completeBaseName(), f.filePath());
    std::vector<std::string> names;
    std::vector<double> values;
    QStringList notes;
    try {
        for (const QFileInfo& f : QDir(refDir).entryInfoList(QDir::Files, QDir::Name)) {
            if (!jobs::isAudioFile(f.filePath())) continue;
            const QString stem = f.completeBaseName();
            if (!estimates.contains(stem)) {
                printError(QStringLiteral("No estimate for stem \"%1\" in %2.").arg(stem, estDir));
                return kExitInput;
            }
            const audio::Decoded ref = audio::decodeFile(toPath(f.filePath()));
            const audio::Decoded est = audio::decodeFile(toPath(estimates.value(stem)));
            if (ref.audio.sampleRate != est.audio.sampleRate || ref.audio.channels != est.audio.channels) {
                printError(QStringLiteral("Stem \"%1\": reference and estimate differ in sample rate or channels "
                                          "(%2 Hz x %3 vs %4 Hz x %5).")
                               .arg(stem)
                               .arg(ref.audio.sampleRate)
                               .arg(ref.audio.channels)
                               .arg(est.audio.sampleRate)
                               .arg(est.audio.channels));
                return kExitInput;
            }
            // Compare over the common length (codecs may pad the end by a few samples).
            const int64_t n = std::min(ref.audio.frames, est.audio.frames);
            if (ref.audio.frames != est.audio.frames)
                notes << QStringLiteral("%1: lengths differ (%2 vs %3 frames); compared the first %4.")
                             .arg(stem)
                             .arg(ref.audio.frames)
                             .arg(est.audio.frames)
                             .arg(n);
            std::vector<float> r, e;
            for (int c = 0; c < ref.audio.channels; ++c) {
                auto rc = ref.audio.channel(c), ec = est.audio.channel(c);
                r.insert(r.end(), rc.begin(), rc.begin() + n);
                e.insert(e.end(), ec.begin(), ec.begin() + n);
            }
            names.push_back(stem.toStdString());
            values.push_back(dsp::sdr(r, e));
        }
    } catch (const Error& e) {
        printError(qs(e.what()), qs(e.detail()));
        return exitCodeFor(e.code());
    }
    if (names.empty()) {
        printError(QStringLiteral("No reference stems (audio files) in %1.").arg(refDir));
        return kExitInput;
    }
    double mean = 0;
    for (double v : values) mean += v;
    mean /= double(values.size());
    if (p.isSet(json)) {
        nlohmann::json per = nlohmann::json::object();
        for (size_t i = 0; i < names.size(); ++i) per[names[i]] = values[i];
        std::vector<std::string> n;
        for (const QString& s : notes) n.push_back(s.toStdString());
        std::cout << nlohmann::json{{"sdr", per}, {"mean", mean}, {"notes", n}}.dump(2) << std::endl;
    } else {
        QTextStream o(stdout);
        for (size_t i = 0; i < names.size(); ++i)
            o << qs(names[i]).leftJustified(16) << QString::number(values[i], 'f', 3).rightJustified(9) << " dB\n";
        o << QStringLiteral("mean").leftJustified(16) << QString::number(mean, 'f', 3).rightJustified(9) << " dB\n";
        for (const QString& s : notes) o << "note: " << s << '\n';
    }
    return kExitOk;
}

int runConvert(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Converts an audio file (same rate and channels)."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("This help."));
    const QCommandLineOption format(QStringLiteral("format"),
                                    QStringLiteral("Output format (default: from OUT's extension and the input's depth)."),
                                    QStringLiteral("FMT"));
    const QCommandLineOption overwrite(QStringLiteral("overwrite"), QStringLiteral("Replace OUT if it exists."));
    p.addOptions({help, format, overwrite});
    p.addPositionalArgument(QStringLiteral("IN"), QStringLiteral("Input audio file."));
    p.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("Output file."));
    if (int rc = parseOrExit(p, args, help, 2, "convert IN OUT [--format FMT] [--overwrite]"); rc >= 0) return rc;
    try {
        const audio::Decoded in = audio::decodeFile(toPath(p.positionalArguments()[0]));
        const QString outPath = p.positionalArguments()[1];
        std::optional<audio::OutputFormat> fmt;
        if (p.isSet(format)) {
            fmt = audio::parseOutputFormat(p.value(format).toStdString());
            if (!fmt) {
                printError(QStringLiteral("Unknown format \"%1\".").arg(p.value(format)));
                return kExitUsage;
            }
        } else {
            const QString ext = QFileInfo(outPath).suffix().toLower();
            const audio::OutputFormat def = audio::defaultOutputFormat(in.info);
            const bool deep = in.info.kind == audio::SampleKind::Pcm24 || in.info.kind == audio::SampleKind::Pcm32 ||
                              in.info.kind == audio::SampleKind::Float;
            if (ext == QLatin1String("wav")) fmt = def == audio::OutputFormat::Flac16 ? audio::OutputFormat::Wav16
                                                 : def == audio::OutputFormat::Flac24 ? audio::OutputFormat::Wav24
                                                                                       : def;
            else if (ext == QLatin1String("flac")) fmt = deep ? audio::OutputFormat::Flac24 : audio::OutputFormat::Flac16;
            else if (ext == QLatin1String("mp3")) fmt = audio::OutputFormat::Mp3V0;
            else if (ext == QLatin1String("ogg")) fmt = audio::OutputFormat::Ogg;
            else {
                printError(QStringLiteral("Cannot tell the format from \"%1\": use --format.").arg(outPath));
                return kExitUsage;
            }
        }
        audio::ExportOptions eo;
        eo.format = *fmt;
        eo.overwrite = p.isSet(overwrite);
        eo.clip = audio::ClipPolicy::Clamp;
        const audio::ExportResult r = audio::exportAudio(in.audio, toPath(outPath), eo);
        QTextStream(stdout) << qs(r.path.string()) << " (" << audio::formatDescription(*fmt) << ")\n";
        if (!r.note.empty() && r.limited) QTextStream(stderr) << "note: " << qs(r.note) << '\n';
        return kExitOk;
    } catch (const Error& e) {
        printError(qs(e.what()), qs(e.detail()));
        return exitCodeFor(e.code());
    }
}

} // namespace stemdeck::cli
