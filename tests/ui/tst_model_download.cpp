// ModelDownloader and the catalogue's download, against a loopback HTTP server the test starts
// itself: progress, resume after an interrupted transfer (HTTP Range), refusal of a file whose
// SHA-256 does not match (and removal of the partial file), atomic placement.
#include "loopback_server.h"
#include "model_catalogue.h"
#include "model_downloader.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

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

class TestModelDownload : public QObject {
    Q_OBJECT
    QNetworkAccessManager m_network;

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
        LoopbackServer server;
        QVERIFY(server.listen());
        const QByteArray body = payload(200000);
        server.files.insert(QStringLiteral("/m.ckpt"), body);
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("m.ckpt"));
        { // a partial file from an earlier attempt
            QFile f(ModelDownloader::partPath(target));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(body.left(5000));
        }
        server.ignoreRange = true;
        ModelDownloader d(&m_network);
        QSignalSpy finished(&d, &ModelDownloader::finished);
        d.start(server.url(QStringLiteral("/m.ckpt")), target, sha256(body), body.size());
        QVERIFY(finished.wait(20000));
        QCOMPARE(readAll(target), body);
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
        server.files.insert(QStringLiteral("/cfg/drums.yaml"), config);
        server.files.insert(QStringLiteral("/w/drums.ckpt"), ckpt);
        QTemporaryDir dir;
        QJsonObject model{
            {"name", "Drum test"},
            {"stems", QJsonArray{"kick", "snare"}},
            {"config", QJsonObject{{"url", server.url("/cfg/drums.yaml").toString()}, {"sha256", sha256(config)}}},
            {"checkpoint", QJsonObject{{"url", server.url("/w/drums.ckpt").toString()},
                                       {"sha256", sha256(ckpt)}, {"size", double(ckpt.size())}}}};
        const QString json = dir.filePath(QStringLiteral("catalogue.json"));
        {
            QFile f(json);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QJsonDocument(QJsonObject{{"models", QJsonArray{model}}}).toJson());
        }
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
    }
};

QTEST_GUILESS_MAIN(TestModelDownload)
#include "tst_model_download.moc"
