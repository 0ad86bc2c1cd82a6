// StemMixer::readData, called directly: mute/solo rules, gains, sync of stems of different
// lengths across block boundaries, seek, loop, end of stream, A/B to the original, output
// formats and channel conversion, and the rendered "all but the muted stems" mix.
#include "stem_mixer.h"

#include <QTest>

#include <cmath>

using namespace stemdeck;
using namespace stemdeck::preview;

namespace {

class TestMixer : public StemMixer {
public:
    using StemMixer::readData;
};

constexpr int kRate = 1000;

std::shared_ptr<const audio::AudioBuffer> constant(int channels, int64_t frames, float value) {
    auto b = audio::AudioBuffer::zeros(channels, frames, kRate);
    for (int c = 0; c < channels; ++c)
        for (float& s : b.channel(c)) s = c == 0 ? value : -value; // right = -left: channel mix-ups show
    return std::make_shared<const audio::AudioBuffer>(std::move(b));
}

// Left channel = f / 1000 (so a frame's value names the frame), right = -left.
std::shared_ptr<const audio::AudioBuffer> ramp(int64_t frames) {
    auto b = audio::AudioBuffer::zeros(2, frames, kRate);
    for (int64_t f = 0; f < frames; ++f) {
        b.channel(0)[size_t(f)] = float(f) / 1000.0f;
        b.channel(1)[size_t(f)] = -float(f) / 1000.0f;
    }
    return std::make_shared<const audio::AudioBuffer>(std::move(b));
}

QAudioFormat format(QAudioFormat::SampleFormat sf, int channels) {
    QAudioFormat f;
    f.setSampleRate(kRate);
    f.setChannelCount(channels);
    f.setSampleFormat(sf);
    return f;
}

// Reads up to `frames` frames of float output; the result holds what readData returned.
std::vector<float> readFloat(TestMixer& m, int64_t frames) {
    const int ch = m.outputFormat().channelCount();
    std::vector<float> out(size_t(frames * ch));
    const qint64 got = m.readData(reinterpret_cast<char*>(out.data()), qint64(out.size() * sizeof(float)));
    out.resize(size_t(got) / sizeof(float));
    return out;
}

void threeStems(TestMixer& m) {
    m.setTracks({{QStringLiteral("a"), constant(2, 100, 0.1f)},
                 {QStringLiteral("b"), constant(2, 100, 0.2f)},
                 {QStringLiteral("c"), constant(2, 100, 0.4f)}},
                constant(2, 100, 0.9f));
    QVERIFY(m.setOutputFormat(format(QAudioFormat::Float, 2)));
}

} // namespace

