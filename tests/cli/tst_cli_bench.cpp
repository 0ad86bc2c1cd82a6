// `stemdeck-cli bench` end to end on the CPU (issue #9): one JSON object with every field the
// issue names, numbers consistent with each other (x real-time = seconds / wall, FLOPs = chunks x
// the config's count, stages within the wall), --random-weights without a checkpoint, a real
// checkpoint, the reference comparison (device overlap-add vs the host accumulators; channels-last
// and the TDF residual product vs the same run without them) and usage errors. Speed is never asserted: only that the figures add up.
#include "common/test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run {
    int code = -1;
    QByteArray out, err;
};

Run runCli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(STEMDECK_CLI_PATH), QStringList{QStringLiteral("bench")} + args);
    p.waitForFinished(120000);
    Run r;
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// One scale, one unit per block, 448-sample chunks: a forward pass takes milliseconds.
const char* kTinyConfig = R"(audio:
  chunk_size: 448
  dim_f: 128
  hop_length: 64
  n_fft: 256
  num_channels: 2
  sample_rate: 8000
model:
  act: gelu
  norm: InstanceNorm
  bottleneck_factor: 2
  growth: 2
  num_blocks_per_scale: 1
  num_channels: 4
  num_scales: 1
  num_subbands: 2
  scale: [2, 2]
training:
  instruments: [a, b]
inference:
  batch_size: 2
  num_overlap: 2
)";

// Hand count of that network (tests/engine/tst_flops.cpp handCount).
constexpr double kTinyNetworkFlops = 1731584.0;

// The shared vectors' drumsep5_tiny model on the CPU: 0.5 s, overlap 2, batch 2, no forward timing.
QStringList vectorModelArgs() {
    const std::filesystem::path dir = stemdeck::test::mdx23cVectorsDir() / "drumsep5_tiny";
    return {QStringLiteral("--config"), QString::fromStdString((dir / "config.yaml").string()),
            QStringLiteral("--checkpoint"), QString::fromStdString((dir / "model.safetensors").string()),
            QStringLiteral("--seconds"), QStringLiteral("0.5"), QStringLiteral("--overlap"), QStringLiteral("2"),
            QStringLiteral("--batch"), QStringLiteral("2"), QStringLiteral("--device"), QStringLiteral("cpu"),
            QStringLiteral("--forward-repeats"), QStringLiteral("0")};
}

} // namespace

class TstCliBench : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void randomWeightsJson();
    void checkpointAndReference();
    void channelsLastAgainstItsReference();
    void testTimeAugmentationCountsItsPasses();
    void usageErrors_data();
    void usageErrors();

private:
    QTemporaryDir m_dir;
    QString m_config;
};

void TstCliBench::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_config = m_dir.filePath(QStringLiteral("tiny.yaml"));
    QFile f(m_config);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(kTinyConfig);
}

