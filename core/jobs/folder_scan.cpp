#include "jobs/folder_scan.h"

#include <QFile>

#include <filesystem>
#include <set>
#include <system_error>

namespace stemdeck::jobs {

namespace fs = std::filesystem;

namespace {

QString toQString(const fs::path& p) {
#ifdef _WIN32
    return QString::fromStdWString(p.native());
#else
    // Qt's own decoding of file names: invalid UTF-8 bytes become U+FFFD, as in Qt's listings.
    return QFile::decodeName(QByteArray::fromStdString(p.native()));
#endif
}

bool isHidden(const fs::path& p) {
    const auto name = p.filename().native();
    return !name.empty() && name.front() == '.';
}

} // namespace

QStringList filesBelow(const QString& folder, bool recursive, bool followLinks) {
    QStringList files;
    const fs::path root(folder.toStdU16String());
    std::error_code ec;
    auto options = fs::directory_options::skip_permission_denied;
    if (followLinks)
        options |= fs::directory_options::follow_directory_symlink;
    std::set<fs::path> visited; // real folders entered, so that a link loop ends
    visited.insert(fs::weakly_canonical(root, ec));
    fs::recursive_directory_iterator it(root, options, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const fs::directory_entry& entry = *it;
        std::error_code e;
        if (entry.is_directory(e)) {
            if (!recursive || isHidden(entry.path()) ||
                !visited.insert(fs::weakly_canonical(entry.path(), e)).second)
                it.disable_recursion_pending();
            continue;
        }
        if (isHidden(entry.path()))
            continue;
        if (entry.is_regular_file(e))
            files.append(toQString(entry.path()));
    }
    files.sort();
    return files;
}

} // namespace stemdeck::jobs
