#include "profile_model.h"

#include "jobs/job_queue.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>

namespace stemdeck::profiling {

namespace {

const char* kindName(ProfileEvent::Kind k) {
    switch (k) {
    case ProfileEvent::Kind::StageBegin: return "stage-begin";
    case ProfileEvent::Kind::StageEnd: return "stage";
    case ProfileEvent::Kind::Batch: return "batch";
    case ProfileEvent::Kind::BatchSizeChange: return "batch-size";
    case ProfileEvent::Kind::MemorySample: return "memory";
    case ProfileEvent::Kind::Fallback: return "fallback";
    case ProfileEvent::Kind::Warning: return "warning";
    case ProfileEvent::Kind::Info: return "info";
    }
    return "?";
}

Explanation defaultExplanation(ProfileEvent::Kind kind, const QString& message) {
    switch (kind) {
    case ProfileEvent::Kind::Fallback:
        return {QObject::tr("Work moved to another device"),
                QObject::tr("The job goes on there; results are the same, only slower.")};
    case ProfileEvent::Kind::BatchSizeChange:
        return {QObject::tr("Batch size changed"), message};
    case ProfileEvent::Kind::Warning:
        return {QObject::tr("Backend warning"), message};
    default: return {{}, message};
    }
}

constexpr int kStageCount = int(Stage::Write) + 1;

} // namespace

ProfileModel::ProfileModel(QObject* parent) : QAbstractListModel(parent) {
    m_timer.setInterval(250); // 4 updates a second; setFlushIntervalMs allows up to 10
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ProfileModel::flush);
}

int ProfileModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_events.size());
}

QVariant ProfileModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const ProfileEvent& e = m_events[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case MessageRole: return QString::fromStdString(e.message);
    case KindRole: return QString::fromLatin1(kindName(e.kind));
    case TimeRole: return e.time;
    case DurationRole: return e.duration;
    case StageRole: return QString::fromLatin1(stageName(e.stage));
    case DeviceRole: return QString::fromStdString(e.device);
    case ValueRole: return qint64(e.value);
    case ExplanationRole: return m_explanations[size_t(index.row())];
    default: return {};
    }
}

QHash<int, QByteArray> ProfileModel::roleNames() const {
    return {{KindRole, "kind"},     {TimeRole, "time"},       {DurationRole, "duration"},
            {StageRole, "stage"},   {DeviceRole, "device"},   {ValueRole, "value"},
            {MessageRole, "message"}, {ExplanationRole, "explanation"}};
}

void ProfileModel::append(const ProfileEvent& event) {
    bool first = false;
    {
        std::lock_guard lock(m_pendingMutex);
        first = m_pending.empty();
        m_pending.push_back(event);
    }
    // Arm the flush timer on the model's thread once per batch of events.
    if (first) QMetaObject::invokeMethod(&m_timer, [this] { if (!m_timer.isActive()) m_timer.start(); }, Qt::QueuedConnection);
}

void ProfileModel::follow(jobs::JobQueue* queue, quint64 jobId) {
    connect(queue, &jobs::JobQueue::profileEvent, this, [this, jobId](quint64 id, const ProfileEvent& e) {
        if (jobId == 0 || id == jobId) append(e);
    });
}

void ProfileModel::flush() {
    std::vector<ProfileEvent> batch;
    {
        std::lock_guard lock(m_pendingMutex);
        batch.swap(m_pending);
    }
    if (batch.empty()) return;
    const int first = int(m_events.size());
    beginInsertRows({}, first, first + int(batch.size()) - 1);
    for (const ProfileEvent& e : batch) absorb(e);
    endInsertRows();
    ++m_flushes;
    Q_EMIT summaryChanged();
}

