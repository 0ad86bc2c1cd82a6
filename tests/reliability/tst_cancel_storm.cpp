// Cancel storm: 200 jobs through JobQueue with a faked engine (random length, 10% failures),
// while a timer on the queue's thread cancels and retries jobs at random. No deadlock (the
// queue drains), every run of every job ends in exactly one final state, no final state is left
// except by a retry, one separation per device at a time, and no engine call outlives the queue.
// scripts/fuzz.sh builds this same file under ThreadSanitizer (tests/fuzz/tsan).
#include "fake_engine.h"
#include "jobs/job_queue.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <map>
#include <random>
#include <vector>

using namespace stemdeck;
using stemdeck::jobs::JobQueue;
using stemdeck::jobs::JobState;

class TestCancelStorm : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void storm_data() {
        QTest::addColumn<unsigned>("seed");
        QTest::addColumn<int>("threads");
        QTest::addColumn<int>("actions");
        QTest::newRow("seed1-2threads") << 1u << 2 << 400;
        QTest::newRow("seed2-4threads") << 2u << 4 << 600;
        QTest::newRow("seed3-8threads-cancel-all") << 3u << 8 << 300;
    }

    void storm() {
        QFETCH(unsigned, seed);
        QFETCH(int, threads);
        QFETCH(int, actions);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        constexpr int kJobs = 200;

        test::StormEngine fake;
        fake.seed = seed;
        auto counters = fake.counters;
        std::map<quint64, std::vector<JobState>> states; // every state change, per job
        std::map<quint64, std::vector<JobState>> finals; // jobFinished, per job
        {
            JobQueue queue(fake.function());
            queue.setMaxConcurrentJobs(threads);
            connect(&queue, &JobQueue::jobStateChanged, this,
                    [&](quint64 id, JobState s) { states[id].push_back(s); });
            connect(&queue, &JobQueue::jobFinished, this, [&](quint64 id, JobState s) { finals[id].push_back(s); });

            engine::JobSpec spec;
            std::vector<quint64> ids;
            for (int i = 0; i < kJobs; ++i) {
                const QString path = dir.filePath(QStringLiteral("in%1.wav").arg(i));
                QFile f(path);
                QVERIFY(f.open(QIODevice::WriteOnly));
                f.write("x");
                f.close();
                const quint64 id = queue.addFile(path, spec);
                QVERIFY(id != 0);
                ids.push_back(id);
            }

            std::mt19937 rng(seed * 7919u);
            int done = 0, cancels = 0, retries = 0;
            QTimer storm;
            storm.setInterval(0);
            connect(&storm, &QTimer::timeout, this, [&] {
                if (done++ >= actions) {
                    storm.stop();
                    return;
                }
                const quint64 id = ids[rng() % ids.size()];
                switch (rng() % 4) {
                case 0:
                case 1:
                    queue.cancel(id);
                    ++cancels;
                    break;
                case 2:
                    if (queue.retry(id, rng() % 2)) ++retries;
                    break;
                default:
                    if (seed == 3 && done == actions / 2) queue.cancelAll();
                    QThread::usleep(100);
                }
            });
            storm.start();
            QTRY_VERIFY_WITH_TIMEOUT(!storm.isActive(), 60000);
            // Retry whatever ended cancelled or failed once more, then let everything drain.
            for (quint64 id : ids) {
                if (queue.job(id).state == JobState::Failed) queue.retry(id);
            }
            QVERIFY2(queue.waitForAll(60000), "the queue did not drain: deadlock or a lost job");
            qInfo("seed %u: %d cancels, %d retries, %d engine calls, %d injected failures", seed, cancels,
                  retries, counters->calls.load(), counters->failures.load());

            for (quint64 id : ids) {
                const auto info = queue.job(id);
                QVERIFY2(jobs::isFinal(info.state), qPrintable(QStringLiteral("job %1 not final").arg(id)));
                const auto& f = finals[id];
                // Exactly one final state per run (attempt), the last one being the job's state.
                QCOMPARE(int(f.size()), info.attempts);
                QCOMPARE(f.back(), info.state);
                // A final state is only ever left through a retry (back to Queued).
                const auto& s = states[id];
                for (size_t i = 1; i < s.size(); ++i)
                    if (jobs::isFinal(s[i - 1]))
                        QVERIFY2(s[i] == JobState::Queued,
                                 qPrintable(QStringLiteral("job %1 left %2 for %3")
                                                .arg(id)
                                                .arg(jobs::jobStateName(s[i - 1]), jobs::jobStateName(s[i]))));
            }
            QCOMPARE(counters->maxOnDevice.load(), 1);
        }
        // The queue's destructor waited for its threads: no engine call is still running.
        QCOMPARE(counters->alive.load(), 0);
        QCOMPARE(counters->onDevice.load(), 0);
    }
};

QTEST_GUILESS_MAIN(TestCancelStorm)
#include "tst_cancel_storm.moc"