class TestStemMixer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void muteSolo_data() {
        QTest::addColumn<QList<int>>("muted");
        QTest::addColumn<QList<int>>("soloed");
        QTest::addColumn<float>("expected");
        QTest::newRow("all sound") << QList<int>{} << QList<int>{} << 0.7f;
        QTest::newRow("mute b") << QList<int>{1} << QList<int>{} << 0.5f;
        QTest::newRow("mute all") << QList<int>{0, 1, 2} << QList<int>{} << 0.0f;
        QTest::newRow("solo c") << QList<int>{} << QList<int>{2} << 0.4f;
        QTest::newRow("two solos sum") << QList<int>{} << QList<int>{0, 2} << 0.5f;
        QTest::newRow("solo wins over mute") << QList<int>{1} << QList<int>{1} << 0.2f;
        QTest::newRow("solo ignores other unmuted") << QList<int>{0} << QList<int>{2} << 0.4f;
    }
    void muteSolo() {
        QFETCH(QList<int>, muted);
        QFETCH(QList<int>, soloed);
        QFETCH(float, expected);
        TestMixer m;
        threeStems(m);
        for (int i : muted) m.setMuted(i, true);
        for (int i : soloed) m.setSolo(i, true);
        const std::vector<float> out = readFloat(m, 10);
        QCOMPARE(out.size(), size_t(20));
        for (size_t i = 0; i < out.size(); i += 2) {
            QVERIFY(std::abs(out[i] - expected) < 1e-6f);
            QVERIFY(std::abs(out[i + 1] + expected) < 1e-6f);
        }
        for (int s = 0; s < 3; ++s)
            QCOMPARE(m.isAudible(s), soloed.isEmpty() ? !muted.contains(s) : soloed.contains(s));
    }

    void gains() {
        TestMixer m;
        threeStems(m);
        m.setGain(0, 0.5f);
        m.setGain(2, 2.0f);
        std::vector<float> out = readFloat(m, 4);
        QVERIFY(std::abs(out[0] - (0.05f + 0.2f + 0.8f)) < 1e-6f); // float keeps > 1.0
        // Int16 clamps at full scale rather than wrapping.
        QVERIFY(m.setOutputFormat(format(QAudioFormat::Int16, 2)));
        qint16 pcm[8] = {};
        QCOMPARE(m.readData(reinterpret_cast<char*>(pcm), sizeof(pcm)), qint64(sizeof(pcm)));
        QCOMPARE(pcm[0], qint16(32767));
        QCOMPARE(pcm[1], qint16(-32767));
        m.setGain(0, 0.0f);
        m.setGain(2, 1.0f);
        m.setGain(1, 0.5f);
        QCOMPARE(m.readData(reinterpret_cast<char*>(pcm), sizeof(pcm)), qint64(sizeof(pcm)));
        QCOMPARE(pcm[0], qint16(std::lround(0.5f * 32767.0f)));
        QCOMPARE(m.gain(1), 0.5f);
        m.setGain(1, 100.0f);
        QCOMPARE(m.gain(1), 4.0f); // clamped
    }

    void differentLengthsStayInSync() {
        TestMixer m;
        m.setTracks({{QStringLiteral("long"), ramp(100)}, {QStringLiteral("short"), constant(2, 60, 1.0f)}}, nullptr);
        QVERIFY(m.setOutputFormat(format(QAudioFormat::Float, 2)));
        QCOMPARE(m.lengthFrames(), int64_t(100));
        std::vector<float> all;
        // Odd block sizes: sync must not depend on where blocks end.
        for (;;) {
            std::vector<float> block = readFloat(m, 7);
            if (block.empty()) break;
            all.insert(all.end(), block.begin(), block.end());
        }
        QCOMPARE(all.size(), size_t(200));
        for (int f = 0; f < 100; ++f) {
            const float want = float(f) / 1000.0f + (f < 60 ? 1.0f : 0.0f);
            QVERIFY2(std::abs(all[size_t(2 * f)] - want) < 1e-6f, qPrintable(QString::number(f)));
        }
    }

    void seek() {
        TestMixer m;
        m.setTracks({{QStringLiteral("r"), ramp(100)}}, nullptr);
        QVERIFY(m.setOutputFormat(format(QAudioFormat::Float, 2)));
        m.seek(50);
        QCOMPARE(m.positionFrames(), int64_t(50));
        std::vector<float> out = readFloat(m, 10);
        QCOMPARE(out.size(), size_t(20));
        for (int i = 0; i < 10; ++i) QVERIFY(std::abs(out[size_t(2 * i)] - float(50 + i) / 1000.0f) < 1e-6f);
        QCOMPARE(m.positionFrames(), int64_t(60));
        m.seek(-5);
        QCOMPARE(m.positionFrames(), int64_t(0));
        m.seek(1000);
        QCOMPARE(m.positionFrames(), int64_t(100));
        QVERIFY(m.atEnd());
    }

    void loop() {
        TestMixer m;
        m.setTracks({{QStringLiteral("r"), ramp(100)}}, nullptr);
        QVERIFY(m.setOutputFormat(format(QAudioFormat::Float, 1)));
        m.setLoop(10, 20);
        QVERIFY(m.looping());
        QCOMPARE(m.positionFrames(), int64_t(10)); // a position outside the loop moves to its start
        // One block longer than three passes of the loop: it wraps inside the block.
        std::vector<float> out = readFloat(m, 35);
        QCOMPARE(out.size(), size_t(35));
        for (int i = 0; i < 35; ++i) {
            // Mono output = average of left (+f) and right (-f) = 0 for a ramp; use the stereo check below.
            QVERIFY(std::abs(out[size_t(i)]) < 1e-6f);
        }
        QCOMPARE(m.positionFrames(), int64_t(15));
        QVERIFY(!m.atEnd());
        QVERIFY(m.bytesAvailable() > 0);

        QVERIFY(m.setOutputFormat(format(QAudioFormat::Float, 2)));
        m.seek(18);
        out = readFloat(m, 5);
        const int want[] = {18, 19, 10, 11, 12};
        for (int i = 0; i < 5; ++i) QVERIFY(std::abs(out[size_t(2 * i)] - float(want[i]) / 1000.0f) < 1e-6f);
        m.seek(90); // beyond the loop end: back to its start at the next block
        out = readFloat(m, 1);
        QVERIFY(std::abs(out[0] - 10.0f / 1000.0f) < 1e-6f);
        m.clearLoop();
        QVERIFY(!m.looping());
        m.setLoop(30, 30); // empty: no loop
        QVERIFY(!m.looping());
    }

    void endOfStream() {
        TestMixer m;
        m.setTracks({{QStringLiteral("r"), ramp(25)}}, nullptr);
        QVERIFY(m.setOutputFormat(format(QAudioFormat::Int16, 2)));
        QCOMPARE(m.bytesAvailable(), qint64(25 * 4));
        char buf[64];
        qint64 total = 0;
        for (qint64 n; (n = m.readData(buf, sizeof(buf))) > 0;) total += n;
        QCOMPARE(total, qint64(25 * 4));
        QVERIFY(m.atEnd());
        QCOMPARE(m.bytesAvailable(), qint64(0));
        QCOMPARE(m.readData(buf, sizeof(buf)), qint64(0));
        // A request smaller than one frame gets nothing rather than half a frame.
        m.seek(0);
        QCOMPARE(m.readData(buf, 3), qint64(0));
        QCOMPARE(m.readData(buf, 7), qint64(4));
    }

    void abOriginal() {
        TestMixer m;
        threeStems(m);
        QVERIFY(m.hasOriginal());
        m.setSolo(0, true);
        m.setPlayOriginal(true);
        std::vector<float> out = readFloat(m, 5);
        for (size_t i = 0; i < out.size(); i += 2) QVERIFY(std::abs(out[i] - 0.9f) < 1e-6f);
        QCOMPARE(m.positionFrames(), int64_t(5));
        m.setPlayOriginal(false); // back to B at the same place, solo still in force
        out = readFloat(m, 5);
        for (size_t i = 0; i < out.size(); i += 2) QVERIFY(std::abs(out[i] - 0.1f) < 1e-6f);
        QCOMPARE(m.positionFrames(), int64_t(10));
    }

    void channelConversion() {
        TestMixer m;
        m.setTracks({{QStringLiteral("mono"), constant(1, 10, 0.25f)}, {QStringLiteral("stereo"), constant(2, 10, 0.5f)}}, nullptr);
        QCOMPARE(m.channels(), 2);
        QVERIFY(m.setOutputFormat(format(QAudioFormat::Float, 2)));
        std::vector<float> out = readFloat(m, 1);
        QVERIFY(std::abs(out[0] - 0.75f) < 1e-6f);  // mono copied to both sides
        QVERIFY(std::abs(out[1] - (0.25f - 0.5f)) < 1e-6f);
        QVERIFY(m.setOutputFormat(format(QAudioFormat::Float, 1)));
        out = readFloat(m, 1);
        QCOMPARE(out.size(), size_t(1));
        QVERIFY(std::abs(out[0] - 0.25f) < 1e-6f); // stereo averaged (+0.5, -0.5) -> 0
        QVERIFY(m.setOutputFormat(format(QAudioFormat::Float, 4)));
        out = readFloat(m, 1);
        QCOMPARE(out.size(), size_t(4));
        QVERIFY(std::abs(out[2] - 0.25f) < 1e-6f); // only the mono stem feeds extra channels
        QVERIFY(!m.setOutputFormat(format(QAudioFormat::Int32, 2)));
        QCOMPARE(m.outputFormat().channelCount(), 4); // refused: unchanged
    }

    void renderMixIsWhatSounds() {
        TestMixer m;
        threeStems(m);
        m.setMuted(1, true);
        m.setGain(2, 0.5f);
        const audio::AudioBuffer mix = m.renderMix();
        QCOMPARE(mix.frames, int64_t(100));
        QCOMPARE(mix.channels, 2);
        QCOMPARE(mix.sampleRate, kRate);
        for (float s : mix.channel(0)) QVERIFY(std::abs(s - 0.3f) < 1e-6f); // 0.1 + 0.5 * 0.4, no original
        for (float s : mix.channel(1)) QVERIFY(std::abs(s + 0.3f) < 1e-6f);
    }
};

QTEST_GUILESS_MAIN(TestStemMixer)
#include "tst_stem_mixer.moc"
