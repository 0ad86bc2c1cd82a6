// Synthetic drum kits (app/train/voices.h): every kit has the roles the pattern synthesiser asks
// for, voices are finite, normalised, capped and reproducible; each class sounds like its class
// (pitch and decay in the order drums have them); the pattern synthesiser draws them with their
// probability, keeps the mix the exact sum of the stems, and at probability 0 makes the very
// examples it made without them; the sample pack refuses them.
#include "common/error.h"
#include "train/synth.h"
#include "train/voices.h"
#include "train_fixture.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <map>

using namespace stemdeck;
using namespace stemdeck::train;

namespace {

const SampleInstrument* instrumentOf(const SampleBank& bank, int kit, StemClass stem, const std::string& role) {
    for (const auto& inst : bank.instruments)
        if (inst.kit == kit && inst.stem == stem && inst.role == role) return &inst;
    return nullptr;
}

// RMS frequency (Hz): sqrt(E[x'^2] / E[x^2]) * sr / 2pi, exactly f for a sine; an energy-weighted
// measure of where a voice's spectrum sits.
double rmsFrequency(const SampleLayer& l) {
    double e = 0.0, d = 0.0;
    for (size_t i = 1; i < l.samples.size(); ++i) {
        e += double(l.samples[i]) * l.samples[i];
        const double dx = double(l.samples[i]) - l.samples[i - 1];
        d += dx * dx;
    }
    return std::sqrt(d / e) * kSampleRate / (2.0 * M_PI);
}

// Share of the voice's energy below `hz`.
double shareBelow(const SampleLayer& l, double hz) { return energyShareBelow(l.samples, l.channels, l.frames, hz, kSampleRate); }

// Seconds until 90 % of the voice's energy has sounded.
double energySeconds(const SampleLayer& l) {
    double total = 0.0;
    for (float v : l.samples) total += double(v) * v;
    double run = 0.0;
    for (size_t i = 0; i < l.samples.size(); ++i) {
        run += double(l.samples[i]) * l.samples[i];
        if (run >= 0.9 * total) return double(i) / kSampleRate;
    }
    return double(l.samples.size()) / kSampleRate;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

bool isSumOfStems(const Example& ex) {
    std::vector<float> sum(ex.mix.size(), 0.0f);
    for (int s = 0; s < kStemCount; ++s)
        for (size_t i = 0; i < sum.size(); ++i) sum[i] += ex.stems[s][i];
    return sum == ex.mix;
}

} // namespace

class TestSynthVoices : public QObject {
    Q_OBJECT

    SampleBank m_synthetic; // synthetic kits only
    SampleBank m_small;     // Hydrogen kits (two training, one validation)
    SampleBank m_mixed;     // the same plus synthetic kits

private Q_SLOTS:
    void initTestCase() {
        addSyntheticKits(m_synthetic, 16);
        m_small = test::smallBank();
        m_mixed = m_small;
        addSyntheticKits(m_mixed, 3);
    }

