#include "synth.h"

#include "rng.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace stemdeck::train {

namespace {

bool isHatOrCymbal(int stem) {
    return stem == static_cast<int>(StemClass::HiHat) || stem == static_cast<int>(StemClass::Cymbals);
}


struct Hit {
    double time = 0.0;          // seconds from the window start
    int instrument = -1;
    float velocity = 1.0f;
    double chokeAt = 1e30;      // open hats stop when the next closed/pedal hat hits
};

struct StemVoice {
    bool placed = false;
    float pan = 0.0f;   // -1..1
    float width = 1.0f; // stereo samples only
    // Strong augmentation (SynthOptions::strong); the defaults change nothing.
    double pitch = 1.0;       // resampling ratio of this instrument
    double decay = 1.0;       // gain ratio per output sample after the onset (1: the tail as recorded)
    double attack = 0.0;      // extra gain at the onset (-0.7 softens it, 2 triples it) ...
    double attackDecay = 0.0; // ... fading by this ratio per sample
    int partner = -1;         // another instrument of the class layered under every hit
    float partnerGain = 0.0f;
    float polarity = 1.0f;    // -1: the samples inverted (SynthOptions::polarityProbability)
};

bool isOpenHat(const std::string& role) { return role == "open" || role == "semi"; }

float clampVel(double v) { return static_cast<float>(std::clamp(v, 0.05, 1.0)); }

// Frequency ranges (Hz) of the band limits per stem: low-pass cutoffs keep the body of the class
// (an 808-like dull tom, a dark hat), high-pass cutoffs take away its lows (a thin kick, a tom
// with no boom); resonances sit where drums ring.
struct EdgeRanges {
    double lpLo, lpHi, hpLo, hpHi, ringLo, ringHi;
};
constexpr std::array<EdgeRanges, kStemCount> kEdgeRanges{{
    {150.0, 3000.0, 25.0, 90.0, 40.0, 150.0},     // kick
    {1200.0, 10000.0, 80.0, 500.0, 150.0, 500.0}, // snare
    {250.0, 4000.0, 40.0, 250.0, 60.0, 400.0},    // toms
    {5000.0, 16000.0, 300.0, 5000.0, 0.0, 0.0},   // hh
    {3000.0, 16000.0, 200.0, 3000.0, 0.0, 0.0},   // cymbals
}};

void applyBoundaryAugmentation(std::vector<float>& stem, int channels, int64_t frames, int s, const SynthOptions& opt, Rng& rng) {
    const EdgeRanges& r = kEdgeRanges[static_cast<size_t>(s)];
    std::vector<Biquad> sections;
    const double bandLimit = isHatOrCymbal(s) && opt.hatsBandLimitProbability >= 0.0 ? opt.hatsBandLimitProbability
                                                                                     : opt.bandLimitProbability;
    if (bandLimit > 0.0 && rng.chance(bandLimit)) {
        const bool low = rng.chance(0.5);
        const double fc = low ? rng.logUniform(r.lpLo, r.lpHi) : rng.logUniform(r.hpLo, r.hpHi);
        const double q = rng.logUniform(0.5, 2.0);
        const int order = rng.chance(0.3) ? 2 : 1; // 12 or 24 dB per octave
        for (int k = 0; k < order; ++k)
            sections.push_back(makeBiquad(low ? BiquadKind::LowPass : BiquadKind::HighPass, kSampleRate, fc, 0.0, q));
    }
    if (opt.resonanceProbability > 0.0 && r.ringHi > 0.0 && rng.chance(opt.resonanceProbability))
        sections.push_back(makeBiquad(BiquadKind::Peaking, kSampleRate, rng.logUniform(r.ringLo, r.ringHi),
                                      rng.uniform(6.0, 18.0), rng.logUniform(4.0, 25.0)));
    if (!sections.empty()) applyBiquads(stem, channels, frames, sections);
}

} // namespace

