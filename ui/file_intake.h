// FileIntake: turns what the user dropped, opened or passed on the command line (URLs, paths,
// folders) into the audio files to queue, recursively and in a stable order, and lists the
// files it cannot read so they are reported once instead of being silently skipped.
#pragma once

#include <QList>
#include <QStringList>
#include <QUrl>

namespace stemdeck::ui {

struct IntakeResult {
    QStringList audioFiles;  // absolute, clean paths, sorted per folder, no duplicates
    QStringList unsupported; // files with an extension StemDeck does not decode
    QStringList missing;     // paths that do not exist
    QStringList undecodable; // names that were not valid UTF-8 (common/file_names.h): cannot be opened
};

class FileIntake {
public:
    // Extensions (lower case, no dot) the job queue accepts.
    static QStringList defaultExtensions();

    explicit FileIntake(QStringList extensions = defaultExtensions());

    IntakeResult collect(const QList<QUrl>& urls) const;
    IntakeResult collectPaths(const QStringList& paths) const;
    bool isSupported(const QString& path) const;
    QStringList nameFilters() const; // for the Open dialog: "*.wav", ...

private:
    void addPath(const QString& path, IntakeResult& out) const;
    QStringList m_extensions;
};

} // namespace stemdeck::ui
