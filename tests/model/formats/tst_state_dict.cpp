// core/model/state_dict: checkpoint records -> torch::Tensor (strides, offsets, shared
// storages, dtypes), the shared real checkpoints, and the safetensors writer round trip.
#include "checkpoint_builder.h"

#include "common/error.h"
#include "common/test_support.h"
#include "model/formats/tensor_file.h"
#include "model/state_dict.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace stemdeck;
using namespace stemdeck::test::ckpt;
namespace fmt = stemdeck::model::formats;
using stemdeck::model::StateDict;

Q_DECLARE_METATYPE(torch::ScalarType)

namespace {

torch::Tensor floats(const std::vector<float>& v) {
    return torch::tensor(v, torch::TensorOptions().dtype(torch::kFloat));
}

const torch::Tensor& find(const StateDict& dict, const std::string& name) {
    for (const auto& [n, t] : dict) {
        if (n == name) return t;
    }
    throw std::runtime_error("no tensor " + name);
}

std::vector<std::string> names(const StateDict& dict) {
    std::vector<std::string> out;
    for (const auto& [n, t] : dict) out.push_back(n);
    return out;
}

StateDict loadBytes(const Bytes& bytes, const std::string& name = "generated.ckpt") {
    return model::toStateDict(*fmt::openTensorFile(bytes, name));
}

} // namespace

class TestStateDict : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void dtypesKept_data();
    void dtypesKept();
    void stridesOffsetsAndSharing();
    void prefixesRemoved();
    void errorsNameTheFile();
    void realCheckpoints();
    void drumsepFormatsGiveSameTensors();
    void safetensorsRoundTrip_data();
    void safetensorsRoundTrip();
    void safetensorsRefusals();
};

void TestStateDict::dtypesKept_data() {
    QTest::addColumn<fmt::DType>("dtype");
    QTest::addColumn<torch::ScalarType>("expected");
    QTest::newRow("fp32") << fmt::DType::F32 << torch::kFloat;
    QTest::newRow("fp16") << fmt::DType::F16 << torch::kHalf;
    QTest::newRow("bf16") << fmt::DType::BF16 << torch::kBFloat16;
    QTest::newRow("fp64") << fmt::DType::F64 << torch::kDouble;
    QTest::newRow("int64 buffer") << fmt::DType::I64 << torch::kLong;
}

void TestStateDict::dtypesKept() {
    QFETCH(fmt::DType, dtype);
    QFETCH(torch::ScalarType, expected);
    const auto data = exactValues(6, 11);
    CheckpointSpec spec;
    spec.storages["0"] = {dtype, 6, encode(data, dtype)};
    spec.tensors.push_back({"w", "0", dtype, {2, 3}, {3, 1}, 0, true});
    const StateDict dict = loadBytes(torchCheckpoint(spec));
    QCOMPARE(dict.size(), std::size_t{1});
    const torch::Tensor& t = dict[0].second;
    QCOMPARE(t.scalar_type(), expected);
    QVERIFY(t.device().is_cpu());
    QCOMPARE(t.sizes().vec(), (std::vector<int64_t>{2, 3}));
    const torch::Tensor want = floats(data).reshape({2, 3}).to(expected).to(torch::kFloat);
    QVERIFY(torch::equal(t.to(torch::kFloat), want));
}

void TestStateDict::stridesOffsetsAndSharing() {
    const auto data = exactValues(12, 5);
    CheckpointSpec spec;
    spec.storages["s"] = {fmt::DType::F32, 12, encode(data, fmt::DType::F32)};
    spec.tensors.push_back({"transposed", "s", fmt::DType::F32, {4, 3}, {1, 4}, 0, false});
    spec.tensors.push_back({"slice", "s", fmt::DType::F32, {2, 2}, {4, 2}, 1, false});
    spec.tensors.push_back({"tail", "s", fmt::DType::F32, {4}, {1}, 8, true});
    StateDict dict = loadBytes(torchCheckpoint(spec));
    QCOMPARE(names(dict), (std::vector<std::string>{"transposed", "slice", "tail"}));

    const torch::Tensor base = floats(data).reshape({3, 4});
    const torch::Tensor& transposed = find(dict, "transposed");
    QVERIFY(transposed.is_contiguous());
    QVERIFY(torch::equal(transposed, base.t()));
    QVERIFY(torch::equal(find(dict, "slice"), floats({data[1], data[3], data[5], data[7]}).reshape({2, 2})));
    QVERIFY(torch::equal(find(dict, "tail"), floats({data[8], data[9], data[10], data[11]})));

    // Copies, not views of one buffer: changing one leaves the others alone.
    find(dict, "tail").fill_(100.0f);
    QVERIFY(torch::equal(find(dict, "transposed"), base.t()));
}

