#include "file_intake.h"

#include "jobs/folder_scan.h"
#include "jobs/job_queue.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

#include <algorithm>

namespace stemdeck::ui {

QStringList FileIntake::defaultExtensions() {
    // The queue's own list, so what the window accepts is what JobQueue picks from folders.
    return jobs::audioFileExtensions();
}

FileIntake::FileIntake(QStringList extensions) : m_extensions(std::move(extensions)) {}

bool FileIntake::isSupported(const QString& path) const {
    return m_extensions.contains(QFileInfo(path).suffix().toLower());
}

QStringList FileIntake::nameFilters() const {
    QStringList out;
    for (const auto& e : m_extensions)
        out << QStringLiteral("*.") + e;
    return out;
}

IntakeResult FileIntake::collect(const QList<QUrl>& urls) const {
    QStringList paths;
    for (const auto& url : urls) {
        // Drops give percent-encoded file URLs; toLocalFile decodes spaces and non-ASCII.
        if (url.isLocalFile())
            paths << url.toLocalFile();
        else if (url.scheme().isEmpty())
            paths << url.path();
    }
    return collectPaths(paths);
}

IntakeResult FileIntake::collectPaths(const QStringList& paths) const {
    IntakeResult out;
    for (const auto& p : paths)
        addPath(p, out);
    // Dropping a folder and a file inside it queues the file once.
    QSet<QString> seen;
    QStringList unique;
    for (const auto& f : std::as_const(out.audioFiles))
        if (!seen.contains(f)) {
            seen.insert(f);
            unique << f;
        }
    out.audioFiles = unique;
    out.unsupported.removeDuplicates();
    return out;
}

void FileIntake::addPath(const QString& path, IntakeResult& out) const {
    const QFileInfo info(path);
    if (!info.exists()) {
        (jobs::isUndecodableName(path) ? out.undecodable : out.missing) << path;
        return;
    }
    const QString abs = QDir::cleanPath(info.absoluteFilePath());
    if (info.isFile()) {
        (isSupported(abs) ? out.audioFiles : out.unsupported) << abs;
        return;
    }
    QStringList audio, other;
    // Hidden files (.DS_Store, ._foo) are not the user's audio; filesBelow leaves them out.
    for (const QString& listed : jobs::filesBelow(abs, /*recursive=*/true, /*followLinks=*/true)) {
        const QString f = QDir::cleanPath(listed);
        if (jobs::isUndecodableName(f)) {
            out.undecodable << f; // listed, but its name cannot be opened: said why, not staged
            continue;
        }
        (isSupported(f) ? audio : other) << f;
    }
    std::sort(audio.begin(), audio.end());
    std::sort(other.begin(), other.end());
    out.audioFiles += audio;
    out.unsupported += other;
}

} // namespace stemdeck::ui
