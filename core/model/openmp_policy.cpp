#include "model/openmp_policy.h"

#include <cstdlib>
#include <cstring>

// ELF executables on glibc only (.preinit_array, /proc/self/exe). macOS and Windows builds get
// no hook: their LibTorch brings another OpenMP runtime (or none), and openMpWaitPolicy() there
// reports the variable as unset.
#if defined(__linux__) && defined(__GLIBC__)
#define STEMDECK_OMP_PREINIT 1
#include <unistd.h>
#endif

namespace stemdeck::model {

#ifdef STEMDECK_OMP_PREINIT
namespace {

constexpr const char* kMarker = "STEMDECK_OMP_WAIT_SET=1";

// Written by the pre-init hook, which runs before any constructor: plain zero-initialised data
// only (a std::string here could be re-initialised by its constructor after the hook ran).
char g_value[64];
bool g_setByStemDeck;

const char* lookup(char** envp, const char* name) {
    const size_t n = std::strlen(name);
    for (char** e = envp; e != nullptr && *e != nullptr; ++e)
        if (std::strncmp(*e, name, n) == 0 && (*e)[n] == '=') return *e + n + 1;
    return nullptr;
}

// libc has not set up `environ` yet when pre-init functions run (getenv sees nothing and a
// setenv would be overwritten by libc's own start-up), so the environment comes from envp and a
// changed one needs a fresh start of the program: execve of ourselves, before any library
// constructor (LibTorch's operator registration included) has run. Costs the dynamic loader's
// time once (about 0.1 s here); if the exec fails the program simply goes on with the default.
void choosePassiveWait(int, char** argv, char** envp) {
    if (const char* value = lookup(envp, "OMP_WAIT_POLICY")) {
        std::strncpy(g_value, value, sizeof g_value - 1);
        g_setByStemDeck = lookup(envp, "STEMDECK_OMP_WAIT_SET") != nullptr;
        return;
    }
    if (lookup(envp, "GOMP_SPINCOUNT") != nullptr || argv == nullptr || argv[0] == nullptr) return;
    size_t count = 0;
    while (envp != nullptr && envp[count] != nullptr) ++count;
    char** env = static_cast<char**>(std::malloc((count + 3) * sizeof(char*)));
    if (env == nullptr) return;
    for (size_t i = 0; i < count; ++i) env[i] = envp[i];
    env[count] = const_cast<char*>("OMP_WAIT_POLICY=PASSIVE");
    env[count + 1] = const_cast<char*>(kMarker);
    env[count + 2] = nullptr;
    execve("/proc/self/exe", argv, env); // returns only on failure
    std::free(env);
}

} // namespace

// Executables only (the libraries are static): the loader runs these before shared libraries'
// constructors, so libgomp's start-up sees the variable.
__attribute__((section(".preinit_array"), used)) void (*const k_choosePassiveWait)(int, char**, char**) =
    &choosePassiveWait;

#endif

OpenMpWaitPolicy openMpWaitPolicy() {
#ifdef STEMDECK_OMP_PREINIT
    return OpenMpWaitPolicy{g_value, g_setByStemDeck};
#else
    return {};
#endif
}

} // namespace stemdeck::model
