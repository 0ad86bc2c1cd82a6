// ErrorTranslator: every row of shared/docs/troubleshooting-messages.md (exact messages as users
// see them, with varying numbers), the CPU-side rows (out of RAM, instruction set) and the extra
// CUDA rows map to the expected id, out-of-memory flag, recovery and actions; unknown text keeps
// the raw message in details.
#include "device/error_translator.h"

#include <QtTest>

#include <new>
#include <set>
#include <stdexcept>

using namespace stemdeck;
using namespace stemdeck::device;

Q_DECLARE_METATYPE(stemdeck::device::Recovery)
Q_DECLARE_METATYPE(stemdeck::device::ActionKind)

class TestErrorTranslator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void translatesKnownMessages_data();
    void translatesKnownMessages();
    void everyKnownIdIsTested();
    void unknownKeepsRawText();
    void badAllocIsOutOfRam();
    void numericalFailureOffersCpu();
    void instructionSetCheck();
    void warningsExplained();
    void oneLineFormat();

private:
    std::set<std::string> m_seenIds;
};

void TestErrorTranslator::translatesKnownMessages_data() {
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("oom");
    QTest::addColumn<Recovery>("recovery");
    QTest::addColumn<ActionKind>("action");
    // Row numbers are troubleshooting-messages.md's.
    QTest::newRow("1 mps oom private")
        << "MPS backend out of memory (MPS allocated: 5.05 GB, other allocations: 2.29 GB, max allowed: 6.77 GB). "
           "Tried to allocate 1024.00 MB on private pool. Use PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0 to disable upper "
           "limit for memory allocations (may cause system failure)."
        << "mps_oom" << true << Recovery::HalveBatch << ActionKind::ExpertSetting;
    QTest::newRow("1 mps oom shared")
        << "MPS backend out of memory (MPS allocated: 17.96 GB, other allocations: 40.06 MB, max allowed: 18.13 GB). "
           "Tried to allocate 256.00 MB on shared pool."
        << "mps_oom" << true << Recovery::HalveBatch << ActionKind::LowerBatch;
    QTest::newRow("2 mps missing op")
        << "The operator 'aten::_fft_r2c' is not currently implemented for the MPS device. If you want this op to be "
           "added in priority during the prototype phase of this feature, please comment on "
           "https://github.com/pytorch/pytorch/issues/77764. As a temporary fix, you can set the environment variable "
           "`PYTORCH_ENABLE_MPS_FALLBACK=1` to use the CPU as a fallback for this op."
        << "mps_missing_op" << false << Recovery::CpuForOp << ActionKind::UpdateSystem;
    QTest::newRow("2 other aten op")
        << "NotImplementedError: The operator 'aten::upsample_bicubic2d.out' is not currently implemented for the MPS device."
        << "mps_missing_op" << false << Recovery::CpuForOp << ActionKind::UpdateSystem;
    QTest::newRow("3 conv channels") << "Output channels > 65536 not supported at the MPS device. "
                                     << "mps_conv_channels" << false << Recovery::Kernel << ActionKind::UpdateSystem;
    QTest::newRow("4 float64")
        << "Cannot convert a MPS Tensor to float64 dtype as the MPS framework doesn't support float64. Please use float32 instead."
        << "mps_float64" << false << Recovery::Bug << ActionKind::ReportBug;
    QTest::newRow("5 bytes") << "/AppleInternal/Library/BuildRoots/MPSNDArray.mm:782: failed assertion `[MPSNDArray initWithDevice:descriptor:] "
                                "Error: total bytes of NDArray > 2**32'"
                             << "mps_tensor_too_large" << false << Recovery::Bug << ActionKind::LowerBatch;
    QTest::newRow("5 elements") << "failed assertion `Error: product of dimension sizes > 2**31'"
                                << "mps_tensor_too_large" << false << Recovery::Bug << ActionKind::LowerBatch;
    QTest::newRow("6 placeholder") << "Placeholder storage has not been allocated on MPS device!"
                                   << "mps_placeholder" << false << Recovery::Bug << ActionKind::ReportBug;
    QTest::newRow("7 int64 minmax") << "MPS: no support for int64 min/max ops, casting it to int32"
                                    << "mps_int64_minmax" << false << Recovery::Warning << ActionKind::ReportBug;
    QTest::newRow("8 complex")
        << "TypeError: Trying to convert ComplexFloat to the MPS backend but it does not have support for that dtype."
        << "mps_complex" << false << Recovery::CpuForOp << ActionKind::UpdateSystem;
    QTest::newRow("9 autocast dtype") << "In MPS autocast, but the target dtype is not supported. Disabling autocast."
                                      << "mps_half_unsupported" << false << Recovery::Float32 << ActionKind::UseFloat32;
    QTest::newRow("9 convtranspose") << "ConvTranspose 3D with BF16 or FP16 types is not supported on MPS"
                                     << "mps_half_unsupported" << false << Recovery::Float32 << ActionKind::UseFloat32;
    QTest::newRow("10 matmul") << "mps_matmul: error: incompatible dimensions: [1, 128] x [64, 256]"
                               << "mps_compiler" << false << Recovery::Kernel << ActionKind::RememberCpuOnly;
    QTest::newRow("10 llvm") << "LLVM ERROR: Failed to infer result type(s)."
                             << "mps_compiler" << false << Recovery::Kernel << ActionKind::RememberCpuOnly;
    QTest::newRow("11 numerical (ours)") << "model output produced NaN or Inf on mps (chunks 0..3)"
                                         << "numerical" << false << Recovery::Kernel << ActionKind::RetryOnCpu;
    QTest::newRow("12 cuda oom")
        << "CUDA out of memory. Tried to allocate 5.71 GiB (GPU 0; 14.76 GiB total capacity; 9.12 GiB already allocated; "
           "4.47 GiB free; 9.13 GiB reserved in total by PyTorch)"
        << "cuda_oom" << true << Recovery::HalveBatch << ActionKind::CloseApps;
    QTest::newRow("12 cuda oom 2.x") << "OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.10 GiB"
                                     << "cuda_oom" << true << Recovery::HalveBatch << ActionKind::LowerBatch;
    QTest::newRow("12 cuda runtime oom") << "CUDA error: out of memory\nCUDA kernel errors might be asynchronously reported"
                                         << "cuda_oom" << true << Recovery::HalveBatch << ActionKind::LowerBatch;
    QTest::newRow("cpu oom") << "[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: "
                                "you tried to allocate 68719476736 bytes. Error code 12 (Cannot allocate memory)"
                             << "cpu_oom" << true << Recovery::HalveBatch << ActionKind::CloseApps;
    QTest::newRow("cpu oom windows") << "DefaultCPUAllocator: not enough memory: you tried to allocate 1073741824 bytes."
                                     << "cpu_oom" << true << Recovery::HalveBatch << ActionKind::LowerBatch;
    QTest::newRow("illegal instruction") << "stemdeck-cli terminated: Illegal instruction (core dumped)"
                                         << "cpu_instruction_set" << false << Recovery::Bug << ActionKind::UpdateSystem;
    QTest::newRow("cuda no kernel image") << "CUDA error: no kernel image is available for execution on the device"
                                          << "cuda_no_kernel_image" << false << Recovery::Kernel << ActionKind::RetryOnCpu;
    QTest::newRow("cuda driver") << "Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver"
                                 << "cuda_driver" << false << Recovery::Kernel << ActionKind::UpdateSystem;
    QTest::newRow("cuda kernel") << "CUDA error: an illegal memory access was encountered"
                                 << "cuda_kernel" << false << Recovery::Kernel << ActionKind::RetryOnCpu;
    QTest::newRow("device mix")
        << "Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!"
        << "device_mix" << false << Recovery::Bug << ActionKind::ReportBug;
    QTest::newRow("generic oom") << "HIP out of memory. Tried to allocate 2 GiB"
                                 << "oom_generic" << true << Recovery::HalveBatch << ActionKind::LowerBatch;
}

