// BatchRunner with injected failures: the out-of-memory halving sequence down to the CPU
// (CUDA, MPS and CPU error texts), kernel failure retry then CPU, NaN detection, cancellation,
// contiguity of inputs, and the transfer helpers (PinnedStaging on CPU, MPS tensor limits).
#include "common/error.h"
#include "device/batch_runner.h"
#include "device/failure_memory.h"
#include "device/transfer.h"

#include <QtTest>

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <limits>
#include <map>
#include <vector>

using namespace stemdeck;
using namespace stemdeck::device;

namespace {

constexpr int kChannels = 2;
constexpr int kStems = 3;
constexpr int kLength = 64;

// Chunk i's input is a ramp seeded by i, so every chunk is different and checkable.
at::Tensor makeChunks(int64_t first, int64_t count) {
    auto idx = at::arange(first, first + count, at::kFloat).view({count, 1, 1});
    auto t = at::arange(kChannels * kLength, at::kFloat).view({1, kChannels, kLength});
    return (idx * 1000.0 + t).contiguous();
}

// A deterministic "model": stem s = input * (s + 1) + sin(input).
at::Tensor model(const at::Tensor& input) {
    std::vector<at::Tensor> stems;
    for (int s = 0; s < kStems; ++s) stems.push_back(input * (s + 1) + at::sin(input));
    return at::stack(stems, 1);
}

struct Recorder {
    std::vector<int64_t> firsts;
    std::map<int64_t, at::Tensor> chunks; // chunk index -> [S, C, T]
    int duplicates = 0;
    BatchRunner::Consume consume() {
        return [this](int64_t first, const at::Tensor& out) {
            QVERIFY(out.device().is_cpu());
            QCOMPARE(out.scalar_type(), at::kFloat);
            QVERIFY(out.is_contiguous());
            firsts.push_back(first);
            for (int64_t i = 0; i < out.size(0); ++i) {
                if (chunks.count(first + i)) ++duplicates;
                chunks[first + i] = out[i].clone();
            }
        };
    }
};

struct Events {
    std::vector<ProfileEvent> all;
    ProfileSink sink() {
        return [this](const ProfileEvent& e) { all.push_back(e); };
    }
    std::vector<int64_t> batchSizeChanges() const {
        std::vector<int64_t> v;
        for (const auto& e : all)
            if (e.kind == ProfileEvent::Kind::BatchSizeChange) v.push_back(e.value);
        return v;
    }
    int count(ProfileEvent::Kind k) const {
        int n = 0;
        for (const auto& e : all) n += e.kind == k;
        return n;
    }
};

void compareWithReference(const Recorder& r, int64_t chunkCount) {
    QCOMPARE(r.duplicates, 0);
    QCOMPARE(static_cast<int64_t>(r.chunks.size()), chunkCount);
    // In order: each consumed batch starts where the previous ended.
    for (size_t i = 1; i < r.firsts.size(); ++i) QVERIFY(r.firsts[i] > r.firsts[i - 1]);
    const at::Tensor reference = model(makeChunks(0, chunkCount));
    for (int64_t i = 0; i < chunkCount; ++i) QVERIFY2(at::equal(r.chunks.at(i), reference[i]), qPrintable(QString::number(i)));
}

} // namespace

class TestBatchRunner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runsAllChunksInBatches();
    void oomHalvesDownToCpu_data();
    void oomHalvesDownToCpu();
    void oomStopsHalvingWhereItFits();
    void oomWithoutCpuFallbackFails();
    void oomOnCpuHalvesThenFails();
    void kernelFailureRetriedOnce();
    void kernelFailureRunsBatchOnCpuAndContinues();
    void repeatedKernelFailureMovesJobToCpu();
    void nanIsNeverConsumed();
    void cancelBetweenBatches();
    void inputsMadeContiguousFloat32();
    void badOutputShapeIsAnError();
    void pinnedStagingOnCpuIsANoOp();
    void asyncDownloadOnCpuCopiesThenRunsHostWorkInOrder();
    void mpsTensorLimitCheck();
};

