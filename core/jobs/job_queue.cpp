#include "jobs/job_queue.h"
#include "jobs/folder_scan.h"

#include "common/heap.h"
#include "common/log.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QMetaObject>
#include <QTimer>

#include <chrono>
#include <condition_variable>
#include <set>

namespace stemdeck::jobs {

const char* jobStateName(JobState state) {
    switch (state) {
    case JobState::Queued: return "queued";
    case JobState::Running: return "running";
    case JobState::Done: return "done";
    case JobState::Failed: return "failed";
    case JobState::Cancelled: return "cancelled";
    }
    return "?";
}

QStringList audioFileExtensions() {
    // What libsndfile 1.2 (Debian 12) decodes: the audio layer's decoder reads all of these.
    return {QStringLiteral("wav"),  QStringLiteral("wave"), QStringLiteral("flac"), QStringLiteral("ogg"),
            QStringLiteral("oga"),  QStringLiteral("opus"), QStringLiteral("mp3"),  QStringLiteral("aif"),
            QStringLiteral("aiff"), QStringLiteral("aifc"), QStringLiteral("w64"),  QStringLiteral("rf64"),
            QStringLiteral("caf"),  QStringLiteral("au"),   QStringLiteral("snd")};
}

bool isAudioFile(const QString& path) {
    static const QStringList extensions = audioFileExtensions();
    return extensions.contains(QFileInfo(path).suffix().toLower());
}

namespace {

std::filesystem::path toPath(const QString& s) { return std::filesystem::path(s.toStdU16String()); }

int deviceKey(const device::DeviceId& d) { return static_cast<int>(d.kind) * 1000 + d.index; }

} // namespace

// One separation per device: the engine brackets its device work with acquire/release.
class JobQueue::DeviceGate {
public:
    bool acquire(const device::DeviceId& d, const std::atomic<bool>& cancel) {
        std::unique_lock lock(m_mutex);
        const int key = deviceKey(d);
        while (m_busy.count(key)) {
            if (cancel.load()) return false;
            m_cv.wait_for(lock, std::chrono::milliseconds(20));
        }
        if (cancel.load()) return false;
        m_busy.insert(key);
        return true;
    }
    void release(const device::DeviceId& d) {
        {
            std::lock_guard lock(m_mutex);
            m_busy.erase(deviceKey(d));
        }
        m_cv.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::set<int> m_busy;
};

struct JobQueue::Record {
    JobInfo info;
    std::shared_ptr<std::atomic<bool>> cancel;
};

JobQueue::JobQueue(engine::EngineFunction engine, QObject* parent)
    : QObject(parent), m_engine(std::move(engine)), m_gate(std::make_shared<DeviceGate>()) {
    qRegisterMetaType<stemdeck::jobs::JobState>("stemdeck::jobs::JobState");
    qRegisterMetaType<stemdeck::ProfileEvent>("stemdeck::ProfileEvent");
    m_pool.setMaxThreadCount(2);
    m_pool.setObjectName(QStringLiteral("stemdeck-jobs"));
}

JobQueue::~JobQueue() {
    cancelAll();
    m_pool.waitForDone();
}

quint64 JobQueue::addFile(const QString& path, const engine::JobSpec& spec) {
    const QFileInfo fi(path);
    // A name that was not valid UTF-8 is not found by that name, but it is the user's file: it
    // becomes a job that fails saying why (the engine's message), never a silent skip.
    if (!fi.isFile() && !isUndecodableName(path)) {
        SD_LOG(log::jobs, Warning) << "Not a file, skipped: " << path.toStdString();
        return 0;
    }
    auto rec = std::make_shared<Record>();
    rec->info.file = fi.absoluteFilePath();
    rec->info.spec = spec;
    rec->info.spec.input = toPath(rec->info.file);
    quint64 id = 0;
    {
        std::lock_guard lock(m_mutex);
        id = m_nextId++;
        rec->info.id = id;
        m_jobs.insert(id, rec);
        m_order.append(id);
    }
    Q_EMIT jobAdded(id, rec->info.file);
    start(id);
    return id;
}

namespace {
// Every audio file below `folder`, unreadable ones and ones whose name is not valid UTF-8
// included: each becomes a job that fails with the reason, instead of being left out unseen.
QStringList audioFilesBelow(const QString& folder, bool recursive) {
    QStringList files;
    for (const QString& f : filesBelow(folder, recursive))
        if (isAudioFile(f)) files.append(f);
    return files;
}
} // namespace

QList<quint64> JobQueue::addFolder(const QString& folder, const engine::JobSpec& spec, bool recursive) {
    QList<quint64> ids;
    for (const QString& f : audioFilesBelow(folder, recursive))
        if (quint64 id = addFile(f, spec)) ids.append(id);
    return ids;
}

QStringList JobQueue::filesIn(const QStringList& paths, bool recursive) {
    QStringList files;
    for (const QString& p : paths) {
        if (QFileInfo(p).isDir())
            files += audioFilesBelow(p, recursive);
        else
            files.append(p);
    }
    return files;
}

QList<quint64> JobQueue::addPaths(const QStringList& paths, const engine::JobSpec& spec, bool recursive) {
    QList<quint64> ids;
    for (const QString& f : filesIn(paths, recursive))
        if (quint64 id = addFile(f, spec)) ids.append(id);
    return ids;
}

void JobQueue::start(quint64 id) {
    std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
    engine::JobSpec spec;
    {
        std::lock_guard lock(m_mutex);
        auto rec = m_jobs.value(id);
        if (!rec) return;
        rec->cancel = cancel;
        rec->info.state = JobState::Queued;
        rec->info.progress = 0.0;
        rec->info.etaSeconds = -1;
        rec->info.stage.clear();
        rec->info.errorMessage.clear();
        rec->info.errorDetail.clear();
        ++rec->info.attempts;
        spec = rec->info.spec;
    }
    m_pool.start([this, id, spec, cancel] { runOnWorker(id, spec, cancel); });
}

void JobQueue::runOnWorker(quint64 id, engine::JobSpec spec, std::shared_ptr<std::atomic<bool>> cancel) {
    // Cancelled while queued: the queue already reported it.
    if (cancel->load()) return;
    QMetaObject::invokeMethod(this, [this, id, cancel] {
        std::shared_ptr<Record> rec;
        {
            std::lock_guard lock(m_mutex);
            rec = m_jobs.value(id);
        }
        if (rec && rec->cancel == cancel && rec->info.state == JobState::Queued) setState(id, JobState::Running);
    }, Qt::QueuedConnection);

    // Progress comes once per batch or more often; the UI needs a few updates a second.
    QElapsedTimer sinceEmit;
    sinceEmit.start();
    Stage lastStage = Stage::Load;
    bool emitted = false;
    engine::JobCallbacks callbacks;
    callbacks.progress = [&, this](const engine::JobProgress& p) {
        if (emitted && p.stage == lastStage && p.fraction < 1.0 && sinceEmit.elapsed() < 40) return;
        emitted = true;
        lastStage = p.stage;
        sinceEmit.restart();
        QMetaObject::invokeMethod(this, [this, id, cancel, p] {
            std::shared_ptr<Record> rec;
            {
                std::lock_guard lock(m_mutex);
                rec = m_jobs.value(id);
                if (!rec || rec->cancel != cancel || isFinal(rec->info.state)) return;
                rec->info.progress = p.fraction;
                rec->info.etaSeconds = p.etaSeconds;
                rec->info.stage = QString::fromLatin1(stageName(p.stage));
            }
            Q_EMIT jobProgress(id, p.fraction, QString::fromLatin1(stageName(p.stage)), p.etaSeconds);
        }, Qt::QueuedConnection);
    };
    callbacks.profile = [this, id](const ProfileEvent& e) {
        QMetaObject::invokeMethod(this, [this, id, e] { Q_EMIT profileEvent(id, e); }, Qt::QueuedConnection);
    };
    auto gate = m_gate;
    callbacks.acquireDevice = [gate, cancel](const device::DeviceId& d) { return gate->acquire(d, *cancel); };
    callbacks.releaseDevice = [gate](const device::DeviceId& d) { gate->release(d); };

    JobState final = JobState::Done;
    std::optional<engine::JobResult> result;
    std::optional<Error> error;
    try {
        result = m_engine(spec, callbacks, *cancel);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::Cancelled || cancel->load())
            final = JobState::Cancelled;
        else {
            final = JobState::Failed;
            error = e;
        }
    } catch (const std::exception& e) {
        final = cancel->load() ? JobState::Cancelled : JobState::Failed;
        if (final == JobState::Failed)
            error = Error(ErrorCode::Internal, "The separation stopped on an unexpected error.", e.what());
    } catch (...) {
        final = JobState::Failed;
        error = Error(ErrorCode::Internal, "The separation stopped on an unexpected error.");
    }
    // The separation's buffers are free now; with the heap tuned (common/heap.h) they would stay
    // reserved until the next job.
    releaseFreeHeap();
    QMetaObject::invokeMethod(this, [this, id, cancel, final, result, error] {
        {
            std::lock_guard lock(m_mutex);
            auto rec = m_jobs.value(id);
            if (!rec || rec->cancel != cancel || isFinal(rec->info.state)) return;
        }
        finish(id, final, result ? &*result : nullptr, error ? &*error : nullptr);
    }, Qt::QueuedConnection);
}

void JobQueue::setState(quint64 id, JobState state) {
    {
        std::lock_guard lock(m_mutex);
        auto rec = m_jobs.value(id);
        if (!rec) return;
        rec->info.state = state;
    }
    Q_EMIT jobStateChanged(id, state);
}

void JobQueue::finish(quint64 id, JobState state, const engine::JobResult* result, const Error* error) {
    {
        std::lock_guard lock(m_mutex);
        auto rec = m_jobs.value(id);
        if (!rec) return;
        if (state == JobState::Done) {
            rec->info.progress = 1.0;
            rec->info.etaSeconds = 0.0;
        }
        if (result) rec->info.result = *result;
        if (error) {
            rec->info.errorCode = error->code();
            rec->info.errorMessage = QString::fromStdString(error->what());
            rec->info.errorDetail = QString::fromStdString(error->detail());
        }
    }
    setState(id, state);
    if (error) Q_EMIT jobFailed(id, QString::fromStdString(error->what()), QString::fromStdString(error->detail()));
    Q_EMIT jobFinished(id, state);
    if (!hasActiveJobs()) Q_EMIT allFinished();
}

void JobQueue::cancel(quint64 id) {
    bool wasQueued = false;
    {
        std::lock_guard lock(m_mutex);
        auto rec = m_jobs.value(id);
        if (!rec || isFinal(rec->info.state) || !rec->cancel) return;
        rec->cancel->store(true);
        wasQueued = rec->info.state == JobState::Queued;
    }
    // A running job ends when the engine sees the flag (between batches) and reports back.
    if (wasQueued) finish(id, JobState::Cancelled, nullptr, nullptr);
}

void JobQueue::cancelAll() {
    const QList<quint64> ids = jobIds();
    for (quint64 id : ids) cancel(id);
}

bool JobQueue::retry(quint64 id, bool onCpu) {
    {
        std::lock_guard lock(m_mutex);
        auto rec = m_jobs.value(id);
        if (!rec || (rec->info.state != JobState::Failed && rec->info.state != JobState::Cancelled)) return false;
        if (onCpu) rec->info.spec.device = device::DeviceId::cpu();
        rec->info.result = {};
    }
    start(id);
    setState(id, JobState::Queued);
    return true;
}

bool JobQueue::retry(quint64 id, const engine::JobSpec& spec) {
    {
        std::lock_guard lock(m_mutex);
        auto rec = m_jobs.value(id);
        if (!rec || (rec->info.state != JobState::Failed && rec->info.state != JobState::Cancelled)) return false;
        const std::filesystem::path input = rec->info.spec.input;
        rec->info.spec = spec;
        rec->info.spec.input = input;
        rec->info.result = {};
    }
    start(id);
    setState(id, JobState::Queued);
    return true;
}

bool JobQueue::remove(quint64 id) {
    {
        std::lock_guard lock(m_mutex);
        auto rec = m_jobs.value(id);
        if (!rec || !isFinal(rec->info.state)) return false;
        m_jobs.remove(id);
        m_order.removeAll(id);
    }
    Q_EMIT jobRemoved(id);
    return true;
}

JobInfo JobQueue::job(quint64 id) const {
    std::lock_guard lock(m_mutex);
    auto rec = m_jobs.value(id);
    return rec ? rec->info : JobInfo{};
}

QList<quint64> JobQueue::jobIds() const {
    std::lock_guard lock(m_mutex);
    return m_order;
}

int JobQueue::count(JobState state) const {
    std::lock_guard lock(m_mutex);
    int n = 0;
    for (const auto& rec : m_jobs)
        if (rec->info.state == state) ++n;
    return n;
}

bool JobQueue::hasActiveJobs() const {
    std::lock_guard lock(m_mutex);
    for (const auto& rec : m_jobs)
        if (!isFinal(rec->info.state)) return true;
    return false;
}

void JobQueue::setMaxConcurrentJobs(int n) { m_pool.setMaxThreadCount(std::max(1, n)); }
int JobQueue::maxConcurrentJobs() const { return m_pool.maxThreadCount(); }

bool JobQueue::waitForAll(int timeoutMs) {
    if (!hasActiveJobs()) return true;
    QEventLoop loop;
    connect(this, &JobQueue::allFinished, &loop, &QEventLoop::quit);
    QTimer timer;
    if (timeoutMs >= 0) {
        timer.setSingleShot(true);
        connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        timer.start(timeoutMs);
    }
    loop.exec();
    return !hasActiveJobs();
}

} // namespace stemdeck::jobs