PatternSynth::PatternSynth(const SampleBank& bank, std::vector<int> kits, SynthOptions options)
    : m_bank(bank), m_kits(std::move(kits)), m_options(options) {
    const bool anySynthetic =
        m_options.syntheticKitProbability > 0.0 ||
        std::any_of(m_options.syntheticStemProbability.begin(), m_options.syntheticStemProbability.end(),
                    [](double p) { return p > 0.0; });
    if (anySynthetic) {
        m_hasSynthetic = std::any_of(m_kits.begin(), m_kits.end(), [&](int k) { return bank.isSynthetic(k); });
    } else {
        m_kits.erase(std::remove_if(m_kits.begin(), m_kits.end(), [&](int k) { return bank.isSynthetic(k); }), m_kits.end());
    }
    if (m_kits.empty()) throw Error(ErrorCode::InvalidArgument, "PatternSynth: no kits to draw from");
    m_byKit.resize(bank.kits.size());
    for (size_t i = 0; i < bank.instruments.size(); ++i) {
        const auto& inst = bank.instruments[i];
        m_byKit[static_cast<size_t>(inst.kit)][static_cast<int>(inst.stem)].push_back(static_cast<int>(i));
    }
    for (int k : m_kits)
        if (k < 0 || k >= static_cast<int>(bank.kits.size()))
            throw Error(ErrorCode::InvalidArgument, "PatternSynth: kit index out of range");
    for (int s = 0; s < kStemCount; ++s)
        for (int k : m_kits) {
            const auto& in = m_byKit[static_cast<size_t>(k)][s];
            if (in.empty()) continue;
            m_kitsWith[s].push_back(k);
            m_byClass[s].insert(m_byClass[s].end(), in.begin(), in.end());
        }
    for (int s = 0; s < kStemCount; ++s) {
        bool any = false;
        for (int k : m_kits) any = any || !m_byKit[static_cast<size_t>(k)][s].empty();
        if (!any)
            throw Error(ErrorCode::InvalidArgument,
                        "PatternSynth: none of the chosen kits has a " + std::string(kStemNames[s]) + " sample");
    }
}

