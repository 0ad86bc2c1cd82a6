#include "waveform_item.h"

#include "stem_preview.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace stemdeck::preview {

WaveformItem::WaveformItem(QQuickItem* parent) : QQuickPaintedItem(parent) {}

void WaveformItem::setPreview(StemPreview* preview) {
    if (m_preview == preview) return;
    if (m_preview) disconnect(m_preview, nullptr, this, nullptr);
    m_preview = preview;
    if (m_preview) connect(m_preview, &StemPreview::peaksChanged, this, &WaveformItem::markDirty);
    markDirty();
    Q_EMIT previewChanged();
}

void WaveformItem::setTrack(int track) {
    if (m_track == track) return;
    m_track = track;
    markDirty();
    Q_EMIT trackChanged();
}

void WaveformItem::setColor(const QColor& color) {
    if (m_color == color) return;
    m_color = color;
    update();
    Q_EMIT colorChanged();
}

void WaveformItem::setGain(double gain) {
    gain = std::clamp(std::isfinite(gain) ? gain : 1.0, 0.0, 16.0);
    if (m_gain == gain) return;
    m_gain = gain;
    update();
    Q_EMIT gainChanged();
}

void WaveformItem::setViewStart(double s) {
    if (m_viewStart == s) return;
    m_viewStart = s;
    markDirty();
    Q_EMIT viewChanged();
}

void WaveformItem::setViewEnd(double s) {
    if (m_viewEnd == s) return;
    m_viewEnd = s;
    markDirty();
    Q_EMIT viewChanged();
}

void WaveformItem::markDirty() { update(); }

void WaveformItem::geometryChange(const QRectF& newGeometry, const QRectF& oldGeometry) {
    QQuickPaintedItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size()) markDirty();
}

std::pair<double, double> WaveformItem::visibleRange() const {
    const double total = m_preview ? m_preview->duration() : 0.0;
    if (m_viewEnd > m_viewStart) return {m_viewStart, m_viewEnd};
    return {0.0, total};
}

double WaveformItem::secondsAt(double x) const {
    const auto [a, b] = visibleRange();
    if (width() <= 0) return a;
    return std::clamp(a + (b - a) * x / width(), a, b);
}

double WaveformItem::xAt(double seconds) const {
    const auto [a, b] = visibleRange();
    if (b <= a) return 0.0;
    return (seconds - a) / (b - a) * width();
}

void WaveformItem::paint(QPainter* painter) {
    const PeakPyramid* peaks = m_preview ? m_preview->peaks(m_track) : nullptr;
    const int columns = int(std::floor(width()));
    if (!peaks || peaks->empty() || columns <= 0 || height() <= 0) return;
    const auto [a, b] = visibleRange();
    const int rate = m_preview->sampleRate();
    const double startFrame = a * rate;
    const double framesPerPixel = std::max(1e-9, (b - a) * rate / columns);
    const int level = peaks->levelFor(framesPerPixel);
    if (level != m_level) {
        m_level = level;
        QMetaObject::invokeMethod(this, &WaveformItem::levelChanged, Qt::QueuedConnection);
    }
    std::vector<QLineF> lines(static_cast<size_t>(columns));
    const double mid = height() / 2.0, half = height() / 2.0;
    for (int x = 0; x < columns; ++x) {
        const int64_t f0 = int64_t(std::floor(startFrame + x * framesPerPixel));
        const int64_t f1 = std::max(f0 + 1, int64_t(std::floor(startFrame + (x + 1) * framesPerPixel)));
        auto [lo, hi] = peaks->range(f0, f1, level);
        lo = std::clamp(float(lo * m_gain), -1.0f, 1.0f);
        hi = std::clamp(float(hi * m_gain), -1.0f, 1.0f);
        // At least one pixel tall, so silence still shows as a line.
        const double y0 = mid - hi * half, y1 = std::max(y0 + 1.0, mid - lo * half);
        lines[size_t(x)] = QLineF(x + 0.5, y0, x + 0.5, y1);
    }
    painter->setPen(QPen(m_color, 1.0));
    painter->drawLines(lines.data(), columns);
}

} // namespace stemdeck::preview