    void everyKitHasTheRolesThePatternsAskFor() {
        QCOMPARE(m_synthetic.kits.size(), size_t(16));
        QCOMPARE(m_synthetic.kits[3], std::string("synthetic-03"));
        const std::vector<std::pair<StemClass, std::string>> roles{
            {StemClass::Kick, "-"},      {StemClass::Snare, "hit"},    {StemClass::Snare, "rim"},
            {StemClass::Toms, "low"},    {StemClass::Toms, "mid"},     {StemClass::Toms, "high"},
            {StemClass::HiHat, "closed"}, {StemClass::HiHat, "pedal"}, {StemClass::HiHat, "open"},
            {StemClass::Cymbals, "crash"}, {StemClass::Cymbals, "ride"}, {StemClass::Cymbals, "bell"}};
        const double cap[kStemCount] = {1.0, 1.0, 1.2, 1.2, 2.0}; // the pack's caps (BankOptions)
        for (int k = 0; k < 16; ++k) {
            QVERIFY(m_synthetic.isSynthetic(k));
            QVERIFY(!m_synthetic.validation[static_cast<size_t>(k)]);
            for (const auto& [stem, role] : roles) {
                const SampleInstrument* inst = instrumentOf(m_synthetic, k, stem, role);
                QVERIFY2(inst, qPrintable(QString("kit %1 lacks %2 %3").arg(k).arg(QString::fromStdString(std::string(stemName(stem))), QString::fromStdString(role))));
                QCOMPARE(inst->layers.size(), size_t(1));
                const SampleLayer& l = inst->layers.front();
                QCOMPARE(l.channels, 1);
                QCOMPARE(l.samples.size(), static_cast<size_t>(l.frames));
                QVERIFY(l.frames > 441 && double(l.frames) <= cap[static_cast<int>(stem)] * kSampleRate);
                float peak = 0.0f;
                for (float v : l.samples) {
                    QVERIFY(std::isfinite(v));
                    peak = std::max(peak, std::fabs(v));
                }
                QVERIFY(std::fabs(peak - 1.0f) < 1e-6f);
                QVERIFY(std::fabs(l.samples.back()) < 1e-3f); // faded out, no click at the end
            }
        }
    }

    void sameSeedSameKitsOtherSeedOthers() {
        SampleBank again, other;
        addSyntheticKits(again, 16);
        addSyntheticKits(other, 16, kDefaultSyntheticKitSeed + 1);
        QCOMPARE(again.instruments.size(), m_synthetic.instruments.size());
        int differ = 0;
        for (size_t i = 0; i < again.instruments.size(); ++i) {
            QVERIFY(again.instruments[i].layers.front().samples == m_synthetic.instruments[i].layers.front().samples);
            if (other.instruments[i].layers.front().samples != m_synthetic.instruments[i].layers.front().samples) ++differ;
        }
        QCOMPARE(differ, static_cast<int>(again.instruments.size()));
        // Kits of one bank differ from each other too.
        QVERIFY(instrumentOf(m_synthetic, 0, StemClass::Kick, "-")->layers.front().samples !=
                instrumentOf(m_synthetic, 1, StemClass::Kick, "-")->layers.front().samples);
    }

    // Over 16 kits: kicks sit lowest (most of their energy under 100 Hz), then toms, snares,
    // cymbals, hi-hats; a kit's toms rise from low to high; closed hats are the shortest metal,
    // crashes ring longest. (The RMS frequency weighs highs: a kick's click lifts it.)
    void eachClassSoundsLikeItsClass() {
        std::map<std::string, std::vector<double>> freq, length, low;
        int tomOrder = 0;
        for (int k = 0; k < 16; ++k) {
            for (const auto& inst : m_synthetic.instruments) {
                if (inst.kit != k) continue;
                const std::string key = std::string(stemName(inst.stem)) + "/" + inst.role;
                freq[key].push_back(rmsFrequency(inst.layers.front()));
                length[key].push_back(energySeconds(inst.layers.front()));
                low[key].push_back(shareBelow(inst.layers.front(), 100.0));
            }
            const double lo = rmsFrequency(instrumentOf(m_synthetic, k, StemClass::Toms, "low")->layers.front());
            const double mid = rmsFrequency(instrumentOf(m_synthetic, k, StemClass::Toms, "mid")->layers.front());
            const double hi = rmsFrequency(instrumentOf(m_synthetic, k, StemClass::Toms, "high")->layers.front());
            if (lo < mid && mid < hi) ++tomOrder;
        }
        for (const auto& [key, v] : freq)
            qInfo("%-14s rms frequency median %6.0f Hz, %3.0f %% of the energy under 100 Hz, 90 %% in %.3f s", key.c_str(),
                  median(v), 100.0 * median(low[key]), median(length[key]));
        QVERIFY(median(low["kick/-"]) > 0.5);
        QVERIFY(median(low["kick/-"]) > median(low["toms/low"]));
        QVERIFY(median(low["toms/low"]) > median(low["toms/high"]));
        QVERIFY(median(freq["toms/high"]) < median(freq["snare/hit"]));
        QVERIFY(median(freq["snare/hit"]) < median(freq["cymbals/crash"]));
        QVERIFY(median(freq["cymbals/crash"]) < median(freq["hh/closed"]));
        QVERIFY2(tomOrder >= 14, qPrintable(QString::number(tomOrder)));
        QVERIFY(median(length["hh/closed"]) < 0.1);
        QVERIFY(median(length["hh/pedal"]) < median(length["hh/open"]));
        QVERIFY(median(length["hh/closed"]) * 4.0 < median(length["cymbals/crash"]));
        QVERIFY(median(length["hh/open"]) < median(length["cymbals/crash"]));
        QVERIFY(median(length["kick/-"]) > median(length["hh/closed"]));
    }