void TestErrorTranslator::translatesKnownMessages() {
    QFETCH(QString, raw);
    QFETCH(QString, id);
    QFETCH(bool, oom);
    QFETCH(Recovery, recovery);
    QFETCH(ActionKind, action);
    const TranslatedError t = ErrorTranslator::translate(raw.toStdString());
    QCOMPARE(QString::fromStdString(t.id), id);
    QVERIFY(t.isKnown);
    QCOMPARE(t.isOutOfMemory, oom);
    QCOMPARE(t.recovery, recovery);
    QCOMPARE(QString::fromStdString(t.details), raw); // raw text always kept
    QVERIFY(!t.title.empty());
    QVERIFY(t.explanation.size() > 40);
    if (recovery != Recovery::Warning) QVERIFY2(t.hasAction(action), t.id.c_str());
    else QVERIFY(t.actions.empty());
    // Plain language: no raw backend jargon in the title.
    QVERIFY(t.title.find("aten::") == std::string::npos);
    m_seenIds.insert(t.id);
}

void TestErrorTranslator::everyKnownIdIsTested() {
    for (const auto& id : ErrorTranslator::knownIds())
        QVERIFY2(m_seenIds.count(id) == 1, ("no test row for " + id).c_str());
}

void TestErrorTranslator::unknownKeepsRawText() {
    const std::string raw = "something nobody has seen: code 0x1234";
    const TranslatedError t = ErrorTranslator::translate(raw);
    QCOMPARE(t.id, std::string("unknown"));
    QVERIFY(!t.isKnown);
    QVERIFY(!t.isOutOfMemory);
    QCOMPARE(t.details, raw);
    QVERIFY(t.hasAction(ActionKind::RetryOnCpu));
    QVERIFY(t.hasAction(ActionKind::ReportBug));
    const TranslatedError e = ErrorTranslator::translate(std::runtime_error(raw));
    QCOMPARE(e.details, raw);
}

