// The pattern synthesiser and the demo loop: stems sum exactly to the mix, nothing clips,
// a seed gives the same example every time, silent and sparse stems occur, evaluation loops have
// every stem, and the demo loop comes from the validation kits only. Strong augmentation keeps all
// of that, mixes kits within a stem, and leaves examples made without it untouched; its EQ is
// linear and does what it says.
#include "common/error.h"
#include "train/demo.h"
#include "train/levels.h"
#include "train/synth.h"
#include "train_fixture.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace stemdeck;
using namespace stemdeck::train;

namespace {

SynthOptions strongOptions() {
    SynthOptions o;
    o.strong = true;
    return o;
}

// Kits a stem's sounding instruments came from.
int kitsIn(const SampleBank& bank, const std::vector<int>& instruments) {
    std::vector<int> kits;
    for (int i : instruments) {
        const int k = bank.instruments[static_cast<size_t>(i)].kit;
        if (std::find(kits.begin(), kits.end(), k) == kits.end()) kits.push_back(k);
    }
    return static_cast<int>(kits.size());
}

// Level in dB of a sine at `freq` after the sections (steady state, second half of 1 s).
double sineGainDb(const std::vector<Biquad>& eq, double freq) {
    const int64_t n = 44100;
    std::vector<float> x(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) x[static_cast<size_t>(i)] = static_cast<float>(std::sin(2.0 * M_PI * freq * double(i) / 44100.0));
    std::vector<float> y = x;
    applyBiquads(y, 1, n, eq);
    double ex = 0.0, ey = 0.0;
    for (int64_t i = n / 2; i < n; ++i) {
        ex += double(x[static_cast<size_t>(i)]) * x[static_cast<size_t>(i)];
        ey += double(y[static_cast<size_t>(i)]) * y[static_cast<size_t>(i)];
    }
    return 10.0 * std::log10(ey / ex);
}

double energy(const std::vector<float>& x) {
    double e = 0.0;
    for (float v : x) e += double(v) * v;
    return e;
}

// The mix is exactly the sum of the stems, every sample finite, and the example's peak (stems
// and mix) within the synthesiser's range. Empty when so, else what is wrong.
QString sumAndPeakProblem(const PatternSynth& synth, const Example& ex) {
    float peak = 0.0f;
    for (size_t i = 0; i < ex.mix.size(); ++i) {
        float sum = 0.0f;
        for (int s = 0; s < kStemCount; ++s) {
            sum += ex.stems[s][i];
            peak = std::max(peak, std::fabs(ex.stems[s][i]));
        }
        if (sum != ex.mix[i] || !std::isfinite(sum))
            return QString("sample %1: mix %2 != sum %3").arg(i).arg(ex.mix[i]).arg(sum);
        peak = std::max(peak, std::fabs(ex.mix[i]));
    }
    if (peak > synth.options().maxPeak + 1e-6f) return QString("peak %1 above the range").arg(peak);
    if (energy(ex.mix) > 0.0 && peak < synth.options().minPeak - 1e-6f) return QString("peak %1 below the range").arg(peak);
    return {};
}

// Renders the same seeds with options a and b. Stems outside `mayChange` must be the same sounds
// (up to the one factor of the example's final peak scaling); sets *problem when one is not, or
// when an example of b breaks the sum. Returns in how many examples a stem of `mayChange` differs.
int examplesChanged(const SampleBank& bank, const SynthOptions& a, const SynthOptions& b, std::array<bool, kStemCount> mayChange,
                    uint64_t firstSeed, QString* problem) {
    const PatternSynth sa(bank, kitsWhere(bank, false), a), sb(bank, kitsWhere(bank, false), b);
    int changed = 0;
    for (uint64_t seed = firstSeed; seed < firstSeed + 30; ++seed) {
        const Example x = sa.render(seed, 44100 * 2);
        const Example y = sb.render(seed, 44100 * 2);
        *problem = sumAndPeakProblem(sb, y);
        if (!problem->isEmpty()) return changed;
        double xy = 0.0, yy = 0.0, peak = 0.0;
        for (int s = 0; s < kStemCount; ++s)
            for (size_t i = 0; !mayChange[static_cast<size_t>(s)] && i < x.stems[s].size(); ++i) {
                xy += double(x.stems[s][i]) * y.stems[s][i];
                yy += double(y.stems[s][i]) * y.stems[s][i];
                peak = std::max(peak, double(std::fabs(x.stems[s][i])));
            }
        const double k = yy > 0.0 ? xy / yy : 1.0;
        double change = 0.0;
        for (int s = 0; s < kStemCount; ++s)
            for (size_t i = 0; i < x.stems[s].size(); ++i) {
                const double d = std::abs(x.stems[s][i] - k * y.stems[s][i]);
                if (mayChange[static_cast<size_t>(s)]) {
                    change = std::max(change, d);
                } else if (d > 1e-5 * std::max(peak, 1e-3)) {
                    *problem = QString("seed %1: %2 changed at sample %3").arg(seed).arg(kStemNames[s].data()).arg(i);
                    return changed;
                }
            }
        if (change > 1e-3) ++changed;
    }
    return changed;
}

} // namespace

