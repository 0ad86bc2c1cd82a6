// FileIntake: drops of files and folders (recursive), paths with spaces and non-ASCII names,
// unsupported and missing files listed rather than dropped silently.
#include "file_intake.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace stemdeck::ui;

namespace {
void touch(const QString& path) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("x");
}
} // namespace

class TestFileIntake : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void foldersRecursiveSortedAndUnsupportedListed() {
        QTemporaryDir dir;
        const QString root = dir.filePath(QStringLiteral("My Music"));
        touch(root + QStringLiteral("/b song.flac"));
        touch(root + QStringLiteral("/a song.WAV"));
        touch(root + QStringLiteral("/cover.jpg"));
        touch(root + QStringLiteral("/.DS_Store"));
        touch(root + QStringLiteral("/Ünïcödé 日本/曲 1.ogg"));
        FileIntake intake;
        const auto r = intake.collect({QUrl::fromLocalFile(root)});
        QCOMPARE(r.audioFiles.size(), 3);
        QCOMPARE(QFileInfo(r.audioFiles[0]).fileName(), QStringLiteral("a song.WAV"));
        QCOMPARE(QFileInfo(r.audioFiles[1]).fileName(), QStringLiteral("b song.flac"));
        QCOMPARE(QFileInfo(r.audioFiles[2]).fileName(), QStringLiteral("曲 1.ogg"));
        QCOMPARE(r.unsupported.size(), 1);
        QVERIFY(r.unsupported[0].endsWith(QStringLiteral("cover.jpg")));
        QVERIFY(r.missing.isEmpty());
    }

    void percentEncodedUrlsAndDuplicates() {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("with space é.wav"));
        touch(file);
        // What a file manager puts on the clipboard / drag: percent-encoded.
        const QUrl encoded(QUrl::fromLocalFile(file).toString(QUrl::FullyEncoded));
        QVERIFY(encoded.toString(QUrl::FullyEncoded).contains(QStringLiteral("%20")));
        FileIntake intake;
        const auto r = intake.collect({encoded, QUrl::fromLocalFile(dir.path())});
        QCOMPARE(r.audioFiles, QStringList{QDir::cleanPath(file)});
    }

    void missingAndNonLocal() {
        FileIntake intake;
        const auto r = intake.collect({QUrl::fromLocalFile(QStringLiteral("/no/such/file.wav")),
                                       QUrl(QStringLiteral("https://example.com/a.wav"))});
        QVERIFY(r.audioFiles.isEmpty());
        QCOMPARE(r.missing, QStringList{QStringLiteral("/no/such/file.wav")});
    }

    void filters() {
        FileIntake intake({"wav", "flac"});
        QCOMPARE(intake.nameFilters(), (QStringList{"*.wav", "*.flac"}));
        QVERIFY(intake.isSupported(QStringLiteral("/x/Y.FLAC")));
        QVERIFY(!intake.isSupported(QStringLiteral("/x/y.mp3")));
    }
};

QTEST_GUILESS_MAIN(TestFileIntake)
#include "tst_file_intake.moc"