void TstCliBench::randomWeightsJson() {
    const Run r = runCli({QStringLiteral("--config"), m_config, QStringLiteral("--random-weights"), QStringLiteral("--seconds"),
                          QStringLiteral("2"), QStringLiteral("--overlap"), QStringLiteral("2"), QStringLiteral("--batch"),
                          QStringLiteral("3"), QStringLiteral("--precision"), QStringLiteral("fp32"), QStringLiteral("--device"),
                          QStringLiteral("cpu"), QStringLiteral("--runs"), QStringLiteral("2")});
    QVERIFY2(r.code == 0, r.err.constData());
    // Exactly one JSON object, one line.
    QCOMPARE(r.out.trimmed().count('\n'), 0);
    QJsonParseError error;
    const QJsonObject j = QJsonDocument::fromJson(r.out, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));

    QCOMPARE(j[QStringLiteral("device")].toString(), QStringLiteral("cpu"));
    QCOMPARE(j[QStringLiteral("precision")].toString(), QStringLiteral("fp32"));
    QCOMPARE(j[QStringLiteral("seconds")].toDouble(), 2.0);
    QCOMPARE(j[QStringLiteral("overlap")].toInt(), 2);
    QCOMPARE(j[QStringLiteral("chunk_size")].toInt(), 448);
    QVERIFY(j[QStringLiteral("weights")].toString().startsWith(QStringLiteral("random")));

    // x real-time is the audio's length over the timed wall, the fastest of the runs.
    const double wall = j[QStringLiteral("wall_seconds")].toDouble();
    QVERIFY(wall > 0);
    QCOMPARE(j[QStringLiteral("wall_seconds_all")].toArray().size(), 2);
    for (const QJsonValue v : j[QStringLiteral("wall_seconds_all")].toArray()) QVERIFY(v.toDouble() >= wall);
    QVERIFY(qAbs(j[QStringLiteral("x_realtime")].toDouble() * wall - 2.0) < 1e-9);
    QVERIFY(j[QStringLiteral("warmup_seconds")].toDouble() > 0);
    QVERIFY(j[QStringLiteral("load_seconds")].toDouble() >= 0);

    // 2 s at 8 kHz = 16000 frames, step 224, border 224 -> padded 16448 -> 74 chunks, 25 batches of 3.
    QCOMPARE(j[QStringLiteral("chunks")].toInt(), 74);
    QCOMPARE(j[QStringLiteral("batches")].toInt(), 25);
    const QJsonObject flops = j[QStringLiteral("flops")].toObject();
    QCOMPARE(flops[QStringLiteral("per_chunk_gflop")].toDouble(), kTinyNetworkFlops / 1e9);
    QCOMPARE(flops[QStringLiteral("network_passes")].toInt(), 1);
    QVERIFY(!j[QStringLiteral("test_time_augmentation")].toBool(true));
    QVERIFY(qAbs(flops[QStringLiteral("separation_tflop")].toDouble() - 74 * kTinyNetworkFlops / 1e12) < 1e-15);
    QVERIFY(qAbs(flops[QStringLiteral("end_to_end_tflops")].toDouble() * wall - 74 * kTinyNetworkFlops / 1e12) < 1e-12);
    QCOMPARE(flops[QStringLiteral("forward_batch")].toInt(), 3);
    const double perBatch = flops[QStringLiteral("forward_seconds_per_batch")].toDouble();
    QVERIFY(perBatch > 0);
    QVERIFY(qAbs(flops[QStringLiteral("forward_tflops")].toDouble() * perBatch - 3 * kTinyNetworkFlops / 1e12) < 1e-12);

    // Per-stage totals: the model stage ran, and no stage is longer than the wall.
    const QJsonObject stages = j[QStringLiteral("stages")].toObject();
    QVERIFY(stages.contains(QStringLiteral("model")));
    for (auto it = stages.begin(); it != stages.end(); ++it) QVERIFY2(it.value().toDouble() <= wall + 1e-6, qPrintable(it.key()));
    const double model = stages[QStringLiteral("model")].toDouble();
    QVERIFY(qAbs(flops[QStringLiteral("model_stage_tflops")].toDouble() * model - 74 * kTinyNetworkFlops / 1e12) < 1e-12);

    const QJsonObject memory = j[QStringLiteral("memory")].toObject();
    QVERIFY(memory[QStringLiteral("peak_rss_bytes")].toDouble() > 1e6);
    QCOMPARE(memory[QStringLiteral("peak_device_bytes")].toInt(), -1); // the CPU reports none
    QVERIFY(memory[QStringLiteral("estimate_per_chunk_bytes")].toDouble() > 0);
    const QJsonObject batch = j[QStringLiteral("batch")].toObject();
    QCOMPARE(batch[QStringLiteral("requested")].toInt(), 3);
    QCOMPARE(batch[QStringLiteral("planned")].toInt(), 3);
    QCOMPARE(batch[QStringLiteral("final")].toInt(), 3);
    QVERIFY(batch[QStringLiteral("changes")].toArray().isEmpty());
    QVERIFY(j[QStringLiteral("levers")].isObject());
    QCOMPARE(j[QStringLiteral("stems")].toArray().size(), 2);
    QCOMPARE(j[QStringLiteral("sdr_vs_generated_db")].toObject().size(), 2);
}

