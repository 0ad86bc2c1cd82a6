// SettingsModel: every choice persists in QSettings, the naming template is validated live
// with the audio layer's rules, and a remembered device that is gone falls back to Auto.
#include "settings_model.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace stemdeck::ui;

class TestSettingsModel : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> ini(const QString& name = QStringLiteral("s.ini")) {
        return std::make_unique<QSettings>(m_dir.filePath(name), QSettings::IniFormat);
    }

private Q_SLOTS:
    void defaults() {
        SettingsModel s(ini(QStringLiteral("defaults.ini")));
        QCOMPARE(s.device(), QStringLiteral("auto"));
        QCOMPARE(s.overlap(), 4);
        QVERIFY(s.overlapAuto()); // the model's own overlap unless the user picks one
        QVERIFY(s.softMasks());   // the model's soft masks
        QVERIFY(s.stereoFilter()); // and its stereo (Wiener) filter
        QVERIFY(!s.extraPasses()); // no test-time augmentation (it costs time) unless asked for
        QVERIFY(s.batchAuto());
        QCOMPARE(s.precision(), QStringLiteral("fp32"));
        QCOMPARE(s.namingTemplate(), QStringLiteral("{track}/{stem}.{ext}"));
        QVERIFY(s.namingError().isEmpty());
        QCOMPARE(s.theme(), QStringLiteral("system"));
        QVERIFY(s.language().isEmpty());
        // Auto and the CPU are always offered.
        QCOMPARE(s.devices().size(), 2);
        QCOMPARE(s.devices()[0].toMap()["id"].toString(), QStringLiteral("auto"));
        QCOMPARE(s.devices()[1].toMap()["id"].toString(), QStringLiteral("cpu"));
    }

    void persists() {
        {
            SettingsModel s(ini(QStringLiteral("persist.ini")));
            s.setDevices({QVariantMap{{"id", "cuda:0"}, {"name", "RTX"}, {"memory", qint64(8) << 30}}});
            s.setDevice(QStringLiteral("cuda:0"));
            s.setOverlap(8);
            s.setOverlapAuto(false);
            s.setSoftMasks(false);
            s.setStereoFilter(false);
            s.setExtraPasses(true);
            s.setBatchAuto(false);
            s.setBatchSize(3);
            s.setPrecision(QStringLiteral("fp16"));
            s.setOutputFormat(QStringLiteral("flac24"));
            s.setNamingTemplate(QStringLiteral("{model}/{track} - {stem}.{ext}"));
            s.setNextToSource(true);
            s.setDestination(QStringLiteral("/tmp/Stems ünïcode"));
            s.setResidual(true);
            s.setTheme(QStringLiteral("dark"));
            s.setLanguage(QStringLiteral("ja"));
        }
        SettingsModel s(ini(QStringLiteral("persist.ini")));
        s.setDevices({QVariantMap{{"id", "cuda:0"}, {"name", "RTX"}, {"memory", 0}}});
        QCOMPARE(s.device(), QStringLiteral("cuda:0"));
        QCOMPARE(s.overlap(), 8);
        QVERIFY(!s.overlapAuto());
        QVERIFY(!s.softMasks());
        QVERIFY(!s.stereoFilter());
        QVERIFY(s.extraPasses());
        QVERIFY(!s.batchAuto());
        QCOMPARE(s.batchSize(), 3);
        QCOMPARE(s.precision(), QStringLiteral("fp16"));
        QCOMPARE(s.outputFormat(), QStringLiteral("flac24"));
        QCOMPARE(s.namingTemplate(), QStringLiteral("{model}/{track} - {stem}.{ext}"));
        QVERIFY(s.nextToSource());
        QCOMPARE(s.destination(), QStringLiteral("/tmp/Stems ünïcode"));
        QVERIFY(s.residual());
        QCOMPARE(s.theme(), QStringLiteral("dark"));
        QCOMPARE(s.language(), QStringLiteral("ja"));
    }

    void storedOverlapIsKept() {
        // Settings from before the "Model's" check box: the overlap the user chose still applies.
        auto old = ini(QStringLiteral("old.ini"));
        old->setValue(QStringLiteral("separation/overlap"), 8);
        old->sync();
        SettingsModel s(std::move(old));
        QVERIFY(!s.overlapAuto());
        QCOMPARE(s.overlap(), 8);
        s.setOverlapAuto(true);
        QVERIFY(s.overlapAuto());
    }

    void missingDeviceFallsBackToAuto() {
        SettingsModel s(ini(QStringLiteral("device.ini")));
        s.setDevices({QVariantMap{{"id", "cuda:1"}, {"name", "GPU"}, {"memory", 0}}});
        s.setDevice(QStringLiteral("cuda:1"));
        QCOMPARE(s.device(), QStringLiteral("cuda:1"));
        s.setDevices({}); // the GPU is gone (another machine, driver trouble)
        QCOMPARE(s.device(), QStringLiteral("auto"));
    }

    void rejectsValuesOutOfRange() {
        SettingsModel s(ini(QStringLiteral("range.ini")));
        s.setOverlap(0);
        QCOMPARE(s.overlap(), 1);
        s.setOverlap(1000);
        QCOMPARE(s.overlap(), 16);
        s.setPrecision(QStringLiteral("fp8"));
        QCOMPARE(s.precision(), QStringLiteral("fp32"));
        s.setOutputFormat(QStringLiteral("aac"));
        QCOMPARE(s.outputFormat(), QStringLiteral("wav24"));
        s.setTheme(QStringLiteral("purple"));
        QCOMPARE(s.theme(), QStringLiteral("system"));
    }

    void templateValidatedLive_data() {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("valid");
        QTest::newRow("default") << "{track}/{stem}.{ext}" << true;
        QTest::newRow("flat") << "{track} - {stem}.{ext}" << true;
        QTest::newRow("unknown variable") << "{track}/{bogus}.{ext}" << false;
        QTest::newRow("no stem") << "{track}.{ext}" << false;
        QTest::newRow("leaves folder") << "../{stem}.{ext}" << false;
        QTest::newRow("absolute") << "/etc/{stem}.{ext}" << false;
        QTest::newRow("empty") << "" << false;
    }

    void templateValidatedLive() {
        QFETCH(QString, pattern);
        QFETCH(bool, valid);
        SettingsModel s(ini(QStringLiteral("template.ini")));
        QSignalSpy changed(&s, &SettingsModel::changed);
        s.setNamingTemplate(pattern);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(s.namingError().isEmpty(), valid);
        QCOMPARE(s.namingExample().isEmpty(), !valid);
        // Stored even when invalid so typing is never fought.
        QCOMPARE(s.namingTemplate(), pattern);
    }

    void exampleUsesTheFirstStem() {
        SettingsModel s(ini(QStringLiteral("example.ini")));
        s.setAvailableStems({"kick", "snare"});
        s.setNamingTemplate(QStringLiteral("{track}/{stem}.{ext}"));
        QCOMPARE(s.namingExample(), QStringLiteral("My Song/kick.wav"));
    }

    void stemSelectionSurvivesModelChange() {
        SettingsModel s(ini(QStringLiteral("stems.ini")));
        s.setAvailableStems({"vocals", "drums", "bass", "other"});
        QCOMPARE(s.exportStems().size(), 4);
        QSignalSpy spy(&s, &SettingsModel::stemsChanged);
        s.setStemExported(QStringLiteral("drums"), false);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(s.exportStems(), (QStringList{"vocals", "bass", "other"}));
        QVERIFY(!s.isStemExported(QStringLiteral("drums")));
        // Another model: its stems are all exported by default.
        s.setAvailableStems({"kick", "snare"});
        QCOMPARE(s.exportStems(), (QStringList{"kick", "snare"}));
        // Back to the first model: drums is still off.
        s.setAvailableStems({"vocals", "drums", "bass", "other"});
        QCOMPARE(s.exportStems(), (QStringList{"vocals", "bass", "other"}));
    }

    void formatsAndSummary() {
        SettingsModel s(ini(QStringLiteral("formats.ini")));
        QStringList ids;
        for (const auto& f : s.outputFormats())
            ids << f.toMap()["id"].toString();
        QVERIFY(ids.contains(QStringLiteral("wav24")));
        QVERIFY(ids.contains(QStringLiteral("flac16")));
        for (const auto& id : ids) {
            s.setOutputFormat(id);
            QCOMPARE(s.outputFormat(), id);
        }
        QVERIFY(s.summary().contains(QStringLiteral("template: {track}/{stem}.{ext}")));
        QCOMPARE(SettingsModel::formatBytes(qint64(8) << 30), QStringLiteral("8.0 GiB"));
        QCOMPARE(SettingsModel::formatBytes(512 << 20), QStringLiteral("512 MiB"));
    }
};

QTEST_GUILESS_MAIN(TestSettingsModel)
#include "tst_settings_model.moc"
