// DeviceInfo parsing and caching, device names, DeviceSelector (auto order, option and
// STEMDECK_DEVICE overrides, fallbacks with messages) for injected CPU, CUDA and MPS machines,
// the MPS environment, FailureMemory and MemoryMonitor with injected figures.
#include "device/device_info.h"
#include "device/device_kind.h"
#include "device/device_selector.h"
#include "device/failure_memory.h"
#include "device/memory_monitor.h"
#include "fake_machines.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <vector>

using namespace stemdeck;
using namespace stemdeck::device;

Q_DECLARE_METATYPE(stemdeck::device::DeviceInfo)

namespace {

// Two packages x two cores x two threads (hyper-threading): 8 logical, 4 physical.
const char* kXeonCpuinfo = R"(processor	: 0
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) Test CPU @ 2.20GHz
physical id	: 0
core id		: 0
cpu cores	: 2
flags		: fpu sse2 avx avx2 fma avx512f

processor	: 1
model name	: Intel(R) Xeon(R) Test CPU @ 2.20GHz
physical id	: 0
core id		: 0
flags		: fpu sse2 avx avx2 fma avx512f

processor	: 2
physical id	: 0
core id		: 1

processor	: 3
physical id	: 0
core id		: 1

processor	: 4
physical id	: 1
core id		: 0

processor	: 5
physical id	: 1
core id		: 0

processor	: 6
physical id	: 1
core id		: 1

processor	: 7
physical id	: 1
core id		: 1
)";

// A VM that hides topology and AVX.
const char* kOldVmCpuinfo = R"(processor	: 0
model name	: QEMU Virtual CPU version 2.5+
flags		: fpu sse sse2 ssse3

processor	: 1
model name	: QEMU Virtual CPU version 2.5+
flags		: fpu sse sse2 ssse3
)";

// ARM: no x86 flags line, "Features" instead.
const char* kArmCpuinfo = R"(processor	: 0
BogoMIPS	: 48.00
Features	: fp asimd evtstrm

processor	: 1
BogoMIPS	: 48.00
Features	: fp asimd evtstrm
)";

class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : m_name(name) {
        if (const char* old = std::getenv(name)) m_old = old, m_had = true;
        if (value) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~ScopedEnv() {
        if (m_had) ::setenv(m_name.c_str(), m_old.c_str(), 1);
        else ::unsetenv(m_name.c_str());
    }

private:
    std::string m_name, m_old;
    bool m_had = false;
};

} // namespace

class TestDeviceInfo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesCpuinfo_data();
    void parsesCpuinfo();
    void parsesMeminfo();
    void readsThisMachine();
    void cacheProbesOnceAndRefreshes();
    void describeAndJsonCarryTheFacts();
    void deviceIdParsing_data();
    void deviceIdParsing();
    void selection_data();
    void selection();
    void environmentOverridesDefaultButNotOption();
    void failureMemorySendsModelToCpu();
    void failureMemoryJsonRoundTrip();
    void mpsEnvironmentSetsOnlyWhatIsEnabled();
    void mpsEnvironmentKeepsUserValuesAndRefusesBadRatios();
    void memoryMonitorUsesInjectedFigures();
};

void TestDeviceInfo::parsesCpuinfo_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("logical");
    QTest::addColumn<int>("physical");
    QTest::addColumn<bool>("x86");
    QTest::addColumn<bool>("avx2");
    QTest::addColumn<bool>("avx512");
    QTest::newRow("two packages with HT") << kXeonCpuinfo << "Intel(R) Xeon(R) Test CPU @ 2.20GHz" << 8 << 4 << true << true << true;
    QTest::newRow("VM without topology or AVX") << kOldVmCpuinfo << "QEMU Virtual CPU version 2.5+" << 2 << 2 << true << false << false;
    QTest::newRow("ARM") << kArmCpuinfo << "" << 2 << 2 << false << false << false;
}

void TestDeviceInfo::parsesCpuinfo() {
    QFETCH(QString, text);
    QFETCH(QString, model);
    QFETCH(int, logical);
    QFETCH(int, physical);
    QFETCH(bool, x86);
    QFETCH(bool, avx2);
    QFETCH(bool, avx512);
    CpuInfo c;
    parseCpuInfo(text.toStdString(), c);
    QCOMPARE(QString::fromStdString(c.modelName), model);
    QCOMPARE(c.logicalCores, logical);
    QCOMPARE(c.physicalCores, physical);
    QCOMPARE(c.isX86, x86);
    QCOMPARE(c.avx2, avx2);
    QCOMPARE(c.fma, avx2);
    QCOMPARE(c.avx512f, avx512);
}

