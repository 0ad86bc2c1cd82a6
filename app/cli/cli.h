// stemdeck-cli's subcommands and the shared bits they use: exit codes (documented in --help and
// docs/cli.md; scripts rely on them), plain-language error printing, JSON output. QtCore and the
// engine's plain-C++ API only (no LibTorch headers here).
#pragma once

#include "common/error.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <filesystem>
#include <optional>
#include <string>

namespace stemdeck::cli {

enum ExitCode {
    kExitOk = 0,
    kExitFailed = 1,      // a job failed for a reason not listed below, or some of several did
    kExitUsage = 2,       // bad command line: unknown option, missing argument, bad value
    kExitInput = 3,       // an input file is missing, unreadable or not audio
    kExitModel = 4,       // the model config or checkpoint cannot be used
    kExitOutput = 5,      // the destination: file exists (no --overwrite), read-only, full
    kExitDevice = 6,      // device trouble: out of memory, backend failure, NaN/Inf output
    kExitCancelled = 130, // interrupted (Ctrl+C); nothing of the running job was written
};

// The exit code for an error of this kind.
int exitCodeFor(ErrorCode code);

// "stemdeck-cli: <message>" (+ detail on a second line) on stderr.
void printError(const QString& message, const QString& detail = {});
// The text with one full stop at its end (Qt's parser errors end with one, or not).
QString sentence(const QString& text);

// The parser's --help text with "Usage: stemdeck-cli COMMAND" in its first line (Qt puts the
// program's path there, without the subcommand).
QString subcommandHelp(const QCommandLineParser& p, const QString& command);

// Parses a subcommand's options: -1 to go on, or the exit code to return (usage error printed
// with `usage`, or --help shown). positionals: how many positional arguments it takes.
int parseOrExit(QCommandLineParser& p, const QStringList& args, const QCommandLineOption& help, int positionals,
                const char* usage);

// The value of `--soft-mask P|off` (separate, bench): the power, 0 for off; nullopt, with the
// usage error printed, when it is neither off nor a number in [0, model::kMaxSoftMaskPower].
std::optional<double> parseSoftMask(const QString& value);

// The value of an on|off option such as `--wiener` (separate, bench): nullopt, with the usage
// error naming the option printed, when it is neither.
std::optional<bool> parseOnOff(const QString& option, const QString& value);

// A command-line path as a file system path (UTF-16 on Windows, the bytes on POSIX).
std::filesystem::path toPath(const QString& s);

// The text of `stemdeck-cli --help` (commands, exit codes).
QString mainHelp();

int runSeparate(const QStringList& args);
int runInfo(const QStringList& args);
int runModelInfo(const QStringList& args);
int runEval(const QStringList& args);
int runConvert(const QStringList& args);
int runBench(const QStringList& args); // cli_bench.cpp (issue #9)
int runDemo(const QStringList& args);

} // namespace stemdeck::cli
