// BatchPlanner: the per-chunk estimate, budgets from injected free-memory figures for CUDA, MPS
// and CPU, the largest batch that fits, the user override, and Apple's single-tensor limits.
#include "device/batch_planner.h"
#include "fake_machines.h"

#include <QtTest>

using namespace stemdeck;
using namespace stemdeck::device;

namespace {
// MSST's "mdx23c" vocal config shape (model-configs.md): 8192 FFT, 1024 hop, 4 subbands.
ModelShape mdx23c() { return ModelShape{}; }

int expectedBatch(const BatchPlan& p, int maxBatch) {
    const int64_t fits = (p.budgetBytes - p.estimate.fixedBytes) / p.estimate.perChunkBytes;
    return static_cast<int>(std::clamp<int64_t>(fits, 1, maxBatch));
}
} // namespace

class TestBatchPlanner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void estimateScalesWithShape();
    void budgetsPerDeviceType();
    void largestBatchThatFits_data();
    void largestBatchThatFits();
    void userOverrideWins();
    void cpuPlansOneChunkAtATime();
    void unknownFreeMemoryPlansOne();
    void mpsTensorLimits();
    void mpsCapsBatchAndUserOverride();
    void mpsRefusesAChunkAboveTheLimit();
};

void TestBatchPlanner::estimateScalesWithShape() {
    const MemoryEstimate base = BatchPlanner::estimate(mdx23c());
    QVERIFY(base.perChunkBytes > 0);
    QVERIFY(base.largestTensorElements > 0);
    QVERIFY(base.largestTensorBytes >= base.largestTensorElements * 4);

    ModelShape longer = mdx23c();
    longer.chunkSize *= 2;
    const MemoryEstimate l = BatchPlanner::estimate(longer);
    // Activations scale with frames: about twice (the +1 frame makes it a little less).
    QVERIFY(l.perChunkBytes > base.perChunkBytes * 19 / 10);
    QVERIFY(l.perChunkBytes < base.perChunkBytes * 21 / 10);

    ModelShape half = mdx23c();
    half.precisionBytes = 2;
    QCOMPARE(BatchPlanner::estimate(half).perChunkBytes * 2 / 100, base.perChunkBytes / 100);
    // Output and STFT stay float32, so the largest tensor's bytes do not halve.
    QCOMPARE(BatchPlanner::estimate(half).largestTensorBytes, base.largestTensorBytes);

    ModelShape wider = mdx23c();
    wider.numChannels *= 2;
    QVERIFY(BatchPlanner::estimate(wider).perChunkBytes > base.perChunkBytes);

    ModelShape withWeights = mdx23c();
    withWeights.parameterBytes = int64_t(100) << 20;
    QCOMPARE(BatchPlanner::estimate(withWeights).fixedBytes - base.fixedBytes, int64_t(100) << 20);
    QCOMPARE(BatchPlanner::estimate(withWeights).perChunkBytes, base.perChunkBytes);
}

void TestBatchPlanner::budgetsPerDeviceType() {
    PlannerOptions o;
    o.cudaFraction = 0.5;
    o.mpsFraction = 0.5;
    o.cpuFraction = 0.25;
    const DeviceInfo cuda = test::cudaMachine();
    QCOMPARE(BatchPlanner::budget(DeviceId::cuda(0), cuda, o), int64_t(10) << 30); // 20 GiB free x 0.5
    QCOMPARE(BatchPlanner::budget(DeviceId::cuda(1), cuda, o), int64_t(1) << 30);  // 2 GiB free x 0.5
    QCOMPARE(BatchPlanner::budget(DeviceId::cuda(7), cuda, o), int64_t(-1));
    QCOMPARE(BatchPlanner::budget(DeviceId::cpu(), cuda, o), int64_t(2) << 30); // 8 GiB available x 0.25
    const DeviceInfo mac = test::macMachine();
    QCOMPARE(BatchPlanner::budget(DeviceId::mps(), mac, o), int64_t(5) << 30); // (11 - 1) GiB x 0.5
    DeviceInfo oldTorchMac = mac; // LibTorch < 2.5: no recommended working set
    oldTorchMac.mps.recommendedMaxMemory = -1;
    QCOMPARE(BatchPlanner::budget(DeviceId::mps(), oldTorchMac, o), int64_t(4) << 30); // 16 GiB RAM x 0.25
}

void TestBatchPlanner::largestBatchThatFits_data() {
    QTest::addColumn<QString>("device");
    QTest::addColumn<int>("machine"); // 0 cpu box, 1 cuda box, 2 mac
    QTest::newRow("cuda:0 20 GiB free") << "cuda:0" << 1;
    QTest::newRow("cuda:1 2 GiB free") << "cuda:1" << 1;
    QTest::newRow("cpu 8 GiB available") << "cpu" << 0;
    QTest::newRow("mps 10 GiB room") << "mps" << 2;
}

void TestBatchPlanner::largestBatchThatFits() {
    QFETCH(QString, device);
    QFETCH(int, machine);
    const DeviceInfo info = machine == 0 ? test::cpuOnlyMachine() : machine == 1 ? test::cudaMachine() : test::macMachine();
    const DeviceId id = *DeviceId::parse(device.toStdString());
    PlannerOptions o;
    o.maxBatch = 64;
    o.cpuMaxBatch = 64; // the memory rule alone (cpuPlansOneChunkAtATime: the CPU's own cap)
    const BatchPlan p = BatchPlanner::plan(mdx23c(), id, info, o);
    QCOMPARE(p.batch, expectedBatch(p, 64));
    QVERIFY(!p.userOverride);
    // The plan fits, and one more chunk would not (unless clamped at 1).
    QVERIFY(p.batch == 1 || p.estimate.fixedBytes + p.batch * p.estimate.perChunkBytes <= p.budgetBytes);
    QVERIFY(p.estimate.fixedBytes + (p.batch + 1) * p.estimate.perChunkBytes > p.budgetBytes || p.batch == 64);
    QVERIFY2(p.reason.find(id.toString()) != std::string::npos, p.reason.c_str());
}

