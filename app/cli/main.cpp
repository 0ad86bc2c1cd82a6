// stemdeck-cli: dispatches to the subcommands in cli_*.cpp. Kept thin: all work happens in
// core/jobs and the engine, the same code the GUI runs.
#include "cli.h"

#include "jobs/log_bridge.h"
#include "device/backend.h" // torchVersionString(): plain C++, no torch headers

#include "common/heap.h"
#include "engine/pipeline.h"

#include <csignal>

#include <QCoreApplication>
#include <QTextStream>

using namespace stemdeck::cli;

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    stemdeck::tuneHeapForLargeBuffers(); // common/heap.h: a separation's large buffers stay on the heap
#ifdef SIGXFSZ
    // Past a file-size limit (ulimit -f) a write then fails with EFBIG, which the export reports
    // and cleans up after, instead of the signal killing the process in the middle of a file.
    std::signal(SIGXFSZ, SIG_IGN);
#endif
    QCoreApplication::setApplicationName(QStringLiteral("stemdeck-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STEMDECK_VERSION));
    // Core log lines (engine, model, device) go through Qt's logging: warnings by default,
    // QT_LOGGING_RULES="stemdeck.*.info=true" shows more.
    stemdeck::jobs::installLogBridge(QtWarningMsg);
    // The cached models (and their GPU tensors) go when main returns, while the CUDA runtime is
    // still up. Left to static destruction at exit() they were freed after it had begun shutting
    // down, and the process aborted ("CUDA error: driver shutting down", exit 134) after a run
    // that had succeeded (LibTorch 2.11, H200).
    const stemdeck::engine::ModelCacheRelease releaseModelsAtExit;
    // Warnings read like the CLI's errors ("stemdeck-cli: warning: ..."), not like Qt's log
    // ("stemdeck.device: ..."); lines enabled by QT_LOGGING_RULES keep their category.
    // QT_MESSAGE_PATTERN, when set, still wins.
    qSetMessagePattern(QStringLiteral("stemdeck-cli: %{if-warning}warning: %{endif}%{if-critical}error: %{endif}"
                                      "%{if-fatal}error: %{endif}%{if-info}%{category}: %{endif}"
                                      "%{if-debug}%{category}: %{endif}%{message}"));

    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2) {
        QTextStream(stderr) << mainHelp();
        return kExitUsage;
    }
    const QString command = args.at(1);
    if (command == QLatin1String("--help") || command == QLatin1String("-h") || command == QLatin1String("help")) {
        QTextStream(stdout) << mainHelp();
        return kExitOk;
    }
    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        QTextStream out(stdout);
        out << "stemdeck-cli " << STEMDECK_VERSION << '\n'
            << "Qt " << qVersion() << ", LibTorch " << QString::fromStdString(stemdeck::device::torchVersionString()) << '\n'
            << "Licence: GPL-3.0-or-later\n"
            << "Bundled data (demo loop, model) and their credits: share/stemdeck/demo/README.md"
               " (source tree: resources/demo/README.md)\n";
        return kExitOk;
    }
    // The subcommand's parser sees "stemdeck-cli <rest>".
    QStringList rest = args.mid(2);
    rest.prepend(args.at(0));
    try {
        if (command == QLatin1String("separate")) return runSeparate(rest);
        if (command == QLatin1String("info")) return runInfo(rest);
        if (command == QLatin1String("model-info")) return runModelInfo(rest);
        if (command == QLatin1String("eval")) return runEval(rest);
        if (command == QLatin1String("convert")) return runConvert(rest);
        if (command == QLatin1String("bench")) return runBench(rest);
        if (command == QLatin1String("demo")) return runDemo(rest);
    } catch (const stemdeck::Error& e) {
        printError(QString::fromStdString(e.what()), QString::fromStdString(e.detail()));
        return exitCodeFor(e.code());
    } catch (const std::exception& e) {
        printError(QStringLiteral("Unexpected error."), QString::fromLocal8Bit(e.what()));
        return kExitFailed;
    }
    printError(QStringLiteral("Unknown command \"%1\". Commands: separate, info, model-info, eval, convert, demo, bench "
                              "(stemdeck-cli --help).")
                   .arg(command));
    return kExitUsage;
}