void ProfileModel::absorb(const ProfileEvent& e) {
    m_events.push_back(e);
    const QString message = QString::fromStdString(e.message);
    QString explanation;
    m_wall = std::max(m_wall, e.time);
    // The device the model runs on (CPU-side stages such as encode say "cpu" and do not count).
    const bool modelSide = e.kind == ProfileEvent::Kind::Batch || e.kind == ProfileEvent::Kind::Info ||
                           (e.kind == ProfileEvent::Kind::StageEnd && (e.stage == Stage::Model || e.stage == Stage::Warmup));
    if (!e.device.empty() && modelSide) m_device = QString::fromStdString(e.device);
    switch (e.kind) {
    case ProfileEvent::Kind::StageEnd:
        if (int(e.stage) >= 0 && int(e.stage) < kStageCount) m_stageSeconds[int(e.stage)] += e.duration;
        break;
    case ProfileEvent::Kind::Batch:
        ++m_batches;
        m_chunksDone += e.value;
        if (m_secondsPerChunk > 0 && e.time > 0) {
            const double rtf = double(m_chunksDone) * m_secondsPerChunk / e.time;
            m_throughput.push_back({e.time, rtf});
            m_maxThroughput = std::max(m_maxThroughput, rtf);
        }
        break;
    case ProfileEvent::Kind::MemorySample:
        if (e.deviceAllocated >= 0) {
            m_deviceMemory.push_back({e.time, double(e.deviceAllocated)});
            m_peakDevice = std::max<qint64>(m_peakDevice, e.deviceAllocated);
        }
        if (e.processRss >= 0) {
            m_processMemory.push_back({e.time, double(e.processRss)});
            m_peakRss = std::max<qint64>(m_peakRss, e.processRss);
        }
        if (e.budget >= 0) m_budget = e.budget;
        break;
    case ProfileEvent::Kind::BatchSizeChange:
    case ProfileEvent::Kind::Fallback:
    case ProfileEvent::Kind::Warning: {
        if (e.kind == ProfileEvent::Kind::BatchSizeChange) {
            m_batchSize = int(e.value);
            if (e.budget >= 0) m_budget = e.budget;
        }
        const Explanation x = m_explainer ? m_explainer(e.kind, message) : defaultExplanation(e.kind, message);
        explanation = x.text;
        QVariantMap notice;
        notice[QStringLiteral("time")] = e.time;
        notice[QStringLiteral("kind")] = QString::fromLatin1(kindName(e.kind));
        notice[QStringLiteral("title")] = x.title;
        notice[QStringLiteral("message")] = message;
        notice[QStringLiteral("explanation")] = x.text;
        notice[QStringLiteral("value")] = qint64(e.value);
        m_notices.push_back(notice);
        break;
    }
    case ProfileEvent::Kind::Info: {
        m_infos.push_back(message);
        // The engine's settings line: "chunk N samples (X s), overlap K, batch B, ...".
        static const QRegularExpression re(QStringLiteral(R"(\(([\d.]+) s\), overlap (\d+), batch (\d+))"));
        const QRegularExpressionMatch m = re.match(message);
        if (m.hasMatch()) {
            const double chunk = m.captured(1).toDouble();
            const int overlap = std::max(1, m.captured(2).toInt());
            if (m_secondsPerChunk <= 0) m_secondsPerChunk = chunk / overlap;
            if (m_batchSize == 0) m_batchSize = m.captured(3).toInt();
        }
        break;
    }
    case ProfileEvent::Kind::StageBegin: break;
    }
    m_explanations.push_back(explanation);
}

void ProfileModel::clear() {
    {
        std::lock_guard lock(m_pendingMutex);
        m_pending.clear();
    }
    beginResetModel();
    m_events.clear();
    m_explanations.clear();
    std::fill(std::begin(m_stageSeconds), std::end(m_stageSeconds), 0.0);
    m_wall = m_maxThroughput = 0.0;
    m_chunksDone = 0;
    m_batches = m_batchSize = 0;
    m_budget = m_peakRss = m_peakDevice = -1;
    m_device.clear();
    m_throughput.clear();
    m_deviceMemory.clear();
    m_processMemory.clear();
    m_notices.clear();
    m_infos.clear();
    endResetModel();
    Q_EMIT summaryChanged();
}

const QVector<QPointF>& ProfileModel::series(Series s) const {
    switch (s) {
    case Series::Throughput: return m_throughput;
    case Series::DeviceMemory: return m_deviceMemory;
    case Series::ProcessMemory: return m_processMemory;
    }
    return m_throughput;
}

int ProfileModel::stageCount() const {
    return int(std::count_if(std::begin(m_stageSeconds), std::end(m_stageSeconds), [](double s) { return s > 0.0; }));
}

double ProfileModel::warmupSeconds() const { return m_stageSeconds[int(Stage::Warmup)]; }

qint64 ProfileModel::maxMemoryBytes() const { return std::max({m_peakRss, m_peakDevice, m_budget, qint64(0)}); }

QVariantList ProfileModel::stageTotals() const {
    QVariantList out;
    double longest = 0.0;
    for (double s : m_stageSeconds) longest = std::max(longest, s);
    for (int i = 0; i < kStageCount; ++i) {
        if (m_stageSeconds[i] <= 0.0) continue;
        QVariantMap m;
        m[QStringLiteral("stage")] = QString::fromLatin1(stageName(Stage(i)));
        m[QStringLiteral("seconds")] = m_stageSeconds[i];
        m[QStringLiteral("fraction")] = longest > 0 ? m_stageSeconds[i] / longest : 0.0;
        out.push_back(m);
    }
    return out;
}

void ProfileModel::setDeviceInfo(const QString& info) {
    if (info == m_deviceInfo) return;
    m_deviceInfo = info;
    Q_EMIT deviceInfoChanged();
}