    // Wide metal ranges (VoiceRanges::wideMetal): the hats keep more of their energy under 5 kHz
    // and ring longer, the crashes reach lower and shorter, so open hats and crashes overlap in
    // length; every other voice is bit for bit the narrow kit's, and the hats still sit above
    // the crashes and the closed hats stay short.
    void wideMetalWidensOnlyTheMetal() {
        SampleBank wide;
        addSyntheticKits(wide, 16, kDefaultSyntheticKitSeed, VoiceRanges{true});
        QCOMPARE(wide.instruments.size(), m_synthetic.instruments.size());
        std::map<std::string, std::vector<double>> narrowLow, wideLow, narrowLength, wideLength;
        int changed = 0;
        for (size_t i = 0; i < wide.instruments.size(); ++i) {
            const SampleInstrument& n = m_synthetic.instruments[i];
            const SampleInstrument& w = wide.instruments[i];
            QCOMPARE(w.role, n.role);
            const bool metal = n.stem == StemClass::HiHat || n.role == "crash";
            if (!metal) {
                QVERIFY2(w.layers.front().samples == n.layers.front().samples, n.name.c_str());
                continue;
            }
            changed += w.layers.front().samples != n.layers.front().samples;
            const std::string key = std::string(stemName(n.stem)) + "/" + n.role;
            narrowLow[key].push_back(shareBelow(n.layers.front(), 5000.0));
            wideLow[key].push_back(shareBelow(w.layers.front(), 5000.0));
            narrowLength[key].push_back(energySeconds(n.layers.front()));
            wideLength[key].push_back(energySeconds(w.layers.front()));
        }
        QCOMPARE(changed, 16 * 4);
        for (const auto& [key, v] : wideLow)
            qInfo("%-14s under 5 kHz: narrow %5.1f %%, wide %5.1f %% (medians); 90 %% of the energy in %.3f / %.3f s", key.c_str(),
                  100.0 * median(narrowLow[key]), 100.0 * median(v), median(narrowLength[key]), median(wideLength[key]));
        QVERIFY(median(narrowLow["hh/closed"]) < 0.05);
        QVERIFY(median(wideLow["hh/closed"]) > 0.08);
        QVERIFY(median(wideLow["hh/open"]) > 2.0 * median(narrowLow["hh/open"]));
        QVERIFY(median(wideLow["cymbals/crash"]) > median(narrowLow["cymbals/crash"]));
        QVERIFY(median(wideLength["hh/open"]) > median(narrowLength["hh/open"]));
        QVERIFY(median(wideLength["hh/closed"]) < 0.15);
        // Lengths overlap: some wide open hat rings longer than some wide crash.
        QVERIFY(*std::max_element(wideLength["hh/open"].begin(), wideLength["hh/open"].end()) >
                *std::min_element(wideLength["cymbals/crash"].begin(), wideLength["cymbals/crash"].end()));
        QVERIFY(median(wideLow["hh/closed"]) < median(wideLow["cymbals/crash"]));
    }