class TestSynth : public QObject {
    Q_OBJECT

    SampleBank m_bank;

private Q_SLOTS:
    void initTestCase() { m_bank = test::smallBank(); }

    void stemsSumExactlyToTheMixAndNothingClips() {
        const PatternSynth synth(m_bank, kitsWhere(m_bank, false));
        for (uint64_t seed = 0; seed < 40; ++seed) {
            const Example ex = synth.render(seed, 44100 * 3);
            QCOMPARE(ex.channels, 2);
            QCOMPARE(ex.mix.size(), size_t(2 * 44100 * 3));
            const QString problem = sumAndPeakProblem(synth, ex);
            QVERIFY2(problem.isEmpty(), qPrintable(QString("seed %1, %2").arg(seed).arg(problem)));
            QVERIFY(ex.bpm >= 70.0 && ex.bpm <= 180.0);
        }
    }

    void sameSeedSameExample() {
        const PatternSynth synth(m_bank, kitsWhere(m_bank, false));
        const Example a = synth.render(1234, 44100 * 2);
        const Example b = synth.render(1234, 44100 * 2);
        const Example c = synth.render(1235, 44100 * 2);
        QVERIFY(a.mix == b.mix);
        for (int s = 0; s < kStemCount; ++s) QVERIFY(a.stems[s] == b.stems[s]);
        QVERIFY(a.mix != c.mix);
        // Batches do not depend on how many threads rendered them.
        const Batch one = makeBatch(synth, 7, 3, 4, 44100);
        BatchProducer producer(synth, 4, 44100, 7, 2, 3);
        producer.next(); // batch 2
        const Batch three = producer.next();
        QCOMPARE(three.index, uint64_t(3));
        QVERIFY(three.stems == one.stems);
        QVERIFY(three.mix == one.mix);
    }

    void silentAndSparseStemsOccur() {
        const PatternSynth synth(m_bank, kitsWhere(m_bank, false));
        std::array<int, kStemCount> silent{}, sparse{}, busy{};
        for (uint64_t seed = 0; seed < 150; ++seed) {
            const Example ex = synth.render(seed * 7 + 3, 44100 * 3);
            for (int s = 0; s < kStemCount; ++s) {
                if (energy(ex.stems[s]) == 0.0) ++silent[s];
                else if (ex.hits[s] >= 1 && ex.hits[s] <= 2) ++sparse[s];
                else if (ex.hits[s] >= 3) ++busy[s];
            }
        }
        int totalSilent = 0, totalSparse = 0;
        for (int s = 0; s < kStemCount; ++s) {
            totalSilent += silent[s];
            totalSparse += sparse[s];
            QVERIFY2(busy[s] > 10, kStemNames[s].data()); // every class is mostly present
        }
        QVERIFY(totalSilent > 20);
        QVERIFY(totalSparse > 20);
    }

    void evaluationLoopsHaveEveryStem() {
        // The training synthesiser leaves stems silent on purpose: find a seed with a silent stem
        // and one with all five, as the validation's fixed seeds may be either.
        const PatternSynth synth(m_bank, kitsWhere(m_bank, false));
        const int64_t frames = 44100 * 3;
        auto complete = [](const Example& ex) {
            return std::all_of(ex.hits.begin(), ex.hits.end(), [](int h) { return h > 0; });
        };
        int replaced = 0, kept = 0;
        for (uint64_t seed = 0; seed < 40 && (replaced < 2 || kept < 2); ++seed) {
            const Example plain = synth.render(seed, frames);
            const Example eval = renderComplete(synth, seed, frames);
            QVERIFY2(complete(eval), qPrintable(QString("seed %1").arg(seed)));
            for (int s = 0; s < kStemCount; ++s) QVERIFY(energy(eval.stems[s]) > 0.0);
            if (complete(plain)) {
                QVERIFY(eval.mix == plain.mix); // a complete loop is used as it is
                ++kept;
            } else {
                QVERIFY(eval.mix != plain.mix);
                ++replaced;
            }
        }
        QVERIFY(replaced >= 2);
        QVERIFY(kept >= 2);
    }

