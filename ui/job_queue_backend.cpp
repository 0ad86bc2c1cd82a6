#include "job_queue_backend.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace stemdeck::ui {

namespace {

JobState toUi(jobs::JobState s) {
    switch (s) {
    case jobs::JobState::Queued: return JobState::Queued;
    case jobs::JobState::Running: return JobState::Running;
    case jobs::JobState::Done: return JobState::Done;
    case jobs::JobState::Failed: return JobState::Failed;
    case jobs::JobState::Cancelled: return JobState::Cancelled;
    }
    return JobState::Queued;
}

std::optional<device::DeviceId> deviceFor(const QString& id) {
    if (id == QLatin1String("cpu"))
        return device::DeviceId::cpu();
    if (id == QLatin1String("mps"))
        return device::DeviceId::mps();
    if (id.startsWith(QLatin1String("cuda")))
        return device::DeviceId::cuda(id.section(':', 1).toInt());
    return std::nullopt; // "auto"
}

QString deviceLabel(const QString& id) {
    if (id == QLatin1String("cpu")) return QStringLiteral("CPU");
    if (id == QLatin1String("mps")) return QStringLiteral("Apple GPU");
    if (id.startsWith(QLatin1String("cuda"))) return QStringLiteral("CUDA %1").arg(id.section(':', 1).toInt());
    return {};
}

std::filesystem::path fsPath(const QString& p) { return std::filesystem::path(p.toStdU16String()); }
QString qPath(const std::filesystem::path& p) { return QString::fromStdU16String(p.u16string()); }

} // namespace

JobQueueBackend::JobQueueBackend(jobs::JobQueue* queue, QString stagingDir, QObject* parent)
    : JobBackend(parent), m_queue(queue), m_stagingDir(std::move(stagingDir)),
      m_translate(&JobQueueBackend::translateByCode) {
    connect(queue, &jobs::JobQueue::jobAdded, this, [this](quint64 id, const QString&) {
        Q_EMIT jobAdded(snapshot(id));
    });
    connect(queue, &jobs::JobQueue::jobStateChanged, this, [this](quint64 id) { publish(id); });
    connect(queue, &jobs::JobQueue::jobProgress, this, [this](quint64 id) { publish(id); });
    connect(queue, &jobs::JobQueue::jobFinished, this, &JobQueueBackend::onFinished);
    // The batch a job actually ran with (the planner or the engine's out-of-memory halving may
    // differ from the request): "Use a smaller batch" halves this one.
    connect(queue, &jobs::JobQueue::profileEvent, this, [this](quint64 id, const ProfileEvent& e) {
        if (e.kind != ProfileEvent::Kind::Batch && e.kind != ProfileEvent::Kind::BatchSizeChange)
            return;
        if (auto it = m_extra.find(id); it != m_extra.end() && e.value > 0)
            it->lastBatch = int(e.value);
    });
    connect(queue, &jobs::JobQueue::jobRemoved, this, [this](quint64 id) {
        m_extra.remove(id);
        Q_EMIT jobRemoved(id);
    });
}

engine::JobSpec JobQueueBackend::specFor(const JobRequest& r) {
    engine::JobSpec s;
    s.input = fsPath(r.file);
    s.outputDir = fsPath(r.destination.isEmpty() ? QFileInfo(r.file).absolutePath() : r.destination);
    s.configPath = fsPath(r.modelConfig);
    s.checkpointPath = fsPath(r.modelCheckpoint);
    s.modelName = r.modelName.toStdString();
    s.device = deviceFor(r.device);
    s.precision = r.precision == QLatin1String("fp16") ? engine::Precision::Fp16
                  : r.precision == QLatin1String("bf16") ? engine::Precision::Bf16
                                                          : engine::Precision::Fp32;
    s.overlap = r.overlap;
    if (!r.softMasks) s.softMaskPower = 0.0; // else unset: the config's
    if (!r.stereoFilter) s.multichannelWiener = false; // else unset: the config's
    s.testTimeAugmentation = r.extraPasses;
    // "Automatic" in the window is the engine's BatchPlanner (from free memory; its budget is
    // the line on the profiling panel's memory chart), not the config's fixed batch_size.
    s.batchSize = r.batchSize > 0 ? r.batchSize : -1;
    for (const auto& stem : r.stems)
        s.stems.push_back(stem.toStdString());
    s.residual = r.residual;
    s.format = r.outputFormat.toStdString();
    s.namingTemplate = r.namingTemplate.toStdString();
    return s;
}

quint64 JobQueueBackend::enqueue(const JobRequest& request) {
    if (!m_queue)
        return 0;
    engine::JobSpec spec = specFor(request);
    Extra extra{request, {}, {}, false};
    if (!request.exportWhenDone) {
        // Written where nobody looks yet; "Export" moves the files into the destination.
        extra.staged = true;
        spec.outputDir = fsPath(QDir(m_stagingDir).filePath(
            QStringLiteral("job-%1-%2").arg(QDateTime::currentMSecsSinceEpoch()).arg(++m_stagingCounter)));
    }
    // JobQueue announces the job (jobAdded) inside addFile, so the extra data must be there
    // first: it is keyed by the id the queue will hand out, which we learn afterwards.
    m_pendingExtra = extra;
    m_hasPending = true;
    const quint64 id = m_queue->addFile(request.file, spec);
    m_hasPending = false;
    if (id)
        m_extra.insert(id, extra);
    return id;
}

