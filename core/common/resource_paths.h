// Where StemDeck's bundled data (models/, demo/) lives at run time, for the GUI and the CLI alike:
// the install tree next to the executable on every platform, or the source tree in a build.
// Searched in this order:
// - $STEMDECK_RESOURCES_DIR, set by the user or a test;
// - <exe dir>/../share/stemdeck: Linux (/usr/bin -> /usr/share/stemdeck), Windows (<prefix>/bin);
// - <exe dir>/../Resources: macOS (StemDeck.app/Contents/MacOS -> Contents/Resources);
// - <source tree>/resources: a build run from its build folder.
// Plain C++ (no Qt) so the engine's model search and the Qt front ends share one answer.
#pragma once

#include <filesystem>
#include <vector>

namespace stemdeck {

// The folder holding the running executable; empty if the platform does not say.
std::filesystem::path executableDir();

// Every place resources may be, in the order above, whether or not it exists.
// sourceResources: the build's <source>/resources (empty: none).
std::vector<std::filesystem::path>
resourceDirCandidates(const std::filesystem::path& exeDir,
                      const std::filesystem::path& sourceResources);

// The first candidate that is a folder, for this executable and this build's source tree;
// empty if none is. subdir (e.g. "models") must exist inside it when given, so a stray
// $STEMDECK_RESOURCES_DIR or an install without models does not hide the source tree's.
std::filesystem::path findResourceDir(const std::filesystem::path& subdir = {});

} // namespace stemdeck