Example PatternSynth::render(uint64_t seed, int64_t frames) const {
    Rng rng(seed * 0x2545F4914F6CDD1Dull + 0x1234567ull);
    // Strong augmentation draws only from this second stream, so the main one (and with it every
    // example made without strong augmentation) is what it always was.
    Rng aug(seed * 0xD6E8FEB86659FD93ull + 0x5A17ull);
    // The boundary augmentation (band limits, resonances) draws from a third one, so turning it
    // on changes no other draw.
    Rng edge(seed * 0x9FB21C651E98DF25ull + 0xB0DEull);
    // Pattern variations added later (riding the crash) draw from a fourth.
    Rng groove(seed * 0xC2B2AE3D27D4EB4Full + 0x7E11ull);
    // ... and the hats under the ride from a fifth.
    Rng under(seed * 0x165667B19E3779F9ull + 0x4A75ull);
    // Each instrument's polarity from a sixth.
    Rng sign(seed * 0x27D4EB2F165667C5ull + 0x51Full);
    // The shared brightening of the hats and cymbals from a seventh.
    Rng bright(seed * 0x9E3779B97F4A7C15ull + 0xB417ull);
    // Each stem's phase from an eighth.
    Rng phase(seed * 0xBF58476D1CE4E5B9ull + 0xA11ull);
    // Quiet hats under the cymbals from a ninth.
    Rng quiet(seed * 0x94D049BB133111EBull + 0x0E7ull);
    const auto& opt = m_options;
    const double sr = kSampleRate;
    const double windowSec = double(frames) / sr;

    // ---- kits and instruments ------------------------------------------------------------
    // One of `items` (kit indices, or instrument indices when `instruments`). With synthetic kits
    // in play the pool comes first: the synthetic items with their probability, the others
    // otherwise (all of them when that pool is empty). Without, one uniform draw, as always.
    // `stem`: the class the choice is for (-1: the main kit, for all of them); a class outside
    // syntheticStems always gets a Hydrogen kit.
    auto drawOne = [&](Rng& r, const std::vector<int>& items, bool instruments, int stem) {
        if (!m_hasSynthetic) return items[static_cast<size_t>(r.below(static_cast<int>(items.size())))];
        const bool allowed = stem < 0 || opt.syntheticStems[static_cast<size_t>(stem)];
        const double own = stem < 0 ? -1.0 : opt.syntheticStemProbability[static_cast<size_t>(stem)];
        const bool synthetic = r.chance(own >= 0.0 ? own : opt.syntheticKitProbability) && allowed;
        std::vector<int> pool;
        for (int i : items) {
            const int kit = instruments ? m_bank.instruments[static_cast<size_t>(i)].kit : i;
            if (m_bank.isSynthetic(kit) == synthetic) pool.push_back(i);
        }
        const auto& from = pool.empty() ? items : pool;
        return from[static_cast<size_t>(r.below(static_cast<int>(from.size())))];
    };
    const int mainKit = drawOne(rng, m_kits, false, -1);
    std::array<int, kStemCount> kitOf{};
    for (int s = 0; s < kStemCount; ++s) {
        std::vector<int> candidates;
        for (int k : m_kits)
            if (!m_byKit[static_cast<size_t>(k)][s].empty()) candidates.push_back(k);
        const bool mainHas = !m_byKit[static_cast<size_t>(mainKit)][s].empty() &&
                             (!m_bank.isSynthetic(mainKit) || opt.syntheticStems[static_cast<size_t>(s)]);
        kitOf[s] = (mainHas && !rng.chance(opt.kitMixProbability)) ? mainKit : drawOne(rng, candidates, false, s);
    }
    // Strong augmentation: each instrument of a class may come from its own kit, so a stem is a
    // class of sounds rather than one kit's set.
    auto kitFor = [&](int s) {
        if (opt.strong && aug.chance(opt.instrumentKitMixProbability)) return drawOne(aug, m_kitsWith[s], false, s);
        return kitOf[s];
    };
    // A random instrument of the class whose role is in `roles` (any of the class if none is).
    auto pick = [&](StemClass stem, std::initializer_list<const char*> roles) {
        const auto& all = m_byKit[static_cast<size_t>(kitFor(static_cast<int>(stem)))][static_cast<int>(stem)];
        std::vector<int> match;
        for (int i : all)
            for (const char* r : roles)
                if (m_bank.instruments[static_cast<size_t>(i)].role == r) match.push_back(i);
        const auto& from = match.empty() ? all : match;
        return from[static_cast<size_t>(rng.below(static_cast<int>(from.size())))];
    };
    const int kick = pick(StemClass::Kick, {"-"});
    const int snare = pick(StemClass::Snare, {"hit"});
    const int snareAlt = pick(StemClass::Snare, {"rim", "side", "hit"});
    const int hatClosed = pick(StemClass::HiHat, {"closed"});
    const int hatPedal = pick(StemClass::HiHat, {"pedal", "closed"});
    const int hatOpen = pick(StemClass::HiHat, {"open", "semi"});
    const int crash = pick(StemClass::Cymbals, {"crash", "splash", "china"});
    const int crash2 = pick(StemClass::Cymbals, {"crash", "splash", "china"});
    const int ride = pick(StemClass::Cymbals, {"ride"});
    const int bell = pick(StemClass::Cymbals, {"bell", "ride"});
    std::vector<int> toms;
    {
        const auto& all = m_byKit[static_cast<size_t>(kitFor(2))][2];
        std::vector<int> order(all.begin(), all.end());
        // high to low, so fills descend
        auto rank = [&](int i) {
            const auto& r = m_bank.instruments[static_cast<size_t>(i)].role;
            return r == "high" ? 0 : r == "mid" ? 1 : 2;
        };
        for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[static_cast<size_t>(rng.below(static_cast<int>(i)))]);
        order.resize(std::min<size_t>(order.size(), 2 + static_cast<size_t>(rng.below(2))));
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return rank(a) < rank(b); });
        toms = order;
    }

    // ---- groove ------------------------------------------------------------------------------
    const double bpm = rng.uniform(opt.minBpm, opt.maxBpm);
    const bool triplet = rng.chance(0.15);
    const int stepsPerBar = triplet ? 12 : 16;
    const int stepsPerBeat = stepsPerBar / 4;
    const double stepSec = 60.0 / bpm / stepsPerBeat;
    const double barSec = stepSec * stepsPerBar;
    const double swing = (!triplet && rng.chance(0.4)) ? rng.uniform(0.05, 0.3) : 0.0;
    const double humanSec = rng.uniform(0.0, 0.012);
    const double velSpread = rng.uniform(0.03, 0.15);

    // Per-example templates, repeated bar by bar with small mutations.
    std::vector<float> kickT(static_cast<size_t>(stepsPerBar), 0.0f), snareT = kickT, hatT = kickT;
    {
        const int style = rng.below(4);
        for (int st = 0; st < stepsPerBar; ++st) {
            const bool beat = st % stepsPerBeat == 0;
            if (style == 0 && beat) kickT[st] = 1.0f;                                   // four on the floor
            if (style == 1 && (st == 0 || st == 2 * stepsPerBeat)) kickT[st] = 1.0f;     // rock
            if (style >= 1 && rng.chance(style == 3 ? 0.3 : 0.12)) kickT[st] = 0.8f;    // syncopation
            if (style == 2 && st == 0) kickT[st] = 1.0f;
        }
        const int snareStyle = rng.below(10);
        for (int st = 0; st < stepsPerBar; ++st) {
            if (snareStyle < 7 && (st == stepsPerBeat || st == 3 * stepsPerBeat)) snareT[st] = 1.0f; // backbeat
            if (snareStyle == 7 && st == 2 * stepsPerBeat) snareT[st] = 1.0f;                       // half time
            if (snareStyle >= 8 && rng.chance(0.2)) snareT[st] = 0.9f;                               // broken
        }
        const double ghost = rng.chance(0.5) ? rng.uniform(0.0, 0.3) : 0.0;
        for (int st = 0; st < stepsPerBar; ++st)
            if (snareT[st] == 0.0f && rng.chance(ghost)) snareT[st] = 0.25f;
        if (triplet) { // shuffle: first and third triplet of each beat
            for (int st = 0; st < stepsPerBar; ++st) hatT[st] = (st % 3 == 1) ? 0.0f : (st % 3 == 0 ? 1.0f : 0.7f);
        } else { // quarters, eighths (most often) or sixteenths
            const int every = std::array<int, 4>{4, 2, 2, 1}[static_cast<size_t>(rng.below(4))];
            for (int st = 0; st < stepsPerBar; st += every) hatT[st] = (st % stepsPerBeat == 0) ? 1.0f : 0.7f;
        }
    }
    const double openHatProb = rng.chance(0.6) ? rng.uniform(0.05, 0.35) : 0.0;
    const bool rideMode = rng.chance(0.35);
    const int rideOn = rideMode && opt.rideOnCrashProbability > 0.0 && groove.chance(opt.rideOnCrashProbability)
                           ? (groove.chance(0.7) ? crash : crash2)
                           : -1;
    int underHat = -1;         // the hat under the ride, when varied
    double underGain = 1.0;    // its velocity scale
    bool underEveryBeat = false;
    if (rideMode && opt.rideHatsProbability > 0.0 && under.chance(opt.rideHatsProbability)) {
        underHat = under.chance(0.5) ? hatClosed : hatPedal;
        underGain = under.uniform(0.3, 1.0);
        underEveryBeat = under.chance(0.3);
    }
    const double fillProb = rng.uniform(0.2, 0.7);
    const double tomGroove = rng.chance(0.25) ? rng.uniform(0.05, 0.3) : 0.0;
    const double swellProb = rng.chance(0.15) ? 0.5 : 0.0;
    const double crashProb = rng.uniform(0.1, 0.6);

    std::array<std::vector<Hit>, kStemCount> hits;
    auto timeOf = [&](double barStart, double step) {
        double t = barStart + step * stepSec;
        const int whole = static_cast<int>(step);
        if (swing > 0.0 && step == whole && whole % 2 == 1) t += swing * stepSec;
        return t + humanSec * rng.gauss();
    };
    auto add = [&](StemClass s, int inst, double t, double vel) {
        hits[static_cast<int>(s)].push_back({t, inst, clampVel(vel + velSpread * rng.gauss())});
    };

    const double start = -opt.preRollSeconds - rng.uniform(0.0, barSec);
    bool prevFill = false;
    for (int bar = 0; start + bar * barSec < windowSec; ++bar) {
        const double t0 = start + bar * barSec;
        const bool fill = (bar % 2 == 1 && rng.chance(fillProb)) || rng.chance(0.12);
        const int fillFrom = fill ? stepsPerBar - stepsPerBeat * (1 + rng.below(2)) : stepsPerBar;
        // crash on the downbeat: after a fill almost always, else now and then
        if ((prevFill && rng.chance(0.85)) || rng.chance(crashProb)) {
            add(StemClass::Cymbals, rng.chance(0.7) ? crash : crash2, timeOf(t0, 0), 0.9);
            add(StemClass::Kick, kick, timeOf(t0, 0), 0.95);
        }
        for (int st = 0; st < fillFrom; ++st) {
            if (kickT[st] > 0 && !rng.chance(0.08)) add(StemClass::Kick, kick, timeOf(t0, st), kickT[st]);
            else if (rng.chance(0.03)) add(StemClass::Kick, kick, timeOf(t0, st), 0.7);
            if (snareT[st] > 0 && !rng.chance(0.05))
                add(StemClass::Snare, snareT[st] < 0.5f && rng.chance(0.3) ? snareAlt : snare, timeOf(t0, st), snareT[st]);
            if (rideMode) {
                if (st % stepsPerBeat == 0 || (hatT[st] > 0 && rng.chance(0.5))) {
                    add(StemClass::Cymbals, rng.chance(0.15) ? bell : ride, timeOf(t0, st), hatT[st] > 0 ? hatT[st] * 0.8 : 0.7);
                    if (rideOn >= 0) hits[4].back().instrument = rideOn; // the main stream's draws stay as they were
                }
                if (st == stepsPerBeat || st == 3 * stepsPerBeat) {
                    add(StemClass::HiHat, hatPedal, timeOf(t0, st), 0.6);
                    if (underHat >= 0) {
                        hits[3].back().instrument = underHat;
                        hits[3].back().velocity = clampVel(hits[3].back().velocity * underGain);
                    }
                } else if (underEveryBeat && st % stepsPerBeat == 0) {
                    // Beats 1 and 3 too, timed and humanised from the fifth stream.
                    hits[3].push_back({t0 + st * stepSec + humanSec * under.gauss(), underHat,
                                       clampVel((0.6 + velSpread * under.gauss()) * underGain)});
                }
            } else if (hatT[st] > 0) {
                const bool offbeat = st % stepsPerBeat != 0;
                const bool open = offbeat && rng.chance(openHatProb);
                add(StemClass::HiHat, open ? hatOpen : (rng.chance(0.05) ? hatPedal : hatClosed), timeOf(t0, st), hatT[st]);
            }
            if (tomGroove > 0 && rng.chance(tomGroove))
                add(StemClass::Toms, toms[static_cast<size_t>(rng.below(static_cast<int>(toms.size())))], timeOf(t0, st), 0.7);
        }
        if (fill) {
            // descending toms (sometimes snare in between), in 16ths or 8ths
            const int stride = rng.chance(0.6) ? 1 : 2;
            const int n = (stepsPerBar - fillFrom) / stride;
            for (int i = 0; i < n; ++i) {
                const int st = fillFrom + i * stride;
                const size_t ti = std::min(toms.size() - 1, static_cast<size_t>(i * toms.size() / std::max(1, n)));
                if (rng.chance(0.2)) add(StemClass::Snare, snare, timeOf(t0, st), 0.8);
                else add(StemClass::Toms, toms[ti], timeOf(t0, st), 0.75 + 0.2 * double(i) / std::max(1, n));
            }
            if (rng.chance(0.5)) add(StemClass::Kick, kick, timeOf(t0, stepsPerBar - stepsPerBeat), 0.8);
        }
        if (swellProb > 0 && bar % 4 == 3 && rng.chance(swellProb)) {
            // cymbal swell: a mallet roll rising over the last beats into the next downbeat
            const int n = stepsPerBeat * 4;
            const int cym = rng.chance(0.5) ? ride : crash;
            for (int i = 0; i < n; ++i)
                hits[4].push_back({t0 + barSec - (n - i) * stepSec * 0.5, cym, clampVel(0.05 + 0.75 * i / n)});
        }
        prevFill = fill;
    }

    // Open hats are choked by the next closed or pedal hat (the hi-hat closing).
    {
        auto& hh = hits[3];
        std::sort(hh.begin(), hh.end(), [](const Hit& a, const Hit& b) { return a.time < b.time; });
        for (size_t i = 0; i < hh.size(); ++i) {
            if (!isOpenHat(m_bank.instruments[static_cast<size_t>(hh[i].instrument)].role)) continue;
            for (size_t j = i + 1; j < hh.size(); ++j)
                if (!isOpenHat(m_bank.instruments[static_cast<size_t>(hh[j].instrument)].role)) {
                    hh[i].chokeAt = hh[j].time;
                    break;
                }
        }
    }

    // Silent and sparse stems: the model must learn to output silence and isolated hits.
    Example ex;
    ex.channels = opt.channels;
    ex.frames = frames;
    ex.bpm = bpm;
    for (int s = 0; s < kStemCount; ++s) {
        auto& h = hits[s];
        if (rng.chance(opt.silentStemProbability)) {
            h.clear();
        } else if (rng.chance(opt.sparseStemProbability)) {
            std::vector<Hit> inside;
            for (const auto& x : h)
                if (x.time >= 0 && x.time < windowSec) inside.push_back(x);
            h.clear();
            const int keep = 1 + rng.below(2);
            for (int i = 0; i < keep && !inside.empty(); ++i) {
                const size_t k = static_cast<size_t>(rng.below(static_cast<int>(inside.size())));
                h.push_back(inside[k]);
                inside.erase(inside.begin() + static_cast<long>(k));
            }
        }
    }

    // ---- render per stem -------------------------------------------------------------------
    const int C = opt.channels;
    std::vector<StemVoice> voices(m_bank.instruments.size());
    // Strong augmentation of an instrument, drawn once per example at its first hit.
    auto shapeVoice = [&](StemVoice& v, int instrument, int s) {
        const double range = isHatOrCymbal(s) && opt.hatsPitchSemitones >= 0.0 ? opt.hatsPitchSemitones : opt.pitchSemitones;
        double semis = opt.pitchSemitones > 0 && aug.chance(opt.pitchProbability) ? aug.uniform(-range, range) : 0.0;
        if ((s == 0 || s == 2) && aug.chance(opt.octaveProbability))
            semis = (s == 0 || aug.chance(0.5) ? -12.0 : 12.0) + aug.uniform(-2.0, 2.0);
        v.pitch = std::pow(2.0, semis / 12.0);
        if (aug.chance(opt.decayProbability)) {
            // Cymbals may keep a floor: a cymbal cut as short as a closed hat teaches the two apart
            // by nothing but spectrum, which differs from kit to kit.
            const double shortest = s == 4 ? std::clamp(opt.cymbalsMinDecaySeconds, 0.04, 0.8) : 0.04;
            v.decay = std::exp(-1.0 / (std::exp(aug.uniform(std::log(shortest), std::log(0.8))) * sr));
        }
        if (aug.chance(opt.attackProbability)) {
            v.attack = aug.uniform(-0.7, 2.0);
            v.attackDecay = std::exp(-1.0 / (aug.uniform(0.002, 0.02) * sr));
        }
        if (aug.chance(opt.layerProbability) && m_byClass[s].size() > 1) {
            const auto& role = m_bank.instruments[static_cast<size_t>(instrument)].role;
            std::vector<int> same, other;
            for (int i : m_byClass[s])
                if (i != instrument) (m_bank.instruments[static_cast<size_t>(i)].role == role ? same : other).push_back(i);
            const auto& from = same.empty() ? other : same;
            v.partner = drawOne(aug, from, true, s);
            v.partnerGain = static_cast<float>(std::pow(10.0, aug.uniform(-9.0, 0.0) / 20.0));
        }
    };
    for (int s = 0; s < kStemCount; ++s) {
        auto& out = ex.stems[s];
        out.assign(static_cast<size_t>(C) * static_cast<size_t>(frames), 0.0f);
        const double pitch = opt.augment && rng.chance(0.6) ? std::pow(2.0, rng.uniform(-2.5, 2.5) / 12.0) : 1.0;
        const float gain = opt.augment ? static_cast<float>(std::pow(10.0, rng.uniform(-opt.stemGainDb, 0.0) / 20.0)) : 1.0f;
        const float stemWidth = opt.augment ? static_cast<float>(rng.uniform(0.2, 1.2)) : 1.0f;
        const double panSpread = opt.augment ? rng.uniform(0.0, 0.7) : 0.3;
        // Adds one sample of `inst` for `hit` into the stem; false when nothing of it is inside the window.
        auto renderHit = [&](const SampleInstrument& inst, const StemVoice& v, const Hit& hit, float amp, double ratio) {
            const SampleLayer& layer = inst.layerFor(hit.velocity);
            const double startFrame = hit.time * sr;
            const double len = double(layer.frames) / ratio;
            int64_t i0 = static_cast<int64_t>(std::ceil(startFrame));
            int64_t i1 = static_cast<int64_t>(std::floor(startFrame + len - 1.0));
            const double chokeFrame = hit.chokeAt * sr;
            const double chokeFade = 0.012 * sr;
            if (hit.chokeAt < windowSec + 60.0)
                i1 = std::min<int64_t>(i1, static_cast<int64_t>(chokeFrame + chokeFade));
            i0 = std::max<int64_t>(i0, 0);
            i1 = std::min<int64_t>(i1, frames - 1);
            if (i1 < i0) return false;
            // constant-power pan; stereo samples get mid/side width first
            const float theta = float((v.pan + 1.0) * M_PI / 4.0);
            const float gl = std::cos(theta) * float(M_SQRT2), gr = std::sin(theta) * float(M_SQRT2);
            const float* src0 = layer.samples.data();
            const float* src1 = layer.channels == 2 ? src0 + layer.frames : src0;
            float* outL = out.data();
            float* outR = C == 2 ? out.data() + frames : nullptr;
            // A fixed gain curve from the onset (strong augmentation): linear in the sample.
            const bool shaped = v.decay != 1.0 || v.attack != 0.0;
            double dec = 1.0, att = 0.0;
            if (shaped) {
                const double n0 = double(i0) - startFrame;
                dec = std::pow(v.decay, n0);
                att = v.attack * std::pow(v.attackDecay, n0);
            }
            for (int64_t i = i0; i <= i1; ++i) {
                const double pos = (double(i) - startFrame) * ratio;
                const int64_t k = static_cast<int64_t>(pos);
                if (k + 1 >= layer.frames) break;
                const float fr = static_cast<float>(pos - double(k));
                float a = src0[k] + fr * (src0[k + 1] - src0[k]);
                float b = src1[k] + fr * (src1[k + 1] - src1[k]);
                float env = amp;
                if (double(i) > chokeFrame) env *= static_cast<float>(1.0 - (double(i) - chokeFrame) / chokeFade);
                if (shaped) {
                    env *= static_cast<float>(dec * (1.0 + att));
                    dec *= v.decay;
                    att *= v.attackDecay;
                }
                if (C == 1) {
                    outL[i] += env * 0.5f * (a + b);
                    continue;
                }
                const float mid = 0.5f * (a + b), side = 0.5f * (a - b) * v.width;
                a = mid + side;
                b = mid - side;
                outL[i] += env * gl * a;
                outR[i] += env * gr * b;
            }
            return true;
        };
        auto sounded = [&](int instrument) {
            auto& list = ex.instruments[s];
            if (std::find(list.begin(), list.end(), instrument) == list.end()) list.push_back(instrument);
        };
        int hitsInside = 0;
        for (const auto& hit : hits[s]) {
            auto& v = voices[static_cast<size_t>(hit.instrument)];
            if (!v.placed) { // first use in this example: place it
                v.placed = true;
                v.pan = static_cast<float>(std::clamp(panSpread * rng.uniform(-1.0, 1.0), -1.0, 1.0));
                if (s == 2 && toms.size() > 1) { // toms spread across the image, high to low
                    const auto it = std::find(toms.begin(), toms.end(), hit.instrument);
                    const double pos = double(it - toms.begin()) / double(toms.size() - 1);
                    v.pan = static_cast<float>(panSpread * (2.0 * pos - 1.0));
                }
                v.width = stemWidth;
                if (opt.strong) shapeVoice(v, hit.instrument, s);
                if (opt.polarityProbability > 0.0 && sign.chance(opt.polarityProbability)) v.polarity = -1.0f;
            }
            if (hit.time >= 0 && hit.time < windowSec) ++hitsInside;
            const float amp = gain * hit.velocity * v.polarity;
            if (renderHit(m_bank.instruments[static_cast<size_t>(hit.instrument)], v, hit, amp, pitch * v.pitch))
                sounded(hit.instrument);
            if (v.partner >= 0 &&
                renderHit(m_bank.instruments[static_cast<size_t>(v.partner)], v, hit, amp * v.partnerGain, pitch * v.pitch))
                sounded(v.partner);
        }
        ex.hits[s] = hitsInside;
        // EQ tilt: a one-pole split into low and high bands, weighted +-tilt/2 (linear, per stem).
        if (opt.augment && rng.chance(0.7)) {
            const double tiltDb = rng.uniform(-6.0, 6.0);
            const double fc = std::exp(rng.uniform(std::log(250.0), std::log(4000.0)));
            const float a = static_cast<float>(std::exp(-2.0 * M_PI * fc / sr));
            const float gLow = static_cast<float>(std::pow(10.0, -tiltDb / 40.0));
            const float gHigh = static_cast<float>(std::pow(10.0, tiltDb / 40.0));
            for (int c = 0; c < C; ++c) {
                float* x = out.data() + static_cast<size_t>(c) * static_cast<size_t>(frames);
                float low = 0.0f;
                for (int64_t i = 0; i < frames; ++i) {
                    low = (1.0f - a) * x[i] + a * low;
                    x[i] = gLow * low + gHigh * (x[i] - low);
                }
            }
        }
        // Parametric EQ (strong augmentation): 1..maxEqBands random peaking or shelving sections.
        if (opt.strong && opt.maxEqBands > 0 && aug.chance(opt.eqProbability)) {
            const double eqGainDb = isHatOrCymbal(s) && opt.hatsEqGainDb >= 0.0 ? opt.hatsEqGainDb : opt.eqGainDb;
            std::vector<Biquad> eq;
            const int bands = 1 + aug.below(opt.maxEqBands);
            for (int k = 0; k < bands; ++k) {
                const double kind = aug.uniform();
                const double g = aug.uniform(-eqGainDb, eqGainDb);
                if (kind < 0.6) eq.push_back(makeBiquad(BiquadKind::Peaking, sr, aug.logUniform(60.0, 12000.0), g, aug.logUniform(0.5, 4.0)));
                else if (kind < 0.8) eq.push_back(makeBiquad(BiquadKind::LowShelf, sr, aug.logUniform(60.0, 400.0), g, 1.0));
                else eq.push_back(makeBiquad(BiquadKind::HighShelf, sr, aug.logUniform(2000.0, 10000.0), g, 1.0));
            }
            applyBiquads(out, C, frames, eq);
        }
        if (opt.strong) applyBoundaryAugmentation(out, C, frames, s, opt, edge);
    }

    // Bright metal: the hi-hat and cymbal stems through one high-pass, so both move up together
    // and the brighter one stays the brighter.
    if (opt.brightMetalProbability > 0.0 && bright.chance(opt.brightMetalProbability)) {
        const double fc = bright.logUniform(1000.0, 4000.0);
        const int order = bright.chance(0.5) ? 2 : 1; // 12 or 24 dB per octave
        const std::vector<Biquad> highPass(static_cast<size_t>(order), makeBiquad(BiquadKind::HighPass, sr, fc, 0.0, 0.707));
        applyBiquads(ex.stems[static_cast<int>(StemClass::HiHat)], C, frames, highPass);
        applyBiquads(ex.stems[static_cast<int>(StemClass::Cymbals)], C, frames, highPass);
    }

    // Phase: each stem, with the probability, through one or two all-pass sections of its own.
    if (opt.phaseProbability > 0.0)
        for (int s = 0; s < kStemCount; ++s) {
            if (!phase.chance(opt.phaseProbability)) continue;
            std::vector<Biquad> allPass;
            const int sections = phase.chance(0.5) ? 2 : 1;
            for (int k = 0; k < sections; ++k)
                allPass.push_back(makeBiquad(BiquadKind::AllPass, sr, phase.logUniform(80.0, 8000.0), 0.0, phase.logUniform(0.5, 2.0)));
            applyBiquads(ex.stems[s], C, frames, allPass);
        }

    // Quiet hats under loud metal: the hi-hat stem 10-25 dB under the cymbal stem, when louder.
    if (opt.quietHatsProbability > 0.0 && quiet.chance(opt.quietHatsProbability)) {
        auto& hh = ex.stems[static_cast<int>(StemClass::HiHat)];
        const auto& cymbals = ex.stems[static_cast<int>(StemClass::Cymbals)];
        double eHats = 0.0, eCymbals = 0.0;
        for (float x : hh) eHats += double(x) * x;
        for (float x : cymbals) eCymbals += double(x) * x;
        const double under = quiet.uniform(10.0, 25.0);
        const double wanted = eCymbals * std::pow(10.0, -under / 10.0);
        if (eHats > 0.0 && eCymbals > 0.0 && eHats > wanted) {
            const float g = static_cast<float>(std::sqrt(wanted / eHats));
            for (float& x : hh) x *= g;
        }
    }

    // ---- scale the whole example to a random peak, then the mix as the exact sum ---------------
    const size_t n = static_cast<size_t>(C) * static_cast<size_t>(frames);
    ex.mix.assign(n, 0.0f);
    for (int s = 0; s < kStemCount; ++s)
        for (size_t i = 0; i < n; ++i) ex.mix[i] += ex.stems[s][i];
    float peak = 0.0f;
    for (size_t i = 0; i < n; ++i) peak = std::max(peak, std::fabs(ex.mix[i]));
    for (int s = 0; s < kStemCount; ++s)
        for (size_t i = 0; i < n; ++i) peak = std::max(peak, std::fabs(ex.stems[s][i]));
    if (peak > 0.0f) {
        const float target = static_cast<float>(rng.uniform(opt.minPeak, opt.maxPeak));
        const float scale = target / peak;
        for (int s = 0; s < kStemCount; ++s)
            for (float& x : ex.stems[s]) x *= scale;
        std::fill(ex.mix.begin(), ex.mix.end(), 0.0f);
        for (int s = 0; s < kStemCount; ++s)
            for (size_t i = 0; i < n; ++i) ex.mix[i] += ex.stems[s][i];
    }
    return ex;
}

