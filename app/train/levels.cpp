#include "levels.h"

#include "demo.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

namespace stemdeck::train {
namespace {

double energyOf(const std::vector<float>& v) {
    double e = 0.0;
    for (float x : v) e += double(x) * x;
    return e;
}

double levelDb(double stemEnergy, double mixEnergy) { return 10.0 * std::log10(stemEnergy / mixEnergy); }

} // namespace

int LevelTable::binOf(double stemEnergy, double mixEnergy) {
    if (!(stemEnergy > 0.0) || !(mixEnergy > 0.0)) return kBins - 1;
    const double db = levelDb(stemEnergy, mixEnergy);
    int bin = 0;
    for (double edge : {-30.0, -25.0, -20.0, -15.0, -10.0, -5.0})
        if (db >= edge) ++bin;
    return bin;
}

void LevelTable::add(const Example& ex) {
    const double mix = energyOf(ex.mix);
    std::array<double, kStemCount> e{};
    for (int s = 0; s < kStemCount; ++s) {
        e[static_cast<size_t>(s)] = energyOf(ex.stems[static_cast<size_t>(s)]);
        ++counts[static_cast<size_t>(s)][static_cast<size_t>(binOf(e[static_cast<size_t>(s)], mix))];
    }
    ++examples;
    const double hats = e[static_cast<size_t>(StemClass::HiHat)], cymbals = e[static_cast<size_t>(StemClass::Cymbals)];
    if (hats > 0.0 && mix > 0.0 && levelDb(hats, mix) < -20.0) {
        ++quietHats;
        if (cymbals > 0.0 && levelDb(cymbals, mix) > -10.0) ++quietHatsUnderLoudCymbals;
    }
}

std::string LevelTable::format(const std::string& title) const {
    static const char* const names[kBins] = {"<-30", "-30/-25", "-25/-20", "-20/-15", "-15/-10", "-10/-5", ">=-5", "silent"};
    std::string out = title + " (" + std::to_string(examples) + "), % per bin of the level against the mix (dB):\n";
    char line[256];
    std::snprintf(line, sizeof line, "%-8s", "stem");
    out += line;
    for (const char* n : names) {
        std::snprintf(line, sizeof line, " %8s", n);
        out += line;
    }
    out += "\n";
    const double n = std::max(1, examples);
    for (int s = 0; s < kStemCount; ++s) {
        std::snprintf(line, sizeof line, "%-8s", std::string(kStemNames[static_cast<size_t>(s)]).c_str());
        out += line;
        for (int b = 0; b < kBins; ++b) {
            std::snprintf(line, sizeof line, " %8.1f", 100.0 * counts[static_cast<size_t>(s)][static_cast<size_t>(b)] / n);
            out += line;
        }
        out += "\n";
    }
    std::snprintf(line, sizeof line, "hi-hat below -20 dB: %.1f %%; with the cymbals above -10 dB: %.1f %%\n",
                  100.0 * quietHats / n, 100.0 * quietHatsUnderLoudCymbals / n);
    return out + line;
}

LevelTable loopLevels(const PatternSynth& synth, int loops, double seconds) {
    LevelTable t;
    const auto frames = static_cast<int64_t>(seconds * kSampleRate);
    for (int v = 0; v < loops; ++v) t.add(renderComplete(synth, validationLoopSeed(v), frames));
    return t;
}

LevelTable exampleLevels(const PatternSynth& synth, uint64_t seed, int batchSize, int examples, int64_t frames,
                         int threads) {
    LevelTable t;
    std::mutex m;
    std::vector<std::thread> pool;
    const int workers = std::max(1, threads);
    for (int w = 0; w < workers; ++w)
        pool.emplace_back([&, w] {
            for (int i = w; i < examples; i += workers) {
                const auto batch = static_cast<uint64_t>(i / batchSize), item = static_cast<uint64_t>(i % batchSize);
                const Example ex = synth.render(exampleSeed(seed, batch, item), frames);
                std::lock_guard lock(m);
                t.add(ex);
            }
        });
    for (auto& th : pool) th.join();
    return t;
}

} // namespace stemdeck::train
