#include "model_downloader.h"

#include <QDir>
#include <QFileInfo>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace stemdeck::ui {

ModelDownloader::ModelDownloader(QNetworkAccessManager* network, QObject* parent)
    : QObject(parent), m_network(network) {}

ModelDownloader::~ModelDownloader() { pause(); }

void ModelDownloader::start(const QUrl& url, const QString& targetPath, const QString& sha256,
                            qint64 expectedSize) {
    pause();
    m_url = url;
    m_target = targetPath;
    m_sha256 = sha256.toLower();
    m_expectedSize = expectedSize;
    m_restartedWithoutRange = false;

    if (QFileInfo::exists(m_target)) {
        fail(tr("%1 already exists; StemDeck does not overwrite models.").arg(m_target), false);
        return;
    }
    if (!QDir().mkpath(QFileInfo(m_target).absolutePath())) {
        fail(tr("Cannot create the folder %1.").arg(QFileInfo(m_target).absolutePath()), false);
        return;
    }
    m_lock = std::make_unique<QLockFile>(lockPath(m_target));
    m_lock->setStaleLockTime(0); // a download may take hours: only a dead owner's lock is stale
    if (!m_lock->tryLock(0)) {
        const bool held = m_lock->error() == QLockFile::LockFailedError;
        m_lock.reset();
        if (held)
            fail(tr("%1 is being downloaded by another StemDeck window. Let it finish there, or close "
                    "that window and try again.").arg(m_url.fileName()), false);
        else
            fail(tr("Cannot write in the folder %1.").arg(QFileInfo(m_target).absolutePath()), false);
        return;
    }
    m_file.setFileName(partPath(m_target));
    if (!m_file.open(QIODevice::ReadWrite)) {
        fail(tr("Cannot write %1: %2").arg(m_file.fileName(), m_file.errorString()), false);
        return;
    }
    // Resume: the bytes already there are hashed once, then only new data is.
    m_hash.reset();
    if (m_expectedSize > 0 && m_file.size() > m_expectedSize)
        m_file.resize(0); // a stale partial of another version
    m_hash.addData(&m_file);
    m_offset = m_file.size();
    m_received = 0;
    m_total = -1;
    m_checkedResponse = false;
    m_sizeVerified = false;
    m_file.seek(m_offset);

    QNetworkRequest request(m_url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    if (m_offset > 0)
        request.setRawHeader("Range", "bytes=" + QByteArray::number(m_offset) + "-");
    // A connection that stops sending without closing would show "downloading" for ever.
    request.setTransferTimeout(m_stallTimeoutMs);
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::readyRead, this, &ModelDownloader::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &ModelDownloader::onFinished);
}

namespace {

// "bytes START-END/TOTAL" or "bytes */TOTAL" (TOTAL may be "*"): start (or -1) and total (or -1).
std::pair<qint64, qint64> parseContentRange(const QByteArray& header) {
    const QByteArray value = header.trimmed();
    if (!value.startsWith("bytes "))
        return {-1, -1};
    const QByteArray spec = value.mid(6).trimmed();
    const int slash = spec.indexOf('/');
    if (slash < 0)
        return {-1, -1};
    bool okTotal = false;
    const qint64 total = spec.mid(slash + 1).toLongLong(&okTotal);
    const QByteArray range = spec.left(slash);
    const int dash = range.indexOf('-');
    bool okStart = false;
    const qint64 start = dash > 0 ? range.left(dash).toLongLong(&okStart) : -1;
    return {okStart ? start : -1, okTotal ? total : -1};
}

} // namespace

void ModelDownloader::onReadyRead() {
    if (!m_reply)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_offset > 0 && status == 200 && !m_restartedWithoutRange) {
        // The server ignored Range and sends the whole file: start over.
        m_restartedWithoutRange = true;
        m_file.resize(0);
        m_file.seek(0);
        m_hash.reset();
        m_offset = 0;
    }
    if (status != 200 && status != 206)
        return; // an error body; onFinished reports the status
    if (!m_checkedResponse) {
        m_checkedResponse = true;
        const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
        if (status == 206) {
            // A resumed part must start where the file on disk ends; one that starts elsewhere
            // (a server that sends the whole file as "206", or a range of another length) would
            // splice two files together.
            const auto [start, total] = parseContentRange(m_reply->rawHeader("Content-Range"));
            if (start != m_offset) {
                fail(tr("The server resumed %1 at another place than asked; the partial download was deleted. "
                        "Start the download again.").arg(m_url.fileName()), true);
                return;
            }
            m_total = total;
        } else if (length.isValid()) {
            // A compressed body's length is not the file's (Qt inflates gzip on the way in).
            const QByteArray encoding = m_reply->rawHeader("Content-Encoding").trimmed().toLower();
            if (encoding.isEmpty() || encoding == "identity")
                m_total = length.toLongLong();
        }
    }
    const QByteArray chunk = m_reply->readAll();
    if (m_file.write(chunk) != chunk.size()) {
        fail(tr("Cannot write %1: %2").arg(m_file.fileName(), m_file.errorString()), false);
        return;
    }
    m_hash.addData(chunk);
    m_received += chunk.size();
    const qint64 total = m_expectedSize > 0 ? m_expectedSize
                         : m_reply->header(QNetworkRequest::ContentLengthHeader).isValid()
                             ? m_offset + m_reply->header(QNetworkRequest::ContentLengthHeader).toLongLong()
                             : -1;
    Q_EMIT progress(m_offset + m_received, total);
}

