// Config and checkpoint pairs that disagree, through core/model's loadModel with the shared tiny
// vector model (variants_groupnorm_relu): keys missing, unexpected or renamed, a shape changed,
// integer or boolean weights, a config listing fewer or more stems than the checkpoint was
// trained for. Each must be refused with a clear error naming the checkpoint and the problem;
// fp16/fp64 copies of the same weights must load. Checkpoints are written as safetensors from
// the shared torch.save file, so every variant differs from the real one in exactly one way.
#include "common/test_support.h"
#include "fake_engine.h"
#include "model/formats/safetensors.h"
#include "model/formats/tensor_file.h"
#include "model/model_loader.h"

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <fstream>
#include <map>

using namespace stemdeck;
namespace fs = std::filesystem;
namespace fmt = stemdeck::model::formats;

namespace {

struct Tensor {
    std::string name;
    fmt::DType dtype;
    std::vector<int64_t> shape;
    std::vector<std::byte> bytes;
};

std::vector<Tensor> readShared(const fs::path& ckpt) {
    auto file = fmt::openTensorFile(ckpt);
    std::vector<Tensor> out;
    for (const auto& r : file->tensors()) {
        const auto storage = file->readStorage(r.storageKey);
        const size_t es = fmt::elementSize(r.dtype);
        if (!r.isContiguous()) qFatal("shared checkpoint tensor %s is not contiguous", r.name.c_str());
        const auto* first = storage.data() + size_t(r.storageOffset) * es;
        out.push_back({r.name, r.dtype, r.shape, {first, first + r.numel() * es}});
    }
    return out;
}

void write(const fs::path& path, const std::vector<Tensor>& tensors, const std::map<std::string, std::string>& metadata = {}) {
    std::vector<fmt::SafetensorsTensor> st;
    for (const auto& t : tensors) st.push_back({t.name, t.dtype, t.shape, {t.bytes.data(), t.bytes.size()}});
    fmt::writeSafetensors(path, st, metadata);
}

// Re-encodes float32 tensors as another dtype (values converted, not reinterpreted).
std::vector<Tensor> convert(std::vector<Tensor> ts, fmt::DType to) {
    for (auto& t : ts) {
        if (t.dtype != fmt::DType::F32) continue;
        const size_t n = t.bytes.size() / 4;
        std::vector<float> v(n);
        std::memcpy(v.data(), t.bytes.data(), n * 4);
        std::vector<std::byte> out(n * fmt::elementSize(to));
        for (size_t i = 0; i < n; ++i) {
            if (to == fmt::DType::F64) {
                const double d = v[i];
                std::memcpy(out.data() + i * 8, &d, 8);
            } else if (to == fmt::DType::I32) {
                const int32_t x = int32_t(v[i] * 1000.0f);
                std::memcpy(out.data() + i * 4, &x, 4);
            } else if (to == fmt::DType::Bool) {
                out[i] = std::byte(v[i] > 0.0f ? 1 : 0);
            }
        }
        t.dtype = to;
        t.bytes = std::move(out);
    }
    return ts;
}

std::string readText(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

} // namespace

class TestBadCheckpoint : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    fs::path m_vectors;
    std::vector<Tensor> m_real;

private Q_SLOTS:
    void initTestCase() {
        m_vectors = test::mdx23cVectorsDir() / "variants_groupnorm_relu";
        if (test::mdx23cVectorsDir().empty() || !fs::exists(m_vectors / "model.ckpt"))
            QSKIP("shared vectors missing (set STEMDECK_TESTDATA_DIR)");
        m_real = readShared(m_vectors / "model.ckpt");
        QVERIFY(m_real.size() > 10);
    }

    void mismatch_data() {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<int>("code"); // -1: must load
        QTest::addColumn<QString>("words");
        const int W = static_cast<int>(stemdeck::ErrorCode::WeightMismatch);
        QTest::newRow("unchanged (control)") << QStringLiteral("unchanged") << -1 << QStringLiteral("");
        QTest::newRow("fp64 weights load") << QStringLiteral("fp64") << -1 << QStringLiteral("");
        QTest::newRow("missing key") << QStringLiteral("missing") << W << QStringLiteral("missing");
        QTest::newRow("unexpected key") << QStringLiteral("unexpected") << W << QStringLiteral("extra.weight");
        QTest::newRow("renamed keys") << QStringLiteral("renamed") << W << QStringLiteral("first_conv");
        QTest::newRow("wrong shape") << QStringLiteral("shape") << W << QStringLiteral("shape");
        QTest::newRow("int32 weights") << QStringLiteral("int32") << W << QStringLiteral("Int");
        QTest::newRow("bool weights") << QStringLiteral("bool") << W << QStringLiteral("Bool");
        QTest::newRow("config lists fewer stems") << QStringLiteral("fewer-stems") << W << QStringLiteral("stems");
        QTest::newRow("config lists more stems") << QStringLiteral("more-stems") << W << QStringLiteral("stems");
        QTest::newRow("config is another size") << QStringLiteral("other-size") << W << QStringLiteral("");
        // The shapes cannot tell stems apart; a checkpoint that names its stems (StemDeck's
        // exports) is refused with a config that lists them in another order, and loads with its own.
        QTest::newRow("stems named, config in their order") << QStringLiteral("stems-named") << -1 << QStringLiteral("");
        QTest::newRow("stems named, config reordered") << QStringLiteral("stems-reordered") << W
                                                       << QStringLiteral("would come out under the wrong names");
    }

