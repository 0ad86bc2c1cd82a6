// JobQueue with a faked engine: folders (recursive, audio only, spaces and non-ASCII names),
// every job ending in exactly one final state, cancellation of queued and running jobs, retry,
// one separation per device at a time, and signals that keep flowing with 200 jobs.
#include "jobs/job_queue.h"
#include "jobs/log_bridge.h"

#include "common/log.h"
#include "common/test_support.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <set>

using namespace stemdeck;
using stemdeck::jobs::JobQueue;
using stemdeck::jobs::JobState;

namespace {

void touch(const QString& path) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("x");
}

// A fake separation: reports progress over `steps` steps, takes the device for the middle part,
// honours the cancel flag between steps like the engine does between batches.
struct FakeEngine {
    int steps = 5;
    int stepMs = 1;
    std::shared_ptr<std::atomic<int>> onDevice = std::make_shared<std::atomic<int>>(0);
    std::shared_ptr<std::atomic<int>> maxOnDevice = std::make_shared<std::atomic<int>>(0);
    std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
    std::function<void(const engine::JobSpec&)> fail; // throws for some inputs

    engine::EngineFunction function() const {
        FakeEngine self = *this;
        return [self](const engine::JobSpec& spec, const engine::JobCallbacks& cb, const std::atomic<bool>& cancel) {
            ++*self.calls;
            if (self.fail) self.fail(spec);
            const device::DeviceId dev = spec.device.value_or(device::DeviceId::cpu());
            if (cb.acquireDevice && !cb.acquireDevice(dev)) throw Error(ErrorCode::Cancelled, "cancelled");
            const int now = ++*self.onDevice;
            int prev = self.maxOnDevice->load();
            while (now > prev && !self.maxOnDevice->compare_exchange_weak(prev, now)) {}
            struct Release {
                const engine::JobCallbacks& cb;
                device::DeviceId dev;
                std::atomic<int>& on;
                ~Release() {
                    --on;
                    if (cb.releaseDevice) cb.releaseDevice(dev);
                }
            } release{cb, dev, *self.onDevice};
            for (int i = 0; i < self.steps; ++i) {
                if (cancel.load()) throw Error(ErrorCode::Cancelled, "cancelled");
                QThread::msleep(static_cast<unsigned long>(self.stepMs));
                if (cb.progress) cb.progress({double(i + 1) / self.steps, Stage::Model, 0.01 * (self.steps - i - 1)});
                if (cb.profile) {
                    ProfileEvent e;
                    e.kind = ProfileEvent::Kind::Batch;
                    e.value = 1;
                    cb.profile(e);
                }
            }
            engine::JobResult r;
            r.input = spec.input;
            r.sampleRate = 44100;
            return r;
        };
    }
};

} // namespace

