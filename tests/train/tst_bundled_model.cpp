// The model StemDeck ships (resources/models/drumsep-compact): its files are what SHA256SUMS
// says and within the 16 MiB budget, it is the default model, and it separates loops rendered
// from the held-out validation kits (never seen in training), and from the independent
// evaluation set, on the CPU with a mean SDR above the floors below. The floors guard against a
// broken export or a regression; the measured figures and the targets are in
// docs/models/drumsep-compact.md.
#include "common/test_support.h"
#include "dsp/sdr.h"
#include "engine/pipeline.h"
#include "engine/separator.h"
#include "model/formats/sha256.h"
#include "train/demo.h"
#include "train/eval_set.h"

#include <QTest>

#include <fstream>
#include <sstream>

using namespace stemdeck;
namespace fs = std::filesystem;

namespace {

// Mean SDR (dB) the shipped model must beat on the loops below: the 8 dB. Session 25's
// weights (trained with quiet hats under the cymbals) measure 11.18 dB; session 19's 10.90 dB. Session 18's weights and settings (two Wiener passes, soft masks
// p 1.25, 11.9 s chunks) measure 10.26 dB;
// session 16's weights (also trained with synthetic hats in every hi-hat choice) measure 10.25 dB; session
// 15's (trained with instruments' polarity inverted) measured 10.13 dB; session 14's
// (trained with varied hats under the ride) measured 9.64 dB; session 13's (trained
// with crashes played as rides) measured 9.11 dB. Session 12's weights with its
// 5.93 s inference chunks measured 8.64 dB. Those weights (trained through the
// soft masks and the Wiener filter) measured 8.35 dB with 2.96 s chunks: better on the 96
// validation loops (7.06 -> 7.36) and the independent 32 (8.96 -> 9.31), worse on these two
// (their hi-hat 7.48 -> 3.22, cymbals 11.44 -> 8.18). With session 11's multichannel Wiener
// filter in the config, session 10's weights measured 9.43 dB. The weights
// shipped in session 10 (step 46,102, trained through soft masks p 1.5) measured 8.78 dB as
// separated and summing to the mix; session 9's (step 41,020, soft masks p 1.5) 6.72 dB, when
// the floor was 5.5. Session 8's (step 39,368, no masks) measured 6.46 dB raw and 6.20 dB summing
// to the mix. Session 7's (a soup of steps 31,378 and 33,840) measured 4.41 / 4.38 dB, then
// 4.98 / 4.88 dB once the sample bank removed the TR808 files' subsonic offset (session 8,
// BankOptions::highPassHz); session 6's weights 4.09, session 5's 3.78, session 4's 4.03 dB
// (before that fix). Two short loops are a guard, not a measure: the model card's figures come
// from 96 validation loops (docs/models/drumsep-compact.md), where the mean is lower (9.56 dB).
constexpr double kMeanSdrFloor = 8.0;
// The same guard on two loops of the independent evaluation set (sounds from Debian packages
// training never reads): 8.72 dB with session 25's weights, 8.70 with session 19's, 9.13 with session 18's weights and settings, 8.26 with session 16's weights, 8.41 with session 15's, 8.43 with session 14's, 8.41 with session 13's; 8.30 with session 12's weights and
// chunks (7.80 with 2.96 s chunks); session 10's measured 7.38 with
// session 11's Wiener filter and 6.61 dB without it (session 9's: 6.08; session 8's: 5.53 dB
// raw, 5.66 dB summing to the mix); the model card's figure for that set (10.27 dB) comes from 32 loops.
constexpr double kIndependentSdrFloor = 5.5;

} // namespace

class TestBundledModel : public QObject {
    Q_OBJECT

    engine::ModelFiles m_model;

private Q_SLOTS:
    void filesAreTheShippedOnes() {
        m_model = engine::resolveModel(engine::kDefaultModelName);
        QCOMPARE(m_model.name, std::string("drumsep-compact"));
        QCOMPARE(m_model.checkpoint.extension().string(), std::string(".safetensors"));
        QVERIFY(fs::file_size(m_model.checkpoint) <= 16u * 1024 * 1024);
        // SHA256SUMS lists every file of the model folder, in sha256sum's format.
        std::ifstream sums(m_model.checkpoint.parent_path() / "SHA256SUMS");
        QVERIFY(sums.good());
        int checked = 0;
        for (std::string line; std::getline(sums, line);) {
            std::istringstream fields(line);
            std::string digest, name;
            fields >> digest >> name;
            QCOMPARE(model::formats::sha256File(m_model.checkpoint.parent_path() / name), digest);
            ++checked;
        }
        QCOMPARE(checked, 2);
    }