void TestStateDict::prefixesRemoved() {
    CheckpointSpec spec;
    spec.storages["0"] = {fmt::DType::BF16, 4, encode(exactValues(4, 1), fmt::DType::BF16)};
    spec.tensors.push_back({"first_conv.weight", "0", fmt::DType::BF16, {4}, {1}, 0, true});
    spec.layout = Layout::Lightning;
    spec.namePrefix = "model.";
    QCOMPARE(names(loadBytes(torchCheckpoint(spec))), std::vector<std::string>{"first_conv.weight"});
    spec.layout = Layout::OrderedDict;
    spec.namePrefix = "module.";
    QCOMPARE(names(loadBytes(torchCheckpoint(spec))), std::vector<std::string>{"first_conv.weight"});
}

void TestStateDict::errorsNameTheFile() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto unsafe = test::toPath(dir.filePath("evil.ckpt"));
    PickleWriter w;
    w.global("os", "system").mark().str("true").op('t').op('R');
    writeFile(unsafe, torchCheckpointWithPickle(w.finish()));
    try {
        model::loadStateDict(unsafe);
        QFAIL("an unsafe checkpoint loaded");
    } catch (const Error& e) {
        QCOMPARE(e.code(), ErrorCode::UnsafeCheckpoint);
        QVERIFY2(std::string(e.what()).find(unsafe.string()) != std::string::npos, e.what());
        QVERIFY2(std::string(e.what()).find("os.system") != std::string::npos, e.what());
    }
    try {
        model::loadStateDict(test::toPath(dir.filePath("absent.safetensors")));
        QFAIL("a missing file loaded");
    } catch (const Error& e) {
        QCOMPARE(e.code(), ErrorCode::FileNotFound);
        QVERIFY2(std::string(e.what()).find("absent.safetensors") != std::string::npos, e.what());
    }
}

void TestStateDict::realCheckpoints() {
    const auto root = test::mdx23cVectorsDir();
    if (root.empty()) QSKIP("shared/testdata/mdx23c is missing (set STEMDECK_TESTDATA_DIR)");
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
        const auto ckpt = entry.path() / "model.ckpt";
        if (!std::filesystem::exists(ckpt)) continue;
        const StateDict dict = model::loadStateDict(ckpt);
        QCOMPARE(dict.size(), fmt::openTensorFile(ckpt)->tensors().size());
        QCOMPARE(dict.front().first, std::string("first_conv.weight"));
        std::set<std::string> unique;
        int64_t elements = 0;
        for (const auto& [name, t] : dict) {
            QVERIFY(unique.insert(name).second);
            QVERIFY2(t.defined() && t.device().is_cpu() && t.is_contiguous(), name.c_str());
            QVERIFY2(t.is_floating_point() ? t.scalar_type() == torch::kFloat : t.scalar_type() == torch::kLong,
                     name.c_str());
            if (t.is_floating_point()) QVERIFY2(torch::isfinite(t).all().item<bool>(), name.c_str());
            elements += t.numel();
        }
        // Random weights (README): a weight that failed to load would be all zeros.
        QVERIFY(find(dict, "first_conv.weight").abs().sum().item<float>() > 0.0f);
        qDebug("%s: %zu tensors, %lld elements", entry.path().filename().c_str(), dict.size(),
               static_cast<long long>(elements));
        ++count;
    }
    QVERIFY(count >= 1);
}

