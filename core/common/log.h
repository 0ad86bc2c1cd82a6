// Logging for the plain-C++ core layers (which must not include Qt): one category per
// subsystem, named like Qt logging categories ("stemdeck.engine"), so core/jobs can forward
// them into QLoggingCategory and QT_LOGGING_RULES applies to the whole program.
//
//   SD_LOG(stemdeck::log::engine, Info) << "batch " << n << " done";
//
// Without a sink, Warning and above go to stderr; STEMDECK_LOG="stemdeck.engine=debug,*=info"
// lowers thresholds per category.
#pragma once

#include <functional>
#include <sstream>
#include <string>
#include <string_view>

namespace stemdeck::log {

enum class Level { Debug = 0, Info = 1, Warning = 2, Error = 3 };

struct Category {
    const char* name;
};

inline constexpr Category audio{"stemdeck.audio"};
inline constexpr Category dsp{"stemdeck.dsp"};
inline constexpr Category model{"stemdeck.model"};
inline constexpr Category engine{"stemdeck.engine"};
inline constexpr Category device{"stemdeck.device"};
inline constexpr Category jobs{"stemdeck.jobs"};
inline constexpr Category cli{"stemdeck.cli"};
inline constexpr Category train{"stemdeck.train"};

using Sink = std::function<void(const Category&, Level, std::string_view)>;

// Replaces the sink (thread-safe); an empty function restores the stderr sink.
void setSink(Sink sink);
bool enabled(const Category& category, Level level);
void write(const Category& category, Level level, std::string_view message);
const char* levelName(Level level);

class Line {
public:
    Line(const Category& category, Level level) : m_category(category), m_level(level) {}
    ~Line() { write(m_category, m_level, m_stream.str()); }
    Line(const Line&) = delete;
    Line& operator=(const Line&) = delete;
    template <typename T> Line& operator<<(const T& value) {
        m_stream << value;
        return *this;
    }

private:
    const Category& m_category;
    Level m_level;
    std::ostringstream m_stream;
};

} // namespace stemdeck::log

#define SD_LOG(category, level)                                                                 \
    if (!::stemdeck::log::enabled((category), ::stemdeck::log::Level::level)) {                 \
    } else                                                                                      \
        ::stemdeck::log::Line((category), ::stemdeck::log::Level::level)