void JobQueueBackend::cancel(quint64 id) { if (m_queue) m_queue->cancel(id); }
void JobQueueBackend::retry(quint64 id, bool onCpu) { if (m_queue) m_queue->retry(id, onCpu); }
int JobQueueBackend::retryWithSmallerBatch(quint64 id) {
    auto it = m_extra.find(id);
    if (!m_queue || it == m_extra.end())
        return 0;
    const int ran = it->lastBatch > 0 ? it->lastBatch : it->request.batchSize;
    const int next = std::max(1, ran / 2);
    JobRequest request = it->request;
    request.batchSize = next;
    engine::JobSpec spec = m_queue->job(id).spec; // keeps the staging folder and any CPU retry
    spec.batchSize = next;
    if (!m_queue->retry(id, spec))
        return 0;
    it->request = request;
    it->lastBatch = 0;
    return next;
}

void JobQueueBackend::remove(quint64 id) { if (m_queue) m_queue->remove(id); }

JobSnapshot JobQueueBackend::snapshot(quint64 id) const {
    JobSnapshot s;
    s.id = id;
    if (!m_queue)
        return s;
    const jobs::JobInfo j = m_queue->job(id);
    const auto found = m_extra.constFind(id);
    const Extra* extra = found != m_extra.constEnd() ? &*found : (m_hasPending ? &m_pendingExtra : nullptr);
    s.file = j.file;
    s.durationSeconds = j.result.durationSeconds > 0 ? j.result.durationSeconds
                        : extra ? extra->request.durationSeconds : 0;
    s.model = QString::fromStdString(j.spec.modelName);
    s.device = !j.result.device.empty() ? deviceLabel(QString::fromStdString(j.result.device))
               : j.spec.device ? deviceLabel(j.spec.device->kind == device::DeviceKind::Cpu ? QStringLiteral("cpu")
                                             : j.spec.device->kind == device::DeviceKind::Mps ? QStringLiteral("mps")
                                             : QStringLiteral("cuda:%1").arg(j.spec.device->index))
                               : QString();
    s.state = toUi(j.state);
    s.progress = j.progress;
    s.etaSeconds = j.etaSeconds;
    if (extra) {
        s.outputFolder = extra->exportedFolder;
        s.outputFiles = extra->exportedFiles;
        // Held back from export: the stems wait in the staging folder, and can be heard there.
        if (j.state == jobs::JobState::Done && extra->staged && extra->exportedFiles.isEmpty())
            for (const auto& f : j.result.files) s.previewFiles << qPath(f.path);
    }
    if (j.state == jobs::JobState::Failed)
        s.errorTitle = m_translate(j).title;
    return s;
}

void JobQueueBackend::onFinished(quint64 id, jobs::JobState state) {
    if (!m_queue)
        return;
    const jobs::JobInfo j = m_queue->job(id);
    auto it = m_extra.find(id);
    if (state == jobs::JobState::Done && it != m_extra.end() && !it->staged) {
        QStringList files;
        for (const auto& f : j.result.files)
            files << qPath(f.path);
        it->exportedFiles = files;
        it->exportedFolder = files.isEmpty() ? QString() : QFileInfo(files.first()).absolutePath();
    }
    if (state == jobs::JobState::Failed) {
        JobFailure f = m_translate(j);
        f.jobId = id;
        Q_EMIT jobFailed(f);
    }
    publish(id);
}

void JobQueueBackend::exportJob(quint64 id) {
    auto it = m_extra.find(id);
    if (!m_queue || it == m_extra.end() || !it->staged)
        return;
    const jobs::JobInfo j = m_queue->job(id);
    const QString destRoot = it->request.destination.isEmpty()
                                 ? QFileInfo(it->request.file).absolutePath() : it->request.destination;
    const QString stagingRoot = qPath(j.spec.outputDir);
    QStringList moved;
    for (const auto& f : j.result.files) {
        const QString from = qPath(f.path);
        const QString rel = QDir(stagingRoot).relativeFilePath(from);
        const QString to = QDir(destRoot).filePath(rel);
        QString problem;
        if (QFileInfo::exists(to))
            problem = tr("%1 already exists; StemDeck does not overwrite files.").arg(to);
        else if (!QDir().mkpath(QFileInfo(to).absolutePath()))
            problem = tr("Cannot create the folder %1.").arg(QFileInfo(to).absolutePath());
        else if (!QFile::rename(from, to))
            problem = tr("Cannot write %1: the folder may be read-only or the disk full.").arg(to);
        if (!problem.isEmpty()) {
            JobFailure fail;
            fail.jobId = id;
            fail.id = QStringLiteral("export");
            fail.title = tr("Export of %1 stopped").arg(QFileInfo(j.file).fileName());
            fail.explanation = problem;
            fail.actions = {QStringLiteral("choose-folder")};
            Q_EMIT jobFailed(fail);
            break;
        }
        moved << to;
    }
    if (!moved.isEmpty()) {
        it->exportedFiles = moved;
        it->exportedFolder = QFileInfo(moved.first()).absolutePath();
        if (moved.size() == int(j.result.files.size())) {
            it->staged = false;
            QDir(stagingRoot).removeRecursively();
        }
    }
    publish(id);
}