void TestErrorTranslator::badAllocIsOutOfRam() {
    const TranslatedError t = ErrorTranslator::translate(std::bad_alloc());
    QCOMPARE(t.id, std::string("cpu_oom"));
    QVERIFY(t.isOutOfMemory);
    std::exception_ptr p;
    try {
        throw std::bad_alloc();
    } catch (...) {
        p = std::current_exception();
    }
    QCOMPARE(ErrorTranslator::translate(p).id, std::string("cpu_oom"));
}

void TestErrorTranslator::numericalFailureOffersCpu() {
    const TranslatedError t = ErrorTranslator::numericalFailure(DeviceId::mps(), "chunks 4..7");
    QCOMPARE(t.id, std::string("numerical"));
    QVERIFY(t.hasAction(ActionKind::RetryOnCpu));
    QVERIFY(t.details.find("mps") != std::string::npos);
    QVERIFY(t.details.find("chunks 4..7") != std::string::npos);
    QVERIFY(t.explanation.find("CPU") != std::string::npos);
}

void TestErrorTranslator::instructionSetCheck() {
    CpuInfo good;
    good.isX86 = good.avx = good.avx2 = good.fma = true;
    QVERIFY(!ErrorTranslator::checkInstructionSet(good));
    CpuInfo arm; // not x86: flags mean nothing
    QVERIFY(!ErrorTranslator::checkInstructionSet(arm));
    CpuInfo old;
    old.isX86 = true;
    old.modelName = "Intel Core 2 Duo";
    const auto t = ErrorTranslator::checkInstructionSet(old);
    QVERIFY(t.has_value());
    QCOMPARE(t->id, std::string("cpu_instruction_set"));
    QVERIFY(t->details.find("AVX AVX2 FMA") != std::string::npos);
    QCOMPARE(t->recovery, Recovery::Bug); // cannot run at all
    CpuInfo sandy; // AVX but no AVX2: slower generic kernels, but it runs
    sandy.isX86 = sandy.avx = true;
    const auto s = ErrorTranslator::checkInstructionSet(sandy);
    QVERIFY(s.has_value());
    QCOMPARE(s->recovery, Recovery::Warning);
    QVERIFY(s->details.find("AVX2") != std::string::npos);
}

void TestErrorTranslator::warningsExplained() {
    const auto known = ErrorTranslator::explainWarning("MPS: no support for int64 min/max ops, casting it to int32");
    QVERIFY(known.has_value());
    QCOMPARE(known->id, std::string("mps_int64_minmax"));
    const auto fallback = ErrorTranslator::explainWarning(
        "The operator 'aten::_fft_c2r' is not currently supported on the MPS backend and will fall back to run on the "
        "CPU. This may have performance implications.");
    QVERIFY(fallback.has_value());
    QCOMPARE(fallback->id, std::string("mps_missing_op"));
    QVERIFY(!ErrorTranslator::explainWarning("An unrelated deprecation notice"));
}

void TestErrorTranslator::oneLineFormat() {
    const auto t = ErrorTranslator::translate("CUDA out of memory. Tried to allocate 1 GiB");
    const std::string line = formatOneLine(t);
    QVERIFY(line.find(t.title) == 0);
    QVERIFY(line.find("Use a smaller batch size") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestErrorTranslator)
#include "tst_error_translator.moc"
