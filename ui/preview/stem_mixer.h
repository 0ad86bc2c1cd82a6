// StemMixer: the preview's one audio source. A pull-mode QIODevice that one QAudioSink reads on
// its audio thread; readData() mixes N stems (planar float, core/audio) plus the original mix for
// A/B into the sink's interleaved format (Int16 or Float, the stems' rate, any channel count).
// Mute/solo/volume, seek, a loop [a, b) and the A/B switch may change from the GUI thread while
// the sink reads: every parameter and the position live behind one mutex held only for the
// duration of one block, so a change takes effect at the next block.
#pragma once

#include "audio/audio_buffer.h"

#include <QAudioFormat>
#include <QIODevice>
#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace stemdeck::preview {

struct StemTrack {
    QString name;
    std::shared_ptr<const audio::AudioBuffer> audio; // all tracks of one mixer share one rate
};

class StemMixer : public QIODevice {
    Q_OBJECT
public:
    explicit StemMixer(QObject* parent = nullptr);

    // Replaces the material (mixer state is reset: unmuted, no solo, gain 1, position 0, no loop).
    // `original` may be null (no A/B). Tracks of different lengths play in sync: the shorter ones
    // are padded with silence up to the longest. Every buffer must have the rate of the first.
    void setTracks(std::vector<StemTrack> stems, std::shared_ptr<const audio::AudioBuffer> original);
    int stemCount() const;
    QString stemName(int stem) const;
    bool hasOriginal() const;
    int sampleRate() const;
    int channels() const;        // the widest track
    int64_t lengthFrames() const; // the longest track

    // Int16 or Float, interleaved; false (and no change) for anything else.
    static bool isSupported(const QAudioFormat& format);
    bool setOutputFormat(const QAudioFormat& format);
    QAudioFormat outputFormat() const;
    // The format to ask a sink for: the stems' rate and channel count, Float.
    QAudioFormat preferredFormat() const;

    void setMuted(int stem, bool muted);
    bool isMuted(int stem) const;
    void setSolo(int stem, bool solo);
    bool isSolo(int stem) const;
    void setGain(int stem, float gain); // linear, clamped to [0, 4]
    float gain(int stem) const;
    // Solo wins: when any stem is soloed only the soloed ones sound (several solos sum), and a
    // soloed stem sounds even if muted; otherwise every unmuted stem sounds.
    bool isAudible(int stem) const;

    // A/B: true plays the original mix alone (unity gain) instead of the stems.
    void setPlayOriginal(bool original);
    bool playOriginal() const;

    void seek(int64_t frame); // clamped to [0, length]
    int64_t positionFrames() const { return m_position.load(std::memory_order_relaxed); }
    double positionSeconds() const;

    // Loop [a, b): reaching b jumps to a; a position outside the loop moves to a. b <= a clears.
    void setLoop(int64_t a, int64_t b);
    void clearLoop();
    bool looping() const;
    int64_t loopStart() const;
    int64_t loopEnd() const;

    // True once the position reached the end without a loop (readData returns 0 from then on).
    bool atEnd() const override;
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override;

    // The stems as the mixer plays them now (mute/solo/gain applied, the original excluded), over
    // the whole length, planar at the stems' rate: "all but the muted stems" for export.
    audio::AudioBuffer renderMix() const;

protected:
    qint64 readData(char* data, qint64 maxSize) override;
    qint64 writeData(const char* data, qint64 maxSize) override;

private:
    struct Channel {
        bool muted = false;
        bool solo = false;
        float gain = 1.0f;
    };
    int bytesPerFrameLocked() const;
    float effectiveGainLocked(size_t stem) const;
    bool validStem(int stem) const { return stem >= 0 && size_t(stem) < m_stems.size(); }

    mutable std::mutex m_mutex;
    std::vector<StemTrack> m_stems;
    std::vector<Channel> m_params;
    std::shared_ptr<const audio::AudioBuffer> m_original;
    QAudioFormat m_format;
    int64_t m_length = 0;
    int m_channels = 0;
    int m_rate = 0;
    bool m_playOriginal = false;
    int64_t m_loopA = 0;
    int64_t m_loopB = 0;
    std::atomic<int64_t> m_position{0};
    std::vector<float> m_scratch; // interleaved mix of one block (audio thread only, under m_mutex)
    // The block's sources and gains, kept like m_scratch so the audio thread does not allocate:
    // the heap is one arena shared with a separation (common/heap.h).
    std::vector<std::pair<const audio::AudioBuffer*, float>> m_sources;
};

} // namespace stemdeck::preview
