// The STFT front/back end of TFC-TDF v3: layout and numbers against a direct DFT (periodic Hann,
// center with reflect padding), round trip, bin truncation / zero padding, the window cache.
#include "common/error.h"
#include "dsp/stft.h"

#include <QtTest>

#include <ATen/ops/constant_pad_nd.h>
#include <ATen/ops/hann_window.h>
#include <ATen/ops/istft.h>
#include <ATen/ops/view_as_complex.h>
#include <c10/core/InferenceMode.h>
#include <torch/types.h>

#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

using stemdeck::Error;
using stemdeck::ErrorCode;
using stemdeck::dsp::Stft;
using stemdeck::dsp::WindowCache;

namespace {

// One bin of one frame computed by hand: reflect-pad by n/2, periodic Hann, e^{-2 pi i k m / n}.
std::pair<double, double> directBin(const torch::Tensor& signal1d, int64_t nFft, int64_t hop, int64_t frame,
                                    int64_t bin) {
    const auto x = signal1d.to(torch::kDouble).contiguous();
    const double* data = x.data_ptr<double>();
    const int64_t length = x.size(0);
    const int64_t pad = nFft / 2;
    double re = 0;
    double im = 0;
    for (int64_t m = 0; m < nFft; ++m) {
        int64_t index = frame * hop + m - pad;
        if (index < 0) {
            index = -index; // reflect (edge sample not repeated)
        } else if (index >= length) {
            index = 2 * (length - 1) - index;
        }
        const double window = 0.5 - 0.5 * std::cos(2.0 * M_PI * m / nFft);
        const double angle = -2.0 * M_PI * static_cast<double>(bin) * m / nFft;
        re += data[index] * window * std::cos(angle);
        im += data[index] * window * std::sin(angle);
    }
    return {re, im};
}

} // namespace

