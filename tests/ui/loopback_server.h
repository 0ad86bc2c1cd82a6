// A tiny HTTP/1.1 file server on 127.0.0.1 for the download tests (no network): serves fixed
// bodies by path, honours "Range: bytes=N-" with 206, and can cut a response short to
// simulate an interrupted transfer. Records the Range headers it saw.
#pragma once

#include <QHash>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

namespace stemdeck::ui::test {

class LoopbackServer : public QObject {
    Q_OBJECT
public:
    QHash<QString, QByteArray> files;
    QStringList rangesSeen;   // "" for requests without Range
    qint64 cutAfter = -1;     // close the connection after sending this many body bytes
    bool ignoreRange = false; // answer 200 with the whole file even to a Range request
    bool rangeFromStart = false; // answer a Range request with 206 but the file from byte 0
    bool stall = false;          // with cutAfter: keep the connection open instead of dropping it

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url(const QString& path) const {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }

    LoopbackServer() {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onRead(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }

private:
    void onRead(QTcpSocket* s) {
        QByteArray& buf = m_buffers[s];
        buf += s->readAll();
        const int end = buf.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buf.left(end).split('\n');
        buf.clear();
        const QString path = QString::fromLatin1(lines.value(0).split(' ').value(1));
        QString range;
        for (const auto& l : lines)
            if (l.toLower().startsWith("range:"))
                range = QString::fromLatin1(l.mid(6).trimmed());
        rangesSeen << range;
        if (!files.contains(path)) {
            s->write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            s->disconnectFromHost();
            return;
        }
        const QByteArray body = files.value(path);
        qint64 from = 0;
        if (!range.isEmpty() && !ignoreRange)
            from = range.section('=', 1).section('-', 0, 0).toLongLong();
        if (from >= body.size() && from > 0) {
            s->write("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\nContent-Range: bytes */" +
                     QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n");
            s->disconnectFromHost();
            return;
        }
        const bool partial = from > 0;
        if (rangeFromStart)
            from = 0;
        const QByteArray part = body.mid(from);
        QByteArray head = partial ? "HTTP/1.1 206 Partial Content\r\n" : "HTTP/1.1 200 OK\r\n";
        head += "Content-Type: application/octet-stream\r\nConnection: close\r\n";
        head += "Content-Length: " + QByteArray::number(part.size()) + "\r\n";
        if (partial)
            head += "Content-Range: bytes " + QByteArray::number(from) + "-" + QByteArray::number(body.size() - 1)
                  + "/" + QByteArray::number(body.size()) + "\r\n";
        head += "\r\n";
        s->write(head);
        if (cutAfter >= 0 && cutAfter < part.size()) {
            s->write(part.left(cutAfter));
            s->flush();
            s->waitForBytesWritten(1000);
            if (stall)
                return; // the connection stays open and sends nothing more
            s->abort(); // the connection drops mid-transfer
            return;
        }
        s->write(part);
        s->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket*, QByteArray> m_buffers;
};

} // namespace stemdeck::ui::test