void ProfileModel::setFlushIntervalMs(int ms) {
    ms = std::max(ms, 100); // never more than 10 Hz
    if (ms == m_timer.interval()) return;
    m_timer.setInterval(ms);
    Q_EMIT flushIntervalChanged();
}

QByteArray ProfileModel::chromeTraceJson() const {
    QJsonArray events;
    for (const ProfileEvent& e : m_events) {
        QJsonObject o;
        o[QStringLiteral("pid")] = 1;
        const double us = e.time * 1e6;
        switch (e.kind) {
        case ProfileEvent::Kind::StageEnd:
        case ProfileEvent::Kind::Batch:
            o[QStringLiteral("ph")] = QStringLiteral("X");
            o[QStringLiteral("name")] = e.kind == ProfileEvent::Kind::Batch ? QStringLiteral("batch")
                                                                            : QString::fromLatin1(stageName(e.stage));
            o[QStringLiteral("cat")] = QString::fromLatin1(kindName(e.kind));
            o[QStringLiteral("tid")] = e.kind == ProfileEvent::Kind::Batch ? 2 : 1;
            o[QStringLiteral("ts")] = us - e.duration * 1e6;
            o[QStringLiteral("dur")] = e.duration * 1e6;
            if (e.kind == ProfileEvent::Kind::Batch)
                o[QStringLiteral("args")] = QJsonObject{{QStringLiteral("chunks"), qint64(e.value)}};
            break;
        case ProfileEvent::Kind::MemorySample: {
            o[QStringLiteral("ph")] = QStringLiteral("C");
            o[QStringLiteral("name")] = QStringLiteral("memory");
            o[QStringLiteral("tid")] = 1;
            o[QStringLiteral("ts")] = us;
            QJsonObject args;
            if (e.deviceAllocated >= 0) args[QStringLiteral("device")] = double(e.deviceAllocated);
            if (e.processRss >= 0) args[QStringLiteral("process")] = double(e.processRss);
            if (e.budget >= 0) args[QStringLiteral("budget")] = double(e.budget);
            o[QStringLiteral("args")] = args;
            break;
        }
        case ProfileEvent::Kind::StageBegin: continue; // the StageEnd carries the span
        default:
            o[QStringLiteral("ph")] = QStringLiteral("i");
            o[QStringLiteral("s")] = QStringLiteral("g");
            o[QStringLiteral("name")] = QString::fromLatin1(kindName(e.kind));
            o[QStringLiteral("tid")] = 1;
            o[QStringLiteral("ts")] = us;
            o[QStringLiteral("args")] = QJsonObject{{QStringLiteral("message"), QString::fromStdString(e.message)},
                                                    {QStringLiteral("value"), qint64(e.value)}};
        }
        events.append(o);
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("traceEvents"), events},
                                     {QStringLiteral("displayTimeUnit"), QStringLiteral("ms")}})
        .toJson(QJsonDocument::Compact);
}

QByteArray ProfileModel::summaryJson() const {
    QJsonObject stages;
    for (int i = 0; i < kStageCount; ++i)
        if (m_stageSeconds[i] > 0) stages[QString::fromLatin1(stageName(Stage(i)))] = m_stageSeconds[i];
    QJsonArray notices;
    for (const QVariant& n : m_notices) notices.append(QJsonObject::fromVariantMap(n.toMap()));
    QJsonObject o{{QStringLiteral("device"), m_device},
                  {QStringLiteral("deviceInfo"), m_deviceInfo},
                  {QStringLiteral("wallSeconds"), m_wall},
                  {QStringLiteral("realTimeFactor"), realTimeFactor()},
                  {QStringLiteral("warmupSeconds"), warmupSeconds()},
                  {QStringLiteral("batches"), m_batches},
                  {QStringLiteral("batchSize"), m_batchSize},
                  {QStringLiteral("peakProcessBytes"), double(m_peakRss)},
                  {QStringLiteral("peakDeviceBytes"), double(m_peakDevice)},
                  {QStringLiteral("budgetBytes"), double(m_budget)},
                  {QStringLiteral("stages"), stages},
                  {QStringLiteral("notices"), notices},
                  {QStringLiteral("events"), eventCount()}};
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

namespace {
bool writeAtomically(const QString& path, const QByteArray& bytes, QString& error) {
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
        error = QObject::tr("Could not write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}
} // namespace

bool ProfileModel::exportChromeTrace(const QString& path) { return writeAtomically(path, chromeTraceJson(), m_lastError); }

bool ProfileModel::exportSummary(const QString& path) { return writeAtomically(path, summaryJson(), m_lastError); }

} // namespace stemdeck::profiling
