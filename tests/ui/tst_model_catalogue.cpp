// ModelCatalogue: bundled models found, imports validated off the GUI thread with the
// validator's own message, remembered across runs; the shipped catalogue parses.
#include "model_catalogue.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace stemdeck::ui;

namespace {
void touch(const QString& path, const QByteArray& data) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}
const QByteArray kYaml = "audio:\n  sample_rate: 44100\ntraining:\n  instruments: [kick, snare, 'toms']\n";
} // namespace

class TestModelCatalogue : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void basicCheck_data() {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("checkpoint");
        QTest::addColumn<QString>("errorPart");
        QTest::newRow("ok") << "m.yaml" << "m.ckpt" << "";
        QTest::newRow("safetensors") << "m.yaml" << "m.safetensors" << "";
        QTest::newRow("missing checkpoint") << "m.yaml" << "gone.ckpt" << "does not exist";
        QTest::newRow("wrong kind") << "m.yaml" << "m.txt" << "not a checkpoint";
        QTest::newRow("empty checkpoint") << "m.yaml" << "empty.ckpt" << "empty";
        QTest::newRow("config not yaml") << "m.txt" << "m.ckpt" << "not a model configuration";
        QTest::newRow("no stems") << "nostems.yaml" << "m.ckpt" << "names no stems";
    }

    void basicCheck() {
        QFETCH(QString, config);
        QFETCH(QString, checkpoint);
        QFETCH(QString, errorPart);
        QTemporaryDir dir;
        touch(dir.filePath("m.yaml"), kYaml);
        touch(dir.filePath("nostems.yaml"), "audio:\n  n_fft: 2048\n");
        touch(dir.filePath("m.ckpt"), "PK");
        touch(dir.filePath("m.safetensors"), "{}");
        touch(dir.filePath("m.txt"), "x");
        touch(dir.filePath("empty.ckpt"), "");
        const auto r = ModelCatalogue::basicCheck(dir.filePath(config), dir.filePath(checkpoint));
        if (errorPart.isEmpty()) {
            QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
            QCOMPARE(r.stems, (QStringList{"kick", "snare", "toms"}));
        } else {
            QVERIFY2(r.error.contains(errorPart), qPrintable(r.error));
        }
    }

    void bundledModelsAndCurrentChoice() {
        QTemporaryDir dir;
        touch(dir.filePath("bundled/drums/config.yaml"), kYaml);
        touch(dir.filePath("bundled/drums/model.ckpt"), "PK");
        touch(dir.filePath("bundled/incomplete/config.yaml"), kYaml); // no weights: skipped
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        ModelCatalogue cat(&settings, dir.filePath("models"));
        QAbstractItemModelTester tester(&cat, QAbstractItemModelTester::FailureReportingMode::QtTest);
        cat.addBundledDir(dir.filePath("bundled"));
        QCOMPARE(cat.rowCount(), 1);
        QCOMPARE(cat.data(cat.index(0), ModelCatalogue::KindRole).toString(), QStringLiteral("bundled"));
        QCOMPARE(cat.currentName(), QStringLiteral("drums"));
        QCOMPARE(cat.currentStems(), (QStringList{"kick", "snare", "toms"}));
        for (int role : cat.roleNames().keys())
            QVERIFY(role > Qt::UserRole);
    }

    void importValidatesOffTheGuiThreadAndRemembers() {
        QTemporaryDir dir;
        touch(dir.filePath("user/My Model.ckpt"), "PK");
        touch(dir.filePath("user/My Model.yaml"), kYaml);
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        {
            ModelCatalogue cat(&settings, dir.filePath("models"));
            QThread* validatorThread = nullptr;
            cat.setValidator([&validatorThread](const QString& c, const QString& k) {
                validatorThread = QThread::currentThread();
                return ModelCatalogue::basicCheck(c, k);
            });
            QSignalSpy imported(&cat, &ModelCatalogue::imported);
            // Only the checkpoint chosen: its .yaml of the same name is found beside it.
            cat.importFiles({QUrl::fromLocalFile(dir.filePath("user/My Model.ckpt"))});
            QVERIFY(cat.importing());
            QVERIFY(imported.wait(10000));
            QVERIFY(validatorThread && validatorThread != QThread::currentThread());
            QVERIFY(!cat.importing());
            QCOMPARE(cat.rowCount(), 1);
            QCOMPARE(cat.currentName(), QStringLiteral("My Model"));
        }
        ModelCatalogue again(&settings, dir.filePath("models"));
        QCOMPARE(again.rowCount(), 1);
        QCOMPARE(again.data(again.index(0), ModelCatalogue::KindRole).toString(), QStringLiteral("imported"));
        QCOMPARE(again.currentName(), QStringLiteral("My Model"));
    }

    // A model whose files are deleted while the app runs used to stay "installed" and chosen,
    // failing every job. The folder watcher (or recheckFiles, which start() calls) notices:
    // an imported model leaves the list, the choice goes back to the bundled one.
    void deletedModelFilesAreNoticed() {
        QTemporaryDir dir;
        touch(dir.filePath("bundled/drums/config.yaml"), kYaml);
        touch(dir.filePath("bundled/drums/model.ckpt"), "PK");
        touch(dir.filePath("user/Mine.ckpt"), "PK");
        touch(dir.filePath("user/Mine.yaml"), kYaml);
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        ModelCatalogue cat(&settings, dir.filePath("models"));
        QAbstractItemModelTester tester(&cat, QAbstractItemModelTester::FailureReportingMode::QtTest);
        cat.addBundledDir(dir.filePath("bundled"));
        QSignalSpy imported(&cat, &ModelCatalogue::imported);
        cat.importFiles({QUrl::fromLocalFile(dir.filePath("user/Mine.ckpt"))});
        QVERIFY(imported.wait(10000));
        cat.setCurrentIndex(cat.rowOfName(QStringLiteral("Mine")));
        QCOMPARE(cat.currentName(), QStringLiteral("Mine"));
        QCOMPARE(cat.recheckFiles(), QStringList{}); // nothing went
        QSignalSpy current(&cat, &ModelCatalogue::currentChanged);
        QSignalSpy lost(&cat, &ModelCatalogue::currentModelLost);
        QVERIFY(QFile::remove(dir.filePath("user/Mine.ckpt")));
        QTRY_COMPARE(cat.rowOfName(QStringLiteral("Mine")), -1); // the watcher saw it
        QCOMPARE(cat.currentName(), QStringLiteral("drums"));
        QCOMPARE(current.size(), 1); // once, when the list is settled
        QCOMPARE(lost.size(), 1);
        QCOMPARE(lost.first().first().toString(), QStringLiteral("Mine"));
        QCOMPARE(cat.takeLostCurrent(), QStringLiteral("Mine")); // what Start reports, once
        QCOMPARE(cat.takeLostCurrent(), QString());
        QVERIFY(!settings.value(QStringLiteral("model/imported")).toList().size());
        QCOMPARE(cat.recheckFiles(), QStringList{});
    }

    void importFailureShowsTheValidatorsMessage() {
        QTemporaryDir dir;
        touch(dir.filePath("a.ckpt"), "PK");
        touch(dir.filePath("a.yaml"), kYaml);
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        ModelCatalogue cat(&settings, dir.filePath("models"));
        cat.setValidator([](const QString&, const QString&) -> ModelCheck {
            throw std::runtime_error("a.ckpt: 4 stems in the config, 5 in the checkpoint");
        });
        QSignalSpy state(&cat, &ModelCatalogue::importStateChanged);
        cat.importModel(QUrl::fromLocalFile(dir.filePath("a.ckpt")), QUrl::fromLocalFile(dir.filePath("a.yaml")));
        QTRY_VERIFY(!cat.importing());
        QCOMPARE(cat.importError(), QStringLiteral("a.ckpt: 4 stems in the config, 5 in the checkpoint"));
        QCOMPARE(cat.rowCount(), 0);

        cat.importFiles({QUrl::fromLocalFile(dir.filePath("a.yaml"))}); // no checkpoint chosen
        QVERIFY(cat.importError().contains(QStringLiteral("checkpoint")));
    }

    void shippedCatalogueParses() {
        QSettings settings(QTemporaryDir().filePath("s.ini"), QSettings::IniFormat);
        QTemporaryDir dir;
        ModelCatalogue cat(&settings, dir.path());
        QVERIFY(cat.loadCatalogue(QStringLiteral(":/qt/qml/StemDeck/Ui/resources/catalogue.json")));
        QVERIFY(cat.rowCount() >= 1);
        for (int r = 0; r < cat.rowCount(); ++r) {
            const ModelEntry* e = cat.entry(r);
            QVERIFY(!e->name.isEmpty());
            QVERIFY(!e->stems.isEmpty());
            QCOMPARE(e->checkpointUrl.scheme(), QStringLiteral("https"));
            QCOMPARE(e->configUrl.scheme(), QStringLiteral("https"));
            QVERIFY(e->checkpointSize > 0 || e->approxSizeMB > 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestModelCatalogue)
#include "tst_model_catalogue.moc"
