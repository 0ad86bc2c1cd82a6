// The two memory layouts of the TFC-TDF v3 forward (issue #9): channels-last activations with the
// TDF Linear layers as batched products (NetRuntime::channelsLast), and the TDF residual added by
// its second product (NetRuntime::tdfResidualInProduct), each against the default layout on
// small random configs of every norm/activation kind (odd channel counts too), under autograd,
// and on the shared parity vectors against the reference's own outputs. On the CPU here; the
// CUDA kernels of the same path are compared on the GPU by `stemdeck-cli bench --compare-levers
// kept` (bench/NOTES.md "GPU").
#include "audio/decode.h"
#include "common/test_support.h"
#include "model/model_config.h"
#include "model/model_loader.h"
#include "model/tfc_tdf_net.h"
#include "net_test_support.h"

#include <QtTest>

#include <torch/types.h>

#include <algorithm>
#include <string>

using namespace stemdeck::model;
namespace fs = std::filesystem;

namespace {

struct Variant {
    bool channelsLast;
    bool residualProduct;
};

ModelConfig smallConfig(const std::string& norm, const std::string& act, int64_t channels, int64_t growth,
                        int64_t subbands, bool singleTarget) {
    return stemdeck::test::smallNetConfig(norm, act, channels, growth, subbands,
                                          singleTarget ? std::optional<std::string>("b") : std::nullopt);
}

// Random norm affine parameters too (they start at 1 and 0), so a layout mix-up in the
// per-channel scale or offset shows.
void randomiseNorms(TfcTdfNet& net) {
    torch::NoGradGuard noGrad;
    for (auto& p : net->named_parameters()) {
        if (p.value().dim() == 1) p.value().uniform_(0.5, 1.5);
    }
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }


void setVariant(TfcTdfNet& net, Variant v) {
    net->setChannelsLast(v.channelsLast);
    net->setTdfResidualInProduct(v.residualProduct);
}

} // namespace

