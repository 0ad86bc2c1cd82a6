// core/common/resource_paths: the order StemDeck looks for its bundled data in, and that an
// install tree next to the executable wins over the source tree only when it holds the data.
#include "common/resource_paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

namespace fs = std::filesystem;
using namespace stemdeck;

class TstResourcePaths : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() { qunsetenv("STEMDECK_RESOURCES_DIR"); }
    void cleanup() { qunsetenv("STEMDECK_RESOURCES_DIR"); }

    void executableDirIsThisTest() {
        const fs::path dir = executableDir();
        QVERIFY(!dir.empty());
        QCOMPARE(QFileInfo(QString::fromStdString(dir.string())).canonicalFilePath(),
                 QFileInfo(QCoreApplication::applicationDirPath()).canonicalFilePath());
    }

    void candidatesInOrder_data() {
        QTest::addColumn<QString>("exeDir");
        QTest::addColumn<QString>("env");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("linux install")
            << "/usr/bin"
            << "" << QStringList{"/usr/share/stemdeck", "/usr/Resources", "/src/resources"};
        QTest::newRow("prefix install")
            << "/opt/sd/bin"
            << "" << QStringList{"/opt/sd/share/stemdeck", "/opt/sd/Resources", "/src/resources"};
        QTest::newRow("macOS bundle")
            << "/Applications/StemDeck.app/Contents/MacOS"
            << ""
            << QStringList{"/Applications/StemDeck.app/Contents/share/stemdeck",
                           "/Applications/StemDeck.app/Contents/Resources", "/src/resources"};
        QTest::newRow("environment first")
            << "/usr/bin"
            << "/data/sd"
            << QStringList{"/data/sd", "/usr/share/stemdeck", "/usr/Resources", "/src/resources"};
        QTest::newRow("unknown executable") << ""
                                            << "" << QStringList{"/src/resources"};
    }
    void candidatesInOrder() {
        QFETCH(QString, exeDir);
        QFETCH(QString, env);
        QFETCH(QStringList, expected);
        if (!env.isEmpty())
            qputenv("STEMDECK_RESOURCES_DIR", env.toUtf8());
        QStringList got;
        for (const fs::path& p :
             resourceDirCandidates(fs::path(exeDir.toStdString()), "/src/resources"))
            got << QString::fromStdString(p.generic_string());
        QCOMPARE(got, expected);
    }

    // The environment variable wins when it holds the asked-for folder, and is passed over when
    // it does not (then this build's source tree, resources/, is found).
    void findHonoursSubdir() {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        QVERIFY(QDir(tmp.path()).mkpath(QStringLiteral("models/demo-model")));
        qputenv("STEMDECK_RESOURCES_DIR", tmp.path().toUtf8());
        QCOMPARE(QString::fromStdString(findResourceDir("models").string()), tmp.path());
        QCOMPARE(QString::fromStdString(findResourceDir().string()), tmp.path());

        const fs::path other = findResourceDir("no-such-subfolder-anywhere");
        QVERIFY(other.empty());

        // Without the environment, a build finds the source tree's resources/ (it has icons/).
        qunsetenv("STEMDECK_RESOURCES_DIR");
        const fs::path source = findResourceDir("icons");
        QVERIFY(!source.empty());
        QVERIFY(fs::exists(source / "icons" / "stemdeck.svg"));
    }
};

QTEST_GUILESS_MAIN(TstResourcePaths)
#include "tst_resource_paths.moc"
