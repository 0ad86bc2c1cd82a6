// Resident memory of the current process, for the memory-bound checks of the reliability tests.
#include "fake_engine.h"

#include <unistd.h>

#include <fstream>

namespace stemdeck::test {

int64_t residentBytes() {
    std::ifstream statm("/proc/self/statm");
    int64_t pages = 0, resident = 0;
    if (!(statm >> pages >> resident)) return -1;
    return resident * static_cast<int64_t>(::sysconf(_SC_PAGESIZE));
}

} // namespace stemdeck::test