uint64_t exampleSeed(uint64_t baseSeed, uint64_t batch, uint64_t item) {
    Rng r(baseSeed ^ (batch * 0xD1B54A32D192ED03ull) ^ (item * 0x8CB92BA72F3D8DD7ull));
    return r.next();
}

Batch makeBatch(const PatternSynth& synth, uint64_t baseSeed, uint64_t index, int batchSize, int64_t frames) {
    Batch b;
    b.index = index;
    b.batchSize = batchSize;
    b.channels = synth.options().channels;
    b.frames = frames;
    const size_t per = static_cast<size_t>(b.channels) * static_cast<size_t>(frames);
    b.stems.resize(static_cast<size_t>(batchSize) * kStemCount * per);
    b.mix.resize(static_cast<size_t>(batchSize) * per);
    for (int i = 0; i < batchSize; ++i) {
        const Example ex = synth.render(exampleSeed(baseSeed, index, static_cast<uint64_t>(i)), frames);
        for (int s = 0; s < kStemCount; ++s)
            std::copy(ex.stems[s].begin(), ex.stems[s].end(),
                      b.stems.begin() + static_cast<long>((static_cast<size_t>(i) * kStemCount + s) * per));
        std::copy(ex.mix.begin(), ex.mix.end(), b.mix.begin() + static_cast<long>(static_cast<size_t>(i) * per));
    }
    return b;
}