void TstCliBench::checkpointAndReference() {
    QVERIFY2(!stemdeck::test::mdx23cVectorsDir().empty(), "STEMDECK_TESTDATA_DIR is not set");
    // The overlap-add on the model's device (here the CPU's torch path) against the host
    // accumulators of a batch-1 reference: the same arithmetic, so the same samples.
    const Run r = runCli(vectorModelArgs() + QStringList{QStringLiteral("--device-overlap-add"), QStringLiteral("on"),
                                                         QStringLiteral("--compare-batch"), QStringLiteral("1")});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QVERIFY(j[QStringLiteral("weights")].toString().endsWith(QStringLiteral("model.safetensors")));
    QVERIFY(!j[QStringLiteral("flops")].toObject().contains(QStringLiteral("forward_tflops")));
    QVERIFY(j[QStringLiteral("levers")].toObject()[QStringLiteral("device_overlap_add")].toBool());
    const QJsonObject ref = j[QStringLiteral("reference")].toObject();
    QCOMPARE(ref[QStringLiteral("batch")].toInt(), 1);
    QCOMPARE(ref[QStringLiteral("precision")].toString(), QStringLiteral("fp32"));
    QVERIFY2(ref[QStringLiteral("max_abs_diff")].toDouble() < 1e-5, qPrintable(QString::number(ref[QStringLiteral("max_abs_diff")].toDouble())));
    const QJsonObject sdr = ref[QStringLiteral("sdr_vs_reference_db")].toObject();
    QCOMPARE(sdr.size(), 5);
    for (const QJsonValue v : sdr) QVERIFY(v.toDouble() > 80.0);
    // The warm-up separation is compared as well (it is where an out-of-memory halving happens).
    const QJsonObject warmup = ref[QStringLiteral("warmup")].toObject();
    QVERIFY(warmup.contains(QStringLiteral("max_abs_diff")));
    QVERIFY2(warmup[QStringLiteral("max_abs_diff")].toDouble() < 1e-5, qPrintable(QString::number(warmup[QStringLiteral("max_abs_diff")].toDouble())));
}

void TstCliBench::channelsLastAgainstItsReference() {
    // The channels-last forward with the TDF residual in its product (CUDA defaults since session 4)
    // runs on the CPU too; `--compare-levers kept` separates the same audio again without those two
    // levers, so the JSON says what they alone change: float rounding, nothing more.
    QVERIFY2(!stemdeck::test::mdx23cVectorsDir().empty(), "STEMDECK_TESTDATA_DIR is not set");
    const Run r = runCli(vectorModelArgs() + QStringList{QStringLiteral("--channels-last"), QStringLiteral("on"),
                                                         QStringLiteral("--tdf-residual-product"), QStringLiteral("on"),
                                                         QStringLiteral("--compare-batch"), QStringLiteral("2"),
                                                         QStringLiteral("--compare-levers"), QStringLiteral("kept")});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    const QJsonObject levers = j[QStringLiteral("levers")].toObject();
    QCOMPARE(levers[QStringLiteral("channels_last")].toBool(), true);
    QCOMPARE(levers[QStringLiteral("tdf_residual_product")].toBool(), true);
    // The separator says it applied them (a lever it cannot use on a device is left out here).
    const QString applied = QJsonDocument(levers[QStringLiteral("notes")].toArray()).toJson();
    QVERIFY2(applied.contains(QStringLiteral("channels-last")), qPrintable(applied));
    QVERIFY2(applied.contains(QStringLiteral("TDF residual")), qPrintable(applied));
    const QJsonObject ref = j[QStringLiteral("reference")].toObject();
    QCOMPARE(ref[QStringLiteral("batch")].toInt(), 2);
    const double diff = ref[QStringLiteral("max_abs_diff")].toDouble();
    QVERIFY2(diff < 1e-4, qPrintable(QString::number(diff)));
    const QJsonObject sdr = ref[QStringLiteral("sdr_vs_reference_db")].toObject();
    QCOMPARE(sdr.size(), 5);
    for (const QJsonValue v : sdr) QVERIFY(v.toDouble() > 80.0);
}

