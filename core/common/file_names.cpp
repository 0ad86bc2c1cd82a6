#include "common/file_names.h"

#include <exception>
#include <system_error>

namespace stemdeck {

bool isUndecodableName(const std::filesystem::path& path) {
    // u16string: the same test on Windows (wide names) and elsewhere (UTF-8 bytes). A path that
    // still holds the raw bytes cannot be converted: it names its file, so it is not this case.
    try {
        if (path.u16string().find(u'\uFFFD') == std::u16string::npos)
            return false;
    } catch (const std::exception&) {
        return false;
    }
    std::error_code ec;
    return !std::filesystem::exists(std::filesystem::symlink_status(path, ec));
}

std::string undecodableNameMessage(const std::string& shownPath) {
    return "The name of " + shownPath +
           " is not valid UTF-8 (it was probably named on a system with another character set, "
           "such as Latin-1), so StemDeck cannot open it. Rename the file, for example with "
           "convmv -f latin1 -t utf8 --notest, and add it again.";
}

} // namespace stemdeck
