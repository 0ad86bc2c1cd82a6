// ErrorBannerModel: shows translated errors one at a time, runs their actions, and builds the
// report that "Copy report" puts on the clipboard.
#include "error_banner_model.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QSignalSpy>
#include <QTest>

using namespace stemdeck::ui;

namespace {
JobFailure oom(quint64 job) {
    JobFailure f;
    f.jobId = job;
    f.id = QStringLiteral("cuda_oom");
    f.title = QStringLiteral("The GPU ran out of memory");
    f.explanation = QStringLiteral("Use a smaller batch or the CPU.");
    f.actions = {QStringLiteral("smaller-batch"), QStringLiteral("retry-cpu")};
    f.details = QStringLiteral("CUDA out of memory. Tried to allocate 5.71 GiB");
    return f;
}
} // namespace

class TestErrorBanner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsAndDismisses() {
        ErrorBannerModel m;
        QVERIFY(!m.isVisible());
        QSignalSpy changed(&m, &ErrorBannerModel::changed);
        m.show(oom(7));
        QVERIFY(m.isVisible());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m.title(), QStringLiteral("The GPU ran out of memory"));
        const auto actions = m.actions();
        QCOMPARE(actions.size(), 2);
        QCOMPARE(actions[0].toMap()["id"].toString(), QStringLiteral("smaller-batch"));
        QCOMPARE(actions[0].toMap()["label"].toString(), QStringLiteral("Use a smaller batch"));
        QCOMPARE(actions[1].toMap()["label"].toString(), QStringLiteral("Retry on CPU"));
        m.dismiss();
        QVERIFY(!m.isVisible());
        QVERIFY(m.actions().isEmpty());
    }

    void errorsWaitInLine() {
        ErrorBannerModel m;
        m.show(oom(1));
        m.show(oom(2));
        m.show(oom(2)); // the same error of the same job again replaces, not stacks
        QCOMPARE(m.moreCount(), 1);
        QCOMPARE(m.jobId(), quint64(1));
        m.dismiss();
        QCOMPARE(m.jobId(), quint64(2));
        QCOMPARE(m.moreCount(), 0);
    }

    void triggerRunsOnlyOfferedActions() {
        ErrorBannerModel m;
        QSignalSpy action(&m, &ErrorBannerModel::actionRequested);
        m.show(oom(42));
        m.trigger(QStringLiteral("choose-folder")); // not offered for this error
        QCOMPARE(action.count(), 0);
        QVERIFY(m.isVisible());
        m.trigger(QStringLiteral("retry-cpu"));
        QCOMPARE(action.count(), 1);
        QCOMPARE(action.first().at(0).toString(), QStringLiteral("retry-cpu"));
        QCOMPARE(action.first().at(1).value<quint64>(), quint64(42));
        QVERIFY(!m.isVisible());
    }

    void reportHasEverySection() {
        ErrorBannerModel m;
        m.setDeviceSummary([] { return QStringLiteral("GPU: Test card, 8 GiB"); });
        m.setSettingsSummary([] { return QStringLiteral("overlap: 4"); });
        m.setProfileSummary([] { return QStringLiteral("12.5x real time"); });
        m.show(oom(3));
        const QString r = m.reportText();
        QVERIFY(r.contains(QStringLiteral("error: The GPU ran out of memory (cuda_oom)")));
        QVERIFY(r.contains(QStringLiteral("Tried to allocate 5.71 GiB")));
        QVERIFY(r.contains(QStringLiteral("device:\nGPU: Test card, 8 GiB")));
        QVERIFY(r.contains(QStringLiteral("settings:\noverlap: 4")));
        QVERIFY(r.contains(QStringLiteral("profile:\n12.5x real time")));
        QVERIFY(r.contains(QStringLiteral(STEMDECK_VERSION)));
        m.copyReport();
        QCOMPARE(QGuiApplication::clipboard()->text(), r);
    }

    void plainMessage() {
        ErrorBannerModel m;
        m.showMessage(QStringLiteral("No model"), QStringLiteral("Import one."));
        QVERIFY(m.isVisible());
        QVERIFY(m.actions().isEmpty());
        QCOMPARE(m.explanation(), QStringLiteral("Import one."));
    }
};

QTEST_MAIN(TestErrorBanner)
#include "tst_error_banner.moc"
