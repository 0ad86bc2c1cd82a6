#include "cli.h"

#include "model/model_config.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <QTextStream>

#include <cstdio>

namespace stemdeck::cli {

int exitCodeFor(ErrorCode code) {
    switch (code) {
    case ErrorCode::InvalidArgument: return kExitUsage;
    case ErrorCode::FileNotFound:
    case ErrorCode::UnreadableFile:
    case ErrorCode::UnsupportedFormat:
    case ErrorCode::EmptyInput:
    case ErrorCode::NonFiniteAudio: return kExitInput;
    case ErrorCode::InvalidConfig:
    case ErrorCode::InvalidCheckpoint:
    case ErrorCode::UnsafeCheckpoint:
    case ErrorCode::WeightMismatch: return kExitModel;
    case ErrorCode::DestinationExists:
    case ErrorCode::DestinationReadOnly:
    case ErrorCode::DestinationFull:
    case ErrorCode::WriteFailed:
    case ErrorCode::Clipping: return kExitOutput;
    case ErrorCode::OutOfMemory:
    case ErrorCode::DeviceUnavailable:
    case ErrorCode::BackendFailure:
    case ErrorCode::NumericalFailure: return kExitDevice;
    case ErrorCode::Cancelled: return kExitCancelled;
    case ErrorCode::Internal: return kExitFailed;
    }
    return kExitFailed;
}

QString sentence(const QString& text) {
    const QString t = text.trimmed();
    return t.endsWith(QLatin1Char('.')) ? t : t + QLatin1Char('.');
}

void printError(const QString& message, const QString& detail) {
    QTextStream err(stderr);
    err << "stemdeck-cli: " << message << '\n';
    if (!detail.isEmpty()) err << "  detail: " << detail << '\n';
    err.flush();
}

QString mainHelp() {
    return QStringLiteral(
        "Usage: stemdeck-cli <command> [options]\n"
        "\n"
        "Separates music into stems with MDX23C (TFC-TDF v3) models.\n"
        "\n"
        "Commands:\n"
        "  separate INPUT... -o DIR   separate files (or folders of audio files) into stems\n"
        "  info                       devices found, their capabilities, models available\n"
        "  model-info CONFIG CKPT     what a model config + checkpoint pair holds\n"
        "  eval REF_DIR EST_DIR       per-stem SDR (dB, MDX definition) and the mean\n"
        "  convert IN OUT             convert an audio file (--format, --overwrite)\n"
        "  demo [-o DIR]              separate the bundled demo loop, print SDR per stem\n"
        "  demo --render DIR          render the demo loop and its ground-truth stems\n"
        "  bench                      time a model on this machine (docs/cli.md \"bench\")\n"
        "\n"
        "Options:\n"
        "  -h, --help                 this help; `stemdeck-cli <command> --help` for a command\n"
        "  -v, --version              the version\n"
        "\n"
        "Exit codes:\n"
        "  0    success\n"
        "  1    failed, or jobs failed for different reasons (failures for one reason: its code)\n"
        "  2    bad command line (unknown option, bad value, unknown stem)\n"
        "  3    input problem (missing, unreadable or not audio)\n"
        "  4    model problem (config or checkpoint unusable, mismatched)\n"
        "  5    output problem (file exists without --overwrite, read-only, disk full, clipping refused)\n"
        "  6    device problem (out of memory, backend failure, NaN/Inf from the model)\n"
        "  130  interrupted (Ctrl+C); the running job wrote nothing\n"
        "\n"
        "See docs/cli.md for every option.\n");
}

std::optional<double> parseSoftMask(const QString& value) {
    const QString v = value.trimmed().toLower();
    bool ok = true;
    const double power = v == QLatin1String("off") ? 0.0 : v.toDouble(&ok);
    if (ok && power >= 0.0 && power <= model::kMaxSoftMaskPower) return power;
    printError(QStringLiteral("--soft-mask takes off or a power between 0 and %1, such as 1.5 (got \"%2\").")
                   .arg(model::kMaxSoftMaskPower)
                   .arg(value));
    return std::nullopt;
}

std::optional<bool> parseOnOff(const QString& option, const QString& value) {
    const QString v = value.trimmed().toLower();
    if (v == QLatin1String("on")) return true;
    if (v == QLatin1String("off")) return false;
    printError(QStringLiteral("--%1 takes on or off (got \"%2\").").arg(option, value));
    return std::nullopt;
}

std::filesystem::path toPath(const QString& s) { return std::filesystem::path(s.toStdU16String()); }

QString subcommandHelp(const QCommandLineParser& p, const QString& command) {
    // Qt starts the text with "Usage: <argv[0]> [options]", without the subcommand.
    QString text = p.helpText();
    const QStringList args = QCoreApplication::arguments();
    const QString head = QStringLiteral("Usage: ") + (args.isEmpty() ? QString() : args.constFirst());
    if (!args.isEmpty() && text.startsWith(head))
        text.replace(0, head.size(), QStringLiteral("Usage: stemdeck-cli ") + command);
    return text;
}

int parseOrExit(QCommandLineParser& p, const QStringList& args, const QCommandLineOption& help, int positionals,
                const char* usage) {
    if (!p.parse(args)) {
        printError(sentence(p.errorText()) + QStringLiteral(" Usage: stemdeck-cli %1").arg(QLatin1String(usage)));
        return kExitUsage;
    }
    if (p.isSet(help)) {
        QTextStream(stdout) << subcommandHelp(p, QString::fromLatin1(usage).section(QLatin1Char(' '), 0, 0));
        return kExitOk;
    }
    if (p.positionalArguments().size() != positionals) {
        printError(QStringLiteral("Usage: stemdeck-cli %1").arg(QLatin1String(usage)));
        return kExitUsage;
    }
    return -1;
}

} // namespace stemdeck::cli