    // At probability 0 the synthetic kits are left out: the examples are bit for bit those of the
    // bank without them.
    void probabilityZeroLeavesExamplesUnchanged() {
        SynthOptions strong;
        strong.strong = true;
        const PatternSynth plain(m_small, kitsWhere(m_small, false), strong);
        const PatternSynth withKits(m_mixed, kitsWhere(m_mixed, false), strong);
        QVERIFY(kitsWhere(m_mixed, false).size() == kitsWhere(m_small, false).size() + 3);
        for (uint64_t seed = 0; seed < 12; ++seed) {
            const Example a = plain.render(seed, 44100 * 2), b = withKits.render(seed, 44100 * 2);
            QVERIFY(a.mix == b.mix);
            for (int s = 0; s < kStemCount; ++s) QVERIFY(a.instruments[s] == b.instruments[s]);
        }
    }

    // Drawn with their probability: always at 1, in a share of the instruments near p at 0.3 (kit
    // choices are made at several levels, each with p), never at 0; the mix stays the exact sum.
    void drawnWithTheirProbability() {
        auto share = [&](double p, bool strong, int* examplesWithSynthetic) {
            SynthOptions o;
            o.strong = strong;
            o.syntheticKitProbability = p;
            const PatternSynth synth(m_mixed, kitsWhere(m_mixed, false), o);
            int synthetic = 0, all = 0;
            *examplesWithSynthetic = 0;
            for (uint64_t seed = 100; seed < 160; ++seed) {
                const Example ex = synth.render(seed, 44100 * 3);
                if (!isSumOfStems(ex)) return -1.0;
                if (!(synth.render(seed, 44100 * 3).mix == ex.mix)) return -2.0;
                bool any = false;
                for (int s = 0; s < kStemCount; ++s)
                    for (int i : ex.instruments[s]) {
                        const bool syn = m_mixed.isSynthetic(m_mixed.instruments[static_cast<size_t>(i)].kit);
                        synthetic += syn;
                        any = any || syn;
                        ++all;
                    }
                *examplesWithSynthetic += any;
            }
            return double(synthetic) / double(all);
        };
        int with = 0;
        QCOMPARE(share(1.0, true, &with), 1.0);
        QCOMPARE(share(1.0, false, &with), 1.0);
        const double strongShare = share(0.3, true, &with);
        QVERIFY2(strongShare > 0.15 && strongShare < 0.5, qPrintable(QString::number(strongShare)));
        QVERIFY2(with > 15 && with < 60, qPrintable(QString::number(with)));
        const double basicShare = share(0.3, false, &with);
        QVERIFY2(basicShare > 0.15 && basicShare < 0.5, qPrintable(QString::number(basicShare)));
        QCOMPARE(share(0.0, true, &with), 0.0);
    }

    // Restricted to hi-hat and cymbals, synthetic kits play only those stems, even when the main
    // kit is synthetic; kick, snare and toms keep Hydrogen kits.
    void restrictedToTheClassesNamed() {
        SynthOptions o;
        o.strong = true;
        o.syntheticKitProbability = 1.0;
        o.syntheticStems = {false, false, false, true, true};
        const PatternSynth synth(m_mixed, kitsWhere(m_mixed, false), o);
        int synthetic = 0;
        for (uint64_t seed = 200; seed < 240; ++seed) {
            const Example ex = synth.render(seed, 44100 * 3);
            QVERIFY(isSumOfStems(ex));
            for (int s = 0; s < kStemCount; ++s)
                for (int i : ex.instruments[s]) {
                    const bool syn = m_mixed.isSynthetic(m_mixed.instruments[static_cast<size_t>(i)].kit);
                    QVERIFY2(syn == (s >= 3), qPrintable(QString("seed %1, stem %2").arg(seed).arg(s)));
                    synthetic += syn;
                }
        }
        QVERIFY(synthetic > 40);
    }

