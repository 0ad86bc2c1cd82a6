// ProfileModel with a recorded event stream: QAbstractItemModelTester on every flush, the
// aggregates the panel draws, coalescing (events from another thread arrive in few flushes),
// the JobQueue connection and both exports.
#include "profile_chart_item.h"
#include "profile_model.h"
#include "recorded_stream.h"

#include "jobs/job_queue.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace stemdeck;
using namespace stemdeck::profiling;

class TestProfileModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The charts' tick spacing: 1, 2, 2.5 or 5 times a power of ten, at most that many steps.
    void chartTicksAreRound() {
        using stemdeck::profiling::ProfileChartItem;
        QCOMPARE(ProfileChartItem::niceStep(9.0, 4), 2.5);
        QCOMPARE(ProfileChartItem::niceStep(13.07, 4), 5.0);
        QCOMPARE(ProfileChartItem::niceStep(0.8, 4), 0.2);
        QCOMPARE(ProfileChartItem::niceStep(3.3, 4), 1.0);
        QCOMPARE(ProfileChartItem::niceStep(8.0, 4), 2.0);
        QCOMPARE(ProfileChartItem::niceStep(0.0, 4), 1.0); // nothing measured yet
    }

    void aggregates() {
        ProfileModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy summary(&model, &ProfileModel::summaryChanged);
        const auto events = test::recordedStream(24);
        for (const ProfileEvent& e : events) model.append(e);
        QCOMPARE(model.rowCount(), 0); // nothing before the flush
        QVERIFY(QTest::qWaitFor([&] { return model.rowCount() == int(events.size()); }, 5000));
        QCOMPARE(summary.count(), 1); // one flush for the whole burst
        QCOMPARE(model.flushCount(), 1);

        QCOMPARE(model.device(), QStringLiteral("cuda:0"));
        QCOMPARE(model.batchCount(), 24);
        QCOMPARE(model.batchSize(), 2); // halved after the out-of-memory
        QCOMPARE(model.budgetBytes(), qint64(3000) << 20);
        QVERIFY(std::abs(model.warmupSeconds() - 0.80) < 1e-9);
        QCOMPARE(model.peakProcessBytes(), qint64(700 + 5 * 23) << 20);
        QCOMPARE(model.peakDeviceBytes(), qint64(2600 + 20 * 11) << 20);

        // Stage totals: model time = 12 batches of 4 chunks (0.30 s) + 12 of 2 (0.15 s).
        const QVariantList stages = model.stageTotals();
        double modelSeconds = -1, longest = 0;
        for (const QVariant& v : stages) {
            const QVariantMap m = v.toMap();
            if (m[QStringLiteral("stage")] == QStringLiteral("model")) modelSeconds = m[QStringLiteral("seconds")].toDouble();
            longest = std::max(longest, m[QStringLiteral("fraction")].toDouble());
        }
        QCOMPARE(stages.size(), 11); // every stage ran once at least
        QVERIFY(std::abs(modelSeconds - (12 * 0.30 + 12 * 0.15)) < 1e-9);
        QCOMPARE(longest, 1.0);

        // Throughput from the settings line: a chunk advances 2.960544 / 4 s of audio.
        const auto& tp = model.series(ProfileModel::Series::Throughput);
        QCOMPARE(tp.size(), 24);
        const double chunks = 12 * 4 + 12 * 2;
        QVERIFY(std::abs(tp.back().y() - chunks * 2.960544 / 4 / tp.back().x()) < 1e-9);
        QCOMPARE(model.realTimeFactor(), tp.back().y());
        QCOMPARE(model.series(ProfileModel::Series::ProcessMemory).size(), 25);

        // Notices: planner, halving, warning, fallback, in order, each explained.
        const QVariantList notices = model.notices();
        QCOMPARE(notices.size(), 4);
        QCOMPARE(notices[0].toMap()[QStringLiteral("kind")].toString(), QStringLiteral("batch-size"));
        QCOMPARE(notices[2].toMap()[QStringLiteral("kind")].toString(), QStringLiteral("warning"));
        QCOMPARE(notices[3].toMap()[QStringLiteral("kind")].toString(), QStringLiteral("fallback"));
        QVERIFY(!notices[3].toMap()[QStringLiteral("explanation")].toString().isEmpty());

        // Rows carry the events.
        const QModelIndex last = model.index(model.rowCount() - 1);
        QCOMPARE(model.data(last, ProfileModel::KindRole).toString(), QStringLiteral("stage"));
        QCOMPARE(model.data(last, ProfileModel::StageRole).toString(), QStringLiteral("write"));

        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.batchCount(), 0);
        QVERIFY(model.stageTotals().isEmpty());
    }

    void explainerIsUsed() {
        ProfileModel model;
        model.setExplainer([](ProfileEvent::Kind, const QString& m) {
            return Explanation{QStringLiteral("T"), QStringLiteral("explained: ") + m};
        });
        ProfileEvent w;
        w.kind = ProfileEvent::Kind::Warning;
        w.message = "x";
        model.append(w);
        model.flush();
        QCOMPARE(model.data(model.index(0), ProfileModel::ExplanationRole).toString(), QStringLiteral("explained: x"));
    }

    void flushIntervalIsBounded() {
        ProfileModel model;
        QCOMPARE(model.flushIntervalMs(), 250);
        model.setFlushIntervalMs(10); // never more than 10 Hz
        QCOMPARE(model.flushIntervalMs(), 100);
        model.setFlushIntervalMs(1000);
        QCOMPARE(model.flushIntervalMs(), 1000);
    }

    void coalescesEventsFromAnotherThread() {
        ProfileModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto events = test::recordedStream(400);
        std::thread producer([&] {
            for (size_t i = 0; i < events.size(); ++i) {
                model.append(events[i]);
                if (i % 200 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        });
        QElapsedTimer clock;
        clock.start();
        QVERIFY(QTest::qWaitFor([&] { return model.rowCount() == int(events.size()); }, 10000));
        producer.join();
        // At most one flush per 100 ms (plus the one in progress when the stream ended).
        QVERIFY2(model.flushCount() <= clock.elapsed() / 100 + 2,
                 qPrintable(QStringLiteral("%1 flushes in %2 ms").arg(model.flushCount()).arg(clock.elapsed())));
        QVERIFY(model.flushCount() < int(events.size()) / 10);
        QCOMPARE(model.batchCount(), 400);
    }

    void followsOneJobOfAQueue() {
        engine::EngineFunction fake = [](const engine::JobSpec&, const engine::JobCallbacks& cb, const std::atomic<bool>&) {
            for (const ProfileEvent& e : test::recordedStream(3)) cb.profile(e);
            return engine::JobResult{};
        };
        jobs::JobQueue queue(fake);
        ProfileModel model;
        QTemporaryDir dir;
        QFile a(dir.filePath(QStringLiteral("a.wav"))), b(dir.filePath(QStringLiteral("b.wav")));
        QVERIFY(a.open(QIODevice::WriteOnly) && b.open(QIODevice::WriteOnly));
        a.close();
        b.close();
        queue.setMaxConcurrentJobs(1);
        const quint64 first = queue.addFile(a.fileName(), {});
        model.follow(&queue, first);
        queue.addFile(b.fileName(), {});
        QVERIFY(queue.waitForAll(10000));
        model.flush();
        QCOMPARE(model.rowCount(), int(test::recordedStream(3).size())); // the other job's events are not here
        QCOMPARE(model.batchCount(), 3);
    }

    void exports() {
        ProfileModel model;
        for (const ProfileEvent& e : test::recordedStream(4)) model.append(e);
        model.flush();
        QTemporaryDir dir;
        const QString trace = dir.filePath(QStringLiteral("trace.json"));
        const QString summary = dir.filePath(QStringLiteral("summary.json"));
        QVERIFY(model.exportChromeTrace(trace));
        QVERIFY(model.exportSummary(summary));
        QFile t(trace), s(summary);
        QVERIFY(t.open(QIODevice::ReadOnly) && s.open(QIODevice::ReadOnly));
        const QJsonArray ev = QJsonDocument::fromJson(t.readAll()).object()[QStringLiteral("traceEvents")].toArray();
        int spans = 0, counters = 0, instants = 0;
        for (const QJsonValue& v : ev) {
            const QString ph = v[QStringLiteral("ph")].toString();
            if (ph == QLatin1String("X")) {
                ++spans;
                QVERIFY(v[QStringLiteral("dur")].toDouble() > 0);
                QVERIFY(v[QStringLiteral("ts")].toDouble() >= 0);
            }
            counters += ph == QLatin1String("C");
            instants += ph == QLatin1String("i");
        }
        // 4 stages before the batches, 5 per batch, 2 after, 4 batches; 5 memory samples; info,
        // 2 batch sizes, warning, fallback.
        QCOMPARE(spans, 4 + 5 * 4 + 2 + 4);
        QCOMPARE(counters, 5);
        QCOMPARE(instants, 5);
        const QJsonObject sum = QJsonDocument::fromJson(s.readAll()).object();
        QCOMPARE(sum[QStringLiteral("batches")].toInt(), 4);
        QCOMPARE(sum[QStringLiteral("device")].toString(), QStringLiteral("cuda:0"));
        QVERIFY(std::abs(sum[QStringLiteral("warmupSeconds")].toDouble() - 0.8) < 1e-9);
        QVERIFY(sum[QStringLiteral("stages")].toObject().contains(QStringLiteral("overlap-add")));
        // A folder that does not exist: false and a message naming the path, no crash.
        QVERIFY(!model.exportSummary(dir.filePath(QStringLiteral("missing/summary.json"))));
        QVERIFY(model.lastError().contains(QStringLiteral("missing/summary.json")));
    }
};

QTEST_MAIN(TestProfileModel)
#include "tst_profile_model.moc"
