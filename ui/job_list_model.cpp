#include "job_list_model.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace stemdeck::ui {

namespace {
bool isActive(JobState s) { return s == JobState::Queued || s == JobState::Running; }
bool isRetryable(JobState s) { return s == JobState::Failed || s == JobState::Cancelled; }
} // namespace

JobListModel::JobListModel(QObject* parent) : QAbstractListModel(parent) {
    // ~30 updates per second is smooth to the eye and cheap for hundreds of rows.
    m_timer.setInterval(33);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &JobListModel::flush);
}

void JobListModel::setBackend(JobBackend* backend) {
    if (m_backend)
        disconnect(m_backend, nullptr, this, nullptr);
    m_backend = backend;
    if (!backend)
        return;
    connect(backend, &JobBackend::jobAdded, this, &JobListModel::addJob);
    connect(backend, &JobBackend::jobUpdated, this, &JobListModel::updateJob);
    connect(backend, &JobBackend::jobRemoved, this, &JobListModel::removeJob);
}

int JobListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

const JobSnapshot* JobListModel::job(int row) const {
    return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr;
}

QString JobListModel::stateName(JobState state) {
    switch (state) {
    case JobState::Ready: return QStringLiteral("ready");
    case JobState::Queued: return QStringLiteral("queued");
    case JobState::Running: return QStringLiteral("running");
    case JobState::Done: return QStringLiteral("done");
    case JobState::Failed: return QStringLiteral("failed");
    case JobState::Cancelled: return QStringLiteral("cancelled");
    }
    return {};
}

QString JobListModel::formatDuration(double seconds) {
    if (!(seconds >= 0) || !std::isfinite(seconds))
        return QStringLiteral("–");
    const qint64 s = qint64(std::llround(seconds));
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QChar('0'))
            .arg(s % 60, 2, 10, QChar('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

QVariant JobListModel::data(const QModelIndex& index, int role) const {
    const JobSnapshot* j = job(index.row());
    if (!j || index.parent().isValid())
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case FileNameRole: return QFileInfo(j->file).fileName();
    case IdRole: return j->id;
    case FileRole: return j->file;
    case DurationRole: return j->durationSeconds;
    case DurationTextRole:
        return j->durationSeconds > 0 ? formatDuration(j->durationSeconds) : QString();
    case ModelRole: return j->model;
    case DeviceRole: return j->device;
    case StateRole: return stateName(j->state);
    case StateTextRole:
        switch (j->state) {
        case JobState::Ready: return tr("Ready");
        case JobState::Queued: return tr("Queued");
        case JobState::Running: return tr("Separating");
        case JobState::Done: return j->outputFolder.isEmpty() ? tr("Done") : tr("Exported");
        case JobState::Failed: return tr("Failed");
        case JobState::Cancelled: return tr("Cancelled");
        }
        return {};
    case ProgressRole: return j->progress;
    case EtaRole: return j->etaSeconds;
    case EtaTextRole:
        if (j->state != JobState::Running || j->etaSeconds < 0)
            return QString();
        return tr("%1 left").arg(formatDuration(j->etaSeconds));
    case DetailTextRole:
        if (j->state == JobState::Running)
            return data(index, EtaTextRole);
        if (j->state == JobState::Done)
            return j->outputFolder.isEmpty() ? tr("Not exported yet")
                   : j->outputFiles.isEmpty()
                       ? tr("In %1").arg(QDir::toNativeSeparators(j->outputFolder))
                       : tr("%n file(s) in %1", nullptr, int(j->outputFiles.size()))
                             .arg(QDir::toNativeSeparators(j->outputFolder));
        return QString();
    case OutputFolderRole: return j->outputFolder;
    case ErrorRole: return j->errorTitle;
    case CanCancelRole: return isActive(j->state);
    case CanStartRole: return j->state == JobState::Ready;
    case CanRetryRole: return isRetryable(j->state);
    case CanRevealRole: return !j->outputFolder.isEmpty();
    case CanExportRole: return j->state == JobState::Done && j->outputFolder.isEmpty();
    default: return {};
    }
}

QHash<int, QByteArray> JobListModel::roleNames() const {
    return {
        {IdRole, "jobId"},           {FileRole, "file"},
        {FileNameRole, "fileName"},  {DurationRole, "duration"},
        {DurationTextRole, "durationText"},
        {ModelRole, "modelName"},        {DeviceRole, "device"},
        {StateRole, "jobState"},        {StateTextRole, "stateText"},
        {ProgressRole, "progress"},  {EtaRole, "eta"},
        {EtaTextRole, "etaText"},    {DetailTextRole, "detailText"},    {OutputFolderRole, "outputFolder"},
        {ErrorRole, "error"},        {CanCancelRole, "canCancel"},
        {CanRetryRole, "canRetry"},  {CanRevealRole, "canReveal"},
        {CanExportRole, "canExport"}, {CanStartRole, "canStart"},
    };
}

int JobListModel::activeCount() const {
    return int(std::count_if(m_rows.begin(), m_rows.end(),
                             [](const JobSnapshot& j) { return isActive(j.state); }));
}

int JobListModel::finishedCount() const {
    return int(std::count_if(m_rows.begin(), m_rows.end(),
                             [](const JobSnapshot& j) { return j.state == JobState::Done; }));
}

int JobListModel::failedCount() const {
    return int(std::count_if(m_rows.begin(), m_rows.end(),
                             [](const JobSnapshot& j) { return j.state == JobState::Failed; }));
}

int JobListModel::unexportedCount() const {
    return int(std::count_if(m_rows.begin(), m_rows.end(), [](const JobSnapshot& j) {
        return j.state == JobState::Done && j.outputFolder.isEmpty();
    }));
}

double JobListModel::overallProgress() const {
    double sum = 0;
    int n = 0;
    for (const auto& j : m_rows) {
        if (j.state == JobState::Cancelled)
            continue;
        sum += j.state == JobState::Done || j.state == JobState::Failed ? 1.0 : j.progress;
        ++n;
    }
    return n ? sum / n : 0.0;
}

void JobListModel::retranslate() {
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1), {StateTextRole, EtaTextRole, DetailTextRole});
}