class TestNetLayouts : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(2); }

    void layoutsAgree_data() {
        QTest::addColumn<QString>("norm");
        QTest::addColumn<QString>("act");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("growth");
        QTest::addColumn<int>("subbands");
        QTest::addColumn<bool>("singleTarget");
        QTest::addColumn<bool>("channelsLast");
        QTest::addColumn<bool>("residualProduct");
        struct Net {
            const char* name;
            const char* norm;
            const char* act;
            int channels, growth, subbands;
            bool single;
        };
        const Net nets[] = {
            {"instance_gelu", "InstanceNorm", "gelu", 8, 8, 2, false},
            {"instance_gelu_odd", "InstanceNorm", "gelu", 3, 5, 1, false},
            {"batch_elu_single", "BatchNorm", "elu1.0", 6, 4, 2, true},
            {"group_relu", "GroupNorm2", "relu", 4, 4, 4, false},
        };
        const std::pair<const char*, Variant> variants[] = {
            {"channels_last", {true, false}}, {"residual_product", {false, true}}, {"both", {true, true}}};
        for (const Net& n : nets) {
            for (const auto& [vname, v] : variants) {
                QTest::newRow((std::string(n.name) + "/" + vname).c_str())
                    << QString(n.norm) << QString(n.act) << n.channels << n.growth << n.subbands << n.single
                    << v.channelsLast << v.residualProduct;
            }
        }
    }
    // Same weights, same input: the variant's output equals the default layout's to float
    // rounding, for a batch of two.
    void layoutsAgree() {
        QFETCH(QString, norm);
        QFETCH(QString, act);
        QFETCH(int, channels);
        QFETCH(int, growth);
        QFETCH(int, subbands);
        QFETCH(bool, singleTarget);
        QFETCH(bool, channelsLast);
        QFETCH(bool, residualProduct);
        const ModelConfig config =
            smallConfig(norm.toStdString(), act.toStdString(), channels, growth, subbands, singleTarget);
        torch::manual_seed(7);
        TfcTdfNet net(config);
        randomiseNorms(net);
        net->eval();
        torch::NoGradGuard noGrad;
        const torch::Tensor mix = torch::randn({2, 2, config.chunkSize()});
        const torch::Tensor expected = net->forward(mix);

        setVariant(net, {channelsLast, residualProduct});
        QCOMPARE(net->channelsLast(), channelsLast);
        QCOMPARE(net->tdfResidualInProduct(), residualProduct);
        const torch::Tensor got = net->forward(mix);
        QCOMPARE(got.sizes().vec(), expected.sizes().vec());
        const double peak = expected.abs().max().item<double>();
        QVERIFY2(peak > 1e-3, "the network's output is silent; the comparison would be empty");
        const double diff = maxAbsDiff(got, expected);
        qInfo("max abs diff %.3g (peak %.3g)", diff, peak);
        QVERIFY2(diff <= 1e-5 * std::max(1.0, peak), qPrintable(QString("max abs diff %1").arg(diff)));

        // And back: the default layout again gives the default result.
        setVariant(net, {false, false});
        QVERIFY(maxAbsDiff(net->forward(mix), expected) <= 1e-6 * std::max(1.0, peak));
    }

    // setChannelsLast stores the convolution weights channels-last (and back), and leaves the
    // other parameters and every value alone.
    void weightsFollowTheLayout() {
        const ModelConfig config = smallConfig("InstanceNorm", "gelu", 8, 8, 2, false);
        TfcTdfNet net(config);
        std::vector<torch::Tensor> before;
        for (const auto& p : net->parameters()) before.push_back(p.detach().clone());
        net->setChannelsLast(true);
        int conv = 0;
        const auto params = net->parameters();
        for (std::size_t i = 0; i < params.size(); ++i) {
            const torch::Tensor& p = params[i];
            if (p.dim() == 4) {
                ++conv;
                if (p.size(1) > 1 && p.size(2) * p.size(3) > 1)
                    QVERIFY(p.is_contiguous(at::MemoryFormat::ChannelsLast) && !p.is_contiguous());
            } else {
                QVERIFY(p.is_contiguous());
            }
            QVERIFY(torch::equal(p, before[i]));
        }
        QVERIFY(conv > 0);
        net->setChannelsLast(false);
        for (const auto& p : net->parameters()) QVERIFY(p.is_contiguous());
    }

    // Training runs the same modules with autograd: the residual product must not write over an
    // activation the backward pass needs (it falls back to a separate add), and the gradients
    // equal the default layout's.
    void gradientsAgree() {
        const ModelConfig config = smallConfig("InstanceNorm", "gelu", 4, 4, 2, false);
        torch::manual_seed(11);
        TfcTdfNet net(config);
        randomiseNorms(net);
        net->train();
        const torch::Tensor mix = torch::randn({2, 2, config.chunkSize()});
        auto gradients = [&](Variant v) {
            setVariant(net, v);
            net->zero_grad();
            net->forward(mix).square().mean().backward();
            std::vector<torch::Tensor> g;
            for (const auto& p : net->parameters()) g.push_back(p.grad().clone());
            return g;
        };
        const std::vector<torch::Tensor> expected = gradients({false, false});
        const auto names = net->named_parameters().keys();
        for (Variant v : {Variant{true, false}, Variant{false, true}, Variant{true, true}}) {
            const std::vector<torch::Tensor> got = gradients(v);
            QCOMPARE(got.size(), expected.size());
            double worst = 0; // relative to each parameter's largest gradient
            for (std::size_t i = 0; i < got.size(); ++i) {
                const double peak = expected[i].abs().max().item<double>();
                QVERIFY2(peak > 0, qPrintable(QString::fromStdString("no gradient reaches " + names[i])));
                const double rel = maxAbsDiff(got[i], expected[i]) / peak;
                QVERIFY2(rel <= 1e-3, qPrintable(QString("%1: gradient differs by %2 of its peak (layout %3, product %4)")
                                                     .arg(QString::fromStdString(names[i])).arg(rel)
                                                     .arg(v.channelsLast).arg(v.residualProduct)));
                worst = std::max(worst, rel);
            }
            qInfo("channels-last %d, residual product %d: gradients within %.3g of their peaks", v.channelsLast,
                  v.residualProduct, worst);
        }
    }

    void parityVectors_data() {
        QTest::addColumn<QString>("set");
        const fs::path root = stemdeck::test::mdx23cVectorsDir();
        if (root.empty() || !fs::is_directory(root)) return;
        std::vector<std::string> sets;
        for (const auto& entry : fs::directory_iterator(root))
            if (fs::exists(entry.path() / "config.yaml") && fs::exists(entry.path() / "model.ckpt"))
                sets.push_back(entry.path().filename().string());
        std::sort(sets.begin(), sets.end());
        for (const auto& s : sets) QTest::newRow(s.c_str()) << QString::fromStdString(s);
    }
    // The reference's forward outputs (shared/testdata/mdx23c) with both levers on: the same
    // bound as tst_model_parity, and the default layout's result to float rounding.
    void parityVectors() {
        const fs::path root = stemdeck::test::mdx23cVectorsDir();
        if (root.empty() || !fs::is_directory(root))
            QSKIP("shared/testdata/mdx23c is missing (set STEMDECK_TESTDATA_DIR): parity not checked");
        QFETCH(QString, set);
        const fs::path dir = root / set.toStdString();
        LoadedModel model = loadModel(dir / "config.yaml", dir / "model.ckpt");
        const int64_t chunk = model.config.chunkSize();
        const torch::Tensor mix = stemdeck::test::readWavTensor(dir / "mix.wav");
        torch::Tensor input = torch::zeros({1, mix.size(0), chunk});
        const int64_t frames = std::min(chunk, mix.size(1));
        input[0].narrow(1, 0, frames).copy_(mix.narrow(1, 0, frames));

        torch::NoGradGuard noGrad;
        const torch::Tensor plain = model.net->forward(input);
        model.net->setChannelsLast(true);
        model.net->setTdfResidualInProduct(true);
        const torch::Tensor out = model.net->forward(input);
        const auto stems = model.config.stems();
        double worst = 0, worstPlain = 0;
        for (std::size_t s = 0; s < stems.size(); ++s) {
            const torch::Tensor expected = stemdeck::test::readWavTensor(dir / "forward" / (stems[s] + ".wav"));
            QVERIFY2(expected.abs().max().item<double>() > 1e-3, "reference output is silent");
            worst = std::max(worst, maxAbsDiff(out[0][s], expected));
            worstPlain = std::max(worstPlain, maxAbsDiff(out[0][s], plain[0][s]));
        }
        qInfo("%s: max abs error vs reference %.3g, vs default layout %.3g", qPrintable(set), worst, worstPlain);
        QVERIFY2(worst < 1e-4, qPrintable(QString("max abs error %1 >= 1e-4").arg(worst)));
        QVERIFY2(worstPlain < 1e-5, qPrintable(QString("differs from the default layout by %1").arg(worstPlain)));
    }
};

QTEST_GUILESS_MAIN(TestNetLayouts)
#include "tst_net_layouts.moc"
