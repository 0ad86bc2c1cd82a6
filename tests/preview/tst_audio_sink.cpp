// One real QAudioSink reading the StemMixer, against a PulseAudio null sink that this fixture
// starts itself (private socket, anonymous auth, no config). Fails, with the reason, when the
// PulseAudio daemon cannot be started: CI has the package.
#include "audio_fixture.h"
#include "stem_preview.h"

#include <QAudioSink>
#include <QGuiApplication>
#include <QMediaDevices>
#include <QFile>
#include <QProcess>
#include <QThread>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace stemdeck;
using namespace stemdeck::preview;

namespace {

// Started before QGuiApplication so Qt's PulseAudio backend connects to it from the start.
struct PulseServer {
    QTemporaryDir dir;
    QProcess process;
    QString error;

    bool start() {
        const QString exe = QStandardPaths::findExecutable(QStringLiteral("pulseaudio"));
        if (exe.isEmpty()) {
            error = QStringLiteral("pulseaudio is not installed (apt package pulseaudio)");
            return false;
        }
        const QString socket = dir.filePath(QStringLiteral("native"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), dir.path()); // no user config, no cookie
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), dir.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.path());
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::MergedChannels);
        // As root, --disallow-exit with -n (no default script) is enough; --system is not needed.
        process.start(exe, {QStringLiteral("--daemonize=no"), QStringLiteral("--exit-idle-time=-1"), QStringLiteral("-n"),
                            QStringLiteral("--disallow-exit"), QStringLiteral("--use-pid-file=no"),
                            QStringLiteral("--log-target=stderr"),
                            QStringLiteral("--load=module-null-sink sink_name=stemdeck_null rate=44100"),
                            QStringLiteral("--load=module-native-protocol-unix socket=%1 auth-anonymous=1").arg(socket)});
        if (!process.waitForStarted(5000)) {
            error = QStringLiteral("pulseaudio did not start: ") + process.errorString();
            return false;
        }
        QElapsedTimer t;
        t.start();
        while (!QFile::exists(socket) && t.elapsed() < 10000) {
            if (process.state() != QProcess::Running) break;
            QThread::msleep(50);
        }
        if (!QFile::exists(socket)) {
            process.waitForFinished(200);
            error = QStringLiteral("pulseaudio did not open its socket: ") + QString::fromLocal8Bit(process.readAll());
            return false;
        }
        qputenv("PULSE_SERVER", ("unix:" + socket).toLocal8Bit());
        return true;
    }
    ~PulseServer() {
        if (process.state() == QProcess::Running) {
            process.terminate();
            if (!process.waitForFinished(3000)) process.kill();
            process.waitForFinished(1000);
        }
    }
};

PulseServer* g_pulse = nullptr;

} // namespace

class TestAudioSink : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void playsThroughNullSink() {
        QVERIFY2(g_pulse->error.isEmpty(), qPrintable(QStringLiteral("PulseAudio null sink: ") + g_pulse->error));
        QTRY_VERIFY_WITH_TIMEOUT(!QMediaDevices::defaultAudioOutput().isNull(), 5000);

        QTemporaryDir dir;
        const QString stem = test::writeTone(QDir(dir.path()), QStringLiteral("drums"), 1.0, 220.0, 0.3f);
        StemPreview preview;
        preview.loadFiles({stem});
        QVERIFY(preview.waitForIdle());
        QCOMPARE(preview.status(), StemPreview::Status::Ready);

        preview.play();
        QVERIFY2(preview.audioAvailable(), qPrintable(preview.audioMessage()));
        QVERIFY(preview.playing());
        QAudioSink* sink = preview.sink();
        QVERIFY(sink);
        QVERIFY(StemMixer::isSupported(sink->format()));
        QCOMPARE(sink->format().sampleRate(), 44100);
        // The sink pulls from the mixer and PulseAudio consumes it: processed time advances.
        QTRY_VERIFY_WITH_TIMEOUT(sink->processedUSecs() > 200000, 5000);
        QVERIFY(preview.mixer().positionFrames() > 0);
        const qint64 consumed = preview.mixer().positionFrames() * sink->format().bytesPerFrame();
        QVERIFY(consumed > 0);
        // Pausing stops the clock; playing resumes from the same place.
        preview.pause();
        QVERIFY(!preview.playing());
        const int64_t at = preview.mixer().positionFrames();
        QTest::qWait(150);
        QCOMPARE(preview.mixer().positionFrames(), at);
        preview.play();
        // A one-second stem reaches its end and playback stops by itself.
        QTRY_VERIFY_WITH_TIMEOUT(!preview.playing(), 8000);
        QVERIFY(preview.mixer().atEnd());
        // The sink pulled the whole second from the mixer. (How much of it PulseAudio had played
        // when playback stopped depends on its buffer and the machine's load: not asserted.)
        QCOMPARE(preview.mixer().positionFrames(), int64_t(44100));
    }
};

int main(int argc, char** argv) {
    PulseServer pulse;
    g_pulse = &pulse;
    pulse.start();
    QGuiApplication app(argc, argv);
    TestAudioSink t;
    return QTest::qExec(&t, argc, argv);
}
#include "tst_audio_sink.moc"
