// ModelDownloader and the catalogue's download, against a loopback HTTP server the test starts
// itself: progress, resume after an interrupted transfer (HTTP Range), refusal of a file whose
// SHA-256 does not match (and removal of the partial file), atomic placement.
#include "loopback_server.h"
#include "model_catalogue.h"
#include "model_downloader.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

using namespace stemdeck::ui;
using stemdeck::ui::test::LoopbackServer;

namespace {
QByteArray payload(int bytes) {
    QByteArray b(bytes, Qt::Uninitialized);
    QRandomGenerator gen(1234);
    for (auto& c : b)
        c = char(gen.bounded(256));
    return b;
}
QString sha256(const QByteArray& b) {
    return QString::fromLatin1(QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex());
}
QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

// One file, /m.ckpt, served on loopback, and the path a download of it goes to.
struct OneFile {
    LoopbackServer server;
    QTemporaryDir dir;
    QByteArray body;
    QString target;
    QUrl url;
    explicit OneFile(int bytes) : body(payload(bytes)), target(dir.filePath(QStringLiteral("m.ckpt"))) {
        server.files.insert(QStringLiteral("/m.ckpt"), body);
    }
    bool listen() {
        if (!server.listen())
            return false;
        url = server.url(QStringLiteral("/m.ckpt")); // the port is known once listening
        return true;
    }
};

class TestModelDownload : public QObject {
    Q_OBJECT
    QNetworkAccessManager m_network;

    // A catalogue of one model, "Drum test", served by `server` at /cfg/drums.yaml and /w/drums.ckpt.
    static QString writeCatalogue(const QTemporaryDir& dir, LoopbackServer& server, const QByteArray& config,
                                  const QByteArray& ckpt) {
        server.files.insert(QStringLiteral("/cfg/drums.yaml"), config);
        server.files.insert(QStringLiteral("/w/drums.ckpt"), ckpt);
        QJsonObject model{
            {"name", "Drum test"},
            {"stems", QJsonArray{"kick", "snare"}},
            {"config", QJsonObject{{"url", server.url("/cfg/drums.yaml").toString()}, {"sha256", sha256(config)}}},
            {"checkpoint", QJsonObject{{"url", server.url("/w/drums.ckpt").toString()},
                                       {"sha256", sha256(ckpt)}, {"size", double(ckpt.size())}}}};
        const QString json = dir.filePath(QStringLiteral("catalogue.json"));
        QFile f(json);
        if (f.open(QIODevice::WriteOnly))
            f.write(QJsonDocument(QJsonObject{{"models", QJsonArray{model}}}).toJson());
        return json;
    }

private Q_SLOTS:
    void completeDownloadWithProgress() {
        LoopbackServer server;
        QVERIFY(server.listen());
        const QByteArray body = payload(3 * 1024 * 1024 + 17);
        server.files.insert(QStringLiteral("/model.ckpt"), body);
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("models/ä model/model.ckpt"));

        ModelDownloader d(&m_network);
        QSignalSpy progress(&d, &ModelDownloader::progress);
        QSignalSpy finished(&d, &ModelDownloader::finished);
        QSignalSpy failed(&d, &ModelDownloader::failed);
        d.start(server.url(QStringLiteral("/model.ckpt")), target, sha256(body), body.size());
        QVERIFY(finished.wait(20000));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(finished.first().first().toString(), target);
        QCOMPARE(readAll(target), body);
        QVERIFY(!QFile::exists(ModelDownloader::partPath(target)));
        QVERIFY(progress.count() >= 1);
        QCOMPARE(progress.last().at(0).toLongLong(), qint64(body.size()));
        QCOMPARE(progress.last().at(1).toLongLong(), qint64(body.size()));
        for (int i = 1; i < progress.count(); ++i)
            QVERIFY(progress[i].at(0).toLongLong() >= progress[i - 1].at(0).toLongLong());
        QCOMPARE(server.rangesSeen, QStringList{QString()});
    }

    void resumesAfterInterruption() {
        LoopbackServer server;
        QVERIFY(server.listen());
        const QByteArray body = payload(1024 * 1024);
        server.files.insert(QStringLiteral("/big.safetensors"), body);
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("big.safetensors"));

