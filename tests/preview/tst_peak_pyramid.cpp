// PeakPyramid against a brute-force min/max over the samples, at every zoom level, on random
// audio of awkward lengths; plus level choice and range queries.
#include "peak_pyramid.h"
#include "common/test_support.h"

#include <QTest>

#include <algorithm>

using namespace stemdeck;
using namespace stemdeck::preview;

class TestPeakPyramid : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesBruteForce_data() {
        QTest::addColumn<int>("channels");
        QTest::addColumn<qint64>("frames");
        QTest::addColumn<int>("bucket");
        QTest::newRow("stereo, ragged end") << 2 << qint64(100003) << 256;
        QTest::newRow("mono, exact") << 1 << qint64(65536) << 256;
        QTest::newRow("three channels, small bucket") << 3 << qint64(9999) << 7;
        QTest::newRow("shorter than a bucket") << 2 << qint64(100) << 256;
    }
    void matchesBruteForce() {
        QFETCH(int, channels);
        QFETCH(qint64, frames);
        QFETCH(int, bucket);
        audio::AudioBuffer b = audio::AudioBuffer::zeros(channels, frames, 44100);
        b.samples = test::noise(channels, frames, 0.8f, uint32_t(frames));
        const PeakPyramid p = PeakPyramid::build(b, bucket);
        QCOMPARE(p.frames(), int64_t(frames));
        QVERIFY(p.levelCount() >= 1);
        QCOMPARE(p.mins(p.levelCount() - 1).size(), size_t(1)); // the top covers everything
        for (int level = 0; level < p.levelCount(); ++level) {
            const int64_t size = p.bucketFrames(level);
            QCOMPARE(size, int64_t(bucket) << level);
            const int64_t n = (frames + size - 1) / size;
            QCOMPARE(p.mins(level).size(), size_t(n));
            for (int64_t i = 0; i < n; ++i) {
                float lo = 2.0f, hi = -2.0f;
                for (int c = 0; c < channels; ++c)
                    for (int64_t f = i * size; f < std::min<int64_t>((i + 1) * size, frames); ++f) {
                        lo = std::min(lo, b.channel(c)[size_t(f)]);
                        hi = std::max(hi, b.channel(c)[size_t(f)]);
                    }
                if (p.mins(level)[size_t(i)] != lo || p.maxs(level)[size_t(i)] != hi)
                    QFAIL(qPrintable(QStringLiteral("level %1 bucket %2 differs").arg(level).arg(i)));
            }
        }
        // The documented memory bound: all levels < 16 * frames / bucket bytes (+ one bucket pair per level).
        QVERIFY(p.memoryBytes() <= size_t(16 * frames / bucket + 8 * p.levelCount() + 64));
    }

    void levelForAndRange() {
        audio::AudioBuffer b = audio::AudioBuffer::zeros(1, 4096, 1000);
        b.samples = test::noise(1, 4096, 1.0f, 7);
        const PeakPyramid p = PeakPyramid::build(b, 16);
        QCOMPARE(p.levelFor(1.0), 0);    // zoomed in past level 0: still level 0
        QCOMPARE(p.levelFor(16.0), 0);
        QCOMPARE(p.levelFor(40.0), 1);   // 32-frame buckets fit in 40 frames per pixel
        QCOMPARE(p.levelFor(1e9), p.levelCount() - 1);
        // Bucket-aligned ranges are exact at every level.
        for (int level = 0; level < p.levelCount(); ++level) {
            const int64_t s = p.bucketFrames(level);
            const auto [lo, hi] = p.range(0, std::min<int64_t>(2 * s, 4096), level);
            const auto first = b.channel(0).begin();
            const auto [mn, mx] = std::minmax_element(first, first + std::min<int64_t>(2 * s, 4096));
            QCOMPARE(lo, *mn);
            QCOMPARE(hi, *mx);
        }
        QCOMPARE(p.range(10, 10, 0), std::make_pair(0.0f, 0.0f));
        QVERIFY(PeakPyramid::build(audio::AudioBuffer{}).empty());
    }
};

QTEST_GUILESS_MAIN(TestPeakPyramid)
#include "tst_peak_pyramid.moc"