    void mismatch() {
        QFETCH(QString, variant);
        QFETCH(int, code);
        QFETCH(QString, words);
        const std::string v = variant.toStdString();
        const fs::path dir = test::toPath(m_dir.path());
        fs::path config = m_vectors / "config.yaml";
        const fs::path ckpt = dir / (v + ".safetensors");
        std::vector<Tensor> ts = m_real;
        std::string yaml = readText(config);
        const auto editConfig = [&](const std::string& from, const std::string& to) {
            const size_t at = yaml.find(from);
            QVERIFY2(at != std::string::npos, from.c_str());
            yaml.replace(at, from.size(), to);
            config = dir / (v + ".yaml");
            std::ofstream(config) << yaml;
        };
        size_t conv = 0; // the first 4-D weight
        while (conv < ts.size() && ts[conv].shape.size() != 4) ++conv;
        QVERIFY(conv < ts.size());
        if (v == "fp64") ts = convert(ts, fmt::DType::F64);
        else if (v == "missing") ts.erase(ts.begin() + long(conv));
        else if (v == "unexpected") ts.push_back({"extra.weight", fmt::DType::F32, {2}, std::vector<std::byte>(8)});
        else if (v == "renamed")
            for (auto& t : ts) {
                if (t.name.rfind("first_conv", 0) == 0) t.name = "first-conv" + t.name.substr(10);
            }
        else if (v == "shape") {
            int64_t n = 1;
            for (int64_t d : ts[conv].shape) n *= d;
            ts[conv].shape = {n};
        } else if (v == "int32") ts = convert(ts, fmt::DType::I32);
        else if (v == "bool") ts = convert(ts, fmt::DType::Bool);
        else if (v == "fewer-stems") editConfig("  - sfx\n", "");
        else if (v == "more-stems") editConfig("  - sfx\n", "  - sfx\n  - crowd\n");
        else if (v == "other-size") editConfig("growth: ", "growth: 1");
        else if (v == "stems-reordered") editConfig("  - music\n  - speech\n", "  - speech\n  - music\n");
        std::map<std::string, std::string> metadata;
        if (v.rfind("stems-", 0) == 0) metadata["stems"] = "music,speech,sfx";
        write(ckpt, ts, metadata);

        const bool peakKnown = test::resetPeakResident();
        const int64_t rssBefore = test::residentBytes();
        try {
            const auto loaded = model::loadModel(config, ckpt);
            QVERIFY2(code == -1, "a checkpoint that does not fit the config was loaded");
            QVERIFY(loaded.check.ok());
        } catch (const Error& e) {
            const QString message = QString::fromStdString(e.what());
            qInfo().noquote() << errorCodeName(e.code()) << "|" << message.left(300);
            QVERIFY2(code != -1, qPrintable(message));
            QCOMPARE(errorCodeName(e.code()), errorCodeName(ErrorCode(code)));
            QVERIFY2(message.contains(QString::fromStdString(ckpt.filename().string())), qPrintable(message));
            QVERIFY2(message.contains(words, Qt::CaseInsensitive), qPrintable(message));
        }
        // The peak, where known: a tensor allocated at a claimed size and freed by the error counts.
        const int64_t grown = (peakKnown ? test::peakResidentBytes() : test::residentBytes()) - rssBefore;
        qInfo("%s grew by %.1f MiB", peakKnown ? "peak RSS" : "RSS", double(grown) / (1 << 20));
        QVERIFY2(grown < (64 << 20), qPrintable(QStringLiteral("grew by %1 MiB").arg(grown >> 20)));
    }
};

QTEST_GUILESS_MAIN(TestBadCheckpoint)
#include "tst_bad_checkpoint.moc"
