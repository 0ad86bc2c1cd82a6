// Forward parity with the public reference implementation: for every vector set in
// shared/testdata/mdx23c, load config.yaml + the checkpoint(s), run the model on mix frames
// [0, chunk) (zero-padded when the mix is shorter) and compare with forward/<stem>.wav.
// Also: the network's names are exactly the checkpoint's keys, and a checkpoint that does not
// fit its config is refused with a message saying how.
#include "audio/decode.h"
#include "common/error.h"
#include "model/model_loader.h"
#include "common/test_support.h"
#include "net_test_support.h"

#include <QtTest>

#include <torch/types.h>

#include <algorithm>
#include <fstream>
#include <set>

using stemdeck::Error;
using stemdeck::ErrorCode;
using namespace stemdeck::model;
namespace fs = std::filesystem;

namespace {

fs::path vectors() {
    return stemdeck::test::mdx23cVectorsDir();
}

} // namespace

class TestModelParity : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        if (vectors().empty() || !fs::is_directory(vectors())) {
            QSKIP("shared/testdata/mdx23c is missing (set STEMDECK_TESTDATA_DIR): parity not checked");
        }
        torch::set_num_threads(2);
    }

    void forwardMatchesReference_data() {
        QTest::addColumn<QString>("set");
        QTest::addColumn<QString>("checkpoint");
        if (vectors().empty()) {
            return;
        }
        std::vector<fs::path> sets;
        for (const auto& entry : fs::directory_iterator(vectors())) {
            if (fs::exists(entry.path() / "config.yaml")) {
                sets.push_back(entry.path());
            }
        }
        std::sort(sets.begin(), sets.end());
        for (const auto& set : sets) {
            for (const char* file : {"model.ckpt", "model.lightning.ckpt", "model.safetensors"}) {
                if (fs::exists(set / file)) {
                    const QString name = QString::fromStdString(set.filename().string() + "/" + file);
                    QTest::newRow(qPrintable(name))
                        << QString::fromStdString(set.filename().string()) << QString(file);
                }
            }
        }
    }
    void forwardMatchesReference() {
        QFETCH(QString, set);
        QFETCH(QString, checkpoint);
        const fs::path dir = vectors() / set.toStdString();

        LoadedModel model = loadModel(dir / "config.yaml", dir / checkpoint.toStdString());
        QVERIFY(model.check.ok());
        QVERIFY(!model.net->is_training());
        const int64_t chunk = model.config.chunkSize();

        const torch::Tensor mix = stemdeck::test::readWavTensor(dir / "mix.wav");
        QCOMPARE(mix.size(0), int64_t(model.config.audio.num_channels));
        torch::Tensor input = torch::zeros({1, mix.size(0), chunk});
        const int64_t frames = std::min(chunk, mix.size(1));
        input[0].narrow(1, 0, frames).copy_(mix.narrow(1, 0, frames));

        torch::NoGradGuard noGrad;
        const torch::Tensor out = model.net->forward(input);
        const auto stems = model.config.stems();
        QCOMPARE(out.sizes().vec(),
                 (std::vector<int64_t>{1, int64_t(stems.size()), mix.size(0), chunk}));

        double worst = 0;
        for (std::size_t s = 0; s < stems.size(); ++s) {
            const torch::Tensor expected = stemdeck::test::readWavTensor(dir / "forward" / (stems[s] + ".wav"));
            QCOMPARE(expected.sizes().vec(), (std::vector<int64_t>{mix.size(0), chunk}));
            const torch::Tensor got = out[0][s];
            const double maxAbs = (got - expected).abs().max().item<double>();
            const double relL2 = ((got - expected).norm() / expected.norm().clamp_min(1e-20)).item<double>();
            qInfo("%s %s %s: max abs error %.3g, relative L2 error %.3g (peak %.3g)", qPrintable(set),
                  qPrintable(checkpoint), stems[s].c_str(), maxAbs, relL2, expected.abs().max().item<double>());
            QVERIFY2(expected.abs().max().item<double>() > 1e-3, "reference output is silent; the check would be empty");
            worst = std::max(worst, maxAbs);
        }
        QVERIFY2(worst < 1e-4, qPrintable(QString("max abs error %1 >= 1e-4").arg(worst)));
    }

    // The tiny DrumSep config's network has exactly the checkpoint's keys: same set, and the
    // parameters in the reference's registration order.
    void parameterNamesEqualCheckpointKeys() {
        const fs::path dir = vectors() / "drumsep5_tiny";
        const ModelConfig config = loadModelConfig(dir / "config.yaml");
        TfcTdfNet net(config);
        const StateDict weights = loadStateDict(dir / "model.ckpt");

        std::vector<std::string> checkpointKeys;
        for (const auto& [name, tensor] : weights) {
            checkpointKeys.push_back(name);
        }
        std::vector<std::string> ours;
        for (const auto& p : net->named_parameters()) {
            ours.push_back(p.key());
        }
        for (const auto& b : net->named_buffers()) {
            if (b.value().defined()) {
                ours.push_back(b.key());
            }
        }
        const std::set<std::string> a(checkpointKeys.begin(), checkpointKeys.end());
        const std::set<std::string> b(ours.begin(), ours.end());
        QCOMPARE(a.size(), checkpointKeys.size());
        for (const auto& key : a) {
            QVERIFY2(b.count(key), ("missing in the network: " + key).c_str());
        }
        for (const auto& key : b) {
            QVERIFY2(a.count(key), ("not in the checkpoint: " + key).c_str());
        }
        // InstanceNorm has no buffers, so the orders must be identical too.
        QCOMPARE(ours, checkpointKeys);
        QCOMPARE(checkWeights(net, weights).describe(), std::string("all weights match the config"));
    }

    void mismatchedCheckpointIsRefused() {
        // The 2-stem vocals config with the 5-stem DrumSep weights: wrong stem count and shapes.
        const fs::path dir = vectors();
        try {
            loadModel(dir / "vocals_tiny" / "config.yaml", dir / "drumsep5_tiny" / "model.ckpt");
            QFAIL("a checkpoint of another model must be refused");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::WeightMismatch);
            const std::string message = e.what();
            qInfo("%s", message.c_str());
            QVERIFY2(message.find("model.ckpt") != std::string::npos, message.c_str());
            QVERIFY2(message.find("config lists 2 stems, checkpoint was trained for 5") != std::string::npos,
                     message.c_str());
            QVERIFY2(message.find("shape mismatches") != std::string::npos, message.c_str());
        }

        // Same layout, different stem count: only the stem count (and final_conv.2's shape).
        const ModelSummary summary =
            describeModel(dir / "drumsep5_short" / "config.yaml", dir / "drumsep5_tiny" / "model.ckpt");
        QVERIFY(summary.check.ok()); // same layout and stems: these weights fit
        QCOMPARE(summary.stems.size(), std::size_t(5));
        QCOMPARE(summary.sampleRate, 44100);
        QCOMPARE(summary.chunkSize, int64_t(32256));
        QVERIFY(std::abs(summary.chunkSeconds - 32256.0 / 44100.0) < 1e-12);

        QTemporaryDir tmp;
        const fs::path edited = stemdeck::test::toPath(tmp.filePath("config.yaml"));
        {
            std::ifstream in(dir / "drumsep5_tiny" / "config.yaml");
            std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            text.replace(text.find("  - cymbals\n"), 12, "");
            std::ofstream(edited) << text;
        }
        const ModelSummary four = describeModel(edited, dir / "drumsep5_tiny" / "model.ckpt");
        QVERIFY(!four.check.ok());
        QCOMPARE(four.check.stemCount, std::optional(std::make_pair(4, 5)));
        QVERIFY(four.check.missing.empty());
        QVERIFY(four.check.unexpected.empty());
        QCOMPARE(four.check.shapeMismatches.size(), std::size_t(1));
        QCOMPARE(four.check.shapeMismatches[0].key, std::string("final_conv.2.weight"));
        QVERIFY(four.check.describe().find("config lists 4 stems, checkpoint was trained for 5") == 0);
        QVERIFY(four.parameterCount > 0);
    }

    void missingAndUnexpectedKeysAreListed() {
        const fs::path dir = vectors() / "drumsep5_tiny";
        TfcTdfNet net(loadModelConfig(dir / "config.yaml"));
        StateDict weights = loadStateDict(dir / "model.ckpt");
        weights.erase(weights.begin());                      // first_conv.weight
        weights.emplace_back("decoder_blocks.9.extra", torch::zeros({1}));
        const WeightCheck check = checkWeights(net, weights);
        QVERIFY(!check.ok());
        QCOMPARE(check.missing, std::vector<std::string>{"first_conv.weight"});
        QCOMPARE(check.unexpected, std::vector<std::string>{"decoder_blocks.9.extra"});
        QVERIFY(!check.stemCount);
        const std::string text = check.describe();
        QVERIFY2(text.find("1 missing keys: first_conv.weight") != std::string::npos, text.c_str());
        QVERIFY2(text.find("1 unexpected keys: decoder_blocks.9.extra") != std::string::npos, text.c_str());
        try {
            applyWeights(net, weights);
            QFAIL("applyWeights must refuse");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::WeightMismatch);
        }
    }

    void halfPrecisionWeightsAreConverted() {
        // fp16 copies of the weights load into the float32 network (rounded to half precision).
        const fs::path dir = vectors() / "drumsep5_tiny";
        TfcTdfNet net(loadModelConfig(dir / "config.yaml"));
        StateDict weights = loadStateDict(dir / "model.ckpt");
        for (auto& [name, tensor] : weights) {
            if (tensor.is_floating_point()) {
                tensor = tensor.to(torch::kHalf);
            }
        }
        applyWeights(net, weights);
        const torch::Tensor w = net->named_parameters()["final_conv.0.weight"];
        QCOMPARE(w.scalar_type(), torch::kFloat);
        torch::Tensor expected;
        for (const auto& [name, tensor] : weights) {
            if (name == "final_conv.0.weight") {
                expected = tensor.to(torch::kFloat);
            }
        }
        QVERIFY(torch::equal(w, expected));
    }
};

QTEST_GUILESS_MAIN(TestModelParity)
#include "tst_model_parity.moc"
