// JobListModel: the queue panel's view-model, a list model over a JobBackend. Updates arrive
// as snapshots and are coalesced: rows are inserted and dataChanged is emitted at most once per
// frame interval, so hundreds of jobs reporting progress keep the list smooth.
#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QPointer>
#include <QTimer>
#include <QVector>
#include <QtQml/qqmlregistration.h>

#include "job_backend.h"

namespace stemdeck::ui {

class JobListModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by AppController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(int activeCount READ activeCount NOTIFY summaryChanged)
    Q_PROPERTY(int readyCount READ readyCount NOTIFY summaryChanged)
    Q_PROPERTY(int finishedCount READ finishedCount NOTIFY summaryChanged)
    Q_PROPERTY(int failedCount READ failedCount NOTIFY summaryChanged)
    // Finished jobs whose stems are not exported yet (what Export would write).
    Q_PROPERTY(int unexportedCount READ unexportedCount NOTIFY summaryChanged)
    Q_PROPERTY(double overallProgress READ overallProgress NOTIFY summaryChanged)

public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        FileRole,
        FileNameRole,
        DurationRole,
        DurationTextRole,
        ModelRole,
        DeviceRole,
        StateRole,     // "queued", "running", "done", "failed", "cancelled"
        StateTextRole, // translated
        ProgressRole,
        EtaRole,
        EtaTextRole,
        OutputFolderRole,
        ErrorRole,
        CanCancelRole,
        CanRetryRole,
        CanRevealRole,
        CanExportRole,
        CanStartRole,
        DetailTextRole, // the second line: time left, where the stems went, or that they wait for export
    };
    Q_ENUM(Role)

    explicit JobListModel(QObject* parent = nullptr);

    void setBackend(JobBackend* backend);
    JobBackend* backend() const { return m_backend; }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int activeCount() const;
    int finishedCount() const;
    int failedCount() const;
    int unexportedCount() const;
    int readyCount() const;
    // Adds a file the user chose as a Ready row (not yet queued); returns its local id.
    quint64 stage(const JobSnapshot& job);
    // Removes the Ready rows and returns them, in list order, for queueing.
    QList<JobSnapshot> takeReady();
    double overallProgress() const;
    int rowOf(quint64 id) const { return m_rowOf.value(id, -1); }
    const JobSnapshot* job(int row) const;

    Q_INVOKABLE void cancel(int row);
    Q_INVOKABLE void cancelAll();
    Q_INVOKABLE void retry(int row);
    Q_INVOKABLE void retryOnCpu(int row);
    Q_INVOKABLE void remove(int row);
    Q_INVOKABLE void removeFinished();
    Q_INVOKABLE void reveal(int row);
    Q_INVOKABLE void exportJob(int row);
    Q_INVOKABLE void exportAll();

    // Re-reads the translated roles after a language change.
    void retranslate();
    // Applies pending changes now (normally done by the coalescing timer).
    void flush();
    // Coalescing interval; 0 flushes on the next event-loop turn.
    void setFlushInterval(int ms) { m_timer.setInterval(ms); }

    static QString stateName(JobState state);
    static QString formatDuration(double seconds);

public Q_SLOTS:
    void addJob(const stemdeck::ui::JobSnapshot& job);
    void updateJob(const stemdeck::ui::JobSnapshot& job);
    void removeJob(quint64 id);

Q_SIGNALS:
    void countChanged();
    void summaryChanged();
    // A finished job's output folder should be shown in the file manager.
    void revealRequested(const QString& folder);

private:
    void schedule();
    void rebuildIndex(int fromRow);

    QPointer<JobBackend> m_backend;
    QVector<JobSnapshot> m_rows;
    QVector<JobSnapshot> m_pendingInserts;
    QHash<quint64, int> m_rowOf;         // id -> row in m_rows
    QHash<quint64, int> m_pendingRowOf;  // id -> index in m_pendingInserts
    // Ready rows get ids from the top of the range so they never collide with the queue's.
    quint64 m_nextLocalId = quint64(1) << 62;
    int m_dirtyFirst = -1;
    int m_dirtyLast = -1;
    QTimer m_timer;
};

} // namespace stemdeck::ui