void ModelDownloader::onFinished() {
    if (!m_reply)
        return;
    QNetworkReply* reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->error() == QNetworkReply::OperationCanceledError) {
        // Not the user's pause or cancel (those detach the reply first, so this slot returned
        // above): the transfer timeout. What arrived stays for a resume.
        m_file.flush();
        fail(tr("Download of %1 stalled: nothing arrived for %2 s. Start it again to resume.")
                 .arg(m_url.fileName()).arg(m_stallTimeoutMs / 1000.0),
             false);
        return;
    }
    const qint64 rangeTotal = parseContentRange(reply->rawHeader("Content-Range")).second;
    const qint64 known = m_expectedSize > 0 ? m_expectedSize : rangeTotal;
    if (status == 416 && known > 0 && m_offset == known) {
        // The partial file is already complete (the server says how long the file is); verify it below.
        m_total = known;
    } else if (status == 416) {
        // Asked for bytes past the end: the partial file is longer than the file now published
        // (an older version, or a server that changed it). Start again from nothing.
        fail(tr("The partial download of %1 does not fit the file the server has now; it was deleted. "
                "Start the download again.").arg(m_url.fileName()), true);
        return;
    } else if (reply->error() != QNetworkReply::NoError) {
        // Keep the partial file: a network error is what resume is for.
        m_file.flush();
        fail(tr("Download of %1 stopped: %2").arg(m_url.fileName(), reply->errorString()), false);
        return;
    } else {
        // Data that arrived together with the finished signal.
        if (reply->bytesAvailable() > 0) {
            m_reply = reply;
            onReadyRead();
            m_reply = nullptr;
        }
    }
    // Everything received must be on disk: QFile buffers the last bytes, and a full disk shows
    // only when they are flushed (its write() had succeeded).
    const bool flushed = m_file.flush();
    const qint64 size = m_file.size();
    const QString writeError = m_file.errorString();
    m_file.close();
    if (!flushed || size != m_offset + m_received) {
        fail(tr("Cannot write %1: %2").arg(partPath(m_target), writeError), false);
        return;
    }
    const qint64 expected = m_expectedSize > 0 ? m_expectedSize : m_total;
    if (expected > 0 && size != expected) {
        if (size < expected) {
            fail(tr("Download of %1 stopped after %2 of %3 bytes; it will resume.")
                     .arg(m_url.fileName()).arg(size).arg(expected), false);
        } else {
            fail(tr("%1 is larger than published (%2 bytes, expected %3); it was deleted.")
                     .arg(m_url.fileName()).arg(size).arg(expected), true);
        }
        return;
    }
    m_sizeVerified = expected > 0;
    const QString actual = QString::fromLatin1(m_hash.result().toHex());
    m_actual = actual;
    if (!m_sha256.isEmpty() && actual != m_sha256) {
        fail(tr("%1 does not match its published SHA-256 checksum (got %2); the file was deleted.")
                 .arg(m_url.fileName(), actual), true);
        return;
    }
    if (!QFile::rename(partPath(m_target), m_target)) {
        fail(tr("Cannot move the download into place at %1.").arg(m_target), false);
        return;
    }
    m_lock.reset();
    Q_EMIT finished(m_target);
}

void ModelDownloader::fail(const QString& message, bool removePartial) {
    if (m_reply) {
        QNetworkReply* r = m_reply;
        m_reply = nullptr;
        r->abort();
        r->deleteLater();
    }
    if (m_file.isOpen())
        m_file.close();
    if (removePartial && m_lock)
        QFile::remove(partPath(m_target)); // only a part this downloader owns
    m_lock.reset();
    Q_EMIT failed(message);
}

bool ModelDownloader::isLockedElsewhere(const QString& target) {
    QLockFile probe(lockPath(target));
    probe.setStaleLockTime(0);
    // Only a lock held by a live owner; a folder that cannot be written is not "another window".
    return !probe.tryLock(0) && probe.error() == QLockFile::LockFailedError; // unlocked when probe goes
}

void ModelDownloader::pause() {
    if (!m_reply) {
        m_lock.reset();
        return;
    }
    QNetworkReply* r = m_reply;
    m_reply = nullptr;
    r->abort();
    r->deleteLater();
    m_file.flush();
    m_file.close();
    m_lock.reset();
}

void ModelDownloader::cancel() {
    pause();
    if (!m_target.isEmpty() && !isLockedElsewhere(m_target))
        QFile::remove(partPath(m_target));
}

} // namespace stemdeck::ui