void TestBatchRunner::runsAllChunksInBatches() {
    Recorder r;
    Events ev;
    BatchRunner runner({4, DeviceId::cpu()}, ev.sink());
    std::vector<int64_t> sizes;
    runner.run(10, makeChunks,
               [&](const at::Tensor& in, const c10::Device& d) {
                   [&] { QVERIFY(d.is_cpu()); }();
                   sizes.push_back(in.size(0));
                   return model(in);
               },
               r.consume(), nullptr);
    compareWithReference(r, 10);
    QCOMPARE(sizes, (std::vector<int64_t>{4, 4, 2}));
    QCOMPARE(ev.count(ProfileEvent::Kind::Batch), 3);
    QVERIFY(runner.changes().empty());
    runner.run(0, makeChunks, [](const at::Tensor& in, const c10::Device&) { return model(in); }, r.consume(), nullptr);
}

void TestBatchRunner::oomHalvesDownToCpu_data() {
    QTest::addColumn<QString>("device");
    QTest::addColumn<QString>("oomText");
    QTest::newRow("cuda") << "cuda:0"
                          << "CUDA out of memory. Tried to allocate 5.71 GiB (GPU 0; 14.76 GiB total capacity; 9.12 GiB already allocated)";
    QTest::newRow("mps") << "mps"
                         << "MPS backend out of memory (MPS allocated: 5.05 GB, other allocations: 2.29 GB, max allowed: "
                            "6.77 GB). Tried to allocate 1024.00 MB on private pool.";
}

void TestBatchRunner::oomHalvesDownToCpu() {
    QFETCH(QString, device);
    QFETCH(QString, oomText);
    const DeviceId dev = *DeviceId::parse(device.toStdString());
    Recorder r;
    Events ev;
    FailureMemory failures;
    BatchRunnerOptions o{8, dev};
    o.failures = &failures;
    o.modelKey = "model-a";
    BatchRunner runner(o, ev.sink());
    std::vector<std::pair<std::string, int64_t>> calls; // device, batch size
    runner.run(13, makeChunks,
               [&](const at::Tensor& in, const c10::Device& d) {
                   calls.emplace_back(d.str(), in.size(0));
                   if (!d.is_cpu()) throw c10::Error(oomText.toStdString(), "");
                   return model(in);
               },
               r.consume(), nullptr);
    compareWithReference(r, 13);
    QCOMPARE(ev.batchSizeChanges(), (std::vector<int64_t>{4, 2, 1}));
    QCOMPARE(ev.count(ProfileEvent::Kind::Fallback), 1);
    QCOMPARE(runner.currentDevice(), DeviceId::cpu());
    QCOMPARE(runner.currentBatch(), 1);
    // Device attempts 8, 4, 2, 1, then every chunk once on the CPU at batch 1.
    QCOMPARE(calls.size(), size_t(4 + 13));
    QCOMPARE(calls[0].second, int64_t(8));
    QCOMPARE(calls[3].second, int64_t(1));
    QCOMPARE(calls[4].first, std::string("cpu"));
    QCOMPARE(runner.changes().size(), size_t(4));
    QVERIFY2(runner.changes()[0].find("batch 8 -> 4") != std::string::npos, runner.changes()[0].c_str());
    QVERIFY(runner.changes()[3].find("continuing on the CPU") != std::string::npos);
    QVERIFY(failures.hasFailed("model-a", dev));
}

void TestBatchRunner::oomStopsHalvingWhereItFits() {
    Recorder r;
    Events ev;
    BatchRunner runner({8, DeviceId::cuda(0)}, ev.sink());
    int deviceChunks = 0;
    runner.run(11, makeChunks,
               [&](const at::Tensor& in, const c10::Device& d) {
                   if (in.size(0) > 2) throw c10::Error("CUDA out of memory. Tried to allocate 2.00 GiB", "");
                   [&] { QVERIFY(d.is_cuda()); }();
                   deviceChunks += static_cast<int>(in.size(0));
                   return model(in);
               },
               r.consume(), nullptr);
    compareWithReference(r, 11);
    QCOMPARE(ev.batchSizeChanges(), (std::vector<int64_t>{4, 2}));
    QCOMPARE(runner.currentBatch(), 2);
    QCOMPARE(runner.currentDevice(), DeviceId::cuda(0));
    QCOMPARE(deviceChunks, 11); // every chunk computed on the device exactly once
}

