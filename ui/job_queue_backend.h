// JobQueueBackend: the JobBackend of the application, over core/jobs' JobQueue. Converts the
// user's JobRequest into an engine JobSpec, JobQueue's signals into JobSnapshots, and failures
// into banner errors (by error code here; main() adds ErrorTranslator for backend messages).
// Jobs that are not exported when they end are written to a staging folder and moved into the
// destination on "Export" (never overwriting, folder by folder).
#pragma once

#include "job_backend.h"
#include "jobs/job_queue.h"

#include <QHash>
#include <QPointer>

#include <functional>

namespace stemdeck::ui {

class JobQueueBackend : public JobBackend {
    Q_OBJECT
public:
    using FailureTranslator = std::function<JobFailure(const jobs::JobInfo& job)>;

    // queue: not owned; stagingDir: where jobs that wait for "Export" are written.
    JobQueueBackend(jobs::JobQueue* queue, QString stagingDir, QObject* parent = nullptr);

    // Replaces the default (error-code based) translation; called on the GUI thread.
    void setFailureTranslator(FailureTranslator t) { m_translate = std::move(t); }
    static JobFailure translateByCode(const jobs::JobInfo& job);
    static engine::JobSpec specFor(const JobRequest& request);

    quint64 enqueue(const JobRequest& request) override;
    void cancel(quint64 id) override;
    void retry(quint64 id, bool onCpu) override;
    int retryWithSmallerBatch(quint64 id) override;
    void remove(quint64 id) override;
    void exportJob(quint64 id) override;

    JobSnapshot snapshot(quint64 id) const;

private:
    struct Extra {
        JobRequest request;
        QString exportedFolder;
        QStringList exportedFiles;
        bool staged = false; // written to the staging folder, waiting for Export
        int lastBatch = 0;   // chunks per model call as last seen in the job's profile events
    };
    void publish(quint64 id) { Q_EMIT jobUpdated(snapshot(id)); }
    void onFinished(quint64 id, jobs::JobState state);

    QPointer<jobs::JobQueue> m_queue;
    QString m_stagingDir;
    QHash<quint64, Extra> m_extra;
    FailureTranslator m_translate;
    Extra m_pendingExtra; // for the jobAdded that addFile emits before returning the id
    bool m_hasPending = false;
    quint64 m_stagingCounter = 0;
};

} // namespace stemdeck::ui
