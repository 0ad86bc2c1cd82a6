#include "common/resource_paths.h"

#include <cstdlib>
#include <system_error>

#if defined(_WIN32)
#include <windows.h>
#elif defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

#ifndef STEMDECK_SOURCE_RESOURCES
#define STEMDECK_SOURCE_RESOURCES ""
#endif

namespace fs = std::filesystem;

namespace stemdeck {

fs::path executableDir() {
    std::error_code ec;
#if defined(_WIN32)
    std::wstring buffer(32768, L'\0');
    const DWORD n = GetModuleFileNameW(nullptr, buffer.data(), DWORD(buffer.size()));
    if (n == 0 || n >= buffer.size())
        return {};
    buffer.resize(n);
    fs::path exe(buffer);
#elif defined(__APPLE__)
    uint32_t size = 0;
    _NSGetExecutablePath(nullptr, &size);
    std::string buffer(size, '\0');
    if (_NSGetExecutablePath(buffer.data(), &size) != 0)
        return {};
    fs::path exe(buffer.c_str());
#else
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec)
        return {};
#endif
    // Resolve symlinks (e.g. /usr/local/bin/stemdeck -> the install tree) so ../share is the
    // install's, not the link's.
    const fs::path real = fs::weakly_canonical(exe, ec);
    return (ec ? exe : real).parent_path();
}

std::vector<fs::path> resourceDirCandidates(const fs::path& exeDir,
                                            const fs::path& sourceResources) {
    std::vector<fs::path> out;
    if (const char* env = std::getenv("STEMDECK_RESOURCES_DIR"); env && *env)
        out.emplace_back(env);
    if (!exeDir.empty()) {
        out.push_back((exeDir / ".." / "share" / "stemdeck").lexically_normal());
        out.push_back((exeDir / ".." / "Resources").lexically_normal());
    }
    if (!sourceResources.empty())
        out.push_back(sourceResources);
    return out;
}

fs::path findResourceDir(const fs::path& subdir) {
    std::error_code ec;
    for (const fs::path& dir :
         resourceDirCandidates(executableDir(), fs::path(STEMDECK_SOURCE_RESOURCES)))
        if (fs::is_directory(subdir.empty() ? dir : dir / subdir, ec))
            return dir;
    return {};
}

} // namespace stemdeck
