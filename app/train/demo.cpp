#include "demo.h"

#include "common/error.h"
#include "synth.h"

#include <cmath>

namespace stemdeck::train {

SynthOptions demoSynthOptions() {
    SynthOptions o;
    o.minBpm = 84.0;
    o.maxBpm = 132.0;
    o.silentStemProbability = 0.0;
    o.sparseStemProbability = 0.0;
    o.kitMixProbability = 0.0; // one kit per loop, like a real recording
    o.augment = true;          // gentle variety; still linear, stems still sum to the mix
    o.minPeak = 0.7f;
    o.maxPeak = 0.9f;
    return o;
}

DemoLoop renderDemo(uint64_t seed, double seconds, const SampleBank& bank,
                    const std::vector<std::string>& validationKits) {
    if (!(seconds >= 1.0 && seconds <= 120.0))
        throw Error(ErrorCode::InvalidArgument, "Demo length must be between 1 and 120 seconds");
    std::vector<int> kits;
    for (const auto& name : validationKits) {
        const int k = bank.kitIndex(name);
        if (k < 0) throw Error(ErrorCode::InvalidArgument, "Demo: validation kit '" + name + "' is not loaded");
        kits.push_back(k);
    }
    const PatternSynth synth(bank, kits, demoSynthOptions());
    const auto frames = static_cast<int64_t>(std::llround(seconds * kSampleRate));
    // Seeds whose loop lacks a stem inside the window are passed over: the demo shows all five.
    Example ex = renderComplete(synth, seed, frames);
    DemoLoop loop;
    loop.bpm = ex.bpm;
    loop.kits = validationKits;
    loop.mix = audio::AudioBuffer::zeros(ex.channels, frames, kSampleRate);
    loop.mix.samples = std::move(ex.mix);
    for (int s = 0; s < kStemCount; ++s) {
        loop.stems[s] = audio::AudioBuffer::zeros(ex.channels, frames, kSampleRate);
        loop.stems[s].samples = std::move(ex.stems[s]);
    }
    return loop;
}

Example renderComplete(const PatternSynth& synth, uint64_t seed, int64_t frames) {
    for (uint64_t attempt = 0;; ++attempt) {
        Example ex = synth.render(seed + attempt * 1000003ull, frames);
        bool complete = true;
        for (int h : ex.hits) complete = complete && h > 0;
        if (complete || attempt >= 50) return ex;
    }
}

DemoLoop renderDemo(uint64_t seed, double seconds, const std::filesystem::path& drumkitsDir) {
    const KitMap map = builtinKitMap();
    BankOptions opts;
    opts.includeTraining = false;
    const SampleBank bank = buildSampleBank(map, drumkitsDir.empty() ? defaultDrumkitsDir() : drumkitsDir, opts);
    return renderDemo(seed, seconds, bank, map.validationKits);
}

} // namespace stemdeck::train