void TestDeviceInfo::parsesMeminfo() {
    CpuInfo c;
    parseMemInfo("MemTotal:       16318548 kB\nMemFree:         1000000 kB\nMemAvailable:    8159274 kB\n", c);
    QCOMPARE(c.totalRam, int64_t(16318548) * 1024);
    QCOMPARE(c.availableRam, int64_t(8159274) * 1024);
    CpuInfo none;
    parseMemInfo("garbage\n", none);
    QCOMPARE(none.availableRam, int64_t(-1));
}

void TestDeviceInfo::readsThisMachine() {
    const CpuInfo c = readCpuInfo();
    QVERIFY(c.logicalCores >= 1);
    QVERIFY(c.physicalCores >= 1);
    QVERIFY(c.physicalCores <= c.logicalCores);
    QVERIFY(!c.modelName.empty());
    QVERIFY(c.availableRam > 0);
    QVERIFY(c.availableRam <= c.totalRam);
    QVERIFY(readAvailableRam() > 0);
    std::string name, version;
    readOsVersion(name, version);
    QVERIFY(name != "unknown");
}

void TestDeviceInfo::cacheProbesOnceAndRefreshes() {
    auto probe = std::make_shared<FixedDeviceProbe>(test::cudaMachine());
    DeviceInfoCache cache(probe);
    QVERIFY(!cache.cached());
    QCOMPARE(probe->calls(), 0); // lazy: nothing probed before the first question
    QCOMPARE(cache.info().cuda.size(), size_t(2));
    QCOMPARE(cache.info().cuda[0].name, std::string("NVIDIA H100 80GB HBM3"));
    QCOMPARE(probe->calls(), 1);
    QVERIFY(cache.cached());

    DeviceInfo changed = test::cudaMachine();
    changed.cuda[0].freeMemory = int64_t(70) << 30;
    probe->setInfo(changed);
    QCOMPARE(cache.info().cuda[0].freeMemory, int64_t(20) << 30); // still the cached figure
    QCOMPARE(probe->calls(), 1);
    QCOMPARE(cache.refresh().cuda[0].freeMemory, int64_t(70) << 30);
    QCOMPARE(cache.info().cuda[0].freeMemory, int64_t(70) << 30);
    QCOMPARE(probe->calls(), 2);
}

void TestDeviceInfo::describeAndJsonCarryTheFacts() {
    const DeviceInfo cuda = test::cudaMachine();
    const std::string text = describe(cuda);
    QVERIFY2(text.find("NVIDIA H100 80GB HBM3") != std::string::npos, text.c_str());
    QVERIFY(text.find("compute 9.0") != std::string::npos);
    QVERIFY(text.find("20.00 GiB free of 80.00 GiB") != std::string::npos);
    QVERIFY(text.find("4 physical / 8 logical") != std::string::npos);
    QVERIFY(text.find("LibTorch 2.5.1") != std::string::npos);

    const nlohmann::json j = toJson(cuda);
    QCOMPARE(j["cuda"].size(), size_t(2));
    QCOMPARE(j["cuda"][1]["compute_capability"].get<std::string>(), std::string("7.5"));
    QCOMPARE(j["cuda"][0]["free_memory"].get<int64_t>(), int64_t(20) << 30);
    QCOMPARE(j["cpu"]["physical_cores"].get<int>(), 4);
    QCOMPARE(j["cpu"]["flags"]["avx2"].get<bool>(), true);
    QCOMPARE(j["torch_version"].get<std::string>(), std::string("2.5.1"));

    const DeviceInfo mac = test::macMachine();
    const std::string macText = describe(mac);
    QVERIFY2(macText.find("MPS: available, recommended working set 11.00 GiB") != std::string::npos, macText.c_str());
    QCOMPARE(toJson(mac)["mps"]["recommended_max_memory"].get<int64_t>(), int64_t(11) << 30);
    QVERIFY(describe(test::cpuOnlyMachine()).find("CUDA: not available in this build") != std::string::npos);
}