void TestBatchRunner::oomWithoutCpuFallbackFails() {
    Recorder r;
    BatchRunnerOptions o{2, DeviceId::cuda(0)};
    o.allowCpuFallback = false;
    BatchRunner runner(o);
    try {
        runner.run(6, makeChunks,
                   [&](const at::Tensor& in, const c10::Device&) {
                       // The first two chunks fit; then memory is gone for good.
                       if (r.chunks.size() >= 2) throw c10::Error("CUDA out of memory. Tried to allocate 20.00 MiB", "");
                       return model(in);
                   },
                   r.consume(), nullptr);
        QFAIL("expected an out-of-memory error");
    } catch (const Error& e) {
        QCOMPARE(e.code(), ErrorCode::OutOfMemory);
        QVERIFY(std::string(e.what()).find("graphics card ran out of memory") != std::string::npos);
        QVERIFY(e.detail().find("CUDA out of memory") != std::string::npos);
    }
    QCOMPARE(r.chunks.size(), size_t(2));
    QCOMPARE(r.duplicates, 0);
}

void TestBatchRunner::oomOnCpuHalvesThenFails() {
    Recorder r;
    Events ev;
    BatchRunner runner({4, DeviceId::cpu()}, ev.sink());
    runner.run(6, makeChunks,
               [&](const at::Tensor& in, const c10::Device&) {
                   if (in.size(0) > 1)
                       throw c10::Error("DefaultCPUAllocator: can't allocate memory: you tried to allocate 8589934592 bytes", "");
                   return model(in);
               },
               r.consume(), nullptr);
    compareWithReference(r, 6);
    QCOMPARE(ev.batchSizeChanges(), (std::vector<int64_t>{2, 1}));
    BatchRunner hopeless({1, DeviceId::cpu()});
    QVERIFY_THROWS_EXCEPTION(Error, hopeless.run(2, makeChunks,
                                                  [](const at::Tensor&, const c10::Device&) -> at::Tensor { throw std::bad_alloc(); },
                                                  r.consume(), nullptr));
}

void TestBatchRunner::kernelFailureRetriedOnce() {
    Recorder r;
    Events ev;
    BatchRunner runner({4, DeviceId::mps()}, ev.sink());
    int failuresLeft = 1;
    std::vector<std::string> devices;
    runner.run(12, makeChunks,
               [&](const at::Tensor& in, const c10::Device& d) {
                   devices.push_back(d.str());
                   if (in[0][0][0].item<float>() == 4000.0f && failuresLeft-- > 0)
                       throw c10::Error("LLVM ERROR: Failed to infer result type(s).", "");
                   return model(in);
               },
               r.consume(), nullptr);
    compareWithReference(r, 12);
    QCOMPARE(devices, (std::vector<std::string>{"mps", "mps", "mps", "mps"})); // the retry succeeded
    QCOMPARE(runner.changes().size(), size_t(1));
    QVERIFY(runner.changes()[0].find("retrying chunks 4..7 once") != std::string::npos);
    QCOMPARE(runner.cpuBatchCount(), 0);
}

void TestBatchRunner::kernelFailureRunsBatchOnCpuAndContinues() {
    Recorder r;
    Events ev;
    FailureMemory failures;
    BatchRunnerOptions o{4, DeviceId::cuda(0)};
    o.failures = &failures;
    o.modelKey = "m";
    BatchRunner runner(o, ev.sink());
    std::vector<std::string> devices;
    runner.run(12, makeChunks,
               [&](const at::Tensor& in, const c10::Device& d) {
                   devices.push_back(d.str());
                   if (!d.is_cpu() && in[0][0][0].item<float>() == 4000.0f)
                       throw c10::Error("CUDA error: an illegal memory access was encountered", "");
                   return model(in);
               },
               r.consume(), nullptr);
    compareWithReference(r, 12);
    QCOMPARE(devices, (std::vector<std::string>{"cuda:0", "cuda:0", "cuda:0", "cpu", "cuda:0"}));
    QCOMPARE(runner.cpuBatchCount(), 1);
    QCOMPARE(runner.currentDevice(), DeviceId::cuda(0)); // the job went on on the GPU
    QCOMPARE(ev.count(ProfileEvent::Kind::Fallback), 2);  // retry + CPU batch
    QVERIFY(failures.hasFailed("m", DeviceId::cuda(0)));
    QCOMPARE(failures.entry("m", DeviceId::cuda(0))->lastReason, std::string("cuda_kernel"));
}

