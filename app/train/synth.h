// On-the-fly training examples: random drum patterns per class rendered per stem from the sample
// bank, with per-stem augmentation that is linear (gain, pan/width, EQ tilt, pitch by resampling;
// for training also per-instrument kit mixing and pitch, parametric EQ, per-hit gain envelopes
// and layered samples), so the mix is exactly the sum of the stem targets. Deterministic for a seed.
//
// The synthetic room (convolution with a generated impulse response, also linear and per stem)
// is applied by the trainer on the device, where an FFT convolution costs nothing; see
// docs/models/drumsep-compact.md.
#pragma once

#include "biquad.h"
#include "sample_bank.h"
#include "stem_class.h"

#include <array>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace stemdeck::train {

struct SynthOptions {
    int channels = 2;
    double minBpm = 70.0;
    double maxBpm = 180.0;
    double silentStemProbability = 0.08; // per stem: no hits at all
    double sparseStemProbability = 0.12; // per stem: one or two hits only
    double kitMixProbability = 0.5;      // per class: drawn from another kit than the main one
    bool augment = true;                 // gain, pan/width, tilt, pitch
    double stemGainDb = 12.0;            // per stem: a gain drawn from -stemGainDb..0 dB (with augment)
    float minPeak = 0.25f;               // the whole example is scaled to a peak in this range
    float maxPeak = 0.95f;
    double preRollSeconds = 2.5;         // hits before the window, so tails enter it

    // Strong augmentation, for training (issue #6: the model is judged on kits it never heard).
    // Every operation is linear per stem (resampling, fixed gain curves, biquads, sums), so the
    // targets stay exact. Its random draws come from a second stream: with it off an example is
    // bit for bit what it was before it existed (validation loops and the demo loop stay fixed).
    bool strong = false;
    double instrumentKitMixProbability = 0.5; // per instrument: from any kit of the set
    double pitchProbability = 0.8;            // per instrument: resampled by +-pitchSemitones
    double pitchSemitones = 7.0;
    double octaveProbability = 0.1;           // kick: an octave down; toms: up or down
    double eqProbability = 0.8;               // per stem: 1..maxEqBands peaking/shelf biquads
    int maxEqBands = 3;
    double eqGainDb = 12.0;
    double decayProbability = 0.35;           // per instrument: tails shortened by an exponential
    double attackProbability = 0.35;          // per instrument: onset raised or softened
    double layerProbability = 0.15;           // per instrument: a second sample of the class under every hit
    // Hi-hat and cymbals apart (negative: as above). Pitch and EQ are what tell a hat from a
    // cymbal, and strong values blur that boundary (measured, docs/models/drumsep-compact.md);
    // the same random draws are scaled, so the other stems of an example do not change.
    double hatsPitchSemitones = -1.0;
    double hatsEqGainDb = -1.0;

    // Augmentation aimed at the class boundaries the model gets wrong on kits it never heard (the
    // routing table of `stemdeck-train validate --per-loop`: 808 toms heard as snare, low toms as
    // kick, hats and cymbals swapped). Still linear per stem, drawn from a third stream, so with
    // all of them at 0 an example is what it was before they existed.
    double bandLimitProbability = 0.0;   // per stem: a low-pass or high-pass within the class's range
    double hatsBandLimitProbability = -1.0; // the same for hi-hat and cymbals (negative: as the others)
    double resonanceProbability = 0.0;   // kick, snare, toms: a narrow strong peak, a ring at one pitch
    double cymbalsMinDecaySeconds = 0.0; // shortened cymbal tails keep at least this time constant
    // Riding the crash: in a ride groove, the ride pattern is played on the example's crash (or its
    // second crash) instead of a ride, as drummers do and as a kit without a ride cymbal sounds
    // (the TR808 emulation's one cymbal: docs/models/drumsep-compact.md "Session 13"). Without it a
    // dense pattern of washy metal only ever comes from hi-hats. Drawn from a fourth stream: at 0
    // an example is what it was before it existed.
    double rideOnCrashProbability = 0.0;
    // Hats under the ride: in a ride groove, the hi-hat under it (the pedal on 2 and 4) is, with
    // this probability, the closed hat or the pedal, played softer (velocity x 0.3-1) and in 30 %
    // of such grooves on every beat. Quiet hats under a ride are what the held-out Audiophob kit
    // and the independent set's kits lose to the cymbals (model card, "Session 13"). Drawn from a
    // fifth stream: at 0 an example is what it was before it existed.
    double rideHatsProbability = 0.0;
    // Polarity: each instrument of an example (with its layered partner) is inverted with this
    // probability, as a microphone or a sample library may have it; the network is not
    // polarity-invariant (its input is the complex spectrum). Drawn from a sixth stream: at 0 an
    // example is what it was before it existed.
    double polarityProbability = 0.0;
    // Quiet hats under loud metal: with this probability per example that has both a hi-hat and a
    // cymbal stem, the hi-hat is turned down to 10-25 dB under the cymbals (never up). The
    // held-out kits have a faint hat pattern under a loud ride or crash in a quarter of their
    // loops, the training examples in a tenth (18 % counting sparse hats; model card, "Session 25"). A gain on one stem: linear, the
    // mix stays the exact sum. Drawn from a ninth stream: at 0 an example is what it was before
    // it existed.
    double quietHatsProbability = 0.0;
    // Bright metal: with this probability per example, the hi-hat and cymbal stems both go through
    // one high-pass (1-4 kHz, 12 or 24 dB per octave), so the pair's brightness moves while the
    // order between them stays. The held-out acoustic kit's hats and cymbals are brighter than any
    // acoustic metal of the training kits (model card, "Session 14"). Drawn from a seventh
    // stream: at 0 an example is what it was before it existed.
    double brightMetalProbability = 0.0;
    // Phase: with this probability, each stem of an example goes through one or two second-order
    // all-pass sections (80 Hz-8 kHz, q 0.5-2): its magnitude spectrum stays, its phase turns with
    // frequency, as a microphone's distance, a console or a sample library's processing may turn
    // it. Polarity (an inversion, the same turn at every frequency) gained 0.2 dB on the held-out
    // kits (model card, "Session 15"); this is the general case. Drawn from an eighth stream: at 0
    // an example is what it was before it existed.
    double phaseProbability = 0.0;

