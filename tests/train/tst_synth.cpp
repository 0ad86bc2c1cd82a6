// The pattern synthesiser and the demo loop: stems sum exactly to the mix, nothing clips,
// a seed gives the same example every time, silent and sparse stems occur, and the demo loop
// comes from the validation kits only.
#include "train/demo.h"
#include "train/synth.h"
#include "train_fixture.h"

#include <QTest>

#include <cmath>

using namespace stemdeck;
using namespace stemdeck::train;

namespace {

std::vector<int> trainingKits(const SampleBank& bank) {
    std::vector<int> k;
    for (size_t i = 0; i < bank.kits.size(); ++i)
        if (!bank.validation[i]) k.push_back(static_cast<int>(i));
    return k;
}

double energy(const std::vector<float>& x) {
    double e = 0.0;
    for (float v : x) e += double(v) * v;
    return e;
}

} // namespace

class TestSynth : public QObject {
    Q_OBJECT

    SampleBank m_bank;

private Q_SLOTS:
    void initTestCase() { m_bank = test::smallBank(); }

    void stemsSumExactlyToTheMixAndNothingClips() {
        const PatternSynth synth(m_bank, trainingKits(m_bank));
        for (uint64_t seed = 0; seed < 40; ++seed) {
            const Example ex = synth.render(seed, 44100 * 3);
            QCOMPARE(ex.channels, 2);
            QCOMPARE(ex.mix.size(), size_t(2 * 44100 * 3));
            float peak = 0.0f;
            for (size_t i = 0; i < ex.mix.size(); ++i) {
                float sum = 0.0f;
                for (int s = 0; s < kStemCount; ++s) {
                    sum += ex.stems[s][i];
                    peak = std::max(peak, std::fabs(ex.stems[s][i]));
                }
                if (sum != ex.mix[i]) QFAIL(qPrintable(QString("seed %1 sample %2: mix %3 != sum %4").arg(seed).arg(i).arg(ex.mix[i]).arg(sum)));
                QVERIFY(std::isfinite(ex.mix[i]));
                peak = std::max(peak, std::fabs(ex.mix[i]));
            }
            QVERIFY2(peak <= synth.options().maxPeak + 1e-6f, qPrintable(QString::number(peak)));
            if (energy(ex.mix) > 0.0) QVERIFY(peak >= synth.options().minPeak - 1e-6f);
            QVERIFY(ex.bpm >= 70.0 && ex.bpm <= 180.0);
        }
    }

    void sameSeedSameExample() {
        const PatternSynth synth(m_bank, trainingKits(m_bank));
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
        const PatternSynth synth(m_bank, trainingKits(m_bank));
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