void TestDeviceInfo::deviceIdParsing_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("cpu") << "cpu" << true << "cpu";
    QTest::newRow("CUDA upper") << "CUDA" << true << "cuda:0";
    QTest::newRow("cuda:1") << "cuda:1" << true << "cuda:1";
    QTest::newRow("mps") << "mps" << true << "mps";
    QTest::newRow("mps:0") << "mps:0" << true << "mps";
    QTest::newRow("mps:1") << "mps:1" << false << "";
    QTest::newRow("cuda:-1") << "cuda:-1" << false << "";
    QTest::newRow("cuda:x") << "cuda:x" << false << "";
    QTest::newRow("cuda:") << "cuda:" << false << "";
    QTest::newRow("tpu") << "tpu" << false << "";
    QTest::newRow("auto is not a device") << "auto" << false << "";
}

void TestDeviceInfo::deviceIdParsing() {
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, canonical);
    const auto id = DeviceId::parse(text.toStdString());
    QCOMPARE(id.has_value(), valid);
    if (valid) QCOMPARE(QString::fromStdString(id->toString()), canonical);
}

void TestDeviceInfo::selection_data() {
    QTest::addColumn<DeviceInfo>("machine");
    QTest::addColumn<QString>("request");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("fellBack");
    QTest::addColumn<QString>("messagePart");
    const DeviceInfo cpu = test::cpuOnlyMachine();
    const DeviceInfo cuda = test::cudaMachine();
    const DeviceInfo mac = test::macMachine();
    DeviceInfo both = test::cudaMachine(); // hypothetical: CUDA wins over MPS
    both.mps = mac.mps;
    DeviceInfo macBuiltOnly = mac;
    macBuiltOnly.mps.available = false;

    QTest::newRow("auto on cpu box") << cpu << "" << "cpu" << false << "automatic choice";
    QTest::newRow("auto on cuda box") << cuda << "auto" << "cuda:0" << false << "automatic choice";
    QTest::newRow("auto on mac") << mac << "auto" << "mps" << false << "automatic choice";
    QTest::newRow("auto prefers cuda over mps") << both << "auto" << "cuda:0" << false << "automatic";
    QTest::newRow("cpu on cuda box") << cuda << "cpu" << "cpu" << false << "as requested";
    QTest::newRow("cuda:1 exists") << cuda << "cuda:1" << "cuda:1" << false << "as requested";
    QTest::newRow("cuda:3 missing") << cuda << "cuda:3" << "cuda:0" << true << "no GPU number 3 (found 2)";
    QTest::newRow("cuda on cpu build") << cpu << "cuda" << "cpu" << true << "this build has no CUDA support";
    QTest::newRow("mps on linux") << cpu << "mps" << "cpu" << true << "no Apple GPU (MPS) support";
    QTest::newRow("mps built, unavailable") << macBuiltOnly << "mps" << "cpu" << true << "not available on this machine";
    QTest::newRow("cuda on mac") << mac << "cuda" << "mps" << true << "not available";
    QTest::newRow("mps on mac") << mac << "MPS" << "mps" << false << "as requested";
    QTest::newRow("nonsense") << mac << "tpu" << "mps" << true << "Unknown device \"tpu\"";
}

void TestDeviceInfo::selection() {
    QFETCH(DeviceInfo, machine);
    QFETCH(QString, request);
    QFETCH(QString, expected);
    QFETCH(bool, fellBack);
    QFETCH(QString, messagePart);
    ScopedEnv env("STEMDECK_DEVICE", nullptr);
    const DeviceSelection s = DeviceSelector(machine).select(request.toStdString());
    QCOMPARE(QString::fromStdString(s.device.toString()), expected);
    QCOMPARE(s.fellBack, fellBack);
    QVERIFY2(s.message.find(messagePart.toStdString()) != std::string::npos, s.message.c_str());
}

void TestDeviceInfo::environmentOverridesDefaultButNotOption() {
    const DeviceSelector selector(test::cudaMachine());
    {
        ScopedEnv env("STEMDECK_DEVICE", "cuda:1");
        const auto s = selector.select("");
        QCOMPARE(s.device, DeviceId::cuda(1));
        QCOMPARE(s.source, std::string("STEMDECK_DEVICE"));
        const auto opt = selector.select("cpu"); // the command-line option wins
        QCOMPARE(opt.device, DeviceId::cpu());
        QCOMPARE(opt.source, std::string("option"));
    }
    {
        ScopedEnv env("STEMDECK_DEVICE", "mps");
        const auto s = selector.select("");
        QCOMPARE(s.device, DeviceId::cuda(0)); // unavailable -> auto order
        QVERIFY(s.fellBack);
        QVERIFY2(s.message.find("Requested mps is not available") != std::string::npos, s.message.c_str());
    }
    {
        ScopedEnv env("STEMDECK_DEVICE", nullptr);
        const auto s = selector.select("");
        QCOMPARE(s.source, std::string("default"));
        QCOMPARE(s.request, std::string("auto"));
    }
}