void TestBatchPlanner::userOverrideWins() {
    PlannerOptions o;
    o.userBatch = 3;
    const BatchPlan p = BatchPlanner::plan(mdx23c(), DeviceId::cuda(1), test::cudaMachine(), o);
    QCOMPARE(p.batch, 3);
    QVERIFY(p.userOverride);
    QVERIFY(p.reason.find("user") != std::string::npos);
}

// On the CPU the automatic batch is 1 however much memory is free (a bigger one is slower there
// and holds more memory: bench/NOTES.md "CPU batch"); the user's choice still wins, and a device
// with memory to spare still gets more.
void TestBatchPlanner::cpuPlansOneChunkAtATime() {
    DeviceInfo roomy = test::cpuOnlyMachine();
    roomy.cpu.availableRam = int64_t(256) << 30;
    PlannerOptions o;
    const BatchPlan p = BatchPlanner::plan(ModelShape{}, DeviceId::cpu(), roomy, o);
    QCOMPARE(p.batch, 1);
    QVERIFY2(p.reason.find("on the CPU") != std::string::npos, p.reason.c_str());
    o.cpuMaxBatch = 4;
    QCOMPARE(BatchPlanner::plan(ModelShape{}, DeviceId::cpu(), roomy, o).batch, 4);
    o.cpuMaxBatch = 1;
    o.userBatch = 6;
    QCOMPARE(BatchPlanner::plan(ModelShape{}, DeviceId::cpu(), roomy, o).batch, 6);
    QVERIFY(BatchPlanner::plan(ModelShape{}, DeviceId::cuda(0), test::cudaMachine()).batch > 1);
}

void TestBatchPlanner::unknownFreeMemoryPlansOne() {
    DeviceInfo info = test::cudaMachine();
    info.cuda[0].freeMemory = -1;
    const BatchPlan p = BatchPlanner::plan(mdx23c(), DeviceId::cuda(0), info);
    QCOMPARE(p.batch, 1);
    QVERIFY(p.budgetUnknown);
    // A budget smaller than one chunk still plans 1: the runner's OOM recovery takes it from there.
    DeviceInfo tiny = test::cudaMachine();
    tiny.cuda[0].freeMemory = 1 << 20;
    QCOMPARE(BatchPlanner::plan(mdx23c(), DeviceId::cuda(0), tiny).batch, 1);
}

void TestBatchPlanner::mpsTensorLimits() {
    QVERIFY(BatchPlanner::fitsMpsLimits((int64_t(1) << 32) - 1, (int64_t(1) << 31) - 1));
    QVERIFY(!BatchPlanner::fitsMpsLimits(int64_t(1) << 32, 1));
    QVERIFY(!BatchPlanner::fitsMpsLimits(1, int64_t(1) << 31));
    MemoryEstimate e;
    e.largestTensorBytes = int64_t(1) << 30; // 1 GiB per chunk
    e.largestTensorElements = int64_t(1) << 28;
    QCOMPARE(BatchPlanner::maxBatchForMps(e), 3); // 4 chunks would make exactly 2^32 bytes
    e.largestTensorElements = int64_t(1) << 30;  // elements bind first: 2 chunks = 2^31
    QCOMPARE(BatchPlanner::maxBatchForMps(e), 1);
}

void TestBatchPlanner::mpsCapsBatchAndUserOverride() {
    // A long chunk: the final conv output grows past 1 GiB per chunk.
    ModelShape big = mdx23c();
    big.chunkSize = 261120 * 4;
    const MemoryEstimate e = BatchPlanner::estimate(big);
    const int cap = BatchPlanner::maxBatchForMps(e);
    QVERIFY2(cap >= 1 && cap < 16, qPrintable(QString::number(cap)));
    DeviceInfo mac = test::macMachine();
    mac.mps.recommendedMaxMemory = int64_t(1) << 40; // a huge machine: memory would allow 16
    PlannerOptions o;
    const BatchPlan p = BatchPlanner::plan(big, DeviceId::mps(), mac, o);
    QCOMPARE(p.batch, cap);
    QVERIFY(p.cappedByMpsLimit);
    QVERIFY(BatchPlanner::fitsMpsLimits(p.batch * e.largestTensorBytes, p.batch * e.largestTensorElements));
    QVERIFY(!BatchPlanner::fitsMpsLimits((p.batch + 1) * e.largestTensorBytes, (p.batch + 1) * e.largestTensorElements));
    o.userBatch = 16; // the user cannot push a tensor past the limit either
    const BatchPlan u = BatchPlanner::plan(big, DeviceId::mps(), mac, o);
    QCOMPARE(u.batch, cap);
    QVERIFY(u.cappedByMpsLimit);
    // The same shape on CUDA is not capped by Apple's limit.
    DeviceInfo cuda = test::cudaMachine();
    cuda.cuda[0].freeMemory = int64_t(1) << 40;
    QCOMPARE(BatchPlanner::plan(big, DeviceId::cuda(0), cuda, o).batch, 16);
}

void TestBatchPlanner::mpsRefusesAChunkAboveTheLimit() {
    ModelShape huge = mdx23c();
    huge.chunkSize = int64_t(261120) * 64;
    const BatchPlan p = BatchPlanner::plan(huge, DeviceId::mps(), test::macMachine());
    QCOMPARE(p.batch, 0);
    QVERIFY(p.cappedByMpsLimit);
    QVERIFY(p.reason.find("CPU") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestBatchPlanner)
#include "tst_batch_planner.moc"
