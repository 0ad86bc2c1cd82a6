// The seam between the job list and whatever runs the jobs: core/jobs' JobQueue in the
// application (through an adapter), a scripted fake in tests. The UI only ever sees
// JobSnapshot values delivered on its own thread, so it never blocks on separation work.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

namespace stemdeck::ui {

// Ready: chosen by the user but not handed to the queue yet (it waits for Start).
enum class JobState { Ready, Queued, Running, Done, Failed, Cancelled };

// Everything the job list shows about one job, as of one moment.
struct JobSnapshot {
    quint64 id = 0;
    QString file;               // absolute input path
    double durationSeconds = 0; // 0 while unknown (decoded off the GUI thread)
    QString model;
    QString device;             // device the job runs / ran on, e.g. "CPU", "CUDA 0"
    JobState state = JobState::Queued;
    double progress = 0;        // 0..1
    double etaSeconds = -1;     // < 0: unknown
    QString outputFolder;       // set once exported
    QStringList outputFiles;
    QStringList previewFiles;   // a finished job's stems to listen to: exported, or still staged
                                // (not exported yet; empty: outputFiles, else outputFolder's files)
    QString errorTitle;         // short, from ErrorTranslator; empty unless Failed
};

// What the user chose for one separation: a copy of the settings at the time of queueing.
struct JobRequest {
    QString file;
    double durationSeconds = 0; // when already known (shown until the job reports its own)
    QString modelConfig;
    QString modelCheckpoint;
    QString modelName;
    QString device;          // "auto", "cpu", "cuda:0", "mps"
    int overlap = 0;         // 0: the model's (its config's inference.num_overlap)
    bool softMasks = true;   // the model's (its config's inference.soft_mask_power), or off
    bool stereoFilter = true; // the model's (its config's inference.multichannel_wiener), or off
    bool extraPasses = false; // test-time augmentation (engine::JobSpec::testTimeAugmentation)
    int batchSize = 0;       // 0: automatic (the engine's batch planner)
    QString precision;       // "fp32", "fp16", "bf16"
    QString outputFormat;    // "wav16", "wav24", "wav32f", "flac16", "flac24"
    QString namingTemplate;
    QString destination;     // empty: next to the source
    QStringList stems;       // empty: all
    bool residual = false;
    bool exportWhenDone = true;
};

// A raw failure as the backend saw it, before ErrorTranslator turns it into words.
struct JobFailure {
    quint64 jobId = 0;
    QString id;          // stable id of the translated error ("cuda-oom", ...)
    QString title;
    QString explanation;
    QStringList actions; // action ids: "retry", "retry-cpu", "smaller-batch", "open-folder", ...
    QString details;     // raw backend text
};

class JobBackend : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~JobBackend() override = default;

    virtual quint64 enqueue(const JobRequest& request) = 0;
    virtual void cancel(quint64 id) = 0;
    virtual void retry(quint64 id, bool onCpu) = 0;
    // Runs a failed job again with half the batch it last ran (at least 1; 1 when the batch was
    // automatic and nothing ran). Returns the new batch size, 0 when the job cannot be retried.
    // The user's settings are left alone: other jobs may fit.
    virtual int retryWithSmallerBatch(quint64 id) = 0;
    virtual void remove(quint64 id) = 0;
    // Exports a finished job now (when it was not exported automatically).
    virtual void exportJob(quint64 id) = 0;

Q_SIGNALS:
    void jobAdded(const stemdeck::ui::JobSnapshot& job);
    void jobUpdated(const stemdeck::ui::JobSnapshot& job);
    void jobRemoved(quint64 id);
    void jobFailed(const stemdeck::ui::JobFailure& failure);
};

} // namespace stemdeck::ui

Q_DECLARE_METATYPE(stemdeck::ui::JobSnapshot)
Q_DECLARE_METATYPE(stemdeck::ui::JobFailure)
