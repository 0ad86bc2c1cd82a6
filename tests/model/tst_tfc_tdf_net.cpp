// The TFC-TDF v3 network: exact parameter counts of the public layouts, reference key names,
// output shapes (single and multi target), batch independence and input checks. Numerical
// agreement with the reference is tst_model_parity.
#include "common/error.h"
#include "model/model_config.h"
#include "model/model_loader.h"
#include "model/tfc_tdf_net.h"
#include "model_layouts.h"
#include "net_test_support.h"

#include <QtTest>

#include <torch/nn/module.h>
#include <torch/types.h>

#include <set>

using stemdeck::Error;
using stemdeck::ErrorCode;
using namespace stemdeck::model;

namespace {

ModelConfig tinyConfig(const std::string& norm, const std::string& act, std::optional<std::string> target) {
    return stemdeck::test::smallNetConfig(norm, act, 4, 4, 2, std::move(target));
}

std::set<std::string> names(const torch::nn::Module& m) {
    std::set<std::string> result;
    for (const auto& p : m.named_parameters()) {
        result.insert(p.key());
    }
    for (const auto& b : m.named_buffers()) {
        if (b.value().defined()) {
            result.insert(b.key());
        }
    }
    return result;
}

} // namespace

class TestTfcTdfNet : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { torch::manual_seed(7); }

    // Full-size networks are built (not run): their parameter count must be the figure the
    // public PyTorch implementation reports, and our config-only count must agree.
    void publicLayoutParameterCounts_data() {
        QTest::addColumn<int>("index");
        const auto layouts = stemdeck::test::publicLayouts();
        for (int i = 0; i < static_cast<int>(layouts.size()); ++i) {
            QTest::newRow(layouts[i].name) << i;
        }
    }
    void publicLayoutParameterCounts() {
        QFETCH(int, index);
        const auto layout = stemdeck::test::publicLayouts()[index];
        const ModelConfig config = parseModelConfig(stemdeck::test::layoutYaml(layout), layout.name);
        torch::NoGradGuard noGrad;
        TfcTdfNet net(config);
        const int64_t count = countParameters(*net);
        qInfo("%s: %lld parameters", layout.name, static_cast<long long>(count));
        if (layout.expectedParameters > 0) {
            QCOMPARE(count, layout.expectedParameters);
        }
        QCOMPARE(count, parameterCountOf(config));
        QCOMPARE(net->stemCount(), static_cast<int64_t>(layout.stems.size()));
    }

    void referenceKeyNames() {
        TfcTdfNet net(tinyConfig("BatchNorm", "gelu", std::nullopt));
        const std::set<std::string> keys = names(*net);
        // A sample of the reference's state-dict keys, one of each kind.
        for (const char* key : {
                 "first_conv.weight",
                 "encoder_blocks.0.tfc_tdf.blocks.0.tfc1.0.weight",
                 "encoder_blocks.0.tfc_tdf.blocks.0.tfc1.0.running_mean",
                 "encoder_blocks.0.tfc_tdf.blocks.0.tfc1.0.num_batches_tracked",
                 "encoder_blocks.0.tfc_tdf.blocks.0.tfc1.2.weight",
                 "encoder_blocks.0.tfc_tdf.blocks.1.tdf.2.weight",
                 "encoder_blocks.0.tfc_tdf.blocks.1.tdf.3.bias",
                 "encoder_blocks.0.tfc_tdf.blocks.1.tdf.5.weight",
                 "encoder_blocks.2.tfc_tdf.blocks.0.tfc2.2.weight",
                 "encoder_blocks.2.tfc_tdf.blocks.0.shortcut.weight",
                 "encoder_blocks.2.downscale.conv.0.running_var",
                 "encoder_blocks.2.downscale.conv.2.weight",
                 "bottleneck_block.blocks.1.tfc2.2.weight",
                 "decoder_blocks.0.upscale.conv.2.weight",
                 "decoder_blocks.2.tfc_tdf.blocks.0.tfc1.0.weight",
                 "final_conv.0.weight",
                 "final_conv.2.weight",
             }) {
            QVERIFY2(keys.count(key) == 1, key);
        }
        // Nothing else: no biases on convs and linears, nothing for activations. Per unit: 4 norms
        // x 5 tensors + tfc1, tdf x2, tfc2, shortcut weights = 25; 2 units per TfcTdf = 50;
        // encoder and decoder blocks add a scale norm (5) and conv (1); 3 + 3 of them, one
        // bottleneck, first_conv, final_conv.0 and .2: 6 x 56 + 50 + 3 = 389.
        QCOMPARE(keys.size(), std::size_t(389));

        // Shapes as the reference builds them ([B, ch, T, F] layout: Linear acts on frequency).
        const auto params = net->named_parameters();
        QCOMPARE(params["first_conv.weight"].sizes().vec(), (std::vector<int64_t>{4, 8, 1, 1}));
        QCOMPARE(params["encoder_blocks.0.tfc_tdf.blocks.0.tdf.2.weight"].sizes().vec(),
                 (std::vector<int64_t>{64, 128}));
        QCOMPARE(params["encoder_blocks.0.downscale.conv.2.weight"].sizes().vec(), (std::vector<int64_t>{8, 4, 2, 2}));
        QCOMPARE(params["decoder_blocks.0.upscale.conv.2.weight"].sizes().vec(), (std::vector<int64_t>{16, 12, 2, 2}));
        QCOMPARE(params["decoder_blocks.0.tfc_tdf.blocks.0.tfc1.2.weight"].sizes().vec(),
                 (std::vector<int64_t>{12, 24, 3, 3}));
        QCOMPARE(params["final_conv.0.weight"].sizes().vec(), (std::vector<int64_t>{4, 12, 1, 1}));
        QCOMPARE(params["final_conv.2.weight"].sizes().vec(), (std::vector<int64_t>{24, 4, 1, 1}));
    }

    void normKinds() {
        // Instance norm: affine, no running stats; identity norm: no parameters at all.
        const auto instance = names(*TfcTdfNet(tinyConfig("InstanceNorm", "relu", std::nullopt)));
        QVERIFY(instance.count("encoder_blocks.0.tfc_tdf.blocks.0.tfc1.0.weight"));
        QVERIFY(instance.count("encoder_blocks.0.tfc_tdf.blocks.0.tfc1.0.bias"));
        QVERIFY(!instance.count("encoder_blocks.0.tfc_tdf.blocks.0.tfc1.0.running_mean"));
        const auto group = names(*TfcTdfNet(tinyConfig("GroupNorm2", "elu0.5", std::nullopt)));
        QVERIFY(group.count("encoder_blocks.0.tfc_tdf.blocks.0.tfc1.0.weight"));
        QVERIFY(!group.count("encoder_blocks.0.tfc_tdf.blocks.0.tfc1.0.running_mean"));
        const auto none = names(*TfcTdfNet(tinyConfig("NoNorm", "gelu", std::nullopt)));
        QVERIFY(!none.count("encoder_blocks.0.tfc_tdf.blocks.0.tfc1.0.weight"));
        QVERIFY(none.count("encoder_blocks.0.tfc_tdf.blocks.0.tfc1.2.weight"));
        QCOMPARE(instance.size() - none.size(), group.size() - none.size());
        for (const char* norm : {"InstanceNorm", "BatchNorm", "GroupNorm2", "NoNorm"}) {
            const ModelConfig c = tinyConfig(norm, "gelu", std::nullopt);
            QCOMPARE(countParameters(*TfcTdfNet(c)), parameterCountOf(c));
        }
    }

    void outputShape_data() {
        QTest::addColumn<QString>("norm");
        QTest::addColumn<QString>("act");
        QTest::addColumn<QString>("target");
        QTest::addColumn<int>("stems");
        QTest::newRow("multi, instance, gelu") << "InstanceNorm" << "gelu" << "" << 3;
        QTest::newRow("single target, batch, elu") << "BatchNorm" << "elu1.0" << "b" << 1;
        QTest::newRow("multi, group, relu") << "GroupNorm4" << "relu" << "" << 3;
    }
    void outputShape() {
        QFETCH(QString, norm);
        QFETCH(QString, act);
        QFETCH(QString, target);
        QFETCH(int, stems);
        const ModelConfig c = tinyConfig(norm.toStdString(), act.toStdString(),
                                         target.isEmpty() ? std::nullopt : std::optional(target.toStdString()));
        TfcTdfNet net(c);
        net->eval();
        torch::NoGradGuard noGrad;
        const torch::Tensor mix = torch::randn({2, 2, c.chunkSize()});
        const torch::Tensor out = net->forward(mix);
        QCOMPARE(out.sizes().vec(), (std::vector<int64_t>{2, stems, 2, c.chunkSize()}));
        QCOMPARE(out.scalar_type(), torch::kFloat);
        QVERIFY(torch::isfinite(out).all().item<bool>());
        QVERIFY(out.abs().max().item<float>() > 0.0f);

        // Each item of a batch is computed on its own (eval mode): batch of 2 == two batches of 1.
        const torch::Tensor first = net->forward(mix.narrow(0, 0, 1));
        const torch::Tensor second = net->forward(mix.narrow(0, 1, 1));
        const float diff = std::max((out.narrow(0, 0, 1) - first).abs().max().item<float>(),
                                    (out.narrow(0, 1, 1) - second).abs().max().item<float>());
        qInfo("batch vs single max abs difference %.3g", diff);
        QVERIFY(diff < 1e-5f);

        // And items do not leak into each other: changing one leaves the other's output alone.
        torch::Tensor changed = mix.clone();
        changed.narrow(0, 1, 1).mul_(-0.5);
        const torch::Tensor again = net->forward(changed);
        QVERIFY((again.narrow(0, 0, 1) - out.narrow(0, 0, 1)).abs().max().item<float>() < 1e-5f);
        QVERIFY((again.narrow(0, 1, 1) - out.narrow(0, 1, 1)).abs().max().item<float>() > 1e-4f);
    }

    void forwardIsNotIdentityOfWeights() {
        // Changing one weight the skip product depends on changes the output: the forward
        // path actually goes through first_conv and final_conv.
        const ModelConfig c = tinyConfig("InstanceNorm", "gelu", std::nullopt);
        TfcTdfNet net(c);
        net->eval();
        torch::NoGradGuard noGrad;
        const torch::Tensor mix = torch::randn({1, 2, c.chunkSize()});
        const torch::Tensor before = net->forward(mix);
        net->named_parameters()["final_conv.2.weight"].mul_(2.0);
        const torch::Tensor after = net->forward(mix);
        // final_conv.2 is linear and the iSTFT is linear: output doubles exactly.
        QVERIFY(torch::allclose(after, before * 2.0, 1e-4, 1e-5));
    }

    void softMasksShareTheMix() {
        // Stems a, b, c. 16 channels: with the tiny net's 4 the last GELU can round every
        // channel of a bin to exactly zero, leaving the bin silent in all stems (then shared).
        const ModelConfig c = stemdeck::test::smallNetConfig("InstanceNorm", "gelu", 16);
        TfcTdfNet net(c);
        net->eval();
        torch::NoGradGuard noGrad;
        const torch::Tensor mix = torch::randn({2, 2, c.chunkSize()});
        // What the stems can add up to: the mix through the STFT and back (the network keeps
        // dim_f of n_fft/2+1 bins, so the top bin is not in any stem).
        const torch::Tensor roundTrip = net->stft().inverse(net->stft().forward(mix), c.chunkSize());
        const torch::Tensor raw = net->forward(mix);
        QCOMPARE(net->softMaskPower(), 0.0);
        // Off, the random network's stems are nowhere near the mix.
        QVERIFY((raw.sum(1) - roundTrip).abs().max().item<float>() > 0.1f);

        for (double p : {1.0, 2.0, 8.0}) {
            net->setSoftMaskPower(p);
            const torch::Tensor masked = net->forward(mix);
            QCOMPARE(masked.sizes(), raw.sizes());
            QVERIFY2(torch::allclose(masked.sum(1), roundTrip, 1e-4, 1e-4), qPrintable(QString("p %1").arg(p)));
            // Each stem is a share of the mix: none is louder than the mix.
            for (int64_t s = 0; s < 3; ++s)
                QVERIFY(masked.select(1, s).pow(2).sum().item<double>() < roundTrip.pow(2).sum().item<double>());
        }
        // Back off: the network's own output again, exactly.
        net->setSoftMaskPower(0.0);
        QVERIFY(torch::equal(net->forward(mix), raw));

        // A stem the network leaves silent stays silent; the others share the whole mix.
        net->setSoftMaskPower(2.0);
        // The last convolution (no bias) writes num_subbands * channels * 2 channels per stem.
        const int64_t perStem = c.model.num_subbands * c.audio.num_channels * 2;
        net->named_parameters()["final_conv.2.weight"].narrow(0, 0, perStem).zero_();
        const torch::Tensor silentA = net->forward(mix);
        QCOMPARE(silentA.select(1, 0).abs().max().item<float>(), 0.0f);
        QVERIFY(torch::allclose(silentA.select(1, 1) + silentA.select(1, 2), roundTrip, 1e-4, 1e-4));

        // Where every stem is silent the mix is shared equally (nothing of it is lost).
        net->named_parameters()["final_conv.2.weight"].zero_();
        const torch::Tensor silent = net->forward(mix);
        for (int64_t s = 0; s < 3; ++s)
            QVERIFY(torch::allclose(silent.select(1, s), roundTrip / 3.0, 1e-4, 1e-5));
    }

    // The multichannel Wiener filter: two stems panned apart, which rough estimates (each 30 %
    // of the other) mix up, come out far cleaner, and still add up to the mix (to the ridge).
    void multichannelWienerTellsPannedStemsApart() {
        torch::NoGradGuard noGrad;
        const int64_t f = 64, t = 128;
        // A complex source as [re, im] per bin, placed in the two channels with these gains and
        // a phase between them: [B=1, 4 (c0 re, c0 im, c1 re, c1 im), F, T].
        const auto panned = [&](double left, double right, double phase) {
            const auto re = torch::randn({f, t}), im = torch::randn({f, t});
            const double c = std::cos(phase), s = std::sin(phase);
            return torch::stack({left * re, left * im, right * (c * re - s * im), right * (s * re + c * im)}).unsqueeze(0);
        };
        const auto a = panned(0.95, 0.2, 0.0), b = panned(0.25, 0.9, 0.7);
        const auto mix = a + b;
        const auto estimates = torch::stack({0.7 * a + 0.3 * b, 0.3 * a + 0.7 * b}, 1); // [1, 2, 4, F, T]
        const auto sdr = [](const torch::Tensor& ref, const torch::Tensor& est) {
            return 10.0 * std::log10(ref.pow(2).sum().item<double>() / (ref - est).pow(2).sum().item<double>());
        };
        const auto filtered = multichannelWiener(estimates, mix);
        QCOMPARE(filtered.sizes(), estimates.sizes());
        const double before = sdr(a, estimates.select(1, 0)), after = sdr(a, filtered.select(1, 0));
        const double beforeB = sdr(b, estimates.select(1, 1)), afterB = sdr(b, filtered.select(1, 1));
        QVERIFY2(after > before + 6.0 && afterB > beforeB + 6.0,
                 qPrintable(QString("a %1 -> %2 dB, b %3 -> %4 dB").arg(before).arg(after).arg(beforeB).arg(afterB)));
        const double sumError = (filtered.sum(1) - mix).pow(2).sum().item<double>() / mix.pow(2).sum().item<double>();
        QVERIFY2(sumError < 1e-6, qPrintable(QString::number(sumError))); // the ridge's share: about -74 dB

        // Stems with one stereo image cannot be told apart by it: the filter is then the
        // single-channel Wiener mask, each stem's power over the stems' total, on the mix.
        const auto c0 = panned(0.7, 0.7, 0.0), c1 = panned(0.7, 0.7, 0.0);
        const auto same = torch::stack({0.7 * c0 + 0.3 * c1, 0.3 * c0 + 0.7 * c1}, 1);
        const auto kept = multichannelWiener(same, c0 + c1);
        const auto power = same.pow(2).sum(2, /*keepdim=*/true);           // [1, 2, 1, F, T]
        const auto ratioMask = power / power.sum(1, true) * (c0 + c1).unsqueeze(1);
        QVERIFY2(torch::allclose(kept, ratioMask, 1e-3, 1e-4),
                 qPrintable(QString::number((kept - ratioMask).abs().max().item<float>())));
        // Silence in, silence out; and bins where one channel is silent and the other's power
        // a float32 denormal (1e-20 squared), beside loud ones, give finite stems (1 / trace
        // would overflow there, and 0 * inf is NaN).
        QCOMPARE(multichannelWiener(torch::zeros_like(estimates), torch::zeros_like(mix)).abs().max().item<float>(), 0.0f);
        auto faint = estimates.clone();
        faint.narrow(4, 0, 8).narrow(2, 0, 2).zero_();
        faint.narrow(4, 0, 8).narrow(2, 2, 2).mul_(1e-20);
        QVERIFY(torch::isfinite(multichannelWiener(faint, mix)).all().item<bool>());
        // Mono spectra are refused.
        QVERIFY_THROWS_EXCEPTION(Error, multichannelWiener(estimates.narrow(2, 0, 2), mix.narrow(1, 0, 2)));

        // In the network, after the soft masks: the stems still add up to the mix's round trip.
        const ModelConfig cfg = stemdeck::test::smallNetConfig("InstanceNorm", "gelu", 16);
        TfcTdfNet net(cfg);
        net->eval();
        const torch::Tensor audio = torch::randn({1, 2, cfg.chunkSize()});
        const torch::Tensor roundTrip = net->stft().inverse(net->stft().forward(audio), cfg.chunkSize());
        net->setSoftMaskPower(1.5);
        const torch::Tensor masked = net->forward(audio);
        net->setMultichannelWiener(true);
        const torch::Tensor wiener = net->forward(audio);
        QVERIFY((wiener - masked).abs().max().item<float>() > 1e-3f); // it acts
        QVERIFY(torch::allclose(wiener.sum(1), roundTrip, 1e-3, 1e-3));

        // Two passes (inference.wiener_iterations: 2): the second filters the first's stems, as
        // waveforms, against the same mix; they still add up to it.
        net->setWienerIterations(2);
        const torch::Tensor twice = net->forward(audio);
        const auto again = multichannelWiener(net->stft().forward(wiener), net->stft().forward(audio));
        const auto expected = net->stft().inverse(again, cfg.chunkSize());
        QVERIFY((twice - wiener).abs().max().item<float>() > 1e-4f); // the second pass acts
        QVERIFY(torch::allclose(twice, expected, 1e-4, 1e-4));
        QVERIFY(torch::allclose(twice.sum(1), roundTrip, 1e-3, 1e-3));

        // Each pass at its own STFT size (inference.wiener_n_fft): a pass at the network's n_fft
        // is the pass above, bit for bit; the second at 1024 (hop 256, all 513 bins) filters the
        // first pass's stems on that STFT, against the mix's on it, so the stems add up to the
        // mix itself rather than to its round trip through the network's 256 bins.
        net->setWienerFftSizes({512, 512});
        QVERIFY(torch::equal(net->forward(audio), twice));
        net->setWienerFftSizes({512, 1024});
        const torch::Tensor mixed = net->forward(audio);
        const stemdeck::dsp::Stft fine(1024, 256, 513);
        const auto expectedMixed = fine.inverse(multichannelWiener(fine.forward(wiener), fine.forward(audio)), cfg.chunkSize());
        QVERIFY((mixed - twice).abs().max().item<float>() > 1e-4f); // the size matters
        QVERIFY(torch::allclose(mixed, expectedMixed, 1e-4, 1e-4));
        QVERIFY(torch::allclose(mixed.sum(1), audio, 1e-3, 1e-3));
        // A third pass takes the last size again; a first pass at another size works on the
        // masked stems as waveforms.
        net->setWienerIterations(3);
        const auto third = fine.inverse(multichannelWiener(fine.forward(mixed), fine.forward(audio)), cfg.chunkSize());
        QVERIFY(torch::allclose(net->forward(audio), third, 1e-4, 1e-4));
        net->setWienerIterations(1);
        net->setWienerFftSizes({1024});
        const auto first = fine.inverse(multichannelWiener(fine.forward(masked), fine.forward(audio)), cfg.chunkSize());
        QVERIFY(torch::allclose(net->forward(audio), first, 1e-4, 1e-4));
        QVERIFY_THROWS_EXCEPTION(Error, net->setWienerFftSizes({384}));
        QVERIFY_THROWS_EXCEPTION(Error, net->setWienerFftSizes({128}));
        net->setWienerFftSizes({});
        net->setWienerIterations(2);
        QVERIFY(torch::equal(net->forward(audio), twice));
    }

    // Test-time augmentation: without post-filters the output is linear in the network's spectra,
    // so it must equal the mean of three plain passes, each mapped back (the channel swap on the
    // stems' channels, the polarity by negation). A wrong swap of the spectrum's channel pairs
    // (c0 re, c0 im, c1 re, c1 im) or a missing inverse fails this. With the post-filters on, the
    // stems still add up to the mix; mono models take two passes.
    void testTimeAugmentationAveragesTheMappedPasses() {
        torch::NoGradGuard noGrad;
        const ModelConfig cfg = stemdeck::test::smallNetConfig("InstanceNorm", "gelu", 16);
        TfcTdfNet net(cfg);
        net->eval();
        const torch::Tensor audio = torch::randn({2, 2, cfg.chunkSize()});
        const torch::Tensor plain = net->forward(audio);
        const torch::Tensor swapped = net->forward(audio.flip(1)).flip(2);
        const torch::Tensor inverted = -net->forward(-audio);
        // The network hears each version differently, or the test could not tell them apart.
        QVERIFY((swapped - plain).abs().max().item<float>() > 1e-3f);
        QVERIFY((inverted - plain).abs().max().item<float>() > 1e-3f);
        QVERIFY(!net->testTimeAugmentation());
        net->setTestTimeAugmentation(true);
        const torch::Tensor tta = net->forward(audio);
        QCOMPARE(tta.sizes(), plain.sizes());
        const torch::Tensor expected = (plain + swapped + inverted) / 3.0;
        QVERIFY2(torch::allclose(tta, expected, 1e-4, 1e-5), qPrintable(QString::number((tta - expected).abs().max().item<float>())));
        // Through the soft masks and the Wiener filter: still a split of the mix.
        const torch::Tensor roundTrip = net->stft().inverse(net->stft().forward(audio), cfg.chunkSize());
        net->setSoftMaskPower(1.5);
        net->setMultichannelWiener(true);
        const torch::Tensor filtered = net->forward(audio);
        QVERIFY(torch::allclose(filtered.sum(1), roundTrip, 1e-3, 1e-3));
        net->setTestTimeAugmentation(false);
        QVERIFY((net->forward(audio) - filtered).abs().max().item<float>() > 1e-4f); // it acts there too

        // A mono model: the plain and the inverted pass only.
        ModelConfig mono = cfg;
        mono.audio.num_channels = 1;
        TfcTdfNet monoNet(mono);
        monoNet->eval();
        const torch::Tensor one = torch::randn({1, 1, mono.chunkSize()});
        const torch::Tensor expectedMono = (monoNet->forward(one) - monoNet->forward(-one)) / 2.0;
        monoNet->setTestTimeAugmentation(true);
        QVERIFY(torch::allclose(monoNet->forward(one), expectedMono, 1e-4, 1e-5));
    }

    void badInputIsAnError_data() {
        QTest::addColumn<QList<qint64>>("shape");
        QTest::newRow("no batch") << QList<qint64>{2, 3840};
        QTest::newRow("mono into stereo") << QList<qint64>{1, 1, 3840};
        QTest::newRow("not a multiple of hop") << QList<qint64>{1, 2, 3841};
        QTest::newRow("frames not divisible") << QList<qint64>{1, 2, 256 * 16};
        QTest::newRow("too short") << QList<qint64>{1, 2, 0};
    }
    void badInputIsAnError() {
        QFETCH(QList<qint64>, shape);
        TfcTdfNet net(tinyConfig("InstanceNorm", "gelu", std::nullopt));
        std::vector<int64_t> sizes(shape.begin(), shape.end());
        try {
            net->forward(torch::zeros(sizes));
            QFAIL("bad input must throw");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            qInfo("%s", e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestTfcTdfNet)
#include "tst_tfc_tdf_net.moc"