void TestDeviceInfo::failureMemorySendsModelToCpu() {
    ScopedEnv env("STEMDECK_DEVICE", nullptr);
    FailureMemory failures;
    failures.recordFailure("mdx23c-vocals", DeviceId::mps(), "mps_compiler");
    const DeviceSelector selector(test::macMachine());
    const auto autoSel = selector.select("auto", &failures, "mdx23c-vocals");
    QCOMPARE(autoSel.device, DeviceId::cpu());
    QVERIFY2(autoSel.message.find("failed there before (mps_compiler)") != std::string::npos, autoSel.message.c_str());
    QVERIFY(autoSel.fellBack); // so the engine shows it as a note of the job
    const auto explicitSel = selector.select("mps", &failures, "mdx23c-vocals");
    QCOMPARE(explicitSel.device, DeviceId::cpu());
    QVERIFY(explicitSel.fellBack);
    QVERIFY2(explicitSel.message.find("mps_compiler") != std::string::npos, explicitSel.message.c_str());
    // Another model is unaffected.
    QCOMPARE(selector.select("auto", &failures, "other-model").device, DeviceId::mps());
}

void TestDeviceInfo::failureMemoryJsonRoundTrip() {
    FailureMemory m;
    m.recordFailure("model|with|bars", DeviceId::cuda(1), "cuda_kernel");
    m.recordFailure("model|with|bars", DeviceId::cuda(1), "cuda_kernel");
    m.recordFailure("b", DeviceId::mps(), "numerical");
    const auto back = FailureMemory::fromJson(nlohmann::json::parse(m.toJson().dump()));
    QVERIFY(back.hasFailed("model|with|bars", DeviceId::cuda(1)));
    QVERIFY(!back.hasFailed("model|with|bars", DeviceId::cuda(0)));
    QCOMPARE(back.entry("model|with|bars", DeviceId::cuda(1))->count, 2);
    QCOMPARE(back.entry("b", DeviceId::mps())->lastReason, std::string("numerical"));
    // Malformed entries are skipped, not fatal.
    const auto junk = FailureMemory::fromJson(nlohmann::json::parse(
        R"({"failures":[{"model":"x","device":"tpu"},{"device":"cpu"},42,{"model":"y","device":"cuda:0"}]})"));
    QCOMPARE(junk.entries().size(), size_t(1));
    QVERIFY(junk.hasFailed("y", DeviceId::cuda(0)));
    QVERIFY(FailureMemory::fromJson(nlohmann::json::parse("[1,2]")).empty());
}

void TestDeviceInfo::mpsEnvironmentSetsOnlyWhatIsEnabled() {
    ScopedEnv a("PYTORCH_ENABLE_MPS_FALLBACK", nullptr);
    ScopedEnv b("PYTORCH_MPS_HIGH_WATERMARK_RATIO", nullptr);
    ScopedEnv c("PYTORCH_MPS_LOW_WATERMARK_RATIO", nullptr);
    auto r = applyMpsEnvironment(MpsSettings{});
    QVERIFY(r.set.empty());
    QVERIFY(std::getenv("PYTORCH_ENABLE_MPS_FALLBACK") == nullptr);
    QVERIFY(std::getenv("PYTORCH_MPS_HIGH_WATERMARK_RATIO") == nullptr);

    MpsSettings s;
    s.enableCpuFallback = true;
    s.highWatermarkRatio = 1.2;
    r = applyMpsEnvironment(s);
    QCOMPARE(r.set.size(), size_t(2));
    QCOMPARE(QByteArray(std::getenv("PYTORCH_ENABLE_MPS_FALLBACK")), QByteArray("1"));
    QCOMPARE(QByteArray(std::getenv("PYTORCH_MPS_HIGH_WATERMARK_RATIO")), QByteArray("1.2"));
    QVERIFY(std::getenv("PYTORCH_MPS_LOW_WATERMARK_RATIO") == nullptr);
}

