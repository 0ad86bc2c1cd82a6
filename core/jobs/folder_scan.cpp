#include "jobs/folder_scan.h"

#include "common/file_names.h"
#include "common/log.h"

#include <QFile>

#include <filesystem>
#include <set>
#include <system_error>

#ifdef _WIN32
#include <windows.h>
#endif

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
    if (!name.empty() && name.front() == '.')
        return true;
#ifdef _WIN32
    // What Explorer hides ($RECYCLE.BIN, System Volume Information, desktop.ini), as Qt did.
    const DWORD attributes = GetFileAttributesW(p.c_str());
    if (attributes != INVALID_FILE_ATTRIBUTES && (attributes & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM)))
        return true;
#endif
    return false;
}

} // namespace

bool isUndecodableName(const QString& path) {
    return stemdeck::isUndecodableName(fs::path(path.toStdU16String()));
}

QStringList filesBelow(const QString& folder, bool recursive, bool followLinks) {
    QStringList files;
    const fs::path root(folder.toStdU16String());
    std::error_code ec;
    auto options = fs::directory_options::skip_permission_denied;
    if (followLinks)
        options |= fs::directory_options::follow_directory_symlink;
    std::set<fs::path> visited; // real folders entered through links, so that a link loop ends
    if (const fs::path real = fs::weakly_canonical(root, ec); !ec) visited.insert(real);
    ec.clear();
    fs::recursive_directory_iterator it(root, options, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const fs::directory_entry& entry = *it;
        std::error_code e;
        if (entry.is_directory(e)) {
            if (!recursive || isHidden(entry.path())) {
                it.disable_recursion_pending();
                continue;
            }
            // Only a folder reached through a link can repeat one already listed; a link that is
            // not followed is not entered, and must not keep its target from being listed.
            std::error_code l;
            if (entry.is_symlink(l)) {
                if (!followLinks) continue;
                const fs::path real = fs::weakly_canonical(entry.path(), e);
                if (e || !visited.insert(real).second) it.disable_recursion_pending();
            } else if (const fs::path real = fs::weakly_canonical(entry.path(), e); !e && !visited.insert(real).second) {
                it.disable_recursion_pending(); // already listed through a link
            }
            continue;
        }
        if (isHidden(entry.path()))
            continue;
        if (entry.is_regular_file(e))
            files.append(toQString(entry.path()));
    }
    if (ec)
        SD_LOG(log::jobs, Warning) << "listing " << folder.toStdString() << " stopped early: " << ec.message()
                                   << " (" << files.size() << " files found before)";
    files.sort();
    return files;
}

} // namespace stemdeck::jobs