void TestStateDict::drumsepFormatsGiveSameTensors() {
    const auto root = test::mdx23cVectorsDir();
    if (root.empty()) QSKIP("shared/testdata/mdx23c is missing (set STEMDECK_TESTDATA_DIR)");
    const auto dir = root / "drumsep5_tiny";
    const StateDict plain = model::loadStateDict(dir / "model.ckpt");
    const StateDict lightning = model::loadStateDict(dir / "model.lightning.ckpt");
    const StateDict safetensors = model::loadStateDict(dir / "model.safetensors");
    QCOMPARE(names(lightning), names(plain));
    QCOMPARE(names(safetensors), names(plain));
    for (std::size_t i = 0; i < plain.size(); ++i) {
        const torch::Tensor& p = plain[i].second;
        QVERIFY2(torch::equal(lightning[i].second, p), plain[i].first.c_str());
        // safetensors may hold another dtype: compare after converting to it
        const torch::Tensor& s = safetensors[i].second;
        QCOMPARE(s.sizes().vec(), p.sizes().vec());
        QVERIFY2(torch::equal(s, p.to(s.scalar_type())), plain[i].first.c_str());
    }
}

void TestStateDict::safetensorsRoundTrip_data() {
    QTest::addColumn<torch::ScalarType>("storeAs");
    QTest::newRow("F32") << torch::kFloat;
    QTest::newRow("F16") << torch::kHalf;
    QTest::newRow("BF16") << torch::kBFloat16;
}

void TestStateDict::safetensorsRoundTrip() {
    QFETCH(torch::ScalarType, storeAs);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    torch::manual_seed(3);
    const StateDict original{
        {"first_conv.weight", torch::randn({8, 4, 1, 1})},
        {"norm.running_var", torch::rand({8}, torch::kDouble)},
        {"transposed.weight", torch::randn({5, 3}).t()}, // non-contiguous input
        {"norm.num_batches_tracked", torch::tensor(int64_t{42})},
        {"empty", torch::empty({0, 3})},
    };
    const auto path = test::toPath(dir.filePath("weights.safetensors"));
    writeFile(path, toBytes("previous version"));
    model::saveSafetensors(path, original, storeAs, {{"stems", "kick,snare"}});
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1); // no temporary left

    const StateDict loaded = model::loadStateDict(path);
    QCOMPARE(names(loaded), names(original));
    for (std::size_t i = 0; i < original.size(); ++i) {
        const torch::Tensor& o = original[i].second;
        const torch::Tensor& l = loaded[i].second;
        QCOMPARE(l.sizes().vec(), o.sizes().vec());
        if (o.is_floating_point()) {
            QCOMPARE(l.scalar_type(), storeAs);
            QVERIFY2(torch::equal(l, o.to(storeAs)), original[i].first.c_str());
        } else {
            QCOMPARE(l.scalar_type(), o.scalar_type());
            QVERIFY(torch::equal(l, o));
        }
    }
    const auto file = fmt::openTensorFile(path);
    QCOMPARE(file->metadata().at("stems"), std::string("kick,snare"));
}

void TestStateDict::safetensorsRefusals() {
    QTemporaryDir dir;
    const auto path = test::toPath(dir.filePath("x.safetensors"));
    const StateDict dict{{"w", torch::ones({2})}};
    try {
        model::saveSafetensors(path, dict, torch::kInt);
        QFAIL("int32 storage accepted");
    } catch (const Error& e) {
        QCOMPARE(e.code(), ErrorCode::InvalidArgument);
    }
    try {
        model::saveSafetensors(path, {{"c", torch::ones({2}, torch::kComplexFloat)}}, torch::kFloat);
        QFAIL("complex tensor accepted");
    } catch (const Error& e) {
        QCOMPARE(e.code(), ErrorCode::InvalidArgument);
        QVERIFY2(std::string(e.what()).find("'c'") != std::string::npos, e.what());
    }
    const auto noDir = test::toPath(dir.filePath("missing/x.safetensors"));
    try {
        model::saveSafetensors(noDir, dict, torch::kFloat);
        QFAIL("wrote into a missing folder");
    } catch (const Error& e) {
        QCOMPARE(e.code(), ErrorCode::WriteFailed);
    }
    QVERIFY(!std::filesystem::exists(path));
    QVERIFY(!std::filesystem::exists(noDir));
}

QTEST_GUILESS_MAIN(TestStateDict)
#include "tst_state_dict.moc"
