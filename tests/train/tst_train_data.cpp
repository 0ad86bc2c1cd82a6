// Kit map, drumkit.xml reader and sample pack: every curated row names a real installed
// instrument, the validation split is disjoint, bad input fails with a message naming the
// place, and the pack round-trips.
#include "common/error.h"
#include "common/test_support.h"
#include "train/drumkit.h"
#include "train/kit_map.h"
#include "train/sample_bank.h"
#include "train_fixture.h"

#include <QTemporaryDir>
#include <QTest>

#include <array>
#include <cmath>
#include <fstream>
#include <set>

using namespace stemdeck;
using namespace stemdeck::train;

class TestTrainData : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void kitMapRowsNameInstalledInstruments() {
        const KitMap map = builtinKitMap();
        QVERIFY(map.rows.size() > 150);
        checkKitMap(map, defaultDrumkitsDir()); // throws naming the row on any mismatch
        // every class is fed by several kits
        for (int s = 0; s < kStemCount; ++s) {
            std::set<std::string> kits;
            for (const auto& r : map.rows)
                if (r.stem && static_cast<int>(*r.stem) == s) kits.insert(r.kit);
            QVERIFY2(kits.size() >= 6, kStemNames[s].data());
        }
    }

    void repoFileMatchesBuiltin() {
        const auto dir = test::sourceDir() / "resources" / "training";
        const KitMap fromFile = loadKitMap(dir / "kit-map.tsv", dir / "validation-kits.txt");
        const KitMap builtin = builtinKitMap();
        QCOMPARE(fromFile.rows.size(), builtin.rows.size());
        QCOMPARE(fromFile.validationKits, builtin.validationKits);
    }

    void validationKitsAreDisjointFromTraining() {
        const KitMap map = builtinKitMap();
        QVERIFY(map.validationKits.size() >= 3);
        const auto training = map.trainingKits();
        QVERIFY(training.size() >= 8);
        for (const auto& v : map.validationKits) {
            QVERIFY2(std::find(training.begin(), training.end(), v) == training.end(), v.c_str());
            QVERIFY(map.isValidation(v));
        }
        // The banks built for training contain no validation kit at all.
        BankOptions opts;
        opts.includeValidation = false;
        const SampleBank bank = buildSampleBank(test::kitMapOf({"VariBreaks", "TR808EmulationKit"}),
                                                defaultDrumkitsDir(), opts);
        QCOMPARE(bank.kits, std::vector<std::string>{"VariBreaks"});
    }

    // The pack's DC-blocking high-pass: every TR808EmulationKit file carries a subsonic offset under
    // the sound (its cymbal's energy is 38 % DC); the filter removes it and keeps the kicks whole.
    void highPassRemovesTheSubsonicOffsetOnly() {
        const KitMap map = test::kitMapOf({"TR808EmulationKit"});
        BankOptions off;
        off.highPassHz = 0.0;
        const SampleBank raw = buildSampleBank(map, defaultDrumkitsDir(), off);
        const SampleBank filtered = buildSampleBank(map, defaultDrumkitsDir()); // default: 10 Hz
        QCOMPARE(filtered.instruments.size(), raw.instruments.size());
        const auto stats = [](const SampleLayer& l) {
            double sum = 0.0, energy = 0.0, peak = 0.0;
            for (float v : l.samples) {
                sum += v;
                energy += double(v) * v;
                peak = std::max(peak, double(std::fabs(v)));
            }
            const double n = double(l.samples.size());
            return std::array<double, 3>{(sum / n) * (sum / n) / (energy / n), energy / (peak * peak), n};
        };
        bool sawCymbal = false;
        for (size_t i = 0; i < raw.instruments.size(); ++i) {
            const auto& a = raw.instruments[i];
            const auto& b = filtered.instruments[i];
            QCOMPARE(b.name, a.name);
            const auto sa = stats(a.layers.front()), sb = stats(b.layers.front());
            QVERIFY2(sb[0] < 0.005, a.name.c_str()); // no DC left anywhere
            if (a.name == "Cymbal") {
                sawCymbal = true;
                QVERIFY2(sa[0] > 0.2, qPrintable(QString::number(sa[0]))); // the offset was there
            }
            if (a.stem == StemClass::Kick) // the kicks' energy (re. peak) stays within 5 %
                QVERIFY2(std::fabs(sb[1] / sa[1] - 1.0) < 0.05, a.name.c_str());
        }
        QVERIFY(sawCymbal);
    }

    void malformedKitMapFailsNamingTheLine_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("columns") << "kit\tinstrument\tclass\trole\nGMRockKit\tKick\tkick\n" << "line 2";
        QTest::newRow("class") << "kit\tinstrument\tclass\trole\n# c\nGMRockKit\tKick\tbassdrum\t-\n" << "line 3";
        QTest::newRow("duplicate") << "kit\tinstrument\tclass\trole\nGMRockKit\tKick\tkick\t-\nGMRockKit\tKick\tkick\t-\n"
                                   << "listed twice";
        QTest::newRow("empty") << "# nothing\n" << "no instruments";
    }
    void malformedKitMapFailsNamingTheLine() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        try {
            parseKitMap(text.toStdString(), "bad-map.tsv");
            QFAIL("a malformed kit map was accepted");
        } catch (const Error& e) {
            const QString msg = QString::fromStdString(e.what());
            QVERIFY2(msg.contains(expected), qPrintable(msg));
            QVERIFY2(msg.contains("bad-map.tsv"), qPrintable(msg));
        }
    }

    void unknownKitOrInstrumentFailsClearly() {
        KitMap map = parseKitMap("kit\tinstrument\tclass\trole\nNoSuchKit\tKick\tkick\t-\n", "m.tsv");
        try {
            checkKitMap(map, defaultDrumkitsDir());
            QFAIL("a missing kit was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("NoSuchKit"), e.what());
        }
        map = parseKitMap("kit\tinstrument\tclass\trole\nGMRockKit\tTriangle\tcymbals\tcrash\n", "m.tsv");
        try {
            checkKitMap(map, defaultDrumkitsDir());
            QFAIL("a missing instrument was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("Triangle"), e.what());
        }
    }

    void readsAnInstalledKit() {
        const Drumkit kit = readDrumkit(defaultDrumkitsDir() / "GMRockKit");
        QCOMPARE(kit.name, std::string("GMRockKit"));
        QCOMPARE(kit.license, std::string("GPL"));
        QVERIFY(kit.author.find("Glen MacArthur") != std::string::npos);
        QCOMPARE(kit.instruments.size(), size_t(18));
        const DrumkitInstrument* kick = kit.instrument("Kick");
        QVERIFY(kick);
        QCOMPARE(kick->layers.size(), size_t(5));
        float lo = 1.0f, hi = 0.0f;
        for (const auto& l : kick->layers) {
            QVERIFY(std::filesystem::is_regular_file(l.file));
            QVERIFY(l.minVelocity <= l.maxVelocity);
            lo = std::min(lo, l.minVelocity);
            hi = std::max(hi, l.maxVelocity);
        }
        QCOMPARE(lo, 0.0f);
        QCOMPARE(hi, 1.0f);
    }

    void readsTheOldLayout() {
        // HardElectro1 uses Hydrogen 0.9.3's layout: <filename> directly in <instrument>.
        const Drumkit kit = readDrumkit(defaultDrumkitsDir() / "HardElectro1");
        const DrumkitInstrument* kick = kit.instrument("Kick 1");
        QVERIFY(kick);
        QCOMPARE(kick->layers.size(), size_t(1));
        QVERIFY(std::filesystem::is_regular_file(kick->layers[0].file));
    }

    void brokenDrumkitXmlNamesFileAndLine() {
        QTemporaryDir dir;
        const auto p = test::toPath(dir.path());
        std::ofstream(p / "drumkit.xml") << "<?xml version=\"1.0\"?>\n<drumkit_info>\n<name>x</name>\n<instrumentList>\n<instrument><name>a</nme>\n";
        try {
            readDrumkit(p);
            QFAIL("broken XML was accepted");
        } catch (const Error& e) {
            const QString msg(e.what());
            QVERIFY2(msg.contains("drumkit.xml") && msg.contains("line 5"), e.what());
        }
        try {
            readDrumkit(p / "missing");
            QFAIL("missing kit accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileNotFound);
        }
    }

    void bankIsTrimmedAndNormalised() {
        const SampleBank bank = test::smallBank();
        QCOMPARE(bank.kits.size(), size_t(3));
        for (const auto& inst : bank.instruments) {
            float peak = 0.0f;
            for (const auto& l : inst.layers) {
                QCOMPARE(l.samples.size(), size_t(l.channels * l.frames));
                QVERIFY(l.frames <= static_cast<int64_t>(2.5 * kSampleRate) + 1);
                for (float v : l.samples) peak = std::max(peak, std::fabs(v));
            }
            QVERIFY2(std::fabs(peak - 1.0f) < 1e-5f, inst.name.c_str()); // loudest layer peaks at 1
        }
        // velocity picks the layer: softest layer for a soft hit, loudest for a hard one
        for (const auto& inst : bank.instruments) {
            if (inst.layers.size() < 2) continue;
            QCOMPARE(&inst.layerFor(0.01f), &inst.layers.front());
            QCOMPARE(&inst.layerFor(1.0f), &inst.layers.back());
        }
    }

    void packRoundTrip() {
        const SampleBank bank = test::smallBank();
        QTemporaryDir dir;
        const auto path = test::toPath(dir.path()) / "pack.sdpack";
        writePack(bank, path);
        const SampleBank back = readPack(path);
        QCOMPARE(back.kits, bank.kits);
        QCOMPARE(back.validation, bank.validation);
        QCOMPARE(back.instruments.size(), bank.instruments.size());
        for (size_t i = 0; i < bank.instruments.size(); ++i) {
            const auto& a = bank.instruments[i];
            const auto& b = back.instruments[i];
            QCOMPARE(b.name, a.name);
            QCOMPARE(b.role, a.role);
            QVERIFY(b.stem == a.stem);
            QCOMPARE(b.layers.size(), a.layers.size());
            for (size_t j = 0; j < a.layers.size(); ++j) {
                QCOMPARE(b.layers[j].channels, a.layers[j].channels);
                QCOMPARE(b.layers[j].frames, a.layers[j].frames);
                QCOMPARE(b.layers[j].minVelocity, a.layers[j].minVelocity);
                float err = 0.0f;
                for (size_t k = 0; k < a.layers[j].samples.size(); ++k)
                    err = std::max(err, std::fabs(a.layers[j].samples[k] - b.layers[j].samples[k]));
                QVERIFY2(err <= 1.5f / 32767.0f, qPrintable(QString::number(err))); // 16-bit, 1 LSB
            }
        }
        // The full pack must travel with the tree (64 MiB in all): the small one is far below.
        QVERIFY(std::filesystem::file_size(path) < 8u * 1024 * 1024);
    }

    void damagedPackFailsNamingTheFile() {
        const SampleBank bank = test::smallBank();
        QTemporaryDir dir;
        const auto path = test::toPath(dir.path()) / "pack.sdpack";
        writePack(bank, path);
        std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
        try {
            readPack(path);
            QFAIL("a truncated pack was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("pack.sdpack"), e.what());
            QCOMPARE(e.code(), ErrorCode::UnreadableFile);
        }
        std::ofstream(path, std::ios::binary | std::ios::trunc) << "RIFF1234WAVEfmt ";
        try {
            readPack(path);
            QFAIL("a wrong file was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::UnsupportedFormat);
        }
    }
};

QTEST_GUILESS_MAIN(TestTrainData)
#include "tst_train_data.moc"
