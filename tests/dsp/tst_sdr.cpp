// The MDX-challenge SDR: known values on constructed signals, and the size check.
#include "dsp/sdr.h"

#include "common/error.h"
#include "common/test_support.h"

#include <QTest>

#include <cmath>

using namespace stemdeck;

class TestSdr : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void knownRatios() {
        const auto ref = test::noise(2, 4000, 0.5f, 1);
        std::vector<float> half(ref.size()), same(ref), zero(ref.size(), 0.0f);
        for (size_t i = 0; i < ref.size(); ++i) half[i] = 0.5f * ref[i];
        // est = ref / 2: error energy is a quarter of the reference energy -> 10 log10(4).
        QVERIFY(std::abs(dsp::sdr(ref, half) - 10.0 * std::log10(4.0)) < 1e-6);
        // A silent estimate: error = reference -> 0 dB.
        QVERIFY(std::abs(dsp::sdr(ref, zero)) < 1e-6);
        // Perfect estimate: capped by eps, very large but finite.
        const double perfect = dsp::sdr(ref, same);
        QVERIFY(std::isfinite(perfect) && perfect > 100.0);
        // Silent reference and estimate: eps / eps -> 0 dB, not NaN.
        QCOMPARE(dsp::sdr(zero, zero), 0.0);
    }

    void perStemAndMean() {
        const auto a = test::noise(1, 1000, 0.5f, 2), b = test::noise(1, 1000, 0.5f, 3);
        std::vector<float> zero(1000, 0.0f);
        const auto rep = dsp::sdrPerStem({a, b}, {a, zero});
        QCOMPARE(rep.perStem.size(), size_t(2));
        QVERIFY(std::abs(rep.perStem[1]) < 1e-6);
        QVERIFY(std::abs(rep.mean - (rep.perStem[0] + rep.perStem[1]) / 2.0) < 1e-9);
    }

    void sizeMismatchIsAnError() {
        std::vector<float> a(10, 0.1f), b(11, 0.1f);
        QVERIFY_THROWS_EXCEPTION(Error, dsp::sdr(a, b));
    }
};

QTEST_GUILESS_MAIN(TestSdr)
#include "tst_sdr.moc"
