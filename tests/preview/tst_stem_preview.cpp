// StemPreview, the preview panel's view-model, without an audio device (PULSE_SERVER points
// nowhere): loading a job's folder off the GUI thread, clear errors for bad input, the memory
// bound, mute/solo through the model, and "export all but the muted stems" checked sample by
// sample against the stems, atomic and never overwriting.
#include "audio_fixture.h"
#include "stem_preview.h"
#include "waveform_item.h"

#include "audio/decode.h"

#include <QAbstractItemModelTester>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace stemdeck;
using namespace stemdeck::preview;

class TestStemPreview : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_original;

private Q_SLOTS:
    void initTestCase() {
        QDir job(m_dir.path());
        QVERIFY(job.mkpath(QStringLiteral("job")));
        job.cd(QStringLiteral("job"));
        test::writeTone(job, QStringLiteral("bass"), 0.5, 55.0, 0.2f);
        test::writeTone(job, QStringLiteral("kick"), 0.4, 0.0, 0.1f); // shorter: padded with silence
        test::writeTone(job, QStringLiteral("snare"), 0.5, 440.0, 0.3f);
        m_original = test::writeTone(QDir(m_dir.path()), QStringLiteral("mix"), 0.5, 330.0, 0.5f);
    }

    // The playhead shows what is heard, not what the mixer has handed the sink (which runs
    // ahead by the sink's buffer, ~0.15 s here with PulseAudio).
    void playheadAllowsForTheSinkBuffer() {
        using P = StemPreview;
        QCOMPARE(P::audibleFrame(44100, 6615, -1, 0, 0), int64_t(37485)); // 0.15 s behind
        QCOMPARE(P::audibleFrame(1000, 6615, -1, 0, 0), int64_t(0));      // not before the start
        // A loop of [10000, 50000) that wrapped: the mixer is back at 12000 and 4000 frames of
        // the loop's end are still queued.
        QCOMPARE(P::audibleFrame(12000, 6000, -1, 10000, 50000), int64_t(46000));
        // Just seeked to 80000: what was queued before the seek plays first, so the playhead
        // stays on the target instead of jumping back before it.
        QCOMPARE(P::audibleFrame(82000, 6615, 80000, 0, 0), int64_t(80000));
        QCOMPARE(P::audibleFrame(90000, 6615, 80000, 0, 0), int64_t(83385)); // then it moves on
        QCOMPARE(P::audibleFrame(44100, 0, -1, 0, 0), int64_t(44100));       // no buffer: the same
        // A jump into a loop (a seek just after its start, or a loop set around an earlier
        // place) is not a wrap: the playhead waits at the target, not near the loop's end.
        QCOMPARE(P::audibleFrame(12000, 6000, 11000, 10000, 50000), int64_t(11000));
        QCOMPARE(P::audibleFrame(10500, 6000, 10000, 10000, 50000), int64_t(10000));
    }

    // A waveform is drawn as loud as its stem will sound: its volume (gain) scales it.
    void waveformFollowsTheVolume() {
        StemPreview p;
        p.loadFolder(m_dir.filePath(QStringLiteral("job")), m_original);
        QTRY_COMPARE_WITH_TIMEOUT(p.status(), StemPreview::Status::Ready, 20000);
        struct Drawn : WaveformItem {
            using WaveformItem::paint;
        } wave;
        wave.setPreview(&p);
        wave.setTrack(0);
        wave.setSize(QSizeF(400, 100));
        wave.setColor(Qt::white);
        auto tallest = [&wave] { // the tallest painted column, in pixels
            QImage img(400, 100, QImage::Format_ARGB32);
            img.fill(Qt::black);
            QPainter painter(&img);
            wave.paint(&painter);
            painter.end();
            int best = 0;
            for (int x = 0; x < img.width(); ++x) {
                int n = 0;
                for (int y = 0; y < img.height(); ++y) n += qRed(img.pixel(x, y)) > 128;
                best = std::max(best, n);
            }
            return best;
        };
        const int full = tallest();
        QVERIFY2(full > 10, qPrintable(QString::number(full)));
        QSignalSpy changed(&wave, &WaveformItem::gainChanged);
        wave.setGain(0.25);
        QCOMPARE(changed.size(), 1);
        const int quiet = tallest();
        QVERIFY2(quiet < full * 0.4 && quiet >= 1, qPrintable(QStringLiteral("%1 of %2").arg(quiet).arg(full)));
        wave.setGain(100.0); // held to the mixer's range, and clipped at the edges
        QCOMPARE(wave.gain(), 16.0);
        QCOMPARE(tallest(), 100);
    }

    void loadsAFolderOffTheGuiThread() {
        StemPreview p;
        QAbstractItemModelTester tester(&p, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy status(&p, &StemPreview::statusChanged);
        p.loadFolder(m_dir.filePath(QStringLiteral("job")), m_original);
        QCOMPARE(p.status(), StemPreview::Status::Loading); // returns at once
        QTRY_COMPARE_WITH_TIMEOUT(p.status(), StemPreview::Status::Ready, 20000);
        QCOMPARE(p.rowCount(), 3);
        QCOMPARE(p.data(p.index(0), StemPreview::NameRole).toString(), QStringLiteral("bass"));
        QCOMPARE(p.data(p.index(2), StemPreview::NameRole).toString(), QStringLiteral("snare"));
        QVERIFY(p.hasOriginal());
        QCOMPARE(p.sampleRate(), 44100);
        QVERIFY(std::abs(p.duration() - 0.5) < 1e-3);
        for (int t = -1; t < 3; ++t) QVERIFY(p.peaks(t) && !p.peaks(t)->empty());
        // The memory the job holds: 4 tracks of stereo float plus peaks.
        QVERIFY(p.memoryBytes() >= qint64(3 * 22050 + 17640) * 2 * 4);
        QVERIFY(p.memoryBytes() <= p.memoryLimit());
    }

    void badInputSaysWhich() {
        StemPreview p;
        p.loadFolder(m_dir.filePath(QStringLiteral("nowhere")));
        QCOMPARE(p.status(), StemPreview::Status::Error);
        QVERIFY(p.errorMessage().contains(QStringLiteral("nowhere")));

        const QString junk = m_dir.filePath(QStringLiteral("junk.wav"));
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("RIFF....WAVEnot really");
        f.close();
        p.loadFiles({junk});
        QVERIFY(p.waitForIdle());
        QCOMPARE(p.status(), StemPreview::Status::Error);
        QVERIFY2(p.errorMessage().contains(QStringLiteral("junk.wav")), qPrintable(p.errorMessage()));
        QCOMPARE(p.rowCount(), 0);
    }

    void memoryBoundRefusesLargeJobs() {
        StemPreview p;
        p.setMemoryLimit(100 * 1024); // less than one 0.5 s stereo float stem
        p.loadFolder(m_dir.filePath(QStringLiteral("job")));
        QVERIFY(p.waitForIdle());
        QCOMPARE(p.status(), StemPreview::Status::Error);
        QVERIFY2(p.errorMessage().contains(QStringLiteral("too long to preview")), qPrintable(p.errorMessage()));

        // Room for the stems but not for the original beside them: the stems load, without A/B.
        StemPreview q;
        q.loadFolder(m_dir.filePath(QStringLiteral("job")), m_original);
        QVERIFY(q.waitForIdle());
        QVERIFY(q.hasOriginal());
        const qint64 withOriginal = q.memoryBytes();
        StemPreview r;
        r.loadFolder(m_dir.filePath(QStringLiteral("job")));
        QVERIFY(r.waitForIdle());
        const qint64 stemsOnly = r.memoryBytes();
        QVERIFY(stemsOnly < withOriginal);
        StemPreview tight;
        tight.setMemoryLimit(stemsOnly + (withOriginal - stemsOnly) / 2);
        tight.loadFolder(m_dir.filePath(QStringLiteral("job")), m_original);
        QVERIFY(tight.waitForIdle());
        QCOMPARE(tight.status(), StemPreview::Status::Ready);
        QVERIFY(!tight.hasOriginal());
        QCOMPARE(tight.rowCount(), r.rowCount());
    }

    // The "playback is off" line is in the interface language, also after the language changes
    // while it shows (the QML texts retranslate on their own; this one comes from C++).
    void audioMessageFollowsTheLanguage() {
        struct Marked : QTranslator {
            bool isEmpty() const override { return false; }
            QString translate(const char* context, const char* source, const char*, int) const override {
                return QByteArray(context) == "stemdeck::preview::StemPreview"
                           ? QStringLiteral("[de] ") + QString::fromUtf8(source) : QString();
            }
        };
        StemPreview p;
        p.loadFolder(m_dir.filePath(QStringLiteral("job")));
        QVERIFY(p.waitForIdle());
        p.play();
        const QString english = p.audioMessage();
        QVERIFY(english.contains(QStringLiteral("playback is off")));
        QSignalSpy audio(&p, &StemPreview::audioChanged);
        Marked translator;
        QVERIFY(QCoreApplication::installTranslator(&translator));
        QCOMPARE(audio.count(), 1);
        QCOMPARE(p.audioMessage(), QStringLiteral("[de] ") + english);
        QVERIFY(!p.audioAvailable());
        QVERIFY(QCoreApplication::removeTranslator(&translator));
        QCOMPARE(p.audioMessage(), english);
    }

    void noAudioDeviceStillWorks() {
        StemPreview p;
        p.loadFolder(m_dir.filePath(QStringLiteral("job")));
        QVERIFY(p.waitForIdle());
        QSignalSpy audio(&p, &StemPreview::audioChanged);
        p.play();
        QVERIFY(!p.playing());
        QVERIFY(!p.audioAvailable());
        QVERIFY(p.audioMessage().contains(QStringLiteral("playback is off")));
        QCOMPARE(audio.count(), 1);
        p.togglePlayback(); // still no crash, still no device
        QVERIFY(!p.playing());
        // Seek and loop still move the mixer.
        p.seek(0.25);
        QVERIFY(std::abs(p.position() - 0.25) < 1e-3);
        p.setLoop(0.3, 0.1);
        QVERIFY(p.looping());
        QVERIFY(std::abs(p.loopStart() - 0.1) < 1e-3 && std::abs(p.loopEnd() - 0.3) < 1e-3);
        p.setPlayOriginal(true);
        QVERIFY(!p.playOriginal()); // no original loaded: nothing to switch to
        p.loadFolder(m_dir.filePath(QStringLiteral("job")), m_original);
        QVERIFY(p.waitForIdle());
        p.setPlayOriginal(true);
        QVERIFY(p.playOriginal());
    }

    // I and O set the loop's in and out points at the playhead: each keeps the other end, and
    // one that would leave an empty loop starts a new one to the track's end (or from its start).
    void loopPointsFromTheKeyboard() {
        StemPreview p;
        p.loadFolder(m_dir.filePath(QStringLiteral("job")));
        QVERIFY(p.waitForIdle());
        QVERIFY(std::abs(p.duration() - 0.5) < 1e-3);
        const auto loop = [&p] { return p.looping() ? qMakePair(std::round(p.loopStart() * 1000), std::round(p.loopEnd() * 1000))
                                                     : qMakePair(-1.0, -1.0); };
        p.setLoopEndAt(0.2); // no loop yet: from the start
        QCOMPARE(loop(), qMakePair(0.0, 200.0));
        p.setLoopStartAt(0.1); // keeps the end
        QCOMPARE(loop(), qMakePair(100.0, 200.0));
        QVERIFY(p.position() >= 0.1 - 1e-3 && p.position() < 0.2); // the playhead is inside it
        p.setLoopEndAt(0.3); // keeps the start
        QCOMPARE(loop(), qMakePair(100.0, 300.0));
        p.setLoopStartAt(0.35); // past the end: a new loop to the track's end
        QCOMPARE(loop(), qMakePair(350.0, 500.0));
        p.setLoopEndAt(0.25); // before the start: a new loop from the track's start
        QCOMPARE(loop(), qMakePair(0.0, 250.0));
        p.setLoopEndAt(0.0); // nothing to loop: unchanged
        p.setLoopStartAt(0.5);
        QCOMPARE(loop(), qMakePair(0.0, 250.0));
        p.setLoopEndAt(9.0); // past the track: to its end
        QCOMPARE(loop(), qMakePair(0.0, 500.0));
        p.clearLoop();
        p.setLoopStartAt(0.45);
        QCOMPARE(loop(), qMakePair(450.0, 500.0));
    }

    void exportAllButTheMutedStem() {
        StemPreview p;
        QSignalSpy rows(&p, &QAbstractItemModel::dataChanged);
        p.loadFolder(m_dir.filePath(QStringLiteral("job")), m_original);
        QVERIFY(p.waitForIdle());
        p.setMuted(2, true); // the snare
        QCOMPARE(rows.count(), 1);
        QCOMPARE(p.data(p.index(2), StemPreview::AudibleRole).toBool(), false);
        p.setSolo(0, true);
        QCOMPARE(p.data(p.index(1), StemPreview::AudibleRole).toBool(), false); // solo wins
        p.setSolo(0, false);
        p.setVolume(1, 0.5);

        const QString out = m_dir.filePath(QStringLiteral("no_snare.wav"));
        QSignalSpy done(&p, &StemPreview::exportFinished);
        QSignalSpy failed(&p, &StemPreview::exportFailed);
        p.exportAudible(out);
        QVERIFY(p.exporting());
        QTRY_VERIFY_WITH_TIMEOUT(done.count() + failed.count() == 1, 20000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QVERIFY(!p.exporting());

        const audio::AudioBuffer written = audio::decodeFile(out.toStdString()).audio;
        const audio::AudioBuffer bass = audio::decodeFile(m_dir.filePath(QStringLiteral("job/bass.wav")).toStdString()).audio;
        const audio::AudioBuffer kick = audio::decodeFile(m_dir.filePath(QStringLiteral("job/kick.wav")).toStdString()).audio;
        QCOMPARE(written.frames, bass.frames);
        double maxErr = 0;
        for (int c = 0; c < 2; ++c)
            for (int64_t f = 0; f < written.frames; ++f) {
                const float want = bass.channel(c)[size_t(f)] + (f < kick.frames ? 0.5f * kick.channel(c)[size_t(f)] : 0.0f);
                maxErr = std::max(maxErr, double(std::abs(written.channel(c)[size_t(f)] - want)));
            }
        QVERIFY2(maxErr < 1e-4, qPrintable(QString::number(maxErr))); // 24-bit WAV quantisation

        // A second export to the same name keeps the first file and saves "no_snare (2).wav"
        // (it used to fail, so a second mix of a track needed the first deleted by hand).
        // This one is louder than full scale: lowered as a whole, not hard-clipped.
        QFile first(out);
        QVERIFY(first.open(QIODevice::ReadOnly));
        const QByteArray firstBytes = first.readAll();
        first.close();
        p.setVolume(0, 4.0);
        p.setVolume(1, 4.0);
        p.exportAudible(out);
        QTRY_VERIFY_WITH_TIMEOUT(done.count() + failed.count() == 2, 20000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        const QString second = m_dir.filePath(QStringLiteral("no_snare (2).wav"));
        QCOMPARE(done.last().at(0).toString(), second);
        const QString note = done.last().at(1).toString();
        QVERIFY2(note.contains(QStringLiteral("rescaled")) && note.contains(QStringLiteral("saved as no_snare (2).wav")),
                 qPrintable(note));
        QVERIFY(first.open(QIODevice::ReadOnly));
        QCOMPARE(first.readAll(), firstBytes);
        const audio::AudioBuffer loud = audio::decodeFile(second.toStdString()).audio;
        float peak = 0.0f;
        for (int c = 0; c < 2; ++c)
            for (float v : loud.channel(c)) peak = std::max(peak, std::abs(v));
        QVERIFY2(peak > 0.99f && peak <= 1.0f, qPrintable(QString::number(peak)));
        // An unknown extension is refused at once.
        p.exportAudible(m_dir.filePath(QStringLiteral("x.txt")));
        QCOMPARE(failed.count(), 1);
    }
};

int main(int argc, char** argv) {
    // No sound server: the preview must say so and keep working.
    qputenv("PULSE_SERVER", "unix:/nonexistent/stemdeck-no-audio");
    QGuiApplication app(argc, argv);
    TestStemPreview t;
    return QTest::qExec(&t, argc, argv);
}
#include "tst_stem_preview.moc"
