#include "heap.h"

#include <climits>
#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace stemdeck {

bool tuneHeapForLargeBuffers() {
    const char* env = std::getenv("STEMDECK_HEAP_TUNING");
    if (env && std::strcmp(env, "off") == 0) return false;
#if defined(__GLIBC__)
    // Large blocks come from the heap instead of one mmap each; freed, they stay for the next
    // chunk until releaseFreeHeap. One arena: a worker thread's own arena grows in heaps of at
    // most 64 MiB and maps anything larger anyway, whatever M_MMAP_MAX says (measured: a 96 MiB
    // block on a pool thread, tst_heap), and a separation's largest tensors are that size.
    const bool noMmap = mallopt(M_MMAP_MAX, 0) == 1;
    const bool noTrim = mallopt(M_TRIM_THRESHOLD, INT_MAX) == 1;
    const bool oneArena = mallopt(M_ARENA_MAX, 1) == 1;
    return noMmap && noTrim && oneArena;
#else
    return false;
#endif
}

bool releaseFreeHeap() {
#if defined(__GLIBC__)
    malloc_trim(0);
    return true;
#else
    return false;
#endif
}

} // namespace stemdeck
