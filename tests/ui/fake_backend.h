// A scripted JobBackend for the UI tests: records every call and lets a test drive job states
// the way JobQueue would, without running anything.
#pragma once

#include "job_backend.h"

#include <QList>
#include <QPair>

namespace stemdeck::ui::test {

class FakeBackend : public JobBackend {
    Q_OBJECT
public:
    using JobBackend::JobBackend;

    QList<JobRequest> enqueued;
    QList<quint64> cancelled;
    QList<QPair<quint64, bool>> retried;
    QList<quint64> removed;
    QList<quint64> exported;
    bool confirmRemovals = true;

    quint64 enqueue(const JobRequest& r) override {
        enqueued << r;
        JobSnapshot s;
        s.id = m_next++;
        s.file = r.file;
        s.model = r.modelName;
        s.durationSeconds = r.durationSeconds;
        Q_EMIT jobAdded(s);
        return s.id;
    }
    void cancel(quint64 id) override { cancelled << id; }
    void retry(quint64 id, bool onCpu) override { retried << qMakePair(id, onCpu); }
    QList<quint64> retriedSmaller;
    int retryWithSmallerBatch(quint64 id) override {
        retriedSmaller << id;
        return 1;
    }
    void remove(quint64 id) override {
        removed << id;
        if (confirmRemovals)
            Q_EMIT jobRemoved(id);
    }
    void exportJob(quint64 id) override { exported << id; }

    // Test helpers: publish a job in a given state.
    JobSnapshot add(const QString& file, JobState state = JobState::Queued, double progress = 0) {
        JobSnapshot s;
        s.id = m_next++;
        s.file = file;
        s.state = state;
        s.progress = progress;
        Q_EMIT jobAdded(s);
        return s;
    }
    void update(const JobSnapshot& s) { Q_EMIT jobUpdated(s); }
    void fail(const JobFailure& f) { Q_EMIT jobFailed(f); }

private:
    quint64 m_next = 1;
};

} // namespace stemdeck::ui::test
