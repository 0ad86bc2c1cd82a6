// The independent evaluation set (resources/evaluation/eval-sounds.tsv, app/train/eval_set.h):
// every row names an installed file that decodes, every kit renders a loop in which all five
// stems play, none of its sounds comes from the Hydrogen kits training reads, and a malformed
// set fails with a message naming the place.
#include "common/error.h"
#include "common/test_support.h"
#include "train/demo.h"
#include "train/eval_set.h"
#include "train/kit_map.h"

#include <QTest>

#include <cmath>
#include <set>

using namespace stemdeck;
using namespace stemdeck::train;

namespace {

std::filesystem::path repoSet() { return test::sourceDir() / "resources" / "evaluation" / "eval-sounds.tsv"; }

// A well-formed set of one kit: one instrument per class, with `files` for the kick.
std::string oneKit(const std::string& kickFiles) {
    return "kit\tinstrument\tclass\trole\tfiles\n"
           "K\tKick\tkick\t-\t" + kickFiles + "\n"
           "K\tSnare\tsnare\thit\tsonic-pi/samples/drum_snare_hard.flac\n"
           "K\tTom\ttoms\tlow\tsonic-pi/samples/drum_tom_lo_hard.flac\n"
           "K\tHat\thh\tclosed\tsonic-pi/samples/drum_cymbal_closed.flac\n"
           "K\tCrash\tcymbals\tcrash\tsonic-pi/samples/drum_cymbal_hard.flac\n";
}

} // namespace

class TestEvalSet : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyRowLoadsAndEveryKitPlaysAllStems() {
        const EvalSet set = loadEvalSet(repoSet());
        const auto kits = set.kits();
        QCOMPARE(kits, (std::vector<std::string>{"SonicPi", "LMMS"}));
        const SampleBank bank = buildEvalBank(set, defaultEvalSoundsDir());
        QCOMPARE(bank.instruments.size(), set.rows.size()); // no file silent or skipped
        QCOMPARE(bank.kits, kits);
        for (bool v : bank.validation) QVERIFY(v); // `validate` scores on every kit
        // Layers: softest first, an even share of the velocity range each, the loudest peaking at 1.
        for (size_t i = 0; i < bank.instruments.size(); ++i) {
            const auto& inst = bank.instruments[i];
            QCOMPARE(inst.layers.size(), set.rows[i].files.size());
            float peak = 0.0f;
            for (const auto& l : inst.layers)
                for (float v : l.samples) {
                    QVERIFY(std::isfinite(v));
                    peak = std::max(peak, std::fabs(v));
                }
            QCOMPARE(peak, 1.0f);
            QCOMPARE(inst.layers.back().maxVelocity, 1.0f);
        }
        // A loop from each kit alone has hits on all five stems (what `validate --kit` needs).
        for (int k = 0; k < static_cast<int>(bank.kits.size()); ++k) {
            const PatternSynth synth(bank, {k}, demoSynthOptions());
            const Example ex = renderComplete(synth, 0xA11CE000ull, 6 * kSampleRate);
            for (int s = 0; s < kStemCount; ++s) QVERIFY2(ex.hits[static_cast<size_t>(s)] > 0, bank.kits[k].c_str());
        }
    }

    void noSoundComesFromTheTrainingData() {
        const EvalSet set = loadEvalSet(repoSet());
        const KitMap map = builtinKitMap();
        const auto mapped = map.kits();
        const auto hydrogen = std::filesystem::weakly_canonical(defaultDrumkitsDir()).string();
        for (const auto& row : set.rows) {
            QVERIFY2(std::find(mapped.begin(), mapped.end(), row.kit) == mapped.end(), row.kit.c_str());
            for (const auto& f : row.files) {
                const auto path = std::filesystem::weakly_canonical(defaultEvalSoundsDir() / f).string();
                QVERIFY2(path.rfind(hydrogen, 0) != 0, path.c_str());
                QVERIFY2(path.find("hydrogen") == std::string::npos, path.c_str());
            }
        }
    }

    void malformedSetFailsNamingTheLine_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("columns") << "kit\tinstrument\tclass\trole\tfiles\nK\tKick\tkick\t-\n" << "line 2: expected 5";
        QTest::newRow("class") << QString::fromStdString(oneKit("a.flac")).replace("\tsnare\t", "\tclap\t")
                               << "line 3: unknown class 'clap'";
        QTest::newRow("absolute") << QString::fromStdString(oneKit("/etc/passwd")) << "line 2: '/etc/passwd' is not a path";
        QTest::newRow("parent") << QString::fromStdString(oneKit("lmms/../../x.wav")) << "line 2: 'lmms/../../x.wav' is not";
        QTest::newRow("nofiles") << QString::fromStdString(oneKit("")) << "line 2: no files";
        QTest::newRow("empty path") << QString::fromStdString(oneKit("a.flac,,b.flac")) << "line 2: '' is not a path";
        QTest::newRow("duplicate") << QString::fromStdString(oneKit("a.flac") + "K\tKick\tkick\t-\tb.flac\n")
                                   << "line 7: 'Kick' of kit 'K' is listed twice";
        QTest::newRow("missing class") << "kit\tinstrument\tclass\trole\tfiles\nK\tKick\tkick\t-\ta.flac\n"
                                       << "kit 'K' has no snare";
        QTest::newRow("empty") << "# nothing\n" << "lists no instruments";
    }
    void malformedSetFailsNamingTheLine() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        try {
            parseEvalSet(text.toStdString(), "bad-set.tsv");
            QFAIL("a malformed evaluation set was accepted");
        } catch (const Error& e) {
            const QString msg = QString::fromStdString(e.what());
            QVERIFY2(msg.contains(expected), qPrintable(msg));
            QVERIFY2(msg.contains("bad-set.tsv"), qPrintable(msg));
        }
    }

    void missingFileNamesThePackage() {
        const EvalSet set = parseEvalSet(oneKit("sonic-pi/samples/no-such-kick.flac"), "set.tsv");
        try {
            buildEvalBank(set, defaultEvalSoundsDir());
            QFAIL("a missing file was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileNotFound);
            const QString msg = QString::fromStdString(e.what());
            QVERIFY2(msg.contains("line 2") && msg.contains("no-such-kick.flac") && msg.contains("sonic-pi-samples"),
                     qPrintable(msg));
        }
    }
};

QTEST_GUILESS_MAIN(TestEvalSet)
#include "tst_eval_set.moc"