void JobListModel::schedule() {
    if (!m_timer.isActive())
        m_timer.start();
}

void JobListModel::addJob(const JobSnapshot& job) {
    if (m_rowOf.contains(job.id) || m_pendingRowOf.contains(job.id)) {
        updateJob(job);
        return;
    }
    m_pendingRowOf.insert(job.id, int(m_pendingInserts.size()));
    m_pendingInserts.push_back(job);
    schedule();
}

void JobListModel::updateJob(const JobSnapshot& job) {
    if (auto p = m_pendingRowOf.constFind(job.id); p != m_pendingRowOf.constEnd()) {
        m_pendingInserts[*p] = job;
        return;
    }
    const int row = m_rowOf.value(job.id, -1);
    if (row < 0)
        return; // removed meanwhile: a late progress report, nothing to show
    m_rows[row] = job;
    m_dirtyFirst = m_dirtyFirst < 0 ? row : std::min(m_dirtyFirst, row);
    m_dirtyLast = std::max(m_dirtyLast, row);
    schedule();
}

void JobListModel::removeJob(quint64 id) {
    // Removal is structural: apply what is pending first so row numbers are current.
    flush();
    const int row = m_rowOf.value(id, -1);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    m_rowOf.remove(id);
    rebuildIndex(row);
    endRemoveRows();
    Q_EMIT countChanged();
    Q_EMIT summaryChanged();
}

void JobListModel::rebuildIndex(int fromRow) {
    for (int r = fromRow; r < m_rows.size(); ++r)
        m_rowOf[m_rows[r].id] = r;
}