class TestJobQueue : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void foldersPickAudioFilesOnly() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QDir root(dir.path());
        QVERIFY(root.mkpath(QStringLiteral("sub dir/Ünïcødé 曲")));
        touch(root.filePath(QStringLiteral("a song.wav")));
        touch(root.filePath(QStringLiteral("notes.txt")));
        touch(root.filePath(QStringLiteral("cover.jpg")));
        touch(root.filePath(QStringLiteral("sub dir/B.FLAC")));
        touch(root.filePath(QStringLiteral("sub dir/Ünïcødé 曲/trąck ß.mp3")));
        FakeEngine fake;
        JobQueue queue(fake.function());
        QSignalSpy added(&queue, &JobQueue::jobAdded);
        QSignalSpy finished(&queue, &JobQueue::jobFinished);
        const auto ids = queue.addFolder(dir.path(), {});
        QCOMPARE(ids.size(), 3);
        QCOMPARE(added.count(), 3);
        QVERIFY(queue.waitForAll(20000));
        QCOMPARE(finished.count(), 3);
        QStringList files;
        for (quint64 id : ids) {
            const auto info = queue.job(id);
            QCOMPARE(info.state, JobState::Done);
            QVERIFY(QFileInfo::exists(info.file));
            // The path reached the engine intact (UTF-8 on Linux).
            QCOMPARE(QString::fromStdU16String(info.result.input.u16string()), info.file);
            files << QFileInfo(info.file).fileName();
        }
        QVERIFY(files.contains(QStringLiteral("trąck ß.mp3")));
        // Non-recursive: the top-level file only. A missing file is refused; a file named
        // explicitly is taken whatever its extension (decoding decides).
        JobQueue flat(fake.function());
        QCOMPARE(flat.addFolder(dir.path(), {}, false).size(), 1);
        QCOMPARE(flat.addFile(root.filePath(QStringLiteral("missing.wav")), {}), quint64(0));
        QVERIFY(flat.addFile(root.filePath(QStringLiteral("notes.txt")), {}) != 0);
        QVERIFY(flat.waitForAll(20000));
    }

    // A folder scan does not follow links to folders, and a link must not hide the folder it
    // points to: the scan once marked the target as seen at the link, so whichever the file
    // system listed first decided whether that folder's files were separated at all.
    void linkedFoldersDoNotHideTheirTargets() {
        QTemporaryDir dir;
        QDir root(dir.path());
        QVERIFY(root.mkpath(QStringLiteral("real")));
        touch(root.filePath(QStringLiteral("real/song.wav")));
        for (int i = 0; i < 12; ++i) // many links, so some are listed before the folder itself
            QVERIFY(QFile::link(root.filePath(QStringLiteral("real")), root.filePath(QStringLiteral("link%1").arg(i))));
        QCOMPARE(JobQueue::filesIn({dir.path()}), QStringList{root.filePath(QStringLiteral("real/song.wav"))});
    }

    void twoHundredJobsKeepSignalsFlowing() {
        QTemporaryDir dir;
        for (int i = 0; i < 200; ++i) touch(dir.filePath(QStringLiteral("clip %1.wav").arg(i, 3, 10, QLatin1Char('0'))));
        FakeEngine fake;
        fake.steps = 4;
        JobQueue queue(fake.function());
        queue.setMaxConcurrentJobs(4);
        QSignalSpy finished(&queue, &JobQueue::jobFinished);
        QSignalSpy progress(&queue, &JobQueue::jobProgress);
        QSignalSpy profile(&queue, &JobQueue::profileEvent);
        QSignalSpy states(&queue, &JobQueue::jobStateChanged);
        QSignalSpy all(&queue, &JobQueue::allFinished);

        // Measure how long the event loop goes without a signal while the queue works.
        QElapsedTimer clock, sinceLast;
        clock.start();
        sinceLast.start();
        qint64 longestGap = 0;
        auto mark = [&] {
            longestGap = std::max(longestGap, sinceLast.elapsed());
            sinceLast.restart();
        };
        connect(&queue, &JobQueue::jobProgress, this, mark);
        connect(&queue, &JobQueue::jobFinished, this, mark);
        const auto ids = queue.addFolder(dir.path(), {});
        QCOMPARE(ids.size(), 200);
        QVERIFY(queue.waitForAll(60000));
        qInfo("200 jobs in %lld ms; longest gap between signals %lld ms; %lld progress, %lld profile signals",
              static_cast<long long>(clock.elapsed()), static_cast<long long>(longestGap),
              static_cast<long long>(progress.count()), static_cast<long long>(profile.count()));

        QCOMPARE(finished.count(), 200);
        std::set<quint64> seen;
        for (const auto& args : finished) {
            const quint64 id = args.at(0).value<quint64>();
            QVERIFY2(seen.insert(id).second, "a job finished twice");
            QCOMPARE(args.at(1).value<JobState>(), JobState::Done);
        }
        QCOMPARE(queue.count(JobState::Done), 200);
        QVERIFY(progress.count() >= 200);  // at least the final 100% of each job
        QCOMPARE(profile.count(), 200 * 4);
        QCOMPARE(all.count(), 1);
        QVERIFY(states.count() >= 400);    // running + done for each
        QCOMPARE(*fake.maxOnDevice, 1);    // one separation per device even with 4 threads
        for (quint64 id : ids) QCOMPARE(queue.job(id).progress, 1.0);
    }

    void cancelQueuedAndRunning() {
        QTemporaryDir dir;
        for (int i = 0; i < 6; ++i) touch(dir.filePath(QStringLiteral("t%1.wav").arg(i)));
        FakeEngine fake;
        fake.steps = 200;
        fake.stepMs = 5;
        JobQueue queue(fake.function());
        queue.setMaxConcurrentJobs(1);
        QSignalSpy finished(&queue, &JobQueue::jobFinished);
        const auto ids = queue.addFolder(dir.path(), {});
        QCOMPARE(ids.size(), 6);
        // Wait until the first job runs, then cancel it mid-way and one queued job.
        QTRY_COMPARE_WITH_TIMEOUT(queue.job(ids[0]).state, JobState::Running, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(queue.job(ids[0]).progress > 0.0, 10000);
        queue.cancel(ids[0]);
        queue.cancel(ids[3]);
        QCOMPARE(queue.job(ids[3]).state, JobState::Cancelled); // queued: at once
        QTRY_COMPARE_WITH_TIMEOUT(queue.job(ids[0]).state, JobState::Cancelled, 10000);
        queue.cancelAll();
        QVERIFY(queue.waitForAll(20000));
        QCOMPARE(finished.count(), 6);
        std::set<quint64> seen;
        for (const auto& args : finished) QVERIFY(seen.insert(args.at(0).value<quint64>()).second);
        QCOMPARE(queue.count(JobState::Cancelled) + queue.count(JobState::Done), 6);
        QVERIFY(queue.count(JobState::Cancelled) >= 2);
        QVERIFY(*fake.calls < 6); // cancelled queued jobs never reached the engine

        // Retry a cancelled job: it runs again and finishes.
        QVERIFY(queue.retry(ids[3]));
        QVERIFY(!queue.retry(ids[3])); // queued again: no second retry
        QVERIFY(queue.waitForAll(20000));
        QCOMPARE(queue.job(ids[3]).attempts, 2);
        QVERIFY(isFinal(queue.job(ids[3]).state));
        QVERIFY(queue.remove(ids[3]));
        QCOMPARE(queue.job(ids[3]).id, quint64(0));
    }

    void failureCarriesMessageAndRetryOnCpu() {
        QTemporaryDir dir;
        touch(dir.filePath(QStringLiteral("bad.wav")));
        touch(dir.filePath(QStringLiteral("good.wav")));
        FakeEngine fake;
        fake.fail = [](const engine::JobSpec& spec) {
            if (spec.input.filename() == "bad.wav" && spec.device != device::DeviceId::cpu())
                throw Error(ErrorCode::NumericalFailure, "The model produced NaN in " + spec.input.filename().string() + ".",
                            "batch 3");
        };
        JobQueue queue(fake.function());
        QSignalSpy failed(&queue, &JobQueue::jobFailed);
        engine::JobSpec spec;
        spec.device = device::DeviceId::cuda(0);
        const auto ids = queue.addFolder(dir.path(), spec);
        QVERIFY(queue.waitForAll(20000));
        QCOMPARE(failed.count(), 1);
        const quint64 bad = failed.at(0).at(0).value<quint64>();
        const auto info = queue.job(bad);
        QCOMPARE(info.state, JobState::Failed);
        QCOMPARE(info.errorCode, ErrorCode::NumericalFailure);
        QVERIFY(info.errorMessage.contains(QStringLiteral("bad.wav")));
        QCOMPARE(info.errorDetail, QStringLiteral("batch 3"));
        QVERIFY(!queue.retry(ids.contains(bad) && ids[0] == bad ? ids[1] : ids[0])); // Done: no retry
        QVERIFY(queue.retry(bad, /*onCpu=*/true));
        QVERIFY(queue.waitForAll(20000));
        QCOMPARE(queue.job(bad).state, JobState::Done);
        QCOMPARE(queue.job(bad).spec.device, std::optional(device::DeviceId::cpu()));
    }

    void coreLogReachesQt() {
        static QStringList captured;
        captured.clear();
        auto previous = qInstallMessageHandler([](QtMsgType, const QMessageLogContext& ctx, const QString& msg) {
            captured << QString::fromLatin1(ctx.category) + QLatin1Char('|') + msg;
        });
        jobs::installLogBridge();
        SD_LOG(log::engine, Warning) << "batch halved to " << 2;
        jobs::removeLogBridge();
        qInstallMessageHandler(previous);
        QVERIFY2(captured.contains(QStringLiteral("stemdeck.engine|batch halved to 2")), qPrintable(captured.join(';')));
    }
};

QTEST_GUILESS_MAIN(TestJobQueue)
#include "tst_job_queue.moc"
