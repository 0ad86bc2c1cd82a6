#include "profile_chart_item.h"

#include "profile_model.h"

#include <QPainter>

#include <algorithm>

namespace stemdeck::profiling {

ProfileChartItem::ProfileChartItem(QQuickItem* parent) : QQuickPaintedItem(parent) {
    setAntialiasing(true);
}

void ProfileChartItem::setModel(ProfileModel* model) {
    if (m_model == model) return;
    if (m_model) disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (m_model) connect(m_model, &ProfileModel::summaryChanged, this, [this] { update(); });
    update();
    Q_EMIT modelChanged();
}

void ProfileChartItem::setKind(const QString& kind) {
    if (m_kind == kind) return;
    m_kind = kind;
    update();
    Q_EMIT kindChanged();
}

void ProfileChartItem::geometryChange(const QRectF& newGeometry, const QRectF& oldGeometry) {
    QQuickPaintedItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size()) update();
}

void ProfileChartItem::paint(QPainter* painter) {
    int lines = 0, points = 0;
    double yMax = 0.0;
    if (m_model && width() > 0 && height() > 0) {
        const double xMax = std::max(m_model->wallSeconds(), 1e-3);
        struct Line {
            QVector<QPointF> points;
            QColor color;
        };
        std::vector<Line> toDraw;
        if (m_kind == QLatin1String("memory")) {
            toDraw.push_back({m_model->series(ProfileModel::Series::ProcessMemory), QColor(0x4f, 0x9d, 0xde)});
            toDraw.push_back({m_model->series(ProfileModel::Series::DeviceMemory), QColor(0xe0, 0x9a, 0x4a)});
            if (m_model->budgetBytes() > 0)
                toDraw.push_back({{QPointF(0, double(m_model->budgetBytes())), QPointF(xMax, double(m_model->budgetBytes()))},
                                  QColor(0xe0, 0x55, 0x55)});
            yMax = double(m_model->maxMemoryBytes()) * 1.1;
        } else {
            toDraw.push_back({m_model->series(ProfileModel::Series::Throughput), QColor(0x5f, 0xb3, 0x6b)});
            yMax = m_model->maxRealTimeFactor() * 1.1;
        }
        // Grid: quarters of the y range.
        painter->setPen(QPen(QColor(255, 255, 255, 28), 1.0));
        for (int i = 1; i < 4; ++i) painter->drawLine(QLineF(0, height() * i / 4, width(), height() * i / 4));
        for (const Line& l : toDraw) {
            if (l.points.size() < 2 || yMax <= 0) continue;
            QPolygonF poly;
            poly.reserve(l.points.size());
            for (const QPointF& p : l.points)
                poly << QPointF(p.x() / xMax * width(), height() - std::clamp(p.y() / yMax, 0.0, 1.0) * height());
            painter->setPen(QPen(l.color, 2.0));
            painter->drawPolyline(poly);
            ++lines;
            points += int(l.points.size());
        }
    }
    const bool changed = lines != m_lineCount || points != m_pointCount || yMax != m_yMax;
    m_lineCount = lines;
    m_pointCount = points;
    m_yMax = yMax;
    if (changed) QMetaObject::invokeMethod(this, &ProfileChartItem::drawn, Qt::QueuedConnection);
}

} // namespace stemdeck::profiling
