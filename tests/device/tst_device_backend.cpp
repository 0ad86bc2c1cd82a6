// The LibTorch side of core/device on this CPU machine: the real system probe, backend tuning
// (threads = physical cores, oneDNN, cuDNN benchmark flag), warning capture through c10's
// handler, autocast guards and the precision policy, device conversions, and the backend calls
// that must be harmless no-ops on the CPU.
#include "device/backend.h"
#include "device/device_info.h"
#include "device/precision.h"
#include "device/torch_device.h"
#include "device/warning_capture.h"

#include <QtTest>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <c10/util/Exception.h>
#include <torch/cuda.h>
#include <torch/version.h>

using namespace stemdeck;
using namespace stemdeck::device;

#if TORCH_VERSION_MAJOR >= 2
namespace handlerApi = c10::WarningUtils;
#else
namespace handlerApi = c10::Warning;
#endif

class TestDeviceBackend : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void systemProbeReportsThisMachine();
    void globalCacheIsComputedOnce();
    void cpuTuningUsesPhysicalCores();
    void cudaTuningSetsCudnnBenchmark();
    void cpuNoOps();
    void warningCaptureCountsAndDeduplicates();
    void warningCaptureRestoresPreviousHandler();
    void warningCapturesOnTwoThreadsStayApart();
    void precisionDefaultsAndChoices();
    void precisionPolicyReturnsToFp32();
    void autocastGuardOnCpu();
    void autocastGuardInactiveForFp32AndUnsupported();
    void torchDeviceConversions();
};

void TestDeviceBackend::systemProbeReportsThisMachine() {
    const DeviceInfo info = makeSystemProbe()->probe();
    const std::string version = std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                                std::to_string(TORCH_VERSION_PATCH);
    QCOMPARE(info.torchVersion, version);
    QVERIFY(info.cpu.logicalCores >= 1);
    QVERIFY(info.cpu.physicalCores >= 1 && info.cpu.physicalCores <= info.cpu.logicalCores);
    QVERIFY(info.cpu.availableRam > 0);
    QCOMPARE(info.cudaAvailable(), torch::cuda::is_available());
    QCOMPARE(info.cudaCompiled, cudaCompiledIn());
    QCOMPARE(info.mkldnnAvailable, at::hasMKLDNN());
#if !defined(__APPLE__)
    QVERIFY(!info.mps.built);
    QVERIFY(!info.mps.available);
#endif
    QVERIFY(describe(info).find(version) != std::string::npos);
}

void TestDeviceBackend::globalCacheIsComputedOnce() {
    DeviceInfoCache& cache = DeviceInfoCache::global();
    const DeviceInfo a = cache.info();
    QVERIFY(cache.cached());
    QCOMPARE(&cache, &DeviceInfoCache::global());
    QCOMPARE(cache.info().cpu.modelName, a.cpu.modelName);
    QCOMPARE(cache.refresh().cpu.logicalCores, a.cpu.logicalCores);
}

void TestDeviceBackend::cpuTuningUsesPhysicalCores() {
    const int before = at::get_num_threads();
    const BackendSettings s = applyBackendTuning(DeviceKind::Cpu, 3);
    QCOMPARE(at::get_num_threads(), 3);
    QCOMPARE(s.intraOpThreads, 3);
    QVERIFY(s.notes.at(0).find("-> 3") != std::string::npos);
    if (at::hasMKLDNN()) {
        QVERIFY(s.mkldnnEnabled);
        QVERIFY(at::globalContext().userEnabledMkldnn());
    }
    const auto events = s.toProfileEvents();
    QCOMPARE(events.size(), s.notes.size());
    QCOMPARE(events[0].kind, ProfileEvent::Kind::Info);
    QCOMPARE(events[0].device, std::string("cpu"));
    // Default: this machine's physical cores, capped by the affinity mask and OMP_NUM_THREADS.
    const BackendSettings d = applyBackendTuning(DeviceKind::Cpu);
    QCOMPARE(d.intraOpThreads, cpuIntraOpThreads(DeviceInfoCache::global().info().cpu.physicalCores,
                                                 allowedCpuCount(), std::getenv("OMP_NUM_THREADS")));
    at::set_num_threads(before);
#if defined(__linux__)
    QVERIFY(allowedCpuCount() >= 1);
#endif
    // The rule itself: a cpuset smaller than the cores wins, the user's OMP_NUM_THREADS wins over
    // both, nonsense in it is ignored, and there is always one thread.
    QCOMPARE(cpuIntraOpThreads(16, 4, nullptr), 4);
    QCOMPARE(cpuIntraOpThreads(2, 8, nullptr), 2);
    QCOMPARE(cpuIntraOpThreads(16, 0, nullptr), 16);
    QCOMPARE(cpuIntraOpThreads(0, 3, nullptr), 3);
    QCOMPARE(cpuIntraOpThreads(16, 4, "6"), 6);
    QCOMPARE(cpuIntraOpThreads(16, 4, "six"), 4);
    QCOMPARE(cpuIntraOpThreads(16, 4, "-2"), 4);
    QCOMPARE(cpuIntraOpThreads(16, 4, ""), 4);
    QCOMPARE(cpuIntraOpThreads(0, 0, nullptr), 1);
}