void TestDeviceInfo::mpsEnvironmentKeepsUserValuesAndRefusesBadRatios() {
    ScopedEnv a("PYTORCH_ENABLE_MPS_FALLBACK", nullptr);
    ScopedEnv b("PYTORCH_MPS_HIGH_WATERMARK_RATIO", "0.0");
    ScopedEnv c("PYTORCH_MPS_LOW_WATERMARK_RATIO", nullptr);
    MpsSettings s;
    s.highWatermarkRatio = 1.5;
    s.lowWatermarkRatio = 1.4;
    auto r = applyMpsEnvironment(s);
    QCOMPARE(QByteArray(std::getenv("PYTORCH_MPS_HIGH_WATERMARK_RATIO")), QByteArray("0.0")); // the shell wins
    QCOMPARE(r.kept.size(), size_t(1));
    QCOMPARE(QByteArray(std::getenv("PYTORCH_MPS_LOW_WATERMARK_RATIO")), QByteArray("1.4"));

    ScopedEnv d("PYTORCH_MPS_HIGH_WATERMARK_RATIO", nullptr);
    ScopedEnv e("PYTORCH_MPS_LOW_WATERMARK_RATIO", nullptr);
    MpsSettings bad;
    bad.highWatermarkRatio = 1.0;
    bad.lowWatermarkRatio = 1.6; // above high: PyTorch would refuse to start the allocator
    r = applyMpsEnvironment(bad);
    QCOMPARE(r.refused.size(), size_t(1));
    QVERIFY(std::getenv("PYTORCH_MPS_LOW_WATERMARK_RATIO") == nullptr);
    QCOMPARE(QByteArray(std::getenv("PYTORCH_MPS_HIGH_WATERMARK_RATIO")), QByteArray("1"));
    MpsSettings negative;
    negative.highWatermarkRatio = -1.0;
    ScopedEnv f("PYTORCH_MPS_HIGH_WATERMARK_RATIO", nullptr);
    r = applyMpsEnvironment(negative);
    QCOMPARE(r.refused.size(), size_t(1));
    QVERIFY(std::getenv("PYTORCH_MPS_HIGH_WATERMARK_RATIO") == nullptr);
}

void TestDeviceInfo::memoryMonitorUsesInjectedFigures() {
    std::vector<DeviceId> asked;
    MemoryMonitor monitor([&](const DeviceId& d) {
        asked.push_back(d);
        BackendMemory m;
        if (d.kind == DeviceKind::Cuda) {
            m.allocated = 3000;
            m.reserved = 4096;
        } else {
            m.allocated = 1000;
            m.driverAllocated = 2000;
            m.recommendedMax = 9000;
        }
        return m;
    });
    const MemorySample cuda = monitor.sample(DeviceId::cuda(1));
    const ProfileEvent ce = cuda.toEvent(1.5, 123);
    QCOMPARE(ce.kind, ProfileEvent::Kind::MemorySample);
    QCOMPARE(ce.device, std::string("cuda:1"));
    QCOMPARE(ce.deviceAllocated, int64_t(3000));
    QCOMPARE(ce.deviceReserved, int64_t(4096));
    QCOMPARE(ce.budget, int64_t(123));
    QVERIFY(ce.processRss > 0);
    QVERIFY(cuda.peakRss >= cuda.processRss / 2); // peak is a high-water mark of the same process

    const ProfileEvent me = monitor.sample(DeviceId::mps()).toEvent(2.0);
    QCOMPARE(me.deviceAllocated, int64_t(1000));
    QCOMPARE(me.deviceReserved, int64_t(2000)); // driver allocated on MPS

    const MemorySample cpu = monitor.sample(DeviceId::cpu());
    QCOMPARE(asked.size(), size_t(2)); // the CPU has no device allocator to ask
    QCOMPARE(cpu.backend.allocated, int64_t(-1));

    // Process RSS follows real allocations.
    const int64_t before = MemoryMonitor::processRss();
    std::vector<char> block(size_t(64) << 20, 1);
    const int64_t after = MemoryMonitor::processRss();
    QVERIFY2(after - before > (int64_t(48) << 20), qPrintable(QString::number(after - before)));
    // The kernel syncs per-thread RSS counters lazily: allow a few MiB between the two readings.
    QVERIFY(MemoryMonitor::peakRss() + (int64_t(8) << 20) >= after);
    QVERIFY(MemoryMonitor::peakRss() > before + (int64_t(32) << 20));
    QCOMPARE(block[12345], char(1));
}

QTEST_GUILESS_MAIN(TestDeviceInfo)
#include "tst_device_info.moc"