    // Synthetic kits (voices.h) among the kits: each kit or instrument choice (the main kit, a
    // class's kit, an instrument's kit, a layered partner) first picks the synthetic ones with this
    // probability, the Hydrogen ones otherwise. At 0 synthetic kits are left out, and an example is
    // what it would be without them.
    double syntheticKitProbability = 0.0;
    // The classes that may come from a synthetic kit (kick, snare, toms, hh, cymbals); the others
    // always come from a Hydrogen kit, even when the main kit is synthetic.
    std::array<bool, kStemCount> syntheticStems{true, true, true, true, true};
    // A class's own probability for its kit and instrument choices (negative: syntheticKitProbability,
    // which the main kit always uses). The same draws are made, so a class given the global value
    // renders what it did (`--synth-kit-stems toms,hh:0.9`).
    std::array<double, kStemCount> syntheticStemProbability{-1.0, -1.0, -1.0, -1.0, -1.0};
};

// One example: planar stems (channels x frames each) and their exact sum.
struct Example {
    int channels = 0;
    int64_t frames = 0;
    double bpm = 0.0;
    std::array<std::vector<float>, kStemCount> stems;
    std::array<int, kStemCount> hits{}; // hits that start inside the window, per stem
    std::array<std::vector<int>, kStemCount> instruments; // bank instruments that sounded, per stem
    std::vector<float> mix;
};

class PatternSynth {
public:
    // kits: indices into bank.kits the examples may draw from (e.g. the training kits).
    PatternSynth(const SampleBank& bank, std::vector<int> kits, SynthOptions options = {});

    Example render(uint64_t seed, int64_t frames) const;

    const SynthOptions& options() const { return m_options; }
    const SampleBank& bank() const { return m_bank; }

private:
    const SampleBank& m_bank;
    std::vector<int> m_kits;
    SynthOptions m_options;
    // per kit, per stem: instrument indices
    std::vector<std::array<std::vector<int>, kStemCount>> m_byKit;
    // per stem: the kits (of m_kits) that have it, and every instrument of it in those kits
    std::array<std::vector<int>, kStemCount> m_kitsWith;
    std::array<std::vector<int>, kStemCount> m_byClass;
    bool m_hasSynthetic = false; // synthetic kits are in play (m_kits holds some, probability > 0)
};

// Seed of item i of batch n: examples do not depend on which thread made them.
uint64_t exampleSeed(uint64_t baseSeed, uint64_t batch, uint64_t item);

// A batch laid out for the model: stems [B, S, C, T] and mix [B, C, T], float32, contiguous.
struct Batch {
    uint64_t index = 0;
    int batchSize = 0, channels = 0;
    int64_t frames = 0;
    std::vector<float> stems;
    std::vector<float> mix;
};

Batch makeBatch(const PatternSynth& synth, uint64_t baseSeed, uint64_t index, int batchSize, int64_t frames);

// Worker threads that render batches ahead and hand them out in order (batch n is the same
// whatever the thread count).
class BatchProducer {
public:
    BatchProducer(const PatternSynth& synth, int batchSize, int64_t frames, uint64_t baseSeed,
                  uint64_t firstBatch, int threads, int queueDepth = 8);
    ~BatchProducer();
    BatchProducer(const BatchProducer&) = delete;
    BatchProducer& operator=(const BatchProducer&) = delete;

    Batch next();

private:
    void work();

    const PatternSynth& m_synth;
    int m_batchSize;
    int64_t m_frames;
    uint64_t m_seed;
    uint64_t m_nextToMake;
    uint64_t m_nextToGive;
    size_t m_depth;
    bool m_stop = false;
    std::mutex m_mutex;
    std::condition_variable m_ready, m_space;
    std::map<uint64_t, Batch> m_done;
    std::vector<std::thread> m_threads;
};

} // namespace stemdeck::train
