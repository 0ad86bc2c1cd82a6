// File names that did not survive decoding. Qt (and every UTF-8 decoder StemDeck's callers use)
// turns a name's bytes that are not valid UTF-8 (a Latin-1 "café.wav" copied from an old system
// or a ZIP) into U+FFFD, and that name, encoded again, names no file: a folder listing shows the
// file, and opening it says it does not exist. StemDeck cannot open such a file (its paths are
// Unicode strings), so it says why and how to rename it, instead of "does not exist" or, in a
// folder scan, nothing at all.
#pragma once

#include <filesystem>
#include <string>

namespace stemdeck {

// True when `path` does not exist and holds U+FFFD: the mark of a name that was not valid UTF-8.
bool isUndecodableName(const std::filesystem::path& path);

// The plain-language message for such a name: what happened, and how to rename it.
std::string undecodableNameMessage(const std::string& shownPath);

} // namespace stemdeck
