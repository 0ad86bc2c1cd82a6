// StemPreview: the view-model of the stem preview panel (one per open job). A list model of the
// stems (name, mute, solo, volume) over one StemMixer played by one QAudioSink, the waveform
// peaks of every track, and the panel's transport state (play/pause, position, loop, A/B).
// Stems are decoded and their peaks computed on the model's own thread pool; the GUI thread only
// swaps the finished result in. "Export all but the muted stems" renders and writes off the GUI
// thread too (core/audio's atomic exportAudio, never overwriting).
//
// Memory per open job is bounded by memoryLimit (default 2 GiB: about 20 minutes of four stereo
// stems and the original at 44.1 kHz): decoded float audio of every track (channels x frames x 4
// bytes each) plus their peak pyramids (< frames / 16 bytes each), planned from the files'
// headers before anything is decoded. Stems that would exceed it are refused with a message; an
// original that does not fit beside them is left out (no A/B). Loading another job releases the
// previous one.
//
// Without an audio device (QMediaDevices has no output, or the sink fails) audioAvailable is
// false, audioMessage says why, and everything else (waveforms, mixer state, export) still works.
#pragma once

#include "peak_pyramid.h"
#include "stem_mixer.h"

#include <QAbstractListModel>
#include <QAudioSink>
#include <QPointer>
#include <QThreadPool>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <functional>
#include <memory>
#include <vector>

namespace stemdeck::preview {

class StemPreview : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY statusChanged)
    Q_PROPERTY(bool playing READ playing NOTIFY playingChanged)
    Q_PROPERTY(double position READ position NOTIFY positionChanged)
    Q_PROPERTY(double duration READ duration NOTIFY statusChanged)
    Q_PROPERTY(int sampleRate READ sampleRate NOTIFY statusChanged)
    Q_PROPERTY(bool hasOriginal READ hasOriginal NOTIFY statusChanged)
    Q_PROPERTY(bool playOriginal READ playOriginal WRITE setPlayOriginal NOTIFY playOriginalChanged)
    Q_PROPERTY(bool looping READ looping NOTIFY loopChanged)
    Q_PROPERTY(double loopStart READ loopStart NOTIFY loopChanged)
    Q_PROPERTY(double loopEnd READ loopEnd NOTIFY loopChanged)
    Q_PROPERTY(bool audioAvailable READ audioAvailable NOTIFY audioChanged)
    Q_PROPERTY(QString audioMessage READ audioMessage NOTIFY audioChanged)
    Q_PROPERTY(bool exporting READ exporting NOTIFY exportingChanged)
    Q_PROPERTY(qint64 memoryBytes READ memoryBytes NOTIFY statusChanged)
    Q_PROPERTY(qint64 memoryLimit READ memoryLimit WRITE setMemoryLimit NOTIFY memoryLimitChanged)
