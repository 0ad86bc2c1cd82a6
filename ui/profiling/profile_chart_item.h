// ProfileChart: a line chart of one ProfileModel series, a QQuickPaintedItem (no QtCharts, which
// would need a QApplication; painted rather than custom geometry so it also renders under the
// software scene graph used without a GPU). "throughput" draws x real-time over time;
// "memory" draws process and device memory over time plus the planner's budget as a flat line.
// Tick labels on both axes: seconds of the job across, x real time or MiB/GiB up.
// Redrawn only when the model flushes (at most 10 Hz).
#pragma once

#include "profile_model.h"

#include <QColor>
#include <QPointer>
#include <QQuickPaintedItem>
#include <QtQml/qqmlregistration.h>

namespace stemdeck::profiling {

class ProfileChartItem : public QQuickPaintedItem {
    Q_OBJECT
    QML_NAMED_ELEMENT(ProfileChart)
    Q_PROPERTY(stemdeck::profiling::ProfileModel* model READ model WRITE setModel NOTIFY modelChanged)
    Q_PROPERTY(QString kind READ kind WRITE setKind NOTIFY kindChanged)
    Q_PROPERTY(int lineCount READ lineCount NOTIFY drawn)     // polylines in the last frame
    Q_PROPERTY(int pointCount READ pointCount NOTIFY drawn)   // vertices in the last frame
    Q_PROPERTY(double yMax READ yMax NOTIFY drawn)            // top of the y axis
    // The axes' tick labels in the last frame, y (bottom up) then x (left to right), e.g.
    // "0x", "2x", "4x", "0 s", "5 s", "10 s".
    Q_PROPERTY(QStringList axisLabels READ axisLabels NOTIFY drawn)
public:
    explicit ProfileChartItem(QQuickItem* parent = nullptr);
    ProfileModel* model() const { return m_model; }
    void setModel(ProfileModel* model);
    QString kind() const { return m_kind; }
    void setKind(const QString& kind);
    int lineCount() const { return m_lineCount; }
    int pointCount() const { return m_pointCount; }
    double yMax() const { return m_yMax; }
    QStringList axisLabels() const { return m_axisLabels; }
    // A tick spacing of 1, 2, 2.5 or 5 times a power of ten that cuts range into at most
    // maxTicks steps (public for its test).
    static double niceStep(double range, int maxTicks);

Q_SIGNALS:
    void modelChanged();
    void kindChanged();
    void drawn();

protected:
    void paint(QPainter* painter) override;
    void geometryChange(const QRectF& newGeometry, const QRectF& oldGeometry) override;

private:
    QPointer<ProfileModel> m_model;
    QString m_kind = QStringLiteral("throughput");
    int m_lineCount = 0;
    int m_pointCount = 0;
    double m_yMax = 0.0;
    QStringList m_axisLabels;
};

} // namespace stemdeck::profiling
