// FileIntake: drops of files and folders (recursive), paths with spaces and non-ASCII names,
// unsupported and missing files listed rather than dropped silently.
#include "file_intake.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

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

    // A name whose bytes are not valid UTF-8 (Latin-1 "café.wav") is invisible to QDirIterator;
    // the intake must list it as such (a reason can then be given), not drop it unseen. Hidden
    // folders are not entered, and a link loop ends.
    void undecodableNamesAreListedNotDropped() {
#if !defined(Q_OS_LINUX)
        QSKIP("Linux file systems hold any bytes in a name; APFS refuses invalid UTF-8 and Windows names are UTF-16");
#endif
        QTemporaryDir dir;
        const QByteArray root = QFile::encodeName(dir.filePath(QStringLiteral("album")));
        QVERIFY(QDir().mkpath(QString::fromUtf8(root + "/.cache")));
        for (const QByteArray& name : {QByteArray("/caf\xe9.wav"), QByteArray("/ok.wav"), QByteArray("/.cache/x.wav")}) {
            const std::string path = (root + name).toStdString();
            FILE* f = std::fopen(path.c_str(), "wb"); // raw bytes: Qt would re-encode the name
            QVERIFY(f);
            std::fputs("x", f);
            std::fclose(f);
        }
        QVERIFY(QFile::link(QString::fromUtf8(root), QString::fromUtf8(root + "/loop")));
        FileIntake intake;
        const auto r = intake.collect({QUrl::fromLocalFile(QString::fromUtf8(root))});
        QCOMPARE(r.audioFiles.size(), 1);
        QVERIFY(r.audioFiles[0].endsWith(QStringLiteral("/album/ok.wav")));
        QCOMPARE(r.undecodable.size(), 1);
        QVERIFY2(r.undecodable[0].endsWith(QStringLiteral("/album/caf\uFFFD.wav")), qPrintable(r.undecodable[0]));
        QVERIFY(r.missing.isEmpty());
        // Named directly (a drop gives the name as Qt decoded it): the same.
        const auto direct = intake.collectPaths({r.undecodable[0]});
        QCOMPARE(direct.undecodable, r.undecodable);
        QVERIFY(direct.missing.isEmpty() && direct.audioFiles.isEmpty());
        QCOMPARE(std::remove((root + "/caf\xe9.wav").constData()), 0); // QTemporaryDir cannot: Qt does not list it
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
