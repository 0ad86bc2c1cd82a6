// Resident memory of the current process, for the memory-bound checks of the reliability tests.
#include "fake_engine.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace stemdeck::test {

int64_t residentBytes() {
    std::ifstream statm("/proc/self/statm");
    int64_t pages = 0, resident = 0;
    if (!(statm >> pages >> resident)) return -1;
    return resident * static_cast<int64_t>(::sysconf(_SC_PAGESIZE));
}

bool resetPeakResident() {
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    return static_cast<bool>(clear);
}

int64_t peakResidentBytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) != 0) continue;
        std::istringstream fields(line.substr(6));
        int64_t kib = -1;
        fields >> kib;
        return kib < 0 ? -1 : kib * 1024;
    }
    return -1;
}

} // namespace stemdeck::test
