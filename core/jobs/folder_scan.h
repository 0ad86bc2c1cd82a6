// Listing the files below a folder the user gave (the window's drops, the CLI's folders).
#pragma once

#include <QString>
#include <QStringList>

namespace stemdeck::jobs {

// Every regular file below `folder` (links to files count; with `followLinks`, linked folders are
// entered too, each real folder once, so a link loop ends), sorted; hidden files and folders
// (".DS_Store", ".git") are left out, and so are folders that cannot be read.
//
// Read with std::filesystem, not QDirIterator: Qt leaves a name that is not valid UTF-8 out of
// its listings altogether, so a Latin-1 "café.wav" would vanish from a run without a word. Here
// it is listed, with U+FFFD where its bytes were, and opening it then explains the problem
// (common/file_names.h).
QStringList filesBelow(const QString& folder, bool recursive, bool followLinks = false);

// common/file_names.h's test for a path as Qt holds it.
bool isUndecodableName(const QString& path);

} // namespace stemdeck::jobs
