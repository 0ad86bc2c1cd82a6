// ModelDownloader: fetches one model file over HTTP(S) into the user's model folder.
// Data goes to "<target>.part" and is hashed as it arrives; an interrupted transfer resumes
// with an HTTP Range request; the file is renamed into place only after its size and SHA-256
// match, and a mismatching file is deleted, so the model folder never holds a bad model.
#pragma once

#include <QCryptographicHash>
#include <QFile>
#include <QLockFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <memory>

namespace stemdeck::ui {

class ModelDownloader : public QObject {
    Q_OBJECT
public:
    explicit ModelDownloader(QNetworkAccessManager* network, QObject* parent = nullptr);
    ~ModelDownloader() override;

    // sha256: lower-case hex, or empty when the publisher gives none (then only size is checked).
    void start(const QUrl& url, const QString& targetPath, const QString& sha256,
               qint64 expectedSize = -1);
    // Stops the transfer and keeps the partial file for a later resume.
    void pause();
    // Stops the transfer and deletes the partial file.
    void cancel();
    bool isRunning() const { return m_reply; }
    // SHA-256 of the last completed file (what a catalogue without a published hash records).
    QString actualSha256() const { return m_actual; }
    // Whether the last completed file's length was checked against a published size or the
    // server's own (Content-Length, Content-Range): only then is its hash worth remembering.
    bool sizeVerified() const { return m_sizeVerified; }
    QString targetPath() const { return m_target; }
    static QString partPath(const QString& target) { return target + QStringLiteral(".part"); }
    // Held while a transfer writes the part file, so a second StemDeck (or a second download of
    // the same file) does not write into it too; a dead owner's lock is taken over.
    static QString lockPath(const QString& target) { return partPath(target) + QStringLiteral(".lock"); }
    // Whether another live process (or another downloader here) is writing this target's part.
    static bool isLockedElsewhere(const QString& target);
    // How long a transfer may receive nothing before it stops (and can be resumed); default 60 s.
    void setStallTimeout(int ms) { m_stallTimeoutMs = ms; }

Q_SIGNALS:
    void progress(qint64 received, qint64 total);
    void finished(const QString& path);
    void failed(const QString& message);

private:
    void onReadyRead();
    void onFinished();
    void fail(const QString& message, bool removePartial);

    QNetworkAccessManager* m_network;
    QPointer<QNetworkReply> m_reply;
    QUrl m_url;
    QString m_target;
    QString m_sha256;
    qint64 m_expectedSize = -1;
    qint64 m_offset = 0; // bytes already on disk when this request started
    qint64 m_received = 0;
    QFile m_file;
    std::unique_ptr<QLockFile> m_lock;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
    bool m_restartedWithoutRange = false;
    bool m_checkedResponse = false; // the status and Content-Range of this reply were looked at
    qint64 m_total = -1;            // the file's length as the server states it, when it does
    QString m_actual;
    bool m_sizeVerified = false;
    int m_stallTimeoutMs = 60000;
};

} // namespace stemdeck::ui
