// ProfileModel: the live profiling panel's view-model, a list model over one job's engine event
// stream (common/profile_event.h, forwarded by core/jobs' JobQueue::profileEvent) plus the
// aggregates the panel draws: per-stage totals, throughput (x real-time) over time, device and
// process memory over time with the planner's budget, batch-size changes, fallbacks and warnings
// with explanations, device info and warm-up time.
//
// Events may arrive from any thread and at any rate; append() only queues them. A timer flushes
// the queue every 250 ms by default and never more than 10 times a second (one row insertion and
// one summaryChanged per flush), so a busy job never waits on the GUI and the GUI never redraws
// per event (bench/NOTES.md has the measured cost).
#pragma once

#include "common/profile_event.h"

#include <QAbstractListModel>
#include <QPointF>
#include <QTimer>
#include <QVariantList>
#include <QVector>
#include <QtQml/qqmlregistration.h>

#include <functional>
#include <mutex>
#include <vector>

namespace stemdeck::jobs {
class JobQueue;
}

namespace stemdeck::profiling {

// A title and a plain explanation for a warning or fallback message. The application wires in
// core/device's ErrorTranslator (plain C++, but its library links LibTorch, which this module
// does not); without one the message explains itself.
struct Explanation {
    QString title;
    QString text;
};
using Explainer = std::function<Explanation(ProfileEvent::Kind kind, const QString& message)>;

class ProfileModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(int eventCount READ eventCount NOTIFY summaryChanged)
    Q_PROPERTY(double wallSeconds READ wallSeconds NOTIFY summaryChanged)
    Q_PROPERTY(double warmupSeconds READ warmupSeconds NOTIFY summaryChanged)
    Q_PROPERTY(double realTimeFactor READ realTimeFactor NOTIFY summaryChanged)
    Q_PROPERTY(double maxRealTimeFactor READ maxRealTimeFactor NOTIFY summaryChanged)
    Q_PROPERTY(int batchCount READ batchCount NOTIFY summaryChanged)
    Q_PROPERTY(int batchSize READ batchSize NOTIFY summaryChanged)
    Q_PROPERTY(QString device READ device NOTIFY summaryChanged)
    Q_PROPERTY(qint64 budgetBytes READ budgetBytes NOTIFY summaryChanged)
    Q_PROPERTY(qint64 peakProcessBytes READ peakProcessBytes NOTIFY summaryChanged)
    Q_PROPERTY(qint64 peakDeviceBytes READ peakDeviceBytes NOTIFY summaryChanged)
    Q_PROPERTY(qint64 maxMemoryBytes READ maxMemoryBytes NOTIFY summaryChanged)
    Q_PROPERTY(QVariantList stageTotals READ stageTotals NOTIFY summaryChanged)
    Q_PROPERTY(QVariantList notices READ notices NOTIFY summaryChanged)
    // Counts for Repeaters: a count that stays the same keeps the delegates (no re-creation per flush).
    Q_PROPERTY(int stageCount READ stageCount NOTIFY summaryChanged)
    Q_PROPERTY(int noticeCount READ noticeCount NOTIFY summaryChanged)
    Q_PROPERTY(QStringList infos READ infos NOTIFY summaryChanged)
    Q_PROPERTY(QString deviceInfo READ deviceInfo WRITE setDeviceInfo NOTIFY deviceInfoChanged)
    Q_PROPERTY(int flushIntervalMs READ flushIntervalMs WRITE setFlushIntervalMs NOTIFY flushIntervalChanged)
public:
    enum Role {
        KindRole = Qt::UserRole + 1,
        TimeRole,
        DurationRole,
        StageRole,
        DeviceRole,
        ValueRole,
        MessageRole,
        ExplanationRole,
    };
    enum class Series { Throughput, DeviceMemory, ProcessMemory };

    explicit ProfileModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Thread-safe; the event shows at the next flush.
    void append(const ProfileEvent& event);
    // Follows one job of a queue (events of other jobs are ignored); jobId 0 follows every job.
    void follow(jobs::JobQueue* queue, quint64 jobId);
    // Applies queued events now (the timer does this at most every flushIntervalMs).
    Q_INVOKABLE void flush();
    Q_INVOKABLE void clear();
    void setExplainer(Explainer explainer) { m_explainer = std::move(explainer); }
    // Audio seconds one model chunk advances (step = chunk / overlap), for throughput; read from
    // the engine's "chunk N samples (X s), overlap K" Info event when not set.
    void setSecondsPerChunk(double seconds) { m_secondsPerChunk = seconds; }

    Q_INVOKABLE bool exportChromeTrace(const QString& path);
    Q_INVOKABLE bool exportSummary(const QString& path);
    Q_INVOKABLE QString lastError() const { return m_lastError; }
    QByteArray chromeTraceJson() const;
    QByteArray summaryJson() const;

    const QVector<QPointF>& series(Series s) const;
    std::vector<ProfileEvent> events() const { return m_events; }

    int eventCount() const { return int(m_events.size()); }
    double wallSeconds() const { return m_wall; }
    double warmupSeconds() const;
    double realTimeFactor() const { return m_throughput.isEmpty() ? 0.0 : m_throughput.back().y(); }
    double maxRealTimeFactor() const { return m_maxThroughput; }
    int batchCount() const { return m_batches; }
    int batchSize() const { return m_batchSize; }
    QString device() const { return m_device; }
    qint64 budgetBytes() const { return m_budget; }
    qint64 peakProcessBytes() const { return m_peakRss; }
    qint64 peakDeviceBytes() const { return m_peakDevice; }
    qint64 maxMemoryBytes() const;
    QVariantList stageTotals() const;
    QVariantList notices() const { return m_notices; }
    int stageCount() const;
    int noticeCount() const { return int(m_notices.size()); }
    QStringList infos() const { return m_infos; }
    QString deviceInfo() const { return m_deviceInfo; }
    void setDeviceInfo(const QString& info);
    int flushIntervalMs() const { return m_timer.interval(); }
    void setFlushIntervalMs(int ms);
    int flushCount() const { return m_flushes; }

Q_SIGNALS:
    void summaryChanged();
    void deviceInfoChanged();
    void flushIntervalChanged();

private:
    void absorb(const ProfileEvent& e);

    std::mutex m_pendingMutex;
    std::vector<ProfileEvent> m_pending;
    QTimer m_timer;
    std::vector<ProfileEvent> m_events;
    std::vector<QString> m_explanations;
    Explainer m_explainer;

    double m_stageSeconds[int(Stage::Write) + 1] = {};
    double m_wall = 0.0;
    double m_secondsPerChunk = 0.0;
    double m_maxThroughput = 0.0;
    int64_t m_chunksDone = 0;
    int m_batches = 0;
    int m_batchSize = 0;
    qint64 m_budget = -1;
    qint64 m_peakRss = -1;
    qint64 m_peakDevice = -1;
    QString m_device;
    QString m_deviceInfo;
    QVector<QPointF> m_throughput;
    QVector<QPointF> m_deviceMemory;
    QVector<QPointF> m_processMemory;
    QVariantList m_notices;
    QStringList m_infos;
    QString m_lastError;
    int m_flushes = 0;
};

} // namespace stemdeck::profiling