void TestDeviceBackend::cudaTuningSetsCudnnBenchmark() {
    const bool before = at::globalContext().benchmarkCuDNN();
    at::globalContext().setBenchmarkCuDNN(false);
    const BackendSettings s = applyBackendTuning(DeviceKind::Cuda);
    QVERIFY(s.cudnnBenchmark);
    QVERIFY(at::globalContext().benchmarkCuDNN());
    QCOMPARE(s.toProfileEvents().at(0).message, std::string("cuDNN benchmark on"));
    at::globalContext().setBenchmarkCuDNN(before);
    const BackendSettings m = applyBackendTuning(DeviceKind::Mps);
    QCOMPARE(m.notes.size(), size_t(1)); // documented: nothing to tune on MPS
}

void TestDeviceBackend::cpuNoOps() {
    releaseCachedMemory(DeviceKind::Cpu);
    synchronizeDevice(DeviceId::cpu());
    const BackendMemory m = backendMemory(DeviceId::cpu());
    QCOMPARE(m.allocated, int64_t(-1));
    QCOMPARE(m.reserved, int64_t(-1));
    if (!cudaCompiledIn()) {
        // Without CUDA these must not throw either (the runner calls them on any OOM text).
        releaseCachedMemory(DeviceKind::Cuda);
        releaseCachedMemory(DeviceKind::Mps);
        QCOMPARE(backendMemory(DeviceId::cuda(0)).allocated, int64_t(-1));
        QVERIFY(!setCudaMemoryFraction(0.5, 0));
    }
}

void TestDeviceBackend::warningCaptureCountsAndDeduplicates() {
    std::vector<ProfileEvent> events;
    WarningCapture capture([&](const ProfileEvent& e) { events.push_back(e); }, "mps");
    for (int i = 0; i < 3; ++i) TORCH_WARN("MPS: no support for int64 min/max ops, casting it to int32");
    TORCH_WARN("The operator 'aten::_fft_r2c' is not currently supported on the MPS backend and will fall back to run on the CPU.");
    TORCH_WARN("The operator 'aten::_fft_c2r' is not currently supported on the MPS backend and will fall back to run on the CPU.");
    TORCH_WARN("some unknown warning ", 42);
    TORCH_WARN("some unknown warning ", 42);
    QCOMPARE(capture.total(), 7);
    QCOMPARE(capture.distinct(), 4);
    QCOMPARE(events.size(), size_t(4)); // one event per distinct text
    for (const auto& e : events) {
        QCOMPARE(e.kind, ProfileEvent::Kind::Warning);
        QCOMPARE(e.device, std::string("mps"));
    }
    const auto w = capture.warnings();
    QCOMPARE(w[0].count, 3);
    QCOMPARE(w[0].explanationId, std::string("mps_int64_minmax"));
    QVERIFY(w[0].explanation.find("unaffected") != std::string::npos);
    QCOMPARE(w[1].explanationId, std::string("mps_missing_op"));
    QVERIFY(!w[1].explanation.empty());
    QCOMPARE(w[2].explanationId, std::string("mps_missing_op"));
    QVERIFY(w[2].explanation.empty()); // the same kind is explained once
    QCOMPARE(w[3].count, 2);
    QVERIFY(w[3].text.find("some unknown warning 42") != std::string::npos);
    QVERIFY(w[3].explanationId.empty());
    QVERIFY(events[0].message.find("unaffected") != std::string::npos);
}