public:
    enum class Status { Empty, Loading, Ready, Error };
    Q_ENUM(Status)
    enum Role { NameRole = Qt::UserRole + 1, MutedRole, SoloRole, VolumeRole, AudibleRole };
    Q_ENUM(Role)

    explicit StemPreview(QObject* parent = nullptr);
    ~StemPreview() override; // waits for its loads and exports

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Loads stems (and optionally the original mix for A/B) off the GUI thread; statusChanged
    // reports Ready or Error (message naming the file and the problem).
    Q_INVOKABLE void loadFiles(const QStringList& stems, const QString& original = {});
    // Every audio file in the folder a finished job wrote (sorted by name).
    Q_INVOKABLE void loadFolder(const QString& folder, const QString& original = {});
    // Blocks until a load or export in flight has finished (tests, shutdown); false on timeout.
    bool waitForIdle(int timeoutMs = 30000);

    Q_INVOKABLE void play();
    Q_INVOKABLE void pause();
    Q_INVOKABLE void togglePlayback();
    Q_INVOKABLE void seek(double seconds);
    Q_INVOKABLE void setLoop(double a, double b); // seconds, [a, b); b <= a clears
    Q_INVOKABLE void clearLoop();
    // The loop's in and out points from the keyboard (I and O, as audio editors mark them): the
    // loop starts (ends) at `seconds` and keeps its other end; with no loop, or one that would be
    // empty, it runs from there to the end of the track (from its start to there).
    Q_INVOKABLE void setLoopStartAt(double seconds);
    Q_INVOKABLE void setLoopEndAt(double seconds);
    Q_INVOKABLE void setMuted(int row, bool muted);
    Q_INVOKABLE void setSolo(int row, bool solo);
    Q_INVOKABLE void setVolume(int row, double volume);
    // Writes the stems that sound now (mute/solo/volume applied) to `path` (format from the
    // extension: wav = 24-bit, flac = 24-bit, ogg, mp3); exportFinished or exportFailed follows.
    Q_INVOKABLE void exportAudible(const QString& path);

    Status status() const { return m_status; }
    QString errorMessage() const { return m_error; }
    bool playing() const { return m_playing; }
    double position() const;
    double duration() const;
    int sampleRate() const { return m_mixer.sampleRate(); }
    bool hasOriginal() const { return m_mixer.hasOriginal(); }
    bool playOriginal() const { return m_mixer.playOriginal(); }
    void setPlayOriginal(bool original);
    bool looping() const { return m_mixer.looping(); }
    double loopStart() const;
    double loopEnd() const;
    bool audioAvailable() const { return m_audioAvailable; }
    QString audioMessage() const { return m_audioMessage; }
    bool exporting() const { return m_exporting; }
    qint64 memoryBytes() const { return m_memoryBytes; }
    qint64 memoryLimit() const { return m_memoryLimit; }
    void setMemoryLimit(qint64 bytes);

    StemMixer& mixer() { return m_mixer; }
    QAudioSink* sink() const { return m_sink.get(); }
    // Peaks of one track (-1: the original mix); null when not loaded.
    const PeakPyramid* peaks(int track) const;

    // The frame being heard: the mixer has handed the sink `readFrame` frames, of which
    // `bufferedFrames` still wait in its buffer (about 0.1-0.2 s), so the playhead would run
    // ahead of the sound by that much. A loop [loopA, loopB) that wrapped inside the buffer
    // counts from its end; until the audio from before a seek has drained, the playhead stays
    // on the seek target (`seekFrame`, < 0: none).
    static int64_t audibleFrame(int64_t readFrame, int64_t bufferedFrames, int64_t seekFrame, int64_t loopA,
                                int64_t loopB);

Q_SIGNALS:
    void statusChanged();
    void playingChanged();
    void positionChanged();
    void playOriginalChanged();
    void loopChanged();
    void audioChanged();
    void exportingChanged();
    void memoryLimitChanged();
    void peaksChanged();
    void exportFinished(const QString& path, const QString& note);
    void exportFailed(const QString& message);

private:
    struct Loaded;
    void startLoad(const QStringList& stems, const QString& original);
    void applyLoaded(std::shared_ptr<Loaded> loaded);
    bool ensureSink();
    // message() is called again when the interface language changes (the panel shows it).
    void setAudioUnavailable(std::function<QString()> message);
    bool eventFilter(QObject* watched, QEvent* event) override;
    void setPlaying(bool playing);
    void rowChanged(int row);

    StemMixer m_mixer;
    std::unique_ptr<QAudioSink> m_sink;
    QThreadPool m_pool;
    QTimer m_positionTimer;
    std::vector<PeakPyramid> m_peaks; // one per stem
    PeakPyramid m_originalPeaks;
    Status m_status = Status::Empty;
    QString m_error;
    bool m_playing = false;
    bool m_audioAvailable = true;
    QString m_audioMessage;
    std::function<QString()> m_audioMessageSource;
    bool m_exporting = false;
    qint64 m_memoryBytes = 0;
    qint64 m_memoryLimit = qint64(2) << 30;
    quint64 m_loadGeneration = 0;
    mutable int64_t m_seekFrame = -1; // the last seek's target, until the audio before it has drained
};

} // namespace stemdeck::preview