void TestBatchRunner::repeatedKernelFailureMovesJobToCpu() {
    Recorder r;
    BatchRunner runner({2, DeviceId::mps()});
    std::vector<std::string> devices;
    runner.run(8, makeChunks,
               [&](const at::Tensor& in, const c10::Device& d) {
                   devices.push_back(d.str());
                   if (!d.is_cpu()) throw c10::Error("mps_matmul: error: incompatible dimensions", "");
                   return model(in);
               },
               r.consume(), nullptr);
    compareWithReference(r, 8);
    // batch 0: mps, retry, cpu; batch 1: mps, retry, then the rest of the job on the CPU.
    QCOMPARE(devices, (std::vector<std::string>{"mps", "mps", "cpu", "mps", "mps", "cpu", "cpu", "cpu"}));
    QCOMPARE(runner.currentDevice(), DeviceId::cpu());
}

void TestBatchRunner::nanIsNeverConsumed() {
    Recorder r;
    FailureMemory failures;
    BatchRunnerOptions o{2, DeviceId::mps()};
    o.failures = &failures;
    o.modelKey = "m";
    BatchRunner runner(o);
    try {
        runner.run(6, makeChunks,
                   [&](const at::Tensor& in, const c10::Device&) {
                       at::Tensor out = model(in);
                       if (in[0][0][0].item<float>() == 2000.0f) out[1][2][0][5].fill_(std::numeric_limits<float>::quiet_NaN());
                       return out;
                   },
                   r.consume(), nullptr);
        QFAIL("expected a numerical failure");
    } catch (const Error& e) {
        QCOMPARE(e.code(), ErrorCode::NumericalFailure);
        QVERIFY2(std::string(e.what()).find("CPU") != std::string::npos, e.what());
        QVERIFY(e.detail().find("chunks 2..3") != std::string::npos);
    }
    QCOMPARE(r.chunks.size(), size_t(2)); // only the batch before the bad one
    QVERIFY(failures.hasFailed("m", DeviceId::mps()));
    // Inf too.
    BatchRunner inf({1, DeviceId::cpu()});
    QVERIFY_THROWS_EXCEPTION(Error, inf.run(1, makeChunks,
                                             [](const at::Tensor& in, const c10::Device&) {
                                                 return model(in) / 0.0;
                                             },
                                             r.consume(), nullptr));
}

void TestBatchRunner::cancelBetweenBatches() {
    Recorder r;
    std::atomic<bool> cancel{false};
    BatchRunner runner({3, DeviceId::cpu()});
    auto consume = r.consume();
    try {
        runner.run(9, makeChunks, [](const at::Tensor& in, const c10::Device&) { return model(in); },
                   [&](int64_t first, const at::Tensor& out) {
                       consume(first, out);
                       cancel = true;
                   },
                   &cancel);
        QFAIL("expected cancellation");
    } catch (const Error& e) {
        QCOMPARE(e.code(), ErrorCode::Cancelled);
    }
    QCOMPARE(r.chunks.size(), size_t(3));
}

void TestBatchRunner::inputsMadeContiguousFloat32() {
    Recorder r;
    BatchRunner runner({4, DeviceId::cpu()});
    runner.run(5,
               [](int64_t first, int64_t count) {
                   // A transposed double tensor: neither contiguous nor float32.
                   at::Tensor t = makeChunks(first, count).to(at::kDouble).transpose(1, 2).contiguous().transpose(1, 2);
                   return t;
               },
               [&](const at::Tensor& in, const c10::Device&) {
                   [&] {
                       QVERIFY(in.is_contiguous());
                       QCOMPARE(in.scalar_type(), at::kFloat);
                   }();
                   return model(in);
               },
               r.consume(), nullptr);
    compareWithReference(r, 5);

    const at::Tensor ok = makeChunks(0, 2);
    QCOMPARE(prepareForTransfer(ok).data_ptr(), ok.data_ptr()); // no copy when nothing to fix
    const at::Tensor strided = ok.transpose(1, 2);
    QVERIFY(!strided.is_contiguous());
    const at::Tensor fixed = prepareForTransfer(strided);
    QVERIFY(fixed.is_contiguous());
    QVERIFY(at::equal(fixed, strided));
}

