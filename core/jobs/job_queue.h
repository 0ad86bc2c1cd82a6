// JobQueue: the one place separations are queued and run, for the GUI and the CLI alike. Runs
// jobs on its own QThreadPool, one separation per device at a time (decode and encode of other
// jobs overlap), and reports everything through signals delivered on the queue's thread. QtCore
// only: the engine is reached through engine::EngineFunction (engine::runJob in the applications,
// a fake in tests), whose header is plain C++.
#pragma once

#include "common/error.h"
#include "common/profile_event.h"
#include "engine/job_spec.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThreadPool>

#include <atomic>
#include <memory>
#include <mutex>

namespace stemdeck::jobs {

enum class JobState { Queued, Running, Done, Failed, Cancelled };

const char* jobStateName(JobState state); // "queued", "running", "done", "failed", "cancelled"
inline bool isFinal(JobState s) { return s == JobState::Done || s == JobState::Failed || s == JobState::Cancelled; }

// A copy of one job as of one moment (safe to keep; the queue owns the live record).
struct JobInfo {
    quint64 id = 0;
    QString file;
    engine::JobSpec spec;
    JobState state = JobState::Queued;
    double progress = 0.0;  // 0..1
    double etaSeconds = -1; // < 0: unknown
    QString stage;          // stageName() of the current stage
    int attempts = 0;
    // Failed jobs
    ErrorCode errorCode = ErrorCode::Internal;
    QString errorMessage;
    QString errorDetail;
    // Done jobs
    engine::JobResult result;
};

// The audio file name extensions JobQueue picks up from folders (lower case, no dot).
QStringList audioFileExtensions();
bool isAudioFile(const QString& path);

class JobQueue : public QObject {
    Q_OBJECT
public:
    explicit JobQueue(engine::EngineFunction engine, QObject* parent = nullptr);
    // Cancels what is still running and waits for it: no job outlives its queue.
    ~JobQueue() override;

    // One job for a file named explicitly (any extension: decoding decides whether it is audio);
    // `spec` is the template (its input is replaced). Returns 0 and emits nothing for a path
    // that is not an existing file.
    quint64 addFile(const QString& path, const engine::JobSpec& spec);
    // Every audio file (by extension, audioFileExtensions()) below `folder`, sorted, recursive
    // unless told otherwise.
    QList<quint64> addFolder(const QString& folder, const engine::JobSpec& spec, bool recursive = true);
    // Files and folders mixed, as dropped on a window or given on a command line.
    QList<quint64> addPaths(const QStringList& paths, const engine::JobSpec& spec, bool recursive = true);
    // The files addPaths would queue, in its order, without queueing them: each folder's audio
    // files (sorted), each other path as given. Lets a caller check the whole set first.
    static QStringList filesIn(const QStringList& paths, bool recursive = true);

    void cancel(quint64 id);
    void cancelAll();
    // Runs a failed or cancelled job again (onCpu: on the CPU, the offer after a device error).
    // False when the job is unknown or not in a final state other than Done.
    bool retry(quint64 id, bool onCpu = false);
    // The same, with changed settings (e.g. a smaller batch after running out of memory); the
    // input stays the job's own.
    bool retry(quint64 id, const engine::JobSpec& spec);
    // Forgets a job in a final state; false otherwise.
    bool remove(quint64 id);

    JobInfo job(quint64 id) const;
    QList<quint64> jobIds() const;
    int count(JobState state) const;
    bool hasActiveJobs() const;

    // Threads for jobs (decode / separate / encode of different jobs overlap); default 2.
    void setMaxConcurrentJobs(int n);
    int maxConcurrentJobs() const;

    // Processes events until every job is in a final state; false on timeout.
    bool waitForAll(int timeoutMs = -1);

Q_SIGNALS:
    void jobAdded(quint64 id, const QString& file);
    void jobStateChanged(quint64 id, stemdeck::jobs::JobState state);
    void jobProgress(quint64 id, double fraction, const QString& stage, double etaSeconds);
    void profileEvent(quint64 id, const stemdeck::ProfileEvent& event);
    // Exactly once per run of a job, with its final state (Done, Failed or Cancelled).
    void jobFinished(quint64 id, stemdeck::jobs::JobState state);
    void jobFailed(quint64 id, const QString& message, const QString& detail);
    void jobRemoved(quint64 id);
    // Every job is in a final state (after at least one ran).
    void allFinished();

private:
    struct Record;
    class DeviceGate;

    void start(quint64 id);
    void runOnWorker(quint64 id, engine::JobSpec spec, std::shared_ptr<std::atomic<bool>> cancel);
    void setState(quint64 id, JobState state);
    void finish(quint64 id, JobState state, const engine::JobResult* result, const Error* error);

    engine::EngineFunction m_engine;
    QThreadPool m_pool;
    std::shared_ptr<DeviceGate> m_gate;
    mutable std::mutex m_mutex; // guards m_jobs (read from worker threads via job())
    QHash<quint64, std::shared_ptr<Record>> m_jobs;
    QList<quint64> m_order;
    quint64 m_nextId = 1;
};

} // namespace stemdeck::jobs

Q_DECLARE_METATYPE(stemdeck::jobs::JobState)
Q_DECLARE_METATYPE(stemdeck::ProfileEvent)