    void separatesHeldOutLoops() {
        engine::Separator sep(cpuOptions());
        QCOMPARE(sep.stems(), (std::vector<std::string>{"kick", "snare", "toms", "hh", "cymbals"}));
        QCOMPARE(sep.sampleRate(), 44100);
        // Its config makes the stems add up to the mix (the pipeline applies spreadResidual).
        QVERIFY(sep.mixtureConsistency());
        // And soft masks after the network (docs/models/drumsep-compact.md, session 9; power 1.25
        // since session 18).
        QCOMPARE(sep.softMaskPower(), 1.25);
        // Then the multichannel Wiener filter, twice (session 18).
        QVERIFY(sep.multichannelWiener());
        QCOMPARE(sep.wienerPasses(), 2);
        // Two short loops from the validation kits (seeds other than the demo's).
        std::vector<train::DemoLoop> loops;
        for (uint64_t seed : {11, 12}) loops.push_back(train::renderDemo(seed, 6.0));
        scoreAbove(sep, loops, kMeanSdrFloor);
    }

    // Sounds from outside every data source of training and validation: the independent
    // evaluation set (Sonic Pi's and LMMS's drums, resources/evaluation/eval-sounds.tsv).
    void separatesIndependentSounds() {
        engine::Separator sep(cpuOptions());
        const train::EvalSet set = train::loadEvalSet(test::sourceDir() / "resources" / "evaluation" / "eval-sounds.tsv");
        const train::SampleBank bank = train::buildEvalBank(set, train::defaultEvalSoundsDir());
        std::vector<train::DemoLoop> loops;
        for (uint64_t seed : {21, 22}) loops.push_back(train::renderDemo(seed, 6.0, bank, set.kits()));
        scoreAbove(sep, loops, kIndependentSdrFloor);
    }

private:
    engine::SeparatorOptions cpuOptions() const {
        engine::SeparatorOptions o;
        o.configPath = m_model.config;
        o.checkpointPath = m_model.checkpoint;
        o.device = device::DeviceId::cpu();
        return o;
    }

    // Scores the loops as the separator gives them (soft-masked, as its config says) and as written (stems made to add up to the
    // mix), checks the sum, prints both and fails when either mean is not above the floor.
    static void scoreAbove(engine::Separator& sep, const std::vector<train::DemoLoop>& loops, double floor) {
        std::vector<double> perStem(5, 0.0), perStemSummed(5, 0.0);
        for (const auto& loop : loops) {
            auto stems = sep.separate(loop.mix, {});
            QCOMPARE(stems.size(), size_t(5));
            for (size_t s = 0; s < 5; ++s) {
                QCOMPARE(stems[s].frames, loop.mix.frames);
                const double d = dsp::sdr(loop.stems[s].samples, stems[s].samples);
                QVERIFY(std::isfinite(d));
                perStem[s] += d / double(loops.size());
            }
            std::vector<float*> all;
            for (auto& st : stems) all.push_back(st.samples.data());
            engine::spreadResidual(all, loop.mix.samples.data(), loop.mix.samples.size());
            std::vector<const float*> summed(all.begin(), all.end());
            QVERIFY(engine::sumCheckDb(summed, loop.mix.samples.data(), loop.mix.samples.size()) < -100.0);
            for (size_t s = 0; s < 5; ++s) perStemSummed[s] += dsp::sdr(loop.stems[s].samples, stems[s].samples) / double(loops.size());
        }
        double mean = 0.0, meanSummed = 0.0;
        QString report;
        for (size_t s = 0; s < 5; ++s) {
            mean += perStem[s] / 5.0;
            meanSummed += perStemSummed[s] / 5.0;
            report += QString::fromStdString(sep.stems()[s]) +
                      QStringLiteral(" %1 (%2) dB  ").arg(perStem[s], 0, 'f', 2).arg(perStemSummed[s], 0, 'f', 2);
        }
        report += QStringLiteral("mean %1 (%2 summing to the mix)").arg(mean, 0, 'f', 2).arg(meanSummed, 0, 'f', 2);
        qInfo().noquote() << report;
        QVERIFY2(mean > floor, qPrintable(report));
        QVERIFY2(meanSummed > floor, qPrintable(report));
    }
};

QTEST_GUILESS_MAIN(TestBundledModel)
#include "tst_bundled_model.moc"
