#include "profile_chart_item.h"

#include "profile_model.h"

#include <QFontMetricsF>
#include <QLocale>
#include <QPainter>

#include <algorithm>
#include <cmath>

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

double ProfileChartItem::niceStep(double range, int maxTicks) {
    if (!(range > 0) || maxTicks < 1) return 1.0;
    const double raw = range / maxTicks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (m * magnitude >= raw * (1 - 1e-9)) return m * magnitude;
    return 10.0 * magnitude;
}

namespace {

constexpr double kMiB = 1024.0 * 1024.0, kGiB = kMiB * 1024.0;

// Memory axes count in GiB from 1 GiB up, in MiB below: round steps in that unit.
double memoryUnit(double yMaxBytes) { return yMaxBytes >= kGiB ? kGiB : kMiB; }

QString memoryLabel(double bytes, double unit) {
    if (bytes == 0) return QStringLiteral("0");
    return QStringLiteral("%1 %2").arg(QLocale().toString(bytes / unit, 'g', 4),
                                       unit == kGiB ? QStringLiteral("GiB") : QStringLiteral("MiB"));
}

} // namespace

void ProfileChartItem::paint(QPainter* painter) {
    int lines = 0, points = 0;
    double yMax = 0.0;
    QStringList labels;
    if (m_model && width() > 0 && height() > 0) {
        const double xMax = std::max(m_model->wallSeconds(), 1e-3);
        struct Line {
            QVector<QPointF> points;
            QColor color;
        };
        std::vector<Line> toDraw;
        const bool memory = m_kind == QLatin1String("memory");
        if (memory) {
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

        // Axes: y ticks at a round step, labelled in the chart's unit; x ticks in seconds.
        QFont font = painter->font();
        font.setPixelSize(10);
        painter->setFont(font);
        const QFontMetricsF fm(font);
        QStringList yLabels;
        std::vector<double> yTicks;
        if (yMax > 0) {
            const double unit = memory ? memoryUnit(yMax) : 1.0;
            const double step = niceStep(yMax / unit, 4) * unit;
            for (int i = 0; i * step <= yMax * (1 + 1e-9); ++i) {
                const double v = i * step;
                yTicks.push_back(v);
                yLabels << (memory ? memoryLabel(v, unit) : QStringLiteral("%1x").arg(QLocale().toString(v, 'g', 4)));
            }
        }
        double left = 0;
        for (const QString& l : yLabels) left = std::max(left, fm.horizontalAdvance(l));
        left = yLabels.isEmpty() ? 0 : left + 6;
        const double bottom = fm.height() + 2;
        const QRectF plot(left, 0, std::max(1.0, width() - left - 2), std::max(1.0, height() - bottom));
        auto yPos = [&](double v) { return plot.bottom() - std::clamp(v / yMax, 0.0, 1.0) * plot.height(); };
        auto xPos = [&](double t) { return plot.left() + t / xMax * plot.width(); };

        const QColor labelColor(0x9a, 0xa0, 0xa6);
        for (std::size_t i = 0; i < yTicks.size(); ++i) {
            const double y = yPos(yTicks[i]);
            painter->setPen(QPen(QColor(255, 255, 255, i == 0 ? 60 : 28), 1.0));
            painter->drawLine(QLineF(plot.left(), y, plot.right(), y));
            painter->setPen(labelColor);
            const double textY = std::clamp(y - fm.height() / 2, 0.0, plot.bottom() - fm.height() / 2);
            painter->drawText(QRectF(0, textY, left - 4, fm.height()), Qt::AlignRight | Qt::AlignVCenter, yLabels[i]);
        }
        labels = yLabels;
        const double xStep = niceStep(xMax, std::max(1, int(plot.width() / 70)));
        painter->setPen(labelColor);
        for (int i = 0; i * xStep <= xMax * (1 + 1e-9); ++i) {
            const double t = i * xStep;
            const QString text = QStringLiteral("%1 s").arg(QLocale().toString(t, 'g', 4));
            const double w = fm.horizontalAdvance(text);
            const double x = std::clamp(xPos(t) - w / 2, plot.left(), width() - w);
            painter->drawText(QPointF(x, height() - fm.descent()), text);
            labels << text;
        }

        for (const Line& l : toDraw) {
            if (l.points.size() < 2 || yMax <= 0) continue;
            QPolygonF poly;
            poly.reserve(l.points.size());
            for (const QPointF& p : l.points) poly << QPointF(xPos(p.x()), yPos(p.y()));
            painter->setPen(QPen(l.color, 2.0));
            painter->drawPolyline(poly);
            ++lines;
            points += int(l.points.size());
        }
    }
    const bool changed = lines != m_lineCount || points != m_pointCount || yMax != m_yMax || labels != m_axisLabels;
    m_lineCount = lines;
    m_pointCount = points;
    m_yMax = yMax;
    m_axisLabels = labels;
    if (changed) QMetaObject::invokeMethod(this, &ProfileChartItem::drawn, Qt::QueuedConnection);
}

} // namespace stemdeck::profiling