// Two jobs run on two threads at once: each capture must get its own thread's warnings only,
// and whichever ends first must not uninstall the other. LibTorch keeps the handler per thread
// (1.13 too, whatever its header says), which is what makes the captures' install-and-restore
// safe; this checks it stays so.
void TestDeviceBackend::warningCapturesOnTwoThreadsStayApart() {
    c10::WarningHandler* original = handlerApi::get_warning_handler();
    std::atomic<int> stage{0};
    int aTotal = -1, bTotal = -1;
    std::string aText, bText;
    std::thread a([&] {
        WarningCapture capture;
        stage = 1;
        while (stage.load() < 2) std::this_thread::yield();
        TORCH_WARN("from a");
        aTotal = capture.total();
        aText = capture.warnings().at(0).text;
        stage = 3; // a ends first, while b's capture is alive
    });
    std::thread b([&] {
        while (stage.load() < 1) std::this_thread::yield();
        WarningCapture capture;
        stage = 2;
        while (stage.load() < 3) std::this_thread::yield();
        std::this_thread::sleep_for(std::chrono::milliseconds(20)); // a's capture is gone by now
        TORCH_WARN("from b");
        TORCH_WARN("from b");
        bTotal = capture.total();
        bText = capture.warnings().at(0).text;
    });
    a.join();
    b.join();
    QCOMPARE(aTotal, 1);
    QCOMPARE(bTotal, 2);
    QVERIFY(aText.find("from a") != std::string::npos);
    QVERIFY(bText.find("from b") != std::string::npos);
    QCOMPARE(handlerApi::get_warning_handler(), original); // on this thread, as before
}

void TestDeviceBackend::warningCaptureRestoresPreviousHandler() {
    c10::WarningHandler* original = handlerApi::get_warning_handler();
    {
        WarningCapture outer;
        c10::WarningHandler* outerHandler = handlerApi::get_warning_handler();
        QVERIFY(outerHandler != original);
        {
            WarningCapture inner;
            TORCH_WARN("inner only");
            QCOMPARE(inner.total(), 1);
        }
        QCOMPARE(handlerApi::get_warning_handler(), outerHandler);
        TORCH_WARN("outer");
        QCOMPARE(outer.total(), 1);
    }
    QCOMPARE(handlerApi::get_warning_handler(), original);
}

void TestDeviceBackend::precisionDefaultsAndChoices() {
    QCOMPARE(defaultPrecision(DeviceKind::Cpu), Precision::Fp32);
    QCOMPARE(defaultPrecision(DeviceKind::Mps), Precision::Fp32);
    QCOMPARE(defaultPrecision(DeviceKind::Cuda), kCudaDefaultPrecision);
    QCOMPARE(parsePrecision("half"), std::optional<Precision>(Precision::Fp16));
    QCOMPARE(parsePrecision("BF16"), std::optional<Precision>(Precision::Bf16));
    QVERIFY(!parsePrecision("fp8"));
    QCOMPARE(choosePrecision(DeviceKind::Cuda, Precision::Fp16).precision, Precision::Fp16);
    QCOMPARE(choosePrecision(DeviceKind::Cpu, Precision::Bf16).precision, Precision::Bf16);
    // MPS half precision is opt-in: never without a request.
    QCOMPARE(choosePrecision(DeviceKind::Mps, std::nullopt).precision, Precision::Fp32);
    const PrecisionChoice mpsHalf = choosePrecision(DeviceKind::Mps, Precision::Fp16);
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 5)
    QCOMPARE(mpsHalf.precision, Precision::Fp16);
#else
    QCOMPARE(mpsHalf.precision, Precision::Fp32); // no MPS autocast in this LibTorch
    QVERIFY(mpsHalf.reason.find("not available") != std::string::npos);