class TestStft : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { torch::manual_seed(3); }

    void layoutMatchesDirectDft() {
        const int64_t nFft = 64;
        const int64_t hop = 16;
        const int64_t dimF = 20;
        Stft stft(nFft, hop, dimF);
        const torch::Tensor x = torch::randn({2, 2, 16 * 9}); // [B, C, T]
        const torch::Tensor spec = stft.forward(x);
        QCOMPARE(spec.sizes().vec(), (std::vector<int64_t>{2, 4, dimF, 16 * 9 / hop + 1}));
        QCOMPARE(spec.scalar_type(), torch::kFloat);

        // Channel c's real part is plane 2c, its imaginary part plane 2c+1; check the edges
        // (reflect padding) and the middle, both channels, both batch items.
        for (int64_t b : {0, 1}) {
            for (int64_t c : {0, 1}) {
                for (int64_t frame : {int64_t(0), int64_t(4), spec.size(3) - 1}) {
                    for (int64_t bin : {int64_t(0), int64_t(3), dimF - 1}) {
                        const auto [re, im] = directBin(x[b][c], nFft, hop, frame, bin);
                        const double gotRe = spec[b][2 * c][bin][frame].item<double>();
                        const double gotIm = spec[b][2 * c + 1][bin][frame].item<double>();
                        QVERIFY2(std::abs(gotRe - re) < 1e-4 && std::abs(gotIm - im) < 1e-4,
                                 qPrintable(QString("b%1 c%2 frame %3 bin %4: got (%5, %6), expected (%7, %8)")
                                                .arg(b).arg(c).arg(frame).arg(bin)
                                                .arg(gotRe).arg(gotIm).arg(re).arg(im)));
                    }
                }
            }
        }
    }

    void roundTrip_data() {
        QTest::addColumn<int>("nFft");
        QTest::addColumn<int>("hop");
        QTest::addColumn<int>("samples");
        QTest::addColumn<int>("channels");
        QTest::newRow("2048/512 stereo") << 2048 << 512 << 512 * 63 << 2;
        QTest::newRow("1024/256 mono") << 1024 << 256 << 256 * 40 << 1;
        QTest::newRow("2048/1024 (hop = n/2)") << 2048 << 1024 << 1024 * 20 << 2;
        QTest::newRow("8192/1024") << 8192 << 1024 << 1024 * 31 << 2;
    }
    void roundTrip() {
        QFETCH(int, nFft);
        QFETCH(int, hop);
        QFETCH(int, samples);
        QFETCH(int, channels);
        Stft stft(nFft, hop, nFft / 2 + 1);
        const torch::Tensor x = torch::rand({3, channels, samples}) * 2 - 1;
        const torch::Tensor spec = stft.forward(x);
        QCOMPARE(spec.sizes().vec(), (std::vector<int64_t>{3, channels * 2, nFft / 2 + 1, samples / hop + 1}));
        const torch::Tensor back = stft.inverse(spec);
        QCOMPARE(back.sizes().vec(), x.sizes().vec());
        const float error = (back - x).abs().max().item<float>();
        qInfo("round trip max abs error %.3g", error);
        QVERIFY(error < 1e-5f);

        // An explicit length that is not a multiple of hop is honoured too.
        const torch::Tensor cut = x.narrow(-1, 0, samples - hop / 2);
        const torch::Tensor cutBack = stft.inverse(stft.forward(cut), cut.size(-1));
        QCOMPARE(cutBack.size(-1), cut.size(-1));
        QVERIFY((cutBack - cut).abs().max().item<float>() < 1e-5f);
    }

    // inverse() computes the overlap-add itself when n_fft is a multiple of hop (faster than
    // LibTorch 1.13's col2im); it must give what torch.istft gives, on spectra that no real
    // signal produced too, for every length (a longer one is zero-filled).
    void inverseMatchesTorchIstft_data() {
        QTest::addColumn<int>("nFft");
        QTest::addColumn<int>("hop");
        QTest::addColumn<int>("dimF");
        QTest::addColumn<int>("frames");
        QTest::addColumn<int>("extra"); // length = hop * (frames - 1) + extra
        QTest::newRow("2048/512, 1024 bins kept") << 2048 << 512 << 1024 << 64 << 0;
        QTest::newRow("1024/256, all bins, shorter") << 1024 << 256 << 513 << 20 << -300;
        QTest::newRow("256/128, past the end") << 256 << 128 << 129 << 9 << 500;
        QTest::newRow("1000/300 (not a multiple: torch path)") << 1000 << 300 << 400 << 12 << 0;
    }
    void inverseMatchesTorchIstft() {
        QFETCH(int, nFft);
        QFETCH(int, hop);
        QFETCH(int, dimF);
        QFETCH(int, frames);
        QFETCH(int, extra);
        const int64_t length = int64_t(hop) * (frames - 1) + extra;
        Stft stft(nFft, hop, dimF);
        const torch::Tensor spec = torch::randn({2, 4, dimF, frames}); // batch 2, stereo
        const torch::Tensor ours = stft.inverse(spec, length);

        const int64_t bins = nFft / 2 + 1;
        const torch::Tensor full = at::constant_pad_nd(spec, {0, 0, 0, bins - dimF}, 0.0);
        const torch::Tensor complex = at::view_as_complex(full.reshape({-1, 2, bins, frames}).permute({0, 2, 3, 1}).contiguous());
        const torch::Tensor theirs = at::istft(complex, nFft, hop, nFft, at::hann_window(nFft, true, torch::kFloat), true,
                                               false, true, length, false)
                                         .reshape({2, 2, length});
        QCOMPARE(ours.sizes().vec(), theirs.sizes().vec());
        const float scale = theirs.abs().max().item<float>();
        const float error = (ours - theirs).abs().max().item<float>();
        qInfo("max abs difference %.3g (peak %.3g)", error, scale);
        QVERIFY(scale > 0.0f);
        QVERIFY(error <= 1e-6f * scale);
    }

    void extraBatchDimsKeepTheirShape() {
        Stft stft(256, 64, 100);
        const torch::Tensor x = torch::randn({2, 3, 2, 64 * 10});
        const torch::Tensor spec = stft.forward(x);
        QCOMPARE(spec.sizes().vec(), (std::vector<int64_t>{2, 3, 4, 100, 11}));
        QCOMPARE(stft.inverse(spec).sizes().vec(), (std::vector<int64_t>{2, 3, 2, 64 * 10}));
        // Same as transforming each [C, T] on its own.
        const torch::Tensor one = stft.forward(x[1][2].unsqueeze(0));
        QVERIFY(torch::allclose(one[0], spec[1][2], 1e-6, 1e-6));
    }

    void truncatedBinsArePaddedWithZeros() {
        // inverse() of the first dimF bins equals the inverse of the full spectrum with the
        // upper bins zeroed: that is the reference's zero padding back to n_fft/2+1.
        const int64_t nFft = 512;
        const int64_t hop = 128;
        const int64_t dimF = 200;
        Stft full(nFft, hop, nFft / 2 + 1);
        Stft kept(nFft, hop, dimF);
        const torch::Tensor x = torch::randn({1, 2, hop * 30});
        torch::Tensor spectrum = full.forward(x);
        const torch::Tensor truncated = kept.forward(x);
        QVERIFY(torch::equal(truncated, spectrum.narrow(-2, 0, dimF)));
        spectrum.narrow(-2, dimF, nFft / 2 + 1 - dimF).zero_();
        const torch::Tensor a = kept.inverse(truncated);
        const torch::Tensor b = full.inverse(spectrum);
        QVERIFY((a - b).abs().max().item<float>() < 1e-6f);
        // And dropping the upper bins really removes content (a high tone disappears).
        const torch::Tensor t = torch::arange(hop * 30, torch::kFloat);
        const torch::Tensor tone = torch::sin(t * (2 * M_PI * 240.0 / nFft)).reshape({1, 1, -1});
        // (Away from the ends, where reflect padding folds the tone and spreads its spectrum.)
        const torch::Tensor filtered = kept.inverse(kept.forward(tone)).narrow(-1, nFft, hop * 30 - 2 * nFft);
        const float residual = filtered.abs().max().item<float>();
        qInfo("tone above the kept bins: residual peak %.3g", residual);
        QVERIFY(residual < 0.01f);
        const torch::Tensor passed = full.inverse(full.forward(tone)).narrow(-1, nFft, hop * 30 - 2 * nFft);
        QVERIFY(passed.abs().max().item<float>() > 0.99f);
    }

    void halfPrecisionInputIsComputedInFloat() {
        Stft stft(256, 64, 129);
        const torch::Tensor x = torch::randn({1, 2, 64 * 8});
        const torch::Tensor fromHalf = stft.forward(x.to(torch::kHalf));
        QCOMPARE(fromHalf.scalar_type(), torch::kFloat);
        QVERIFY((fromHalf - stft.forward(x.to(torch::kHalf).to(torch::kFloat))).abs().max().item<float>() == 0.0f);
        QCOMPARE(stft.inverse(fromHalf.to(torch::kHalf)).scalar_type(), torch::kFloat);
    }

    void windowCacheBuildsEachWindowOnce() {
        auto cache = std::make_shared<WindowCache>();
        QCOMPARE(cache->creations(), int64_t(0)); // lazy: nothing before the first transform
        Stft a(512, 128, 257, cache);
        Stft b(512, 256, 100, cache);
        QCOMPARE(cache->creations(), int64_t(0));

        const torch::Tensor x = torch::randn({1, 2, 128 * 8});
        a.forward(x);
        a.inverse(a.forward(x));
        b.forward(x);
        QCOMPARE(cache->creations(), int64_t(1)); // same (cpu, 512) for both
        QCOMPARE(cache->size(), std::size_t(1));

        Stft c(256, 64, 129, cache);
        c.forward(x);
        QCOMPARE(cache->creations(), int64_t(2));

        const torch::Tensor w1 = cache->hann(torch::kCPU, 512);
        const torch::Tensor w2 = cache->hann(torch::kCPU, 512);
        QCOMPARE(w1.data_ptr(), w2.data_ptr());
        QVERIFY(torch::allclose(w1, torch::hann_window(512, /*periodic=*/true)));
        QCOMPARE(cache->creations(), int64_t(2));

        // Many threads asking at once still build one window per key.
        std::vector<std::thread> threads;
        std::atomic<int> mismatches{0};
        for (int i = 0; i < 8; ++i) {
            threads.emplace_back([&, i] {
                const torch::Tensor w = cache->hann(torch::kCPU, 1024 + (i % 2));
                if (w.size(0) != 1024 + (i % 2)) {
                    ++mismatches;
                }
            });
        }
        for (auto& t : threads) {
            t.join();
        }
        QCOMPARE(mismatches.load(), 0);
        QCOMPARE(cache->creations(), int64_t(4));
        QCOMPARE(a.fallbackCount(), int64_t(0)); // the CPU has every op
    }

    // The iSTFT's envelope is built and checked once per (device, dtype, frames, length) and
    // cached, so the per-call path needs no host synchronisation (CUDA graph capture). The cached
    // tensor must serve later calls bit for bit, also when training (autograd saves it for
    // backward) follows an InferenceMode caller; a window that cannot overlap-add is still refused
    // on every call, not only the first.
    void inverseEnvelopeIsCachedAndChecked() {
        Stft stft(1024, 256, 400);
        const torch::Tensor spec = torch::randn({1, 4, 400, 30});
        torch::Tensor first;
        {
            c10::InferenceMode inference;
            first = stft.inverse(spec, 256 * 29);
        }
        const torch::Tensor again = stft.inverse(spec, 256 * 29);
        QCOMPARE((first - again).abs().max().item<float>(), 0.0f);
        const torch::Tensor trainable = spec.clone().requires_grad_(true);
        stft.inverse(trainable, 256 * 29).pow(2).sum().backward();
        QVERIFY(trainable.grad().defined());
        QVERIFY(trainable.grad().abs().sum().item<float>() > 0.0f);

        Stft gaps(512, 512, 257); // hop = n_fft: the periodic Hann's zero leaves holes
        for (int i = 0; i < 2; ++i) {
            bool refused = false;
            try {
                (void)gaps.inverse(torch::randn({1, 2, 257, 6}));
            } catch (const Error& e) {
                refused = e.code() == ErrorCode::InvalidArgument &&
                          std::string(e.what()).find("envelope") != std::string::npos;
            }
            QVERIFY2(refused, "a zero in the window's overlap-add must be an error on every call");
        }
    }

    void badSizesAreErrors() {
        auto expectError = [](auto&& fn) {
            try {
                fn();
            } catch (const Error& e) {
                return e.code() == ErrorCode::InvalidArgument;
            }
            return false;
        };
        QVERIFY(expectError([] { Stft(512, 0, 100); }));
        QVERIFY(expectError([] { Stft(512, 128, 258); }));
        QVERIFY(expectError([] { Stft(512, 128, 0); }));
        Stft stft(512, 128, 257);
        QVERIFY(expectError([&] { stft.forward(torch::zeros({100})); }));
        QVERIFY(expectError([&] { stft.forward(torch::zeros({1, 2, 200})); })); // shorter than n/2 + 1
        QVERIFY(expectError([&] { stft.inverse(torch::zeros({1, 3, 257, 5})); })); // odd planes
        QVERIFY(expectError([&] { stft.inverse(torch::zeros({1, 2, 300, 5})); })); // too many bins
    }
};

QTEST_GUILESS_MAIN(TestStft)
#include "tst_stft.moc"
