#include "common/log.h"

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <vector>

namespace stemdeck::log {
namespace {

struct Rule {
    std::string pattern; // category name, or "*"
    Level level;
};

struct State {
    std::mutex mutex;
    Sink sink;
    std::vector<Rule> rules;
    bool rulesParsed = false;
};

State& state() {
    static State s;
    return s;
}

Level parseLevel(const std::string& text, Level fallback) {
    if (text == "debug") return Level::Debug;
    if (text == "info") return Level::Info;
    if (text == "warning") return Level::Warning;
    if (text == "error") return Level::Error;
    return fallback;
}

// STEMDECK_LOG="stemdeck.engine=debug,*=info"; read once.
void parseRules(State& s) {
    if (s.rulesParsed) return;
    s.rulesParsed = true;
    const char* env = std::getenv("STEMDECK_LOG");
    if (!env) return;
    std::string spec(env);
    size_t start = 0;
    while (start <= spec.size()) {
        size_t end = spec.find(',', start);
        if (end == std::string::npos) end = spec.size();
        std::string item = spec.substr(start, end - start);
        size_t eq = item.find('=');
        if (eq != std::string::npos)
            s.rules.push_back({item.substr(0, eq), parseLevel(item.substr(eq + 1), Level::Warning)});
        start = end + 1;
    }
}

} // namespace

const char* levelName(Level level) {
    switch (level) {
    case Level::Debug: return "debug";
    case Level::Info: return "info";
    case Level::Warning: return "warning";
    case Level::Error: return "error";
    }
    return "?";
}

void setSink(Sink sink) {
    State& s = state();
    std::lock_guard lock(s.mutex);
    s.sink = std::move(sink);
}

bool enabled(const Category& category, Level level) {
    State& s = state();
    std::lock_guard lock(s.mutex);
    if (s.sink) return true; // the sink (e.g. Qt's category filter) decides
    parseRules(s);
    Level threshold = Level::Warning;
    for (const Rule& rule : s.rules)
        if (rule.pattern == "*" || rule.pattern == category.name) threshold = rule.level;
    return level >= threshold;
}

void write(const Category& category, Level level, std::string_view message) {
    State& s = state();
    Sink sink;
    {
        std::lock_guard lock(s.mutex);
        sink = s.sink;
    }
    if (sink) {
        sink(category, level, message);
        return;
    }
    std::cerr << category.name << ": " << levelName(level) << ": " << message << '\n';
}

} // namespace stemdeck::log