void TestBatchRunner::badOutputShapeIsAnError() {
    Recorder r;
    BatchRunner runner({4, DeviceId::cpu()});
    QVERIFY_THROWS_EXCEPTION(Error, runner.run(4, makeChunks,
                                                [](const at::Tensor& in, const c10::Device&) { return model(in).narrow(0, 0, 1); },
                                                r.consume(), nullptr));
    QVERIFY_THROWS_EXCEPTION(Error, runner.run(4, [](int64_t, int64_t) { return at::zeros({1, 2, 3}); },
                                                [](const at::Tensor& in, const c10::Device&) { return model(in); },
                                                r.consume(), nullptr));
    QCOMPARE(r.chunks.size(), size_t(0));
}

void TestBatchRunner::pinnedStagingOnCpuIsANoOp() {
    PinnedStaging staging{c10::Device(c10::kCPU)};
    QVERIFY(!staging.usesPinnedMemory());
    const at::Tensor t = makeChunks(0, 3);
    const at::Tensor up = staging.upload(t);
    QCOMPARE(up.data_ptr(), t.data_ptr());
    QVERIFY(!staging.buffer().defined());
    const at::Tensor up2 = staging.upload(t.transpose(1, 2));
    QVERIFY(up2.is_contiguous());
    QCOMPARE(staging.allocationCount(), int64_t(0));
}

// On the CPU AsyncDownload has no side stream: copy() copies at once and then() runs its work
// at once, after the copies before it, so the engine's streamed-stems path works unchanged there.
void TestBatchRunner::asyncDownloadOnCpuCopiesThenRunsHostWorkInOrder() {
    AsyncDownload download{c10::Device(c10::kCPU)};
    const at::Tensor src = at::arange(12, at::kFloat).view({3, 4});
    at::Tensor dst = at::zeros({3, 4});
    std::vector<float> seen;
    download.copy(dst[1], src[2]);
    download.then([&] { seen.assign(dst[1].data_ptr<float>(), dst[1].data_ptr<float>() + 4); });
    download.copy(dst[0], src[1]);
    download.then([&] { seen.push_back(dst[0][3].item<float>()); });
    download.wait();
    QCOMPARE(seen, (std::vector<float>{8, 9, 10, 11, 7}));
    QCOMPARE(dst[2].abs().sum().item<float>(), 0.0f);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, download.then([] { throw std::runtime_error("host work failed"); }));
}

void TestBatchRunner::mpsTensorLimitCheck() {
    // expand() makes huge logical tensors without memory.
    const at::Tensor one = at::zeros({1});
    checkMpsTensorLimits(one.expand({(int64_t(1) << 30) - 1})); // just under 2^32 bytes
    QVERIFY_THROWS_EXCEPTION(Error, checkMpsTensorLimits(one.expand({int64_t(1) << 30}))); // = 2^32 bytes
    const at::Tensor byte = at::zeros({1}, at::kByte);
    checkMpsTensorLimits(byte.expand({(int64_t(1) << 31) - 1}));
    QVERIFY_THROWS_EXCEPTION(Error, checkMpsTensorLimits(byte.expand({int64_t(1) << 31}))); // 2^31 elements
    try {
        checkMpsTensorLimits(one.expand({int64_t(1) << 31}));
    } catch (const Error& e) {
        QCOMPARE(e.code(), ErrorCode::InvalidArgument);
        QVERIFY(std::string(e.what()).find("smaller batch") != std::string::npos);
    }
}

QTEST_GUILESS_MAIN(TestBatchRunner)
#include "tst_batch_runner.moc"
