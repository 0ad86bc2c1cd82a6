// WaveformItem: one track's waveform painted from its PeakPyramid (one vertical min/max line
// per pixel column, from the coarsest level that still resolves a pixel), so drawing costs the
// item's width, not the track's length. A QQuickPaintedItem: the picture is cached in the item's
// texture and repainted only when the size, the peaks or the visible range change; it also
// renders under the software scene graph (no GPU, offscreen), where custom geometry nodes don't. Seeking and loop selection are done by the QML
// around it (pixel <-> seconds through secondsAt()).
#pragma once

#include "stem_preview.h"

#include <QColor>
#include <QPointer>
#include <QQuickPaintedItem>
#include <QtQml/qqmlregistration.h>

namespace stemdeck::preview {



class WaveformItem : public QQuickPaintedItem {
    Q_OBJECT
    QML_NAMED_ELEMENT(Waveform)
    Q_PROPERTY(stemdeck::preview::StemPreview* preview READ preview WRITE setPreview NOTIFY previewChanged)
    Q_PROPERTY(int track READ track WRITE setTrack NOTIFY trackChanged)
    Q_PROPERTY(QColor color READ color WRITE setColor NOTIFY colorChanged)
    // The stem's volume in the mixer (0-2): the waveform is drawn as loud as it will sound, and
    // what would pass full scale reaches the edges.
    Q_PROPERTY(double gain READ gain WRITE setGain NOTIFY gainChanged)
    Q_PROPERTY(double viewStart READ viewStart WRITE setViewStart NOTIFY viewChanged)
    Q_PROPERTY(double viewEnd READ viewEnd WRITE setViewEnd NOTIFY viewChanged)
    Q_PROPERTY(int level READ level NOTIFY levelChanged)
public:
    explicit WaveformItem(QQuickItem* parent = nullptr);

    StemPreview* preview() const { return m_preview; }
    void setPreview(StemPreview* preview);
    int track() const { return m_track; }
    void setTrack(int track);
    QColor color() const { return m_color; }
    void setColor(const QColor& color);
    double gain() const { return m_gain; }
    void setGain(double gain);
    // Visible range in seconds; viewEnd <= viewStart shows the whole track.
    double viewStart() const { return m_viewStart; }
    void setViewStart(double s);
    double viewEnd() const { return m_viewEnd; }
    void setViewEnd(double s);
    // The pyramid level used by the last frame drawn (-1 before the first).
    int level() const { return m_level; }

    Q_INVOKABLE double secondsAt(double x) const;
    Q_INVOKABLE double xAt(double seconds) const;

Q_SIGNALS:
    void previewChanged();
    void trackChanged();
    void colorChanged();
    void gainChanged();
    void viewChanged();
    void levelChanged();

protected:
    void paint(QPainter* painter) override;
    void geometryChange(const QRectF& newGeometry, const QRectF& oldGeometry) override;

private:
    void markDirty();
    std::pair<double, double> visibleRange() const; // seconds

    QPointer<StemPreview> m_preview;
    int m_track = 0;
    QColor m_color = QColor(0x4f, 0x9d, 0xde);
    double m_gain = 1.0;
    double m_viewStart = 0.0;
    double m_viewEnd = 0.0;
    int m_level = -1;
};

} // namespace stemdeck::preview