void JobListModel::flush() {
    m_timer.stop();
    bool changed = false;
    if (m_dirtyFirst >= 0) {
        const int first = m_dirtyFirst, last = std::min<int>(m_dirtyLast, int(m_rows.size()) - 1);
        m_dirtyFirst = m_dirtyLast = -1;
        if (first <= last)
            Q_EMIT dataChanged(index(first), index(last));
        changed = true;
    }
    if (!m_pendingInserts.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(m_pendingInserts.size()) - 1);
        m_rows += m_pendingInserts;
        m_pendingInserts.clear();
        m_pendingRowOf.clear();
        rebuildIndex(first);
        endInsertRows();
        Q_EMIT countChanged();
        changed = true;
    }
    if (changed)
        Q_EMIT summaryChanged();
}

quint64 JobListModel::stage(const JobSnapshot& job) {
    JobSnapshot j = job;
    j.id = m_nextLocalId++;
    j.state = JobState::Ready;
    addJob(j);
    return j.id;
}

QList<JobSnapshot> JobListModel::takeReady() {
    flush();
    QList<JobSnapshot> out;
    for (int r = int(m_rows.size()) - 1; r >= 0; --r) {
        if (m_rows[r].state != JobState::Ready)
            continue;
        out.prepend(m_rows[r]);
        beginRemoveRows({}, r, r);
        m_rowOf.remove(m_rows[r].id);
        m_rows.removeAt(r);
        endRemoveRows();
    }
    if (!out.isEmpty()) {
        rebuildIndex(0);
        Q_EMIT countChanged();
        Q_EMIT summaryChanged();
    }
    return out;
}

int JobListModel::readyCount() const {
    return int(std::count_if(m_rows.begin(), m_rows.end(),
                             [](const JobSnapshot& j) { return j.state == JobState::Ready; }));
}

void JobListModel::cancel(int row) {
    if (const auto* j = job(row); j && m_backend && isActive(j->state))
        m_backend->cancel(j->id);
}

void JobListModel::cancelAll() {
    if (!m_backend)
        return;
    // Newest first, so a queued job does not start in the gap left by a cancelled one.
    for (int r = int(m_rows.size()) - 1; r >= 0; --r)
        if (isActive(m_rows[r].state))
            m_backend->cancel(m_rows[r].id);
}

void JobListModel::retry(int row) {
    if (const auto* j = job(row); j && m_backend && isRetryable(j->state))
        m_backend->retry(j->id, false);
}

void JobListModel::retryOnCpu(int row) {
    if (const auto* j = job(row); j && m_backend && isRetryable(j->state))
        m_backend->retry(j->id, true);
}

void JobListModel::remove(int row) {
    const auto* j = job(row);
    if (!j)
        return;
    const quint64 id = j->id;
    if (m_backend && j->state != JobState::Ready)
        m_backend->remove(id); // the backend confirms with jobRemoved
    else
        removeJob(id);
}

void JobListModel::removeFinished() {
    QList<quint64> ids;
    for (const auto& j : m_rows)
        if (!isActive(j.state) && j.state != JobState::Ready)
            ids << j.id;
    for (quint64 id : ids) {
        if (m_backend)
            m_backend->remove(id);
        else
            removeJob(id);
    }
}

void JobListModel::reveal(int row) {
    if (const auto* j = job(row); j && !j->outputFolder.isEmpty())
        Q_EMIT revealRequested(j->outputFolder);
}

void JobListModel::exportJob(int row) {
    if (const auto* j = job(row); j && m_backend && j->state == JobState::Done)
        m_backend->exportJob(j->id);
}

void JobListModel::exportAll() {
    if (!m_backend)
        return;
    for (const auto& j : m_rows)
        if (j.state == JobState::Done && j.outputFolder.isEmpty())
            m_backend->exportJob(j.id);
}

} // namespace stemdeck::ui
