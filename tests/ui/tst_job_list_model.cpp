// JobListModel over a scripted backend: model invariants (QAbstractItemModelTester), roles,
// coalesced updates for hundreds of jobs, actions offered only where they make sense.
#include "fake_backend.h"
#include "job_list_model.h"
#include "translator.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QSignalSpy>
#include <QTest>

using namespace stemdeck::ui;
using stemdeck::ui::test::FakeBackend;

class TestJobListModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rolesStartAfterUserRole() {
        JobListModel m;
        const auto roles = m.roleNames();
        QVERIFY(!roles.isEmpty());
        for (auto it = roles.begin(); it != roles.end(); ++it)
            QVERIFY2(it.key() > Qt::UserRole, it.value().constData());
        QCOMPARE(roles.value(JobListModel::IdRole), QByteArray("jobId"));
    }

    void hundredsOfJobsArriveInOneInsert() {
        FakeBackend backend;
        JobListModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setBackend(&backend);
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        for (int i = 0; i < 500; ++i)
            backend.add(QStringLiteral("/music/track %1.wav").arg(i));
        QCOMPARE(m.rowCount(), 0); // coalesced until the next frame
        QTRY_COMPARE(m.rowCount(), 500);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(m.data(m.index(499), JobListModel::FileNameRole).toString(), QStringLiteral("track 499.wav"));
        QCOMPARE(m.data(m.index(0), JobListModel::StateRole).toString(), QStringLiteral("queued"));
    }

    void progressUpdatesAreCoalesced() {
        FakeBackend backend;
        JobListModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setBackend(&backend);
        QList<JobSnapshot> jobs;
        for (int i = 0; i < 200; ++i)
            jobs << backend.add(QStringLiteral("/a/%1.flac").arg(i));
        m.flush();
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        for (int step = 1; step <= 10; ++step)
            for (int i = 10; i < 20; ++i) {
                jobs[i].state = JobState::Running;
                jobs[i].progress = step / 10.0;
                jobs[i].etaSeconds = 100 - step;
                backend.update(jobs[i]);
            }
        QTRY_COMPARE(changed.count(), 1);
        const auto args = changed.first();
        QCOMPARE(args.at(0).toModelIndex().row(), 10);
        QCOMPARE(args.at(1).toModelIndex().row(), 19);
        QCOMPARE(m.data(m.index(15), JobListModel::ProgressRole).toDouble(), 1.0);
        QCOMPARE(m.data(m.index(15), JobListModel::EtaTextRole).toString(), QStringLiteral("1:30 left"));
        QCOMPARE(m.data(m.index(15), JobListModel::DetailTextRole).toString(), QStringLiteral("1:30 left")); // the row's second line
        QCOMPARE(m.activeCount(), 200);
    }

    void updateBeforeInsertIsKept() {
        FakeBackend backend;
        JobListModel m;
        m.setBackend(&backend);
        JobSnapshot j = backend.add(QStringLiteral("/x/song.wav"));
        j.state = JobState::Running;
        j.progress = 0.5;
        backend.update(j); // still pending insertion
        m.flush();
        QCOMPARE(m.rowCount(), 1);
        QCOMPARE(m.data(m.index(0), JobListModel::StateRole).toString(), QStringLiteral("running"));
        QCOMPARE(m.data(m.index(0), JobListModel::ProgressRole).toDouble(), 0.5);
    }

    // A finished job says whether its stems were written and where, in English plurals.
    void doneJobsSayWhereTheStemsWent() {
        Translator translator;
        QCOMPARE(translator.apply(QStringLiteral("en")), QStringLiteral("en"));
        FakeBackend backend;
        JobListModel m;
        m.setBackend(&backend);
        auto a = backend.add(QStringLiteral("/x/a.wav"), JobState::Done);
        auto b = backend.add(QStringLiteral("/x/b.wav"), JobState::Done);
        backend.add(QStringLiteral("/x/c.wav"), JobState::Done);
        a.outputFolder = QStringLiteral("/out/a");
        a.outputFiles = QStringList{QStringLiteral("/out/a/kick.wav"), QStringLiteral("/out/a/snare.wav")};
        backend.update(a);
        b.outputFolder = QStringLiteral("/out/b");
        b.outputFiles = QStringList{QStringLiteral("/out/b/kick.wav")};
        backend.update(b);
        m.flush();
        QCOMPARE(m.data(m.index(0), JobListModel::StateTextRole).toString(), QStringLiteral("Exported"));
        QCOMPARE(m.data(m.index(0), JobListModel::DetailTextRole).toString(),
                 QDir::toNativeSeparators(QStringLiteral("2 files in /out/a")));
        QCOMPARE(m.data(m.index(1), JobListModel::DetailTextRole).toString(),
                 QDir::toNativeSeparators(QStringLiteral("1 file in /out/b")));
        QCOMPARE(m.data(m.index(2), JobListModel::StateTextRole).toString(), QStringLiteral("Done"));
        QCOMPARE(m.data(m.index(2), JobListModel::DetailTextRole).toString(), QStringLiteral("Not exported yet"));
        QCOMPARE(m.finishedCount(), 3);
        QCOMPARE(m.unexportedCount(), 1); // what the toolbar's Export would write
        // German: the same roles, translated, with German plurals.
        QCOMPARE(translator.apply(QStringLiteral("de")), QStringLiteral("de"));
        QCOMPARE(m.data(m.index(1), JobListModel::DetailTextRole).toString(),
                 QDir::toNativeSeparators(QStringLiteral("1 Datei in /out/b")));
        QCOMPARE(m.data(m.index(0), JobListModel::StateTextRole).toString(), QStringLiteral("Exportiert"));
    }

    void actionsFollowTheState_data() {
        QTest::addColumn<int>("state");
        QTest::addColumn<bool>("canCancel");
        QTest::addColumn<bool>("canRetry");
        QTest::newRow("queued") << int(JobState::Queued) << true << false;
        QTest::newRow("running") << int(JobState::Running) << true << false;
        QTest::newRow("done") << int(JobState::Done) << false << false;
        QTest::newRow("failed") << int(JobState::Failed) << false << true;
        QTest::newRow("cancelled") << int(JobState::Cancelled) << false << true;
    }

    void actionsFollowTheState() {
        QFETCH(int, state);
        QFETCH(bool, canCancel);
        QFETCH(bool, canRetry);
        FakeBackend backend;
        JobListModel m;
        m.setBackend(&backend);
        const auto j = backend.add(QStringLiteral("/x/a.wav"), JobState(state));
        m.flush();
        QCOMPARE(m.data(m.index(0), JobListModel::CanCancelRole).toBool(), canCancel);
        QCOMPARE(m.data(m.index(0), JobListModel::CanRetryRole).toBool(), canRetry);
        m.cancel(0);
        m.retry(0);
        m.retryOnCpu(0);
        QCOMPARE(backend.cancelled.size(), canCancel ? 1 : 0);
        QCOMPARE(backend.retried.size(), canRetry ? 2 : 0);
        if (canRetry) {
            QCOMPARE(backend.retried[0], qMakePair(j.id, false));
            QCOMPARE(backend.retried[1], qMakePair(j.id, true));
        }
    }

    void removeAndReveal() {
        FakeBackend backend;
        JobListModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setBackend(&backend);
        auto a = backend.add(QStringLiteral("/x/a.wav"), JobState::Done);
        backend.add(QStringLiteral("/x/b.wav"), JobState::Running);
        a.outputFolder = QStringLiteral("/out/a");
        backend.update(a);
        m.flush();
        QVERIFY(m.data(m.index(0), JobListModel::CanRevealRole).toBool());
        QVERIFY(!m.data(m.index(1), JobListModel::CanRevealRole).toBool());
        QSignalSpy reveal(&m, &JobListModel::revealRequested);
        m.reveal(0);
        m.reveal(1);
        QCOMPARE(reveal.count(), 1);
        QCOMPARE(reveal.first().first().toString(), QStringLiteral("/out/a"));

        m.removeFinished();
        QCOMPARE(backend.removed, QList<quint64>{a.id});
        QCOMPARE(m.rowCount(), 1);
        QCOMPARE(m.data(m.index(0), JobListModel::FileNameRole).toString(), QStringLiteral("b.wav"));
        // A late report for a removed job changes nothing.
        backend.update(a);
        m.flush();
        QCOMPARE(m.rowCount(), 1);
    }

    void stagedJobsWaitForStart() {
        FakeBackend backend;
        JobListModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setBackend(&backend);
        backend.add(QStringLiteral("/x/queued.wav"));
        JobSnapshot s;
        s.file = QStringLiteral("/x/ready 1.wav");
        const quint64 id1 = m.stage(s);
        s.file = QStringLiteral("/x/ready 2.wav");
        const quint64 id2 = m.stage(s);
        QVERIFY(id1 != id2);
        m.flush();
        QCOMPARE(m.readyCount(), 2);
        QVERIFY(m.data(m.index(1), JobListModel::CanStartRole).toBool());
        m.cancel(1); // a ready job is not the backend's
        QVERIFY(backend.cancelled.isEmpty());
        const auto taken = m.takeReady();
        QCOMPARE(taken.size(), 2);
        QCOMPARE(taken[0].file, QStringLiteral("/x/ready 1.wav"));
        QCOMPARE(taken[1].file, QStringLiteral("/x/ready 2.wav"));
        QCOMPARE(m.rowCount(), 1);
        QCOMPARE(m.readyCount(), 0);
    }

    void overallProgress() {
        FakeBackend backend;
        JobListModel m;
        m.setBackend(&backend);
        backend.add(QStringLiteral("/a.wav"), JobState::Done);
        backend.add(QStringLiteral("/b.wav"), JobState::Running, 0.5);
        backend.add(QStringLiteral("/c.wav"), JobState::Cancelled);
        m.flush();
        QCOMPARE(m.overallProgress(), 0.75);
        QCOMPARE(m.finishedCount(), 1);
        QCOMPARE(m.activeCount(), 1);
        QCOMPARE(m.failedCount(), 0);
        backend.add(QStringLiteral("/d.wav"), JobState::Failed);
        m.flush();
        QCOMPARE(m.failedCount(), 1);
        QCOMPARE(m.finishedCount(), 1); // a failed job is not a finished one
    }

    void durationText() {
        QCOMPARE(JobListModel::formatDuration(0), QStringLiteral("0:00"));
        QCOMPARE(JobListModel::formatDuration(65.4), QStringLiteral("1:05"));
        QCOMPARE(JobListModel::formatDuration(3725), QStringLiteral("1:02:05"));
        QCOMPARE(JobListModel::formatDuration(-1), QStringLiteral("–"));
    }
};

QTEST_MAIN(TestJobListModel)
#include "tst_job_list_model.moc"