#endif
#if TORCH_VERSION_MAJOR < 2
    QCOMPARE(choosePrecision(DeviceKind::Cpu, Precision::Fp16).precision, Precision::Fp32); // 1.13: CPU autocast is bf16 only
#endif
}

void TestDeviceBackend::precisionPolicyReturnsToFp32() {
    PrecisionPolicy policy(DeviceKind::Cuda, Precision::Fp16);
    QCOMPARE(policy.current(), Precision::Fp16);
    QVERIFY(!policy.onFailure(ErrorTranslator::translate("CUDA out of memory. Tried to allocate 1 GiB")));
    QCOMPARE(policy.current(), Precision::Fp16);
    QVERIFY(policy.onFailure(ErrorTranslator::translate("ConvTranspose 3D with BF16 or FP16 types is not supported on MPS")));
    QCOMPARE(policy.current(), Precision::Fp32);
    QVERIFY(policy.returnedToFp32());
    QVERIFY(!policy.onFailure(ErrorTranslator::translate("In MPS autocast, but the target dtype is not supported.")));
    PrecisionPolicy fp32(DeviceKind::Cpu, std::nullopt);
    QVERIFY(!fp32.onFailure(ErrorTranslator::translate("In MPS autocast, but the target dtype is not supported.")));
}

void TestDeviceBackend::autocastGuardOnCpu() {
    const at::Tensor a = at::rand({8, 8});
    const at::Tensor b = at::rand({8, 8});
    QVERIFY(!at::autocast::is_cpu_enabled());
    {
        AutocastGuard guard(DeviceKind::Cpu, Precision::Bf16);
        QVERIFY(guard.active());
        QVERIFY(at::autocast::is_cpu_enabled());
        const at::Tensor c = at::mm(a, b);
        QCOMPARE(c.scalar_type(), at::kBFloat16); // matmul ran in bf16
        QVERIFY(at::allclose(c.to(at::kFloat), at::mm(a, b).to(at::kFloat), 0.05, 0.05));
    }
    QVERIFY(!at::autocast::is_cpu_enabled());
    QCOMPARE(at::mm(a, b).scalar_type(), at::kFloat);
}

void TestDeviceBackend::autocastGuardInactiveForFp32AndUnsupported() {
    {
        AutocastGuard guard(DeviceKind::Cpu, Precision::Fp32);
        QVERIFY(!guard.active());
        QVERIFY(!at::autocast::is_cpu_enabled());
    }
    {
        AutocastGuard guard(DeviceKind::Mps, Precision::Fp16);
        QCOMPARE(guard.active(), autocastSupported(DeviceKind::Mps, Precision::Fp16));
    }
    {
        // The CUDA autocast state can be switched on a CPU-only build; it only affects CUDA ops.
        const bool before = at::autocast::is_enabled();
        {
            AutocastGuard guard(DeviceKind::Cuda, Precision::Fp16);
            QVERIFY(guard.active());
            QVERIFY(at::autocast::is_enabled());
            QCOMPARE(at::mm(at::rand({2, 2}), at::rand({2, 2})).scalar_type(), at::kFloat); // CPU op untouched
        }
        QCOMPARE(at::autocast::is_enabled(), before);
    }
}

void TestDeviceBackend::torchDeviceConversions() {
    QVERIFY(toTorchDevice(DeviceId::cpu()).is_cpu());
    QVERIFY(toTorchDevice(DeviceId::mps()).is_mps());
    const c10::Device c = toTorchDevice(DeviceId::cuda(1));
    QVERIFY(c.is_cuda());
    QCOMPARE(static_cast<int>(c.index()), 1);
    QCOMPARE(fromTorchDevice(c), DeviceId::cuda(1));
    QCOMPARE(fromTorchDevice(c10::Device("mps")), DeviceId::mps());
    QCOMPARE(fromTorchDevice(c10::Device("cuda")), DeviceId::cuda(0));
    QCOMPARE(fromTorchDevice(c10::Device("cpu")), DeviceId::cpu());
}

QTEST_GUILESS_MAIN(TestDeviceBackend)
#include "tst_device_backend.moc"