    void strongAugmentationKeepsTheSumExactAndIsDeterministic() {
        const PatternSynth synth(m_bank, kitsWhere(m_bank, false), strongOptions());
        const PatternSynth basic(m_bank, kitsWhere(m_bank, false));
        for (uint64_t seed = 100; seed < 130; ++seed) {
            const Example ex = synth.render(seed, 44100 * 3);
            const QString problem = sumAndPeakProblem(synth, ex);
            QVERIFY2(problem.isEmpty(), qPrintable(QString("strong, seed %1, %2").arg(seed).arg(problem)));
            const Example again = synth.render(seed, 44100 * 3);
            QVERIFY(again.mix == ex.mix);
            for (int s = 0; s < kStemCount; ++s) QVERIFY(again.stems[s] == ex.stems[s]);
            // The same seed without strong augmentation is another example (the extra draws matter).
            QVERIFY(basic.render(seed, 44100 * 3).mix != ex.mix);
        }
    }

    // hatsPitchSemitones / hatsEqGainDb narrow the augmentation of hi-hat and cymbals only: the
    // same draws, scaled, so kick, snare and toms are the same sounds and the hats are not.
    void narrowHatsChangeOnlyHatsAndCymbals() {
        SynthOptions narrow = strongOptions();
        narrow.hatsPitchSemitones = 0.0;
        narrow.hatsEqGainDb = 0.0;
        QString problem;
        const int changed = examplesChanged(m_bank, strongOptions(), narrow, {false, false, false, true, true}, 200, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(changed >= 10, qPrintable(QString::number(changed)));
    }

    // The boundary augmentation draws from its own stream: resonances change kick, snare and toms
    // and nothing else; a floor under the cymbals' decay changes the cymbals and nothing else.
    void boundaryAugmentationChangesOnlyItsStems() {
        SynthOptions ring = strongOptions();
        ring.resonanceProbability = 1.0;
        QString problem;
        int changed = examplesChanged(m_bank, strongOptions(), ring, {true, true, true, false, false}, 300, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(changed >= 20, qPrintable(QString::number(changed)));

        // Band limits for kick, snare and toms alone (--hats-band-limit 0) leave those three as they
        // are with band limits everywhere, and spare hi-hat and cymbals.
        SynthOptions everywhere = strongOptions();
        everywhere.bandLimitProbability = 1.0;
        SynthOptions drumsOnly = everywhere;
        drumsOnly.hatsBandLimitProbability = 0.0;
        changed = examplesChanged(m_bank, everywhere, drumsOnly, {false, false, false, true, true}, 350, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(changed >= 20, qPrintable(QString::number(changed)));
        changed = examplesChanged(m_bank, strongOptions(), drumsOnly, {true, true, true, false, false}, 350, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(changed >= 20, qPrintable(QString::number(changed)));

        SynthOptions longCymbals = strongOptions();
        longCymbals.cymbalsMinDecaySeconds = 0.5;
        changed = examplesChanged(m_bank, strongOptions(), longCymbals, {false, false, false, false, true}, 400, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(changed >= 3, qPrintable(QString::number(changed)));
    }

    // Riding the crash draws from its own stream and changes the cymbals alone; with it always on,
    // a ride-role cymbal sounds in far fewer examples (only swells still ask for one).
    void ridingTheCrashChangesOnlyTheCymbals() {
        SynthOptions crashRide = strongOptions();
        crashRide.rideOnCrashProbability = 1.0;
        QString problem;
        const int changed = examplesChanged(m_bank, strongOptions(), crashRide, {false, false, false, false, true}, 600, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(changed >= 4, qPrintable(QString::number(changed)));

        const PatternSynth plain(m_bank, kitsWhere(m_bank, false), strongOptions());
        const PatternSynth riding(m_bank, kitsWhere(m_bank, false), crashRide);
        auto hasRide = [&](const Example& ex) {
            for (int i : ex.instruments[4])
                if (m_bank.instruments[static_cast<size_t>(i)].role == "ride") return true;
            return false;
        };
        int plainRides = 0, ridingRides = 0;
        for (uint64_t seed = 700; seed < 900; ++seed) {
            plainRides += hasRide(plain.render(seed, 44100 * 2)) ? 1 : 0;
            const Example ex = riding.render(seed, 44100 * 2);
            const QString p = sumAndPeakProblem(riding, ex);
            QVERIFY2(p.isEmpty(), qPrintable(QString("seed %1, %2").arg(seed).arg(p)));
            ridingRides += hasRide(ex) ? 1 : 0;
        }
        QVERIFY2(plainRides >= 30, qPrintable(QString::number(plainRides)));
        QVERIFY2(ridingRides * 3 <= plainRides, qPrintable(QString("%1 against %2").arg(ridingRides).arg(plainRides)));
    }

    // The hats under the ride draw from their own stream and change the hi-hat alone; with them
    // always on, ride grooves get more hats (beats 1 and 3 in some) and stick-played closed hats.
    void hatsUnderTheRideChangeOnlyTheHiHat() {
        SynthOptions under = strongOptions();
        under.rideHatsProbability = 1.0;
        QString problem;
        const int changed = examplesChanged(m_bank, strongOptions(), under, {false, false, false, true, false}, 800, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(changed >= 4, qPrintable(QString::number(changed)));
        const PatternSynth plain(m_bank, kitsWhere(m_bank, false), strongOptions());
        const PatternSynth varied(m_bank, kitsWhere(m_bank, false), under);
        int plainHits = 0, variedHits = 0;
        for (uint64_t seed = 800; seed < 900; ++seed) {
            const Example a = plain.render(seed, 44100 * 4), b = varied.render(seed, 44100 * 4);
            const QString p = sumAndPeakProblem(varied, b);
            QVERIFY2(p.isEmpty(), qPrintable(QString("seed %1, %2").arg(seed).arg(p)));
            plainHits += a.hits[3];
            variedHits += b.hits[3];
        }
        QVERIFY2(variedHits > plainHits, qPrintable(QString("%1 against %2").arg(variedHits).arg(plainHits)));
    }

    // Quiet hats under loud metal: only the hi-hat changes, by a gain, and wherever both stems
    // sound it ends 10-25 dB under the cymbals; the stems still sum to the mix.
    void quietHatsSitUnderTheCymbals() {
        SynthOptions quiet = strongOptions();
        quiet.quietHatsProbability = 1.0;
        QString problem;
        const int changed = examplesChanged(m_bank, strongOptions(), quiet, {false, false, false, true, false}, 1100, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(changed >= 10, qPrintable(QString::number(changed)));
        const PatternSynth plain(m_bank, kitsWhere(m_bank, false), strongOptions());
        const PatternSynth varied(m_bank, kitsWhere(m_bank, false), quiet);
        const auto energy = [](const std::vector<float>& v) {
            double e = 0.0;
            for (float x : v) e += double(x) * x;
            return e;
        };
        int both = 0, louderBefore = 0;
        for (uint64_t seed = 1100; seed < 1160; ++seed) {
            const Example a = plain.render(seed, 44100 * 2), b = varied.render(seed, 44100 * 2);
            const QString p = sumAndPeakProblem(varied, b);
            QVERIFY2(p.isEmpty(), qPrintable(QString("seed %1, %2").arg(seed).arg(p)));
            const double hatsA = energy(a.stems[3]), cymbalsA = energy(a.stems[4]);
            const double hatsB = energy(b.stems[3]), cymbalsB = energy(b.stems[4]);
            if (hatsA <= 0.0 || cymbalsA <= 0.0) continue;
            ++both;
            const double before = 10.0 * std::log10(hatsA / cymbalsA), after = 10.0 * std::log10(hatsB / cymbalsB);
            QVERIFY2(after <= -10.0 + 1e-3 && after >= std::min(before, -25.0) - 1e-3,
                     qPrintable(QString("seed %1: %2 -> %3 dB").arg(seed).arg(before).arg(after)));
            if (before > -10.0) ++louderBefore;
        }
        QVERIFY2(both >= 20 && louderBefore >= 10, qPrintable(QString("%1 with both, %2 turned down").arg(both).arg(louderBefore)));
    }

    // `stemdeck-train levels`: each stem's level against the mix lands in its 5 dB bin, silence in
    // its own, and a faint hat under loud cymbals is counted; --quiet-hats makes that case common.
    void levelTableCountsWhatItSees() {
        QCOMPARE(LevelTable::binOf(1.0, 1.0), 6);           // 0 dB
        QCOMPARE(LevelTable::binOf(1.0, 2000.0), 0);        // -33 dB
        QCOMPARE(LevelTable::binOf(1.0, 1000.0), 1);        // -30 dB: the bin's lower edge
        QCOMPARE(LevelTable::binOf(1.0, 150.0), 2);         // -21.8 dB
        QCOMPARE(LevelTable::binOf(0.0, 1.0), LevelTable::kBins - 1); // silent
        // Stems apart in time, so their energies add up to the mix's: kick 0 dB-ish, hi-hat -22 dB,
        // cymbals -4 dB, toms silent.
        Example ex;
        ex.channels = 1;
        ex.frames = 500;
        const std::array<float, kStemCount> amp{1.0f, 0.3f, 0.0f, 0.1f, 0.8f};
        for (int s = 0; s < kStemCount; ++s) {
            ex.stems[static_cast<size_t>(s)].assign(500, 0.0f);
            for (int i = 100 * s; i < 100 * s + 100; ++i) ex.stems[static_cast<size_t>(s)][static_cast<size_t>(i)] = amp[static_cast<size_t>(s)];
        }
        ex.mix.assign(500, 0.0f);
        for (int s = 0; s < kStemCount; ++s)
            for (int i = 0; i < 500; ++i) ex.mix[static_cast<size_t>(i)] += ex.stems[static_cast<size_t>(s)][static_cast<size_t>(i)];
        LevelTable t;
        t.add(ex); // mix energy 100 x 1.74: kick -2.4, snare -12.9, hh -22.4, cymbals -4.3 dB
        QCOMPARE(t.examples, 1);
        QCOMPARE(t.counts[0][6], 1);
        QCOMPARE(t.counts[1][4], 1);
        QCOMPARE(t.counts[2][LevelTable::kBins - 1], 1);
        QCOMPARE(t.counts[3][2], 1);
        QCOMPARE(t.counts[4][6], 1);
        QCOMPARE(t.quietHats, 1);
        QCOMPARE(t.quietHatsUnderLoudCymbals, 1);
        QVERIFY(QString::fromStdString(t.format("one")).contains(QStringLiteral("with the cymbals above -10 dB: 100.0 %")));

        SynthOptions quiet = strongOptions();
        quiet.quietHatsProbability = 1.0;
        const PatternSynth plain(m_bank, kitsWhere(m_bank, false), strongOptions()), varied(m_bank, kitsWhere(m_bank, false), quiet);
        const LevelTable a = exampleLevels(plain, 7, 12, 60, 44100 * 2, 2), b = exampleLevels(varied, 7, 12, 60, 44100 * 2, 2);
        QCOMPARE(a.examples, 60);
        QCOMPARE(b.examples, 60);
        QVERIFY2(b.quietHatsUnderLoudCymbals > a.quietHatsUnderLoudCymbals + 5,
                 qPrintable(QString("%1 against %2").arg(b.quietHatsUnderLoudCymbals).arg(a.quietHatsUnderLoudCymbals)));
        // The same examples, drawn in any order of the threads.
        QCOMPARE(exampleLevels(plain, 7, 12, 60, 44100 * 2, 1).counts, a.counts);
    }

    // Polarity: at 1 every instrument is inverted, so every stem and the mix are exactly the
    // plain example's negated (layered partners included); at 0.5 some instruments are and some
    // are not, so mixes change in other ways, and the stems still sum to the mix.
    void polarityInvertsInstruments() {
        SynthOptions all = strongOptions();
        all.polarityProbability = 1.0;
        SynthOptions half = strongOptions();
        half.polarityProbability = 0.5;
        const PatternSynth plain(m_bank, kitsWhere(m_bank, false), strongOptions());
        const PatternSynth inverted(m_bank, kitsWhere(m_bank, false), all);
        const PatternSynth some(m_bank, kitsWhere(m_bank, false), half);
        int otherwise = 0;
        for (uint64_t seed = 900; seed < 930; ++seed) {
            const Example a = plain.render(seed, 44100 * 2), b = inverted.render(seed, 44100 * 2);
            for (int s = 0; s < kStemCount; ++s) {
                QCOMPARE(b.stems[s].size(), a.stems[s].size());
                for (size_t i = 0; i < a.stems[s].size(); ++i)
                    if (b.stems[s][i] != -a.stems[s][i])
                        QFAIL(qPrintable(QString("seed %1, stem %2, sample %3: %4 against %5").arg(seed).arg(s).arg(i)
                                             .arg(b.stems[s][i]).arg(a.stems[s][i])));
            }
            const Example c = some.render(seed, 44100 * 2);
            const QString p = sumAndPeakProblem(some, c);
            QVERIFY2(p.isEmpty(), qPrintable(QString("seed %1, %2").arg(seed).arg(p)));
            bool same = c.mix == a.mix, negated = true;
            for (size_t i = 0; i < a.mix.size() && negated; ++i) negated = c.mix[i] == -a.mix[i];
            if (!same && !negated) ++otherwise;
        }
        QVERIFY2(otherwise >= 10, qPrintable(QString::number(otherwise)));
    }

    // Bright metal: only the hi-hat and cymbal stems change, the sum stays exact, and both lose
    // most of their energy below 1 kHz.
    void brightMetalMovesHatsAndCymbalsTogether() {
        SynthOptions brightOptions = strongOptions();
        brightOptions.brightMetalProbability = 1.0;
        QString problem;
        const int changed = examplesChanged(m_bank, strongOptions(), brightOptions, {false, false, false, true, true}, 1000, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(changed >= 20, qPrintable(QString::number(changed)));
        const PatternSynth plain(m_bank, kitsWhere(m_bank, false), strongOptions());
        const PatternSynth bright(m_bank, kitsWhere(m_bank, false), brightOptions);
        const auto lowShare = [&](const Example& ex, int s) {
            return energyShareBelow(ex.stems[s], ex.channels, ex.frames, 1000.0, 44100.0);
        };
        for (int s : {3, 4}) {
            double before = 0.0, after = 0.0;
            for (uint64_t seed = 1000; seed < 1030; ++seed) {
                before += lowShare(plain.render(seed, 44100 * 2), s);
                after += lowShare(bright.render(seed, 44100 * 2), s);
            }
            QVERIFY2(before > 0.0 && after < 0.5 * before, qPrintable(QString("%1: %2 -> %3").arg(kStemNames[s].data()).arg(before).arg(after)));
        }
    }

    // Phase: the all-pass section passes every frequency at unit gain and turns the phase by -180
    // degrees at its frequency; with the option always on, each stem changes shape (its waveform
    // no longer correlates with the plain one's) but keeps its share of the example's energy
    // (what falls off the window's end aside), and the stems still sum to the mix.
    void phaseTurnsStemsAndKeepsTheirEnergy() {
        const double sr = 44100.0;
        const Biquad ap = makeBiquad(BiquadKind::AllPass, sr, 1000.0, 0.0, 0.7);
        for (double f : {50.0, 300.0, 1000.0, 4000.0, 15000.0})
            QVERIFY2(std::abs(sineGainDb({ap}, f)) < 0.05, qPrintable(QString("%1 Hz: %2 dB").arg(f).arg(sineGainDb({ap}, f))));
        // At its frequency the section inverts a sine (a half-period's turn): x + y cancels.
        const int64_t n = 44100;
        std::vector<float> x(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i) x[static_cast<size_t>(i)] = static_cast<float>(std::sin(2.0 * M_PI * 1000.0 * double(i) / sr));
        std::vector<float> y = x;
        applyBiquads(y, 1, n, {ap});
        double ex = 0.0, esum = 0.0;
        for (int64_t i = n / 2; i < n; ++i) {
            const double a = x[static_cast<size_t>(i)], b = y[static_cast<size_t>(i)];
            ex += a * a;
            esum += (a + b) * (a + b);
        }
        QVERIFY2(esum < 1e-4 * ex, qPrintable(QString::number(esum / ex)));

        SynthOptions turned = strongOptions();
        turned.phaseProbability = 1.0;
        QString problem;
        const int changed = examplesChanged(m_bank, strongOptions(), turned, {true, true, true, true, true}, 1100, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(changed >= 20, qPrintable(QString::number(changed)));
        const PatternSynth plain(m_bank, kitsWhere(m_bank, false), strongOptions());
        const PatternSynth phased(m_bank, kitsWhere(m_bank, false), turned);
        int stemsChanged = 0;
        for (uint64_t seed = 1100; seed < 1120; ++seed) {
            const Example a = plain.render(seed, 44100 * 2), b = phased.render(seed, 44100 * 2);
            // Both examples are scaled to a random peak after the phase turns: compare the stems'
            // energies as shares of the example's.
            double ta = 0.0, tb = 0.0;
            for (int s = 0; s < kStemCount; ++s) {
                ta += energy(a.stems[s]);
                tb += energy(b.stems[s]);
            }
            for (int s = 0; s < kStemCount; ++s) {
                const double ea = energy(a.stems[s]) / ta, eb = energy(b.stems[s]) / tb;
                if (ea < 0.01) continue;
                QVERIFY2(std::abs(eb / ea - 1.0) < 0.25,
                         qPrintable(QString("seed %1, %2: share %3 -> %4").arg(seed).arg(kStemNames[s].data()).arg(ea).arg(eb)));
                // The waveform's shape changes (scale aside): correlation well under 1.
                double ab = 0.0;
                for (size_t i = 0; i < a.stems[s].size(); ++i) ab += double(a.stems[s][i]) * b.stems[s][i];
                if (ab / std::sqrt(energy(a.stems[s]) * energy(b.stems[s])) < 0.98) ++stemsChanged;
            }
        }
        QVERIFY2(stemsChanged >= 40, qPrintable(QString::number(stemsChanged)));
    }

    // Band limits and resonances keep every example exact and reproducible, and they act: with
    // both always on, the stems differ from the plain strong augmentation's.
    void boundaryAugmentationKeepsTheSumExact() {
        SynthOptions edge = strongOptions();
        edge.bandLimitProbability = 1.0;
        edge.resonanceProbability = 1.0;
        const PatternSynth synth(m_bank, kitsWhere(m_bank, false), edge);
        const PatternSynth plain(m_bank, kitsWhere(m_bank, false), strongOptions());
        for (uint64_t seed = 500; seed < 520; ++seed) {
            const Example ex = synth.render(seed, 44100 * 2);
            const QString problem = sumAndPeakProblem(synth, ex);
            QVERIFY2(problem.isEmpty(), qPrintable(QString("seed %1, %2").arg(seed).arg(problem)));
            QVERIFY(synth.render(seed, 44100 * 2).mix == ex.mix);
            QVERIFY(plain.render(seed, 44100 * 2).mix != ex.mix);
        }
    }

    // Without strong augmentation all instruments of a stem come from one kit; with it, a stem
    // mixes kits (per-instrument kit choice and layering) in a good share of examples.
    void strongAugmentationMixesKitsWithinAStem() {
        const PatternSynth basic(m_bank, kitsWhere(m_bank, false));
        const PatternSynth strong(m_bank, kitsWhere(m_bank, false), strongOptions());
        int basicMixed = 0, strongMixed = 0, stemsPlaying = 0;
        for (uint64_t seed = 0; seed < 60; ++seed) {
            const Example b = basic.render(seed, 44100 * 3);
            const Example s = strong.render(seed, 44100 * 3);
            for (int k = 0; k < kStemCount; ++k) {
                if (energy(b.stems[k]) > 0.0) QVERIFY(!b.instruments[k].empty());
                if (kitsIn(m_bank, b.instruments[k]) > 1) ++basicMixed;
                if (kitsIn(m_bank, s.instruments[k]) > 1) ++strongMixed;
                if (!s.instruments[k].empty()) ++stemsPlaying;
            }
        }
        QCOMPARE(basicMixed, 0);
        QVERIFY2(strongMixed > stemsPlaying / 10, qPrintable(QString("%1 of %2").arg(strongMixed).arg(stemsPlaying)));
    }

    // The kit-mixing and silent/sparse-stem probabilities (stemdeck-train --kit-mix,
    // --instrument-kit-mix, --silent-stems, --sparse-stems): at 0 an example keeps far more of
    // its stems in one kit, and no stem is made silent or sparse on purpose.
    void kitMixingAndSilentStemsFollowTheirProbabilities() {
        SynthOptions coherent = strongOptions();
        coherent.kitMixProbability = 0.0;
        coherent.instrumentKitMixProbability = 0.0;
        coherent.silentStemProbability = 0.0;
        coherent.sparseStemProbability = 0.0;
        const PatternSynth mixing(m_bank, kitsWhere(m_bank, false), strongOptions());
        const PatternSynth single(m_bank, kitsWhere(m_bank, false), coherent);
        // Snare and hi-hat stems with a sound from another kit than the kick's (a class the main
        // kit lacks still comes from another, so not none at 0, but far fewer); silent kick and
        // snare stems (toms and cymbals may rest for a whole example, and hats under a ride).
        int mixedAway = 0, singleAway = 0, mixedSilent = 0, singleSilent = 0;
        const auto away = [&](const Example& ex, int stem) {
            if (ex.instruments[0].empty()) return 0;
            const int kick = m_bank.instruments[static_cast<size_t>(ex.instruments[0].front())].kit;
            int n = 0;
            for (int i : ex.instruments[stem]) n += m_bank.instruments[static_cast<size_t>(i)].kit != kick;
            return n > 0 ? 1 : 0;
        };
        for (uint64_t seed = 0; seed < 80; ++seed) {
            const Example a = mixing.render(seed, 44100 * 3);
            const Example b = single.render(seed, 44100 * 3);
            for (int k : {1, 3}) {
                mixedAway += away(a, k);
                singleAway += away(b, k);
            }
            for (int k : {0, 1}) {
                mixedSilent += energy(a.stems[k]) == 0.0;
                singleSilent += energy(b.stems[k]) == 0.0;
            }
        }
        QVERIFY2(singleAway * 3 < mixedAway, qPrintable(QString("%1 against %2").arg(singleAway).arg(mixedAway)));
        QVERIFY2(singleSilent * 3 < mixedSilent, qPrintable(QString("%1 against %2").arg(singleSilent).arg(mixedSilent)));
    }

    // The EQ of the strong augmentation: each section boosts or cuts by its gain where it says,
    // leaves far frequencies alone, and the chain is linear (so the stems still sum to the mix).
    void parametricEqIsLinearAndDoesWhatItSays() {
        const double sr = 44100.0;
        QVERIFY(std::abs(sineGainDb({makeBiquad(BiquadKind::Peaking, sr, 1000.0, 12.0, 1.0)}, 1000.0) - 12.0) < 0.2);
        QVERIFY(std::abs(sineGainDb({makeBiquad(BiquadKind::Peaking, sr, 1000.0, -9.0, 2.0)}, 1000.0) + 9.0) < 0.2);
        QVERIFY(std::abs(sineGainDb({makeBiquad(BiquadKind::Peaking, sr, 1000.0, 12.0, 2.0)}, 12000.0)) < 0.5);
        QVERIFY(std::abs(sineGainDb({makeBiquad(BiquadKind::LowShelf, sr, 200.0, 10.0, 1.0)}, 40.0) - 10.0) < 0.5);
        QVERIFY(std::abs(sineGainDb({makeBiquad(BiquadKind::LowShelf, sr, 200.0, 10.0, 1.0)}, 8000.0)) < 0.3);
        QVERIFY(std::abs(sineGainDb({makeBiquad(BiquadKind::HighShelf, sr, 3000.0, -8.0, 1.0)}, 15000.0) + 8.0) < 0.5);
        QVERIFY(std::abs(sineGainDb({makeBiquad(BiquadKind::HighShelf, sr, 3000.0, -8.0, 1.0)}, 100.0)) < 0.3);
        QVERIFY_THROWS_EXCEPTION(Error, makeBiquad(BiquadKind::Peaking, sr, 30000.0, 3.0, 1.0));
        // Low- and high-pass (the boundary augmentation's band limits): flat in the pass band,
        // -3 dB at the cutoff (Butterworth q), 12 dB per octave beyond it.
        const Biquad lp = makeBiquad(BiquadKind::LowPass, sr, 1000.0, 0.0, M_SQRT1_2);
        const Biquad hp = makeBiquad(BiquadKind::HighPass, sr, 1000.0, 0.0, M_SQRT1_2);
        QVERIFY(std::abs(sineGainDb({lp}, 100.0)) < 0.1);
        QVERIFY(std::abs(sineGainDb({lp}, 1000.0) + 3.0) < 0.2);
        QVERIFY(std::abs(sineGainDb({lp}, 4000.0) + 24.0) < 1.5);
        QVERIFY(std::abs(sineGainDb({hp}, 10000.0)) < 0.1);
        QVERIFY(std::abs(sineGainDb({hp}, 1000.0) + 3.0) < 0.2);
        QVERIFY(std::abs(sineGainDb({hp}, 250.0) + 24.0) < 1.5);

        const std::vector<Biquad> eq{makeBiquad(BiquadKind::Peaking, sr, 700.0, 9.0, 3.0),
                                     makeBiquad(BiquadKind::LowShelf, sr, 120.0, -12.0, 1.0),
                                     makeBiquad(BiquadKind::HighShelf, sr, 6000.0, 12.0, 1.0)};
        const int64_t n = 8192;
        std::vector<float> x(2 * n), y(2 * n), sum(2 * n);
        for (size_t i = 0; i < x.size(); ++i) {
            x[i] = static_cast<float>(std::sin(0.013 * double(i)) * 0.4);
            y[i] = static_cast<float>(((i * 7919u) % 101u) / 101.0 - 0.5);
            sum[i] = 0.7f * x[i] - 1.3f * y[i];
        }
        applyBiquads(x, 2, n, eq);
        applyBiquads(y, 2, n, eq);
        applyBiquads(sum, 2, n, eq);
        double worst = 0.0, scale = 0.0;
        for (size_t i = 0; i < x.size(); ++i) {
            worst = std::max(worst, std::fabs(double(sum[i]) - (0.7 * x[i] - 1.3 * y[i])));
            scale = std::max(scale, std::fabs(double(sum[i])));
        }
        QVERIFY2(worst < 1e-5 * scale, qPrintable(QString("%1 of %2").arg(worst).arg(scale)));
    }

    void demoLoopUsesValidationKitsOnly() {
        const KitMap map = builtinKitMap();
        // A bank with the validation kit removed cannot make the demo.
        QVERIFY_THROWS_EXCEPTION(std::exception, renderDemo(kDemoSeed, 10.0, m_bank, {"ColomboAcousticDrumkit"}));
        const DemoLoop loop = renderDemo(kDemoSeed, 12.0, m_bank, {"TR808EmulationKit"});
        QCOMPARE(loop.mix.frames, int64_t(12 * 44100));
        QCOMPARE(loop.mix.sampleRate, 44100);
        for (int s = 0; s < kStemCount; ++s) {
            QCOMPARE(loop.stems[s].frames, loop.mix.frames);
            QVERIFY2(energy(loop.stems[s].samples) > 0.0, kStemNames[s].data()); // all five play
        }
        for (size_t i = 0; i < loop.mix.samples.size(); ++i) {
            float sum = 0.0f;
            for (int s = 0; s < kStemCount; ++s) sum += loop.stems[s].samples[i];
            if (loop.mix.samples[i] != sum || !(std::fabs(sum) < 1.0f))
                QFAIL(qPrintable(QString("demo sample %1: mix %2, sum of stems %3").arg(i).arg(loop.mix.samples[i]).arg(sum)));
        }
        const DemoLoop again = renderDemo(kDemoSeed, 12.0, m_bank, {"TR808EmulationKit"});
        QVERIFY(again.mix.samples == loop.mix.samples);
        QVERIFY(map.isValidation("TR808EmulationKit"));
    }
};

QTEST_GUILESS_MAIN(TestSynth)
#include "tst_synth.moc"