JobFailure JobQueueBackend::translateByCode(const jobs::JobInfo& j) {
    JobFailure f;
    f.jobId = j.id;
    // The detail once: core messages often end with the library's text, which is the detail too.
    f.details = j.errorDetail.isEmpty() || j.errorMessage.contains(j.errorDetail)
                    ? j.errorMessage : j.errorMessage + '\n' + j.errorDetail;
    f.explanation = j.errorMessage;
    const QString name = QFileInfo(j.file).fileName();
    switch (j.errorCode) {
    case ErrorCode::DestinationReadOnly:
        f.id = QStringLiteral("destination-read-only");
        f.title = tr("The export folder is read-only");
        f.explanation = tr("StemDeck cannot write into %1. Choose a folder you can write to.")
                            .arg(qPath(j.spec.outputDir));
        f.actions = {QStringLiteral("choose-folder"), QStringLiteral("retry")};
        break;
    case ErrorCode::DestinationFull:
        f.id = QStringLiteral("destination-full");
        f.title = tr("The disk is full");
        f.explanation = tr("There is not enough free space in %1 for the stems. Free some space or choose another folder.")
                            .arg(qPath(j.spec.outputDir));
        f.actions = {QStringLiteral("choose-folder"), QStringLiteral("retry")};
        break;
    case ErrorCode::DestinationExists:
        f.id = QStringLiteral("destination-exists");
        f.title = tr("The stems of %1 already exist").arg(name);
        f.explanation = tr("StemDeck never overwrites files. Choose another folder or file name pattern.");
        f.actions = {QStringLiteral("choose-folder"), QStringLiteral("open-folder")};
        break;
    case ErrorCode::OutOfMemory:
        f.id = QStringLiteral("out-of-memory");
        f.title = tr("Not enough memory to separate %1").arg(name);
        f.explanation = tr("Use a smaller batch, close other programs, or separate on the CPU.");
        f.actions = {QStringLiteral("smaller-batch"), QStringLiteral("retry-cpu")};
        break;
    case ErrorCode::DeviceUnavailable:
    case ErrorCode::BackendFailure:
    case ErrorCode::NumericalFailure:
        f.id = QStringLiteral("device-failure");
        f.title = tr("The device failed while separating %1").arg(name);
        f.actions = {QStringLiteral("retry-cpu"), QStringLiteral("retry")};
        break;
    case ErrorCode::FileNotFound:
    case ErrorCode::UnreadableFile:
    case ErrorCode::UnsupportedFormat:
    case ErrorCode::EmptyInput:
    case ErrorCode::NonFiniteAudio:
        // What is wrong with the file in plain words and what to do; the decoder's own text
        // (libsndfile's, in English) stays in the details.
        f.id = QStringLiteral("unreadable-input");
        f.title = tr("Cannot read %1").arg(name);
        if (j.errorCode == ErrorCode::FileNotFound) {
            f.explanation = tr("The file is no longer where it was added: it was moved, renamed or deleted. "
                               "Add it again from where it is now.");
        } else if (j.errorCode == ErrorCode::EmptyInput) {
            f.explanation = tr("The file holds no audio. Export it again from the program that made it.");
            f.actions = {QStringLiteral("show-file")};
        } else if (j.errorCode == ErrorCode::NonFiniteAudio) {
            f.explanation = tr("The file holds invalid samples (NaN or infinity), written by a faulty program. "
                               "Export it again, or convert it with an audio editor.");
            f.actions = {QStringLiteral("show-file")};
        } else {
            f.explanation = tr("The file is damaged, cut short, or not audio that StemDeck reads "
                               "(WAV, FLAC, Ogg, Opus, MP3, AIFF). Open it in an audio editor or converter "
                               "and save it again, then retry.");
            f.actions = {QStringLiteral("show-file")};
        }
        break;
    case ErrorCode::InvalidConfig:
    case ErrorCode::InvalidCheckpoint:
    case ErrorCode::UnsafeCheckpoint:
    case ErrorCode::WeightMismatch:
        f.id = QStringLiteral("model-unusable");
        f.title = tr("The model cannot be used");
        f.actions = {QStringLiteral("choose-model")};
        break;
    case ErrorCode::Clipping:
        f.id = QStringLiteral("clipping");
        f.title = tr("A stem of %1 would clip").arg(name);
        f.explanation = j.errorMessage + ' ' + tr("Choose 32-bit float WAV to keep the full level.");
        f.actions = {QStringLiteral("retry")};
        break;
    default:
        f.id = QStringLiteral("failed");
        f.title = tr("Separating %1 failed").arg(name);
        f.actions = {QStringLiteral("retry")};
        break;
    }
    return f;
}

} // namespace stemdeck::ui
