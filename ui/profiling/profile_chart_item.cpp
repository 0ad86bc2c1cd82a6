#include "profile_chart_item.h"

#include "profile_model.h"

#include <QSGFlatColorMaterial>
#include <QSGGeometryNode>

#include <algorithm>

namespace stemdeck::profiling {

namespace {

QSGGeometryNode* lineNode(const QVector<QPointF>& points, const QColor& color, double xMax, double yMax, double w, double h) {
    auto* node = new QSGGeometryNode;
    auto* g = new QSGGeometry(QSGGeometry::defaultAttributes_Point2D(), int(points.size()));
    g->setDrawingMode(QSGGeometry::DrawLineStrip);
    g->setLineWidth(2.0f);
    QSGGeometry::Point2D* v = g->vertexDataAsPoint2D();
    for (int i = 0; i < points.size(); ++i) {
        const double x = xMax > 0 ? points[i].x() / xMax * w : 0.0;
        const double y = yMax > 0 ? h - std::clamp(points[i].y() / yMax, 0.0, 1.0) * h : h;
        v[i].set(float(x), float(y));
    }
    node->setGeometry(g);
    node->setFlag(QSGNode::OwnsGeometry);
    auto* m = new QSGFlatColorMaterial;
    m->setColor(color);
    node->setMaterial(m);
    node->setFlag(QSGNode::OwnsMaterial);
    return node;
}

} // namespace

ProfileChartItem::ProfileChartItem(QQuickItem* parent) : QQuickItem(parent) {
    setFlag(ItemHasContents, true);
}

void ProfileChartItem::setModel(ProfileModel* model) {
    if (m_model == model) return;
    if (m_model) disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (m_model) connect(m_model, &ProfileModel::summaryChanged, this, &QQuickItem::update);
    update();
    Q_EMIT modelChanged();
}

void ProfileChartItem::setKind(const QString& kind) {
    if (m_kind == kind) return;
    m_kind = kind;
    update();
    Q_EMIT kindChanged();
}

QSGNode* ProfileChartItem::updatePaintNode(QSGNode* old, UpdatePaintNodeData*) {
    // A few hundred points at most per flush: rebuilding the child nodes is cheaper than diffing.
    delete old;
    auto* root = new QSGNode;
    int lines = 0, points = 0;
    double yMax = 0.0;
    if (m_model && width() > 0 && height() > 0) {
        const double xMax = std::max(m_model->wallSeconds(), 1e-3);
        const bool memory = m_kind == QLatin1String("memory");
        struct Line {
            QVector<QPointF> points;
            QColor color;
        };
        std::vector<Line> toDraw;
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
        for (const Line& l : toDraw) {
            if (l.points.size() < 2) continue;
            root->appendChildNode(lineNode(l.points, l.color, xMax, yMax, width(), height()));
            ++lines;
            points += int(l.points.size());
        }
    }
    const bool changed = lines != m_lineCount || points != m_pointCount || yMax != m_yMax;
    m_lineCount = lines;
    m_pointCount = points;
    m_yMax = yMax;
    if (changed) QMetaObject::invokeMethod(this, &ProfileChartItem::drawn, Qt::QueuedConnection);
    return root;
}

} // namespace stemdeck::profiling
