// `stemdeck-cli demo`: the bundled demo loop.
//   demo --render DIR   renders the loop and its five ground-truth stems from the installed
//                       Hydrogen validation kits (app/train/demo.h), bit for bit reproducible;
//   demo [-o DIR]       separates the shipped loop with the default model and prints each stem's
//                       SDR against freshly rendered ground truth (what ./run.sh shows headless).
// The separation and the scoring are `separate` and `eval` themselves, so the demo measures the
// code users run.
#include "cli.h"

#include "audio/decode.h"
#include "audio/export.h"
#include "common/resource_paths.h"
#include "dsp/sdr.h"
#include "engine/pipeline.h"
#include "train/demo.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

namespace stemdeck::cli {

namespace {

QString qs(const std::filesystem::path& p) { return QString::fromStdU16String(p.u16string()); }

// A small text file, written atomically (QSaveFile) and never over an existing one unless asked.
void writeTextFile(const std::filesystem::path& path, const std::string& text, bool overwrite) {
    if (!overwrite && std::filesystem::exists(path))
        throw Error(ErrorCode::DestinationExists,
                    "Cannot save \"" + path.string() + "\": a file with that name already exists (use --overwrite to replace it).");
    QSaveFile f(qs(path));
    if (!f.open(QIODevice::WriteOnly) || f.write(text.data(), qint64(text.size())) != qint64(text.size()) || !f.commit())
        throw Error(ErrorCode::WriteFailed, "Cannot save \"" + path.string() + "\": " + f.errorString().toStdString());
}

// Writes the loop (24-bit FLAC, what resources/demo ships), demo-loop.json (how to render it
// again: seed, seconds, tempo, kits) and its stems (32-bit float WAV, so SDR against them
// measures the model, not the file format) under dir.
void writeDemo(const train::DemoLoop& loop, uint64_t seed, double seconds, const std::filesystem::path& dir,
               bool overwrite) {
    // All or nothing: refuse before writing anything when one of the files is there already.
    std::vector<std::filesystem::path> files{dir / "demo-loop.flac", dir / "demo-loop.json"};
    for (int s = 0; s < train::kStemCount; ++s) files.push_back(dir / "stems" / (std::string(train::kStemNames[s]) + ".wav"));
    for (const auto& f : files)
        if (!overwrite && std::filesystem::exists(f))
            throw Error(ErrorCode::DestinationExists, "Cannot save \"" + f.string() +
                                                          "\": a file with that name already exists (use --overwrite to replace it).");
    audio::ExportOptions mixOptions;
    mixOptions.format = audio::OutputFormat::Flac24;
    mixOptions.clip = audio::ClipPolicy::Refuse;
    mixOptions.overwrite = overwrite;
    audio::exportAudio(loop.mix, files[0], mixOptions);
    const nlohmann::json recipe{{"seed", seed}, {"seconds", seconds}, {"bpm", loop.bpm}, {"kits", loop.kits},
                                {"render", "stemdeck-cli demo --render DIR --seed " + std::to_string(seed) +
                                               " --seconds " + QString::number(seconds).toStdString()}};
    const std::string text = recipe.dump(2) + "\n";
    writeTextFile(files[1], text, overwrite);
    audio::ExportOptions stemOptions = mixOptions;
    stemOptions.format = audio::OutputFormat::Wav32f;
    for (int s = 0; s < train::kStemCount; ++s)
        audio::exportAudio(loop.stems[s], files[2 + static_cast<size_t>(s)], stemOptions);
}

// How far the shipped loop is from a fresh render, in dB of error energy below the signal
// (very negative: the same audio, so the rendered stems are its ground truth).
double mismatchDb(const std::filesystem::path& shipped, const train::DemoLoop& loop) {
    const audio::Decoded d = audio::decodeFile(shipped);
    if (d.audio.channels != loop.mix.channels || d.audio.sampleRate != loop.mix.sampleRate ||
        d.audio.frames != loop.mix.frames)
        return 0.0;
    return -dsp::sdr(loop.mix.samples, d.audio.samples);
}

int renderCommand(const QString& dirArg, uint64_t seed, double seconds, const QString& drumkits, bool overwrite) {
    const std::filesystem::path dir = toPath(dirArg);
    const train::DemoLoop loop = train::renderDemo(seed, seconds, toPath(drumkits));
    writeDemo(loop, seed, seconds, dir, overwrite);
    QTextStream o(stdout);
    o << "Rendered a " << QString::number(seconds, 'f', 1) << " s loop at " << QString::number(loop.bpm, 'f', 1)
      << " BPM (seed " << seed << ") from the held-out validation kits (" << qs(loop.kits.empty() ? "" : loop.kits.front());
    for (size_t k = 1; k < loop.kits.size(); ++k) o << ", " << qs(loop.kits[k]);
    o << "):\n  " << qs(dir / "demo-loop.flac") << "\n  " << qs(dir / "stems") << "/{kick,snare,toms,hh,cymbals}.wav\n";
    return kExitOk;
}

int separateCommand(const QString& outArg, const QString& device, bool overwrite) {
    const std::filesystem::path demoDir = findResourceDir("demo");
    const std::filesystem::path shipped = demoDir / "demo" / "demo-loop.flac";
    if (demoDir.empty() || !std::filesystem::is_regular_file(shipped)) {
        printError(QStringLiteral("The demo loop is not installed (looked for demo/demo-loop.flac in the resource "
                                  "folders). `stemdeck-cli demo --render DIR` makes one."));
        return kExitInput;
    }
    QTextStream o(stdout);
    o << "Separating the demo loop " << qs(shipped) << " with the bundled model " << engine::kDefaultModelName
      << " into " << outArg << '\n';
    o.flush();
    QStringList separateArgs{QStringLiteral("stemdeck-cli"), qs(shipped), QStringLiteral("-o"), outArg,
                             QStringLiteral("--template"), QStringLiteral("{stem}.{ext}"),
                             QStringLiteral("--format"), QStringLiteral("wav32f")};
    if (overwrite) separateArgs << QStringLiteral("--overwrite");
    if (!device.isEmpty()) separateArgs << QStringLiteral("--device") << device;
    if (int rc = runSeparate(separateArgs); rc != kExitOk) return rc;

    // Ground truth: rendered now from the installed kits (it is not shipped), with the recipe
    // saved beside the loop (the defaults when there is none).
    uint64_t seed = train::kDemoSeed;
    double seconds = train::kDemoSeconds;
    if (std::ifstream in(demoDir / "demo" / "demo-loop.json"); in) {
        const nlohmann::json recipe = nlohmann::json::parse(in, nullptr, false);
        if (recipe.is_object()) {
            seed = recipe.value("seed", seed);
            seconds = recipe.value("seconds", seconds);
        }
    }
    QTemporaryDir truth;
    train::DemoLoop loop;
    try {
        loop = train::renderDemo(seed, seconds);
    } catch (const Error& e) {
        o << "\nNo SDR: the ground-truth stems could not be rendered (" << QString::fromStdString(e.what())
          << "). They need the Debian packages hydrogen-drumkits and hydrogen-data.\n";
        return kExitOk;
    }
    const double mismatch = mismatchDb(shipped, loop);
    if (mismatch > -60.0) {
        o << "\nNo SDR: the installed demo loop is not the one these Hydrogen kits render (difference "
          << QString::number(mismatch, 'f', 1) << " dB), so there is no ground truth for it.\n";
        return kExitOk;
    }
    writeDemo(loop, seed, seconds, toPath(truth.path()), false);
    o << "\nSDR against the ground truth (the loop's stems rendered from the validation kits):\n";
    o.flush();
    return runEval({QStringLiteral("stemdeck-cli"), truth.path() + QStringLiteral("/stems"), outArg});
}

} // namespace

int runDemo(const QStringList& args) {
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "The bundled demo loop. Without --render: separate it with the bundled model and print each stem's SDR "
        "against its ground truth. With --render DIR: write the loop and its five stems, rendered from the "
        "installed Hydrogen validation kits (the same audio every time for a seed)."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("This help."));
    const QCommandLineOption render(QStringLiteral("render"),
                                    QStringLiteral("Write demo-loop.flac and stems/<stem>.wav into DIR."),
                                    QStringLiteral("DIR"));
    const QCommandLineOption out({QStringLiteral("o"), QStringLiteral("output")},
                                 QStringLiteral("Where the separated stems go (default: demo-output)."),
                                 QStringLiteral("DIR"), QStringLiteral("demo-output"));
    const QCommandLineOption device(QStringLiteral("device"), QStringLiteral("auto, cpu, cuda, cuda:N or mps."),
                                    QStringLiteral("D"));
    const QCommandLineOption overwrite(QStringLiteral("overwrite"), QStringLiteral("Replace existing files."));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("With --render: pattern seed (default 2026)."),
                                  QStringLiteral("N"), QString::number(train::kDemoSeed));
    const QCommandLineOption seconds(QStringLiteral("seconds"),
                                     QStringLiteral("With --render: length, 1-120 (default 16)."), QStringLiteral("S"),
                                     QString::number(train::kDemoSeconds));
    const QCommandLineOption drumkits(QStringLiteral("drumkits"),
                                      QStringLiteral("With --render: Hydrogen drumkits folder (default: the installed one)."),
                                      QStringLiteral("DIR"));
    p.addOptions({help, render, out, device, overwrite, seed, seconds, drumkits});
    if (int rc = parseOrExit(p, args, help, 0, "demo [-o DIR] [--device D] [--overwrite] | demo --render DIR [--seed N] [--seconds S] [--drumkits DIR] [--overwrite]");
        rc >= 0)
        return rc;
    try {
        if (p.isSet(render)) {
            bool okSeed = false, okSeconds = false;
            const qulonglong s = p.value(seed).toULongLong(&okSeed);
            const double len = p.value(seconds).toDouble(&okSeconds);
            if (!okSeed || !okSeconds) {
                printError(QStringLiteral("--seed takes a whole number and --seconds a number of seconds."));
                return kExitUsage;
            }
            return renderCommand(p.value(render), s, len, p.value(drumkits), p.isSet(overwrite));
        }
        return separateCommand(p.value(out), p.value(device), p.isSet(overwrite));
    } catch (const Error& e) {
        printError(QString::fromStdString(e.what()), QString::fromStdString(e.detail()));
        return exitCodeFor(e.code());
    }
}

} // namespace stemdeck::cli
