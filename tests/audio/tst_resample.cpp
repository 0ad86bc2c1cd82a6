// Resampling with soxr: exact output lengths, a 48k -> 44.1k -> 48k round trip that returns the
// signal (which also proves there is no delay), streaming equal to one-shot, and the channel
// policy.
#include "audio/channel_policy.h"
#include "audio/resample.h"
#include "common/error.h"
#include "common/test_support.h"

#include "audio_test_util.h"

#include <QTest>

#include <random>

using namespace stemdeck;
using namespace stemdeck::audio;

class TstResample : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exactLength_data() {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("to");
        QTest::addColumn<qlonglong>("frames");
        QTest::addColumn<qlonglong>("expected");
        QTest::newRow("48k->44.1k 48000") << 48000 << 44100 << 48000LL << 44100LL;
        QTest::newRow("48k->44.1k 1") << 48000 << 44100 << 1LL << 1LL;
        QTest::newRow("48k->44.1k 12345")
            << 48000 << 44100 << 12345LL << 11342LL; // 11341.97 -> 11342
        QTest::newRow("44.1k->48k 12345")
            << 44100 << 48000 << 12345LL << 13437LL; // 13436.73 -> 13437
        QTest::newRow("22.05k->44.1k 999") << 22050 << 44100 << 999LL << 1998LL;
        QTest::newRow("96k->44.1k 7") << 96000 << 44100 << 7LL << 3LL;            // 3.2156 -> 3
        QTest::newRow("8k->44.1k 33333") << 8000 << 44100 << 33333LL << 183748LL; // 183748.16
        QTest::newRow("44.1k->32k 100") << 44100 << 32000 << 100LL << 73LL;       // 72.56 -> 73
    }
    void exactLength() {
        QFETCH(int, from);
        QFETCH(int, to);
        QFETCH(qlonglong, frames);
        QFETCH(qlonglong, expected);
        QCOMPARE(resampledLength(frames, from, to), int64_t(expected));
        const AudioBuffer in = test::makeBuffer(test::noise(2, frames, 0.5f, 3u), 2, from);
        const AudioBuffer out = resample(in, to);
        QCOMPARE(out.frames, int64_t(expected));
        QCOMPARE(out.sampleRate, to);
        QCOMPARE(out.channels, 2);
        QCOMPARE(out.samples.size(), size_t(2 * expected));
    }

    void roundTrip48k441k48k() {
        const int64_t frames = 48000 * 2;
        const AudioBuffer in = test::makeBuffer(test::tones(2, frames, 48000, 0.8f), 2, 48000);
        const AudioBuffer mid = resample(in, 44100);
        QCOMPARE(mid.frames, int64_t(88200));
        const AudioBuffer back = resample(mid, 48000);
        QCOMPARE(back.frames, frames);
        // The tones start abruptly at sample 0, so the filters ring at both edges; the interior
        // must match closely, and any shift would show up as a large error at 3150 Hz.
        const double interior = test::maxAbsDiff(in, back, 2000);
        const double snr = test::snrDb(in, back, 0, 0, frames);
        qInfo("48k->44.1k->48k: interior max error %.3g, whole-signal SNR %.1f dB", interior, snr);
        QVERIFY2(interior < 1e-5, qPrintable(QString::number(interior)));
        QVERIFY2(snr > 60.0, qPrintable(QString::number(snr)));
        QCOMPARE(test::bestLag(in, back, 20, 2000, frames - 2000), int64_t(0));
    }

    void streamingMatchesOneShot() {
        const int64_t frames = 50000;
        const AudioBuffer in = test::makeBuffer(test::noise(2, frames, 0.5f, 11u), 2, 48000);
        const AudioBuffer whole = resample(in, 44100, ResampleQuality::High);

        Resampler r(2, 48000, 44100, ResampleQuality::High);
        std::vector<std::vector<float>> parts(2);
        std::mt19937 rng(5);
        int64_t pos = 0;
        while (pos < frames) {
            const int64_t n = std::min<int64_t>(frames - pos, 1 + int64_t(rng() % 7000));
            AudioBuffer block = AudioBuffer::zeros(2, n, 48000);
            for (int c = 0; c < 2; ++c)
                std::copy_n(in.channel(c).data() + pos, n, block.channel(c).data());
            const AudioBuffer out = r.process(block);
            for (int c = 0; c < 2; ++c)
                parts[size_t(c)].insert(parts[size_t(c)].end(), out.channel(c).begin(),
                                        out.channel(c).end());
            pos += n;
        }
        const AudioBuffer tail = r.flush();
        for (int c = 0; c < 2; ++c)
            parts[size_t(c)].insert(parts[size_t(c)].end(), tail.channel(c).begin(),
                                    tail.channel(c).end());
        QCOMPARE(r.framesIn(), frames);
        QCOMPARE(r.framesOut(), whole.frames);
        QCOMPARE(int64_t(parts[0].size()), whole.frames);
        for (int c = 0; c < 2; ++c)
            for (int64_t i = 0; i < whole.frames; ++i)
                QVERIFY2(std::fabs(parts[size_t(c)][size_t(i)] - whole.channel(c)[size_t(i)]) <
                             1e-5,
                         qPrintable(QString("channel %1 frame %2").arg(c).arg(i)));
    }

    void streamingEdgeCases() {
        // No input at all: flush gives nothing.
        Resampler empty(6, 44100, 48000);
        const AudioBuffer none = empty.flush();
        QCOMPARE(none.frames, int64_t(0));
        QCOMPARE(none.channels, 6);
        // Six channels, each its own signal: channels are never mixed up.
        const int64_t frames = 4410;
        AudioBuffer in = AudioBuffer::zeros(6, frames, 44100);
        for (int c = 0; c < 6; ++c)
            std::fill(in.channel(c).begin(), in.channel(c).end(), 0.1f * float(c + 1));
        Resampler r(6, 44100, 48000);
        const AudioBuffer head = r.process(in);
        const AudioBuffer tail = r.flush();
        QCOMPARE(head.frames + tail.frames, int64_t(4800));
        QCOMPARE(r.flush().frames, int64_t(0));         // a second flush adds nothing
        QVERIFY_THROWS_EXCEPTION(Error, r.process(in)); // the stream is closed
        for (int c = 0; c < 6; ++c) // a constant stays constant away from the edges
            QVERIFY(std::fabs(head.channel(c)[head.frames / 2] - 0.1f * float(c + 1)) < 1e-4f);
        QVERIFY_THROWS_EXCEPTION(Error,
                                 Resampler(2, 44100, 48000).process(in)); // wrong channel count
    }

    void sameRateIsIdentity() {
        const AudioBuffer in = test::makeBuffer(test::noise(1, 1000, 0.5f, 2u), 1, 44100);
        const AudioBuffer out = resample(in, 44100);
        QCOMPARE(out.frames, in.frames);
        QVERIFY(out.samples == in.samples);
    }

    void invalidRates() {
        const AudioBuffer in = test::makeBuffer(test::noise(1, 10, 0.5f, 2u), 1, 44100);
        QVERIFY_THROWS_EXCEPTION(Error, resample(in, 0));
        QVERIFY_THROWS_EXCEPTION(Error, Resampler(2, -1, 44100));
        QVERIFY_THROWS_EXCEPTION(Error, Resampler(0, 48000, 44100));
    }

    void monoIsDuplicated() {
        const AudioBuffer mono = test::makeBuffer(test::noise(1, 500, 0.5f, 9u), 1, 44100);
        std::vector<std::string> notes;
        const AudioBuffer st = applyChannelPolicy(mono, 2, &notes);
        QCOMPARE(st.channels, 2);
        QCOMPARE(st.frames, int64_t(500));
        QCOMPARE(st.sampleRate, 44100);
        for (int c = 0; c < 2; ++c)
            for (int64_t i = 0; i < 500; ++i)
                QCOMPARE(st.channel(c)[size_t(i)], mono.channel(0)[size_t(i)]);
        QVERIFY(notes.empty()); // duplicating mono loses nothing
    }

    void extraChannelsAreDroppedWithANote() {
        const AudioBuffer six = test::makeBuffer(test::noise(6, 300, 0.5f, 4u), 6, 48000);
        std::vector<std::string> notes;
        const AudioBuffer st = applyChannelPolicy(six, 2, &notes);
        QCOMPARE(st.channels, 2);
        for (int c = 0; c < 2; ++c)
            for (int64_t i = 0; i < 300; ++i)
                QCOMPARE(st.channel(c)[size_t(i)], six.channel(c)[size_t(i)]);
        QCOMPARE(notes.size(), size_t(1));
        QVERIFY2(notes[0].find("6 channels") != std::string::npos &&
                     notes[0].find("first 2") != std::string::npos,
                 notes[0].c_str());
        // No notes vector: still works.
        QCOMPARE(applyChannelPolicy(six, 2, nullptr).channels, 2);
    }

    void stereoStaysStereo() {
        const AudioBuffer st = test::makeBuffer(test::noise(2, 100, 0.5f, 4u), 2, 48000);
        std::vector<std::string> notes;
        const AudioBuffer out = applyChannelPolicy(st, 2, &notes);
        QVERIFY(out.samples == st.samples);
        QVERIFY(notes.empty());
        QVERIFY_THROWS_EXCEPTION(Error, applyChannelPolicy(st, 0, &notes));
    }

    void stereoToMonoAverages() {
        AudioBuffer st = AudioBuffer::zeros(2, 2, 48000);
        st.channel(0)[0] = 1.0f;
        st.channel(1)[0] = 0.0f;
        st.channel(0)[1] = 0.5f;
        st.channel(1)[1] = -0.5f;
        std::vector<std::string> notes;
        const AudioBuffer mono = applyChannelPolicy(st, 1, &notes);
        QCOMPARE(mono.channels, 1);
        QCOMPARE(mono.channel(0)[0], 0.5f);
        QCOMPARE(mono.channel(0)[1], 0.0f);
        QCOMPARE(notes.size(), size_t(1));
    }
};

QTEST_GUILESS_MAIN(TstResample)
#include "tst_resample.moc"