    // A class's own probability (`--synth-kit-stems toms,hh:1.0`): given the global value it
    // renders what the global one did, bit for bit (the same draws); raised, only that class
    // takes more synthetic instruments; at 0 that class keeps Hydrogen kits while the others still
    // take synthetic ones.
    void aClassHasItsOwnProbability() {
        auto render = [&](const std::array<double, kStemCount>& own, std::array<int, kStemCount>* synthetic,
                          std::array<int, kStemCount>* all) {
            SynthOptions o;
            o.strong = true;
            o.syntheticKitProbability = 0.3;
            o.syntheticStems = {false, false, true, true, true};
            o.syntheticStemProbability = own;
            const PatternSynth synth(m_mixed, kitsWhere(m_mixed, false), o);
            std::vector<Example> out;
            synthetic->fill(0);
            all->fill(0);
            for (uint64_t seed = 300; seed < 360; ++seed) {
                out.push_back(synth.render(seed, 44100 * 3));
                for (int s = 0; s < kStemCount; ++s)
                    for (int i : out.back().instruments[s]) {
                        (*synthetic)[s] += m_mixed.isSynthetic(m_mixed.instruments[static_cast<size_t>(i)].kit);
                        ++(*all)[s];
                    }
            }
            return out;
        };
        std::array<int, kStemCount> synBase{}, allBase{}, synSame{}, allSame{}, synHigh{}, allHigh{}, synNone{}, allNone{};
        const auto base = render({-1.0, -1.0, -1.0, -1.0, -1.0}, &synBase, &allBase);
        const auto same = render({-1.0, -1.0, 0.3, 0.3, 0.3}, &synSame, &allSame);
        for (size_t e = 0; e < base.size(); ++e) {
            QVERIFY(base[e].mix == same[e].mix);
            for (int s = 0; s < kStemCount; ++s) QVERIFY(base[e].instruments[s] == same[e].instruments[s]);
        }
        const int hh = static_cast<int>(StemClass::HiHat), toms = static_cast<int>(StemClass::Toms);
        const int cymbals = static_cast<int>(StemClass::Cymbals);
        const auto high = render({-1.0, -1.0, -1.0, 1.0, -1.0}, &synHigh, &allHigh);
        auto share = [](const std::array<int, kStemCount>& syn, const std::array<int, kStemCount>& all, int s) {
            return all[s] > 0 ? double(syn[s]) / double(all[s]) : -1.0;
        };
        const double hhBase = share(synBase, allBase, hh), hhHigh = share(synHigh, allHigh, hh);
        QVERIFY2(hhBase > 0.1 && hhBase < 0.5, qPrintable(QString::number(hhBase)));
        QVERIFY2(hhHigh > hhBase + 0.3, qPrintable(QString("%1 -> %2").arg(hhBase).arg(hhHigh)));
        // The other classes keep their probability: their shares move only as much as the draws that
        // follow a different hi-hat let them.
        for (int s : {toms, cymbals})
            QVERIFY2(std::abs(share(synHigh, allHigh, s) - share(synBase, allBase, s)) < 0.12,
                     qPrintable(QString("stem %1: %2 -> %3").arg(s).arg(share(synBase, allBase, s)).arg(share(synHigh, allHigh, s))));
        for (const Example& ex : high) QVERIFY(isSumOfStems(ex));
        render({-1.0, -1.0, -1.0, 0.0, -1.0}, &synNone, &allNone);
        QVERIFY(allNone[hh] > 0);
        // At 0 the hi-hat can still come from a synthetic main kit (it keeps the main kit's class
        // unless kit mixing draws again), so "fewer", not "none".
        QVERIFY2(share(synNone, allNone, hh) < hhBase - 0.05,
                 qPrintable(QString("%1 -> %2").arg(hhBase).arg(share(synNone, allNone, hh))));
        QVERIFY(synNone[toms] > 0 && synNone[cymbals] > 0);
    }

    void packRefusesSyntheticKits() {
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath("mixed.sdpack").toStdString();
        try {
            writePack(m_mixed, path);
            QFAIL("writePack accepted a bank with synthetic kits");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            QVERIFY(QString::fromStdString(e.what()).contains("synthetic-00"));
        }
        QVERIFY(!std::filesystem::exists(path));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSynthVoices)
#include "tst_synth_voices.moc"