        ModelDownloader d(&m_network);
        QSignalSpy finished(&d, &ModelDownloader::finished);
        QSignalSpy failed(&d, &ModelDownloader::failed);
        server.cutAfter = 300000;
        d.start(server.url(QStringLiteral("/big.safetensors")), target, sha256(body), body.size());
        QVERIFY(failed.wait(20000));
        QCOMPARE(finished.count(), 0);
        QVERIFY(!QFile::exists(target)); // nothing half-written in place
        const QByteArray partial = readAll(ModelDownloader::partPath(target));
        QVERIFY(partial.size() > 0);
        QVERIFY(partial.size() <= 300000);
        QCOMPARE(partial, body.left(partial.size()));
        // Qt's network stack may send a request again on its own when a connection drops before
        // it saw the response, so there may be several whole-file requests; under load one of them
        // reaches the server only during the resume below (reproduced: 6 of 80 runs, four at once).
        const qsizetype firstAttempt = server.rangesSeen.size();
        QVERIFY(firstAttempt >= 1);
        for (qsizetype i = 0; i < firstAttempt; ++i) QCOMPARE(server.rangesSeen[i], QString());

        server.cutAfter = -1;
        d.start(server.url(QStringLiteral("/big.safetensors")), target, sha256(body), body.size());
        QVERIFY(finished.wait(20000));
        // The resume asked only for the rest: at least one request with that Range, and no other
        // Range (a request without one is a late repeat of the first attempt, see above; with
        // bytes on disk the downloader always sends Range).
        const QString rest = QStringLiteral("bytes=%1-").arg(partial.size());
        const QStringList resume = server.rangesSeen.mid(firstAttempt);
        QVERIFY2(resume.contains(rest), qPrintable(server.rangesSeen.join(QLatin1Char('|'))));
        for (const QString& range : resume)
            QVERIFY2(range.isEmpty() || range == rest, qPrintable(server.rangesSeen.join(QLatin1Char('|'))));
        QCOMPARE(readAll(target), body);
        QVERIFY(!QFile::exists(ModelDownloader::partPath(target)));
    }

    void serverIgnoringRangeRestartsCleanly() {
        OneFile srv(200000);
        QVERIFY(srv.listen());
        { // a partial file from an earlier attempt
            QFile f(ModelDownloader::partPath(srv.target));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(srv.body.left(5000));
        }
        srv.server.ignoreRange = true;
        ModelDownloader d(&m_network);
        QSignalSpy finished(&d, &ModelDownloader::finished);
        d.start(srv.url, srv.target, sha256(srv.body), srv.body.size());
        QVERIFY(finished.wait(20000));
        QCOMPARE(readAll(srv.target), srv.body);
    }

    // Without a published size or hash the server's own statements are what protect the file.
    // A resumed part that starts elsewhere than asked would splice two files: refused, and the
    // partial file deleted so the next start begins clean.
    void resumeFromTheWrongPlaceIsRefused() {
        OneFile srv(200000);
        QVERIFY(srv.listen());
        {
            QFile f(ModelDownloader::partPath(srv.target));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(srv.body.left(5000));
        }
        srv.server.rangeFromStart = true;
        ModelDownloader d(&m_network);
        QSignalSpy finished(&d, &ModelDownloader::finished);
        QSignalSpy failed(&d, &ModelDownloader::failed);
        d.start(srv.url, srv.target, QString());
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("another place")),
                 qPrintable(failed.first().first().toString()));
        QCOMPARE(finished.count(), 0);
        QVERIFY(!QFile::exists(srv.target));
        QVERIFY(!QFile::exists(ModelDownloader::partPath(srv.target)));
        srv.server.rangeFromStart = false;
        d.start(srv.url, srv.target, QString());
        QVERIFY(finished.wait(20000));
        QCOMPARE(readAll(srv.target), srv.body);
        QVERIFY(d.sizeVerified()); // the length came from the server (Content-Length)
    }

    // A partial file that is already whole, or longer than the file published now, with no
    // published size: the server's "416, bytes */N" says which (it was a dead end, "Range Not
    // Satisfiable" on every retry).
    void partialFileAtOrPastTheEnd() {
        OneFile srv(50000);
        QVERIFY(srv.listen());
        auto writePart = [&](const QByteArray& bytes) {
            QFile f(ModelDownloader::partPath(srv.target));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        };
        ModelDownloader d(&m_network);
        QSignalSpy finished(&d, &ModelDownloader::finished);
        QSignalSpy failed(&d, &ModelDownloader::failed);
        writePart(srv.body); // whole: verified and put in place
        d.start(srv.url, srv.target, QString());
        QVERIFY(finished.wait(20000));
        QCOMPARE(readAll(srv.target), srv.body);
        QVERIFY(QFile::remove(srv.target));
        writePart(srv.body + QByteArray(100, 'x')); // longer: deleted, and said so
        d.start(srv.url, srv.target, QString());
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.last().first().toString().contains(QStringLiteral("does not fit")),
                 qPrintable(failed.last().first().toString()));
        QVERIFY(!QFile::exists(ModelDownloader::partPath(srv.target)));
        QVERIFY(!QFile::exists(srv.target));
    }

    // A write that fails near the end (a full disk; simulated with a file-size limit) is an
    // error, not a shorter file put in place. (The case the audit found, the failure showing only
    // when QFile flushes its buffered last bytes, needs reads smaller than QFile's buffer, which
    // this server's large chunks do not give: the downloader now checks the flush and the size
    // on disk against the bytes received, but this row passes without that check too.)
    void failedLastWriteIsNotInstalled() {
        OneFile srv(100000);
        QVERIFY(srv.listen());
        ModelDownloader d(&m_network);
        QSignalSpy finished(&d, &ModelDownloader::finished);
        QSignalSpy failed(&d, &ModelDownloader::failed);
        rlimit before{};
        QCOMPARE(::getrlimit(RLIMIT_FSIZE, &before), 0);
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limited = before;
        limited.rlim_cur = 99900; // the last bytes: what QFile still buffers when the transfer ends
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &limited), 0);
        d.start(srv.url, srv.target, QString());
        const bool ended = failed.wait(20000) || !finished.isEmpty();
        ::setrlimit(RLIMIT_FSIZE, &before);
        std::signal(SIGXFSZ, oldHandler);
        QVERIFY(ended);
        QCOMPARE(finished.count(), 0);
        QVERIFY(!QFile::exists(srv.target));
    }

    // A server that stops sending without closing: the transfer stops after the stall timeout
    // with a message, keeping what arrived for a resume (it showed "downloading" for ever).
    void stalledTransferStops() {
        OneFile srv(200000);
        QVERIFY(srv.listen());
        srv.server.cutAfter = 50000;
        srv.server.stall = true;
        ModelDownloader d(&m_network);
        d.setStallTimeout(500);
        QSignalSpy failed(&d, &ModelDownloader::failed);
        d.start(srv.url, srv.target, QString(), srv.body.size());
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("stalled")),
                 qPrintable(failed.first().first().toString()));
        QVERIFY(!d.isRunning());
        QVERIFY(!QFile::exists(srv.target));
        QCOMPARE(readAll(ModelDownloader::partPath(srv.target)), srv.body.left(50000));
    }

    // Two StemDeck windows downloading one model wrote into one .part, splicing the file. The
    // part is locked while a transfer writes it: a second download of it is refused, and cannot
    // delete it, until the first stops; then it resumes from what the first wrote.
    void secondDownloadOfTheSameFileWaits() {
        OneFile srv(200000);
        QVERIFY(srv.listen());
        srv.server.cutAfter = 50000;
        srv.server.stall = true; // the first transfer stays open, holding the part
        ModelDownloader first(&m_network), second(&m_network);
        QSignalSpy progress(&first, &ModelDownloader::progress);
        first.start(srv.url, srv.target, QString(), srv.body.size());
        // Received, not on disk: QFile may still hold the last bytes in its buffer.
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().first().toLongLong() >= 50000, 20000);
        QVERIFY(ModelDownloader::isLockedElsewhere(srv.target));
        QSignalSpy refused(&second, &ModelDownloader::failed);
        second.start(srv.url, srv.target, QString(), srv.body.size());
        QCOMPARE(refused.size(), 1);
        QVERIFY2(refused.first().first().toString().contains(QStringLiteral("another StemDeck window")),
                 qPrintable(refused.first().first().toString()));
        QVERIFY(!second.isRunning());
        second.cancel(); // would delete the part: not while the first writes it
        QVERIFY(QFile::exists(ModelDownloader::partPath(srv.target)));
        first.pause(); // flushes
        QCOMPARE(QFileInfo(ModelDownloader::partPath(srv.target)).size(), qint64(50000));
        QVERIFY(!ModelDownloader::isLockedElsewhere(srv.target));
        srv.server.cutAfter = -1;
        srv.server.stall = false;
        QSignalSpy finished(&second, &ModelDownloader::finished);
        second.start(srv.url, srv.target, QString(), srv.body.size());
        QVERIFY(finished.wait(20000));
        QCOMPARE(readAll(srv.target), srv.body);
        QVERIFY(!QFile::exists(ModelDownloader::lockPath(srv.target)));
    }

    void hashMismatchIsRefusedAndRemoved() {
        LoopbackServer server;
        QVERIFY(server.listen());
        const QByteArray body = payload(150000);
        server.files.insert(QStringLiteral("/evil.ckpt"), body);
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("evil.ckpt"));
        ModelDownloader d(&m_network);
        QSignalSpy finished(&d, &ModelDownloader::finished);
        QSignalSpy failed(&d, &ModelDownloader::failed);
        d.start(server.url(QStringLiteral("/evil.ckpt")), target, sha256("something else"), body.size());
        QVERIFY(failed.wait(20000));
        QCOMPARE(finished.count(), 0);
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("SHA-256")));
        QVERIFY(!QFile::exists(target));
        QVERIFY(!QFile::exists(ModelDownloader::partPath(target)));
    }

    void notFoundAndExistingTarget() {
        LoopbackServer server;
        QVERIFY(server.listen());
        QTemporaryDir dir;
        ModelDownloader d(&m_network);
        QSignalSpy failed(&d, &ModelDownloader::failed);
        d.start(server.url(QStringLiteral("/missing.ckpt")), dir.filePath(QStringLiteral("x.ckpt")), {});
        QVERIFY(failed.wait(20000));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("x.ckpt"))));

        const QString existing = dir.filePath(QStringLiteral("keep.ckpt"));
        QFile f(existing);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("mine");
        f.close();
        d.start(server.url(QStringLiteral("/missing.ckpt")), existing, {});
        QCOMPARE(failed.count(), 2);
        QCOMPARE(readAll(existing), QByteArray("mine")); // never overwritten
    }

    void catalogueDownloadsConfigAndCheckpoint() {
        LoopbackServer server;
        QVERIFY(server.listen());
        const QByteArray config = "training:\n  instruments:\n    - kick\n    - snare\n  target_instrument: null\n";
        const QByteArray ckpt = payload(400000);
        QTemporaryDir dir;
        const QString json = writeCatalogue(dir, server, config, ckpt);
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        ModelCatalogue cat(&settings, dir.filePath(QStringLiteral("models")));
        cat.setNetwork(&m_network);
        QVERIFY(cat.loadCatalogue(json));
        QCOMPARE(cat.rowCount(), 1);
        QVERIFY(!cat.entry(0)->installed());
        QCOMPARE(cat.currentIndex(), -1); // nothing installed to choose
        QSignalSpy done(&cat, &ModelCatalogue::downloadFinished);
        cat.download(0);
        QVERIFY(cat.data(cat.index(0), ModelCatalogue::DownloadingRole).toBool());
        QVERIFY(done.wait(20000));
        QVERIFY(cat.entry(0)->installed());
        QCOMPARE(readAll(cat.entry(0)->checkpointPath), ckpt);
        QCOMPARE(readAll(cat.entry(0)->configPath), config);
        QCOMPARE(cat.currentIndex(), 0);
        QCOMPARE(cat.currentStems(), (QStringList{"kick", "snare"}));

        // A second catalogue instance finds the model already installed.
        ModelCatalogue again(&settings, dir.filePath(QStringLiteral("models")));
        QVERIFY(again.loadCatalogue(json));
        QVERIFY(again.entry(0)->installed());
        QCOMPARE(again.currentName(), QStringLiteral("Drum test"));

        // Its folder deleted while both run: each sees it (the folder watcher), the model can be
        // downloaded again, and nothing stays chosen.
        QVERIFY(QDir(QFileInfo(cat.entry(0)->checkpointPath).absolutePath()).removeRecursively());
        QTRY_VERIFY(!cat.entry(0)->installed());
        QTRY_VERIFY(!again.entry(0)->installed());
        QCOMPARE(cat.currentIndex(), -1);
        QVERIFY(!cat.data(cat.index(0), ModelCatalogue::InstalledRole).toBool());
        QCOMPARE(cat.recheckFiles(), QStringList{});
        cat.download(0);
        QVERIFY(done.wait(20000));
        QVERIFY(cat.entry(0)->installed());
    }

    // A paused or failed download keeps its partial file for a resume; Discard deletes it.
    void discardDeletesThePartialDownload() {
        LoopbackServer server;
        QVERIFY(server.listen());
        QTemporaryDir dir;
        const QByteArray ckpt = payload(400000);
        const QString json = writeCatalogue(dir, server, "training:\n  instruments: [kick, snare]\n", ckpt);
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        ModelCatalogue cat(&settings, dir.filePath(QStringLiteral("models")));
        cat.setNetwork(&m_network);
        QVERIFY(cat.loadCatalogue(json));
        QSignalSpy failed(&cat, &ModelCatalogue::downloadFailed);
        server.cutAfter = 100000; // the config (smaller) arrives whole, the checkpoint does not
        cat.download(0);
        QVERIFY(failed.wait(20000));
        QVERIFY(cat.data(cat.index(0), ModelCatalogue::PartialRole).toBool());
        QDirIterator parts(dir.filePath(QStringLiteral("models")), {QStringLiteral("*.part")}, QDir::Files,
                           QDirIterator::Subdirectories);
        QVERIFY(parts.hasNext());
        cat.discardDownload(0);
        QVERIFY(!cat.data(cat.index(0), ModelCatalogue::PartialRole).toBool());
        QDirIterator left(dir.filePath(QStringLiteral("models")), {QStringLiteral("*.part")}, QDir::Files,
                          QDirIterator::Subdirectories);
        QVERIFY2(!left.hasNext(), qPrintable(left.hasNext() ? left.next() : QString()));
        QVERIFY(cat.data(cat.index(0), ModelCatalogue::ErrorRole).toString().isEmpty());
    }

    // A downloaded pair is loaded once before it counts as installed, as an import is: one that
    // does not load is said at once and deleted (it was marked installed and failed the first job).
    void downloadedModelIsValidated() {
        LoopbackServer server;
        QVERIFY(server.listen());
        QTemporaryDir dir;
        const QString json = writeCatalogue(dir, server, "training:\n  instruments: [kick, snare]\n", payload(1000));
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        ModelCatalogue cat(&settings, dir.filePath(QStringLiteral("models")));
        cat.setNetwork(&m_network);
        QStringList checked;
        cat.setValidator([&checked](const QString& config, const QString& checkpoint) {
            checked << config << checkpoint;
            ModelCheck c;
            c.error = QStringLiteral("config lists 2 stems, checkpoint was trained for 4");
            return c;
        });
        QVERIFY(cat.loadCatalogue(json));
        QSignalSpy failed(&cat, &ModelCatalogue::downloadFailed);
        QSignalSpy done(&cat, &ModelCatalogue::downloadFinished);
        cat.download(0);
        QVERIFY(failed.wait(20000));
        QCOMPARE(done.count(), 0);
        QVERIFY2(failed.first().at(1).toString().contains(QStringLiteral("trained for 4")),
                 qPrintable(failed.first().at(1).toString()));
        QCOMPARE(checked.size(), 2);
        QVERIFY(!cat.entry(0)->installed());
        QVERIFY(!QFile::exists(checked[0]) && !QFile::exists(checked[1])); // nothing unusable left
        QVERIFY(!cat.data(cat.index(0), ModelCatalogue::DownloadingRole).toBool());
    }
};

QTEST_GUILESS_MAIN(TestModelDownload)
#include "tst_model_download.moc"