BatchProducer::BatchProducer(const PatternSynth& synth, int batchSize, int64_t frames, uint64_t baseSeed,
                             uint64_t firstBatch, int threads, int queueDepth)
    : m_synth(synth), m_batchSize(batchSize), m_frames(frames), m_seed(baseSeed), m_nextToMake(firstBatch),
      m_nextToGive(firstBatch), m_depth(static_cast<size_t>(std::max(queueDepth, threads))) {
    for (int i = 0; i < std::max(1, threads); ++i) m_threads.emplace_back([this] { work(); });
}

BatchProducer::~BatchProducer() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_space.notify_all();
    m_ready.notify_all();
    for (auto& t : m_threads) t.join();
}

void BatchProducer::work() {
    for (;;) {
        uint64_t index;
        {
            std::unique_lock lock(m_mutex);
            m_space.wait(lock, [&] { return m_stop || m_nextToMake - m_nextToGive < m_depth; });
            if (m_stop) return;
            index = m_nextToMake++;
        }
        Batch b = makeBatch(m_synth, m_seed, index, m_batchSize, m_frames);
        {
            std::lock_guard lock(m_mutex);
            m_done.emplace(index, std::move(b));
        }
        m_ready.notify_all();
    }
}

Batch BatchProducer::next() {
    std::unique_lock lock(m_mutex);
    m_ready.wait(lock, [&] { return m_done.count(m_nextToGive) > 0; });
    auto node = m_done.extract(m_nextToGive);
    ++m_nextToGive;
    lock.unlock();
    m_space.notify_all();
    return std::move(node.mapped());
}

} // namespace stemdeck::train