// --tta: the output says it ran, and the FLOP counts carry the network's three passes per chunk
// (a stereo model), so the achieved rates are not understated threefold.
void TstCliBench::testTimeAugmentationCountsItsPasses() {
    const Run r = runCli({QStringLiteral("--config"), m_config, QStringLiteral("--random-weights"), QStringLiteral("--seconds"),
                          QStringLiteral("2"), QStringLiteral("--overlap"), QStringLiteral("2"), QStringLiteral("--batch"),
                          QStringLiteral("3"), QStringLiteral("--precision"), QStringLiteral("fp32"), QStringLiteral("--device"),
                          QStringLiteral("cpu"), QStringLiteral("--runs"), QStringLiteral("1"), QStringLiteral("--tta")});
    QVERIFY2(r.code == 0, r.err.constData());
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QVERIFY(j[QStringLiteral("test_time_augmentation")].toBool(false));
    const QJsonObject flops = j[QStringLiteral("flops")].toObject();
    QCOMPARE(flops[QStringLiteral("network_passes")].toInt(), 3);
    QCOMPARE(flops[QStringLiteral("per_chunk_gflop")].toDouble(), kTinyNetworkFlops / 1e9); // one pass
    QVERIFY(qAbs(flops[QStringLiteral("separation_tflop")].toDouble() - 3 * 74 * kTinyNetworkFlops / 1e12) < 1e-15);
    const double perBatch = flops[QStringLiteral("forward_seconds_per_batch")].toDouble();
    QVERIFY(qAbs(flops[QStringLiteral("forward_tflops")].toDouble() * perBatch - 3 * 3 * kTinyNetworkFlops / 1e12) < 1e-12);
}

void TstCliBench::usageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    const QString cfg = QStringLiteral("CONFIG");
    QTest::newRow("no config") << QStringList{QStringLiteral("--random-weights")} << 2 << QStringLiteral("--config");
    QTest::newRow("no weights") << QStringList{QStringLiteral("--config"), cfg} << 2 << QStringLiteral("--random-weights");
    QTest::newRow("both weights") << QStringList{QStringLiteral("--config"), cfg, QStringLiteral("--random-weights"),
                                                 QStringLiteral("--checkpoint"), QStringLiteral("x.ckpt")}
                                  << 2 << QStringLiteral("exactly one");
    QTest::newRow("bad seconds") << QStringList{QStringLiteral("--config"), cfg, QStringLiteral("--random-weights"),
                                                QStringLiteral("--seconds"), QStringLiteral("-1")}
                                 << 2 << QStringLiteral("--seconds");
    QTest::newRow("bad batch") << QStringList{QStringLiteral("--config"), cfg, QStringLiteral("--random-weights"),
                                              QStringLiteral("--batch"), QStringLiteral("lots")}
                               << 2 << QStringLiteral("--batch");
    QTest::newRow("bad switch") << QStringList{QStringLiteral("--config"), cfg, QStringLiteral("--random-weights"),
                                               QStringLiteral("--tf32"), QStringLiteral("maybe")}
                                << 2 << QStringLiteral("on or off");
    QTest::newRow("bad layout switch") << QStringList{QStringLiteral("--config"), cfg, QStringLiteral("--random-weights"),
                                                      QStringLiteral("--channels-last"), QStringLiteral("sometimes")}
                                       << 2 << QStringLiteral("--channels-last");
    QTest::newRow("bad compare-levers") << QStringList{QStringLiteral("--config"), cfg, QStringLiteral("--random-weights"),
                                                       QStringLiteral("--compare-levers"), QStringLiteral("all")}
                                        << 2 << QStringLiteral("plain or kept");
    QTest::newRow("missing config") << QStringList{QStringLiteral("--config"), QStringLiteral("/nonexistent/c.yaml"),
                                                   QStringLiteral("--random-weights")}
                                    << 4 << QStringLiteral("/nonexistent/c.yaml");
}

void TstCliBench::usageErrors() {
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    args.replaceInStrings(QStringLiteral("CONFIG"), m_config);
    const Run r = runCli(args);
    QCOMPARE(r.code, code);
    QVERIFY(r.out.isEmpty()); // no partial JSON
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
}

QTEST_GUILESS_MAIN(TstCliBench)
#include "tst_cli_bench.moc"
