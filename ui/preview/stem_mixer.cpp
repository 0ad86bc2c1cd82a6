#include "stem_mixer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace stemdeck::preview {

namespace {

// One output channel of a track at one frame. Mono tracks feed every output channel, a mono
// output gets the average of the track's channels, otherwise channels map one to one and output
// channels the track does not have stay silent.
inline float sampleAt(const audio::AudioBuffer& b, int outChannel, int outChannels, int64_t frame) {
    if (frame >= b.frames || b.channels == 0) return 0.0f;
    const float* s = b.samples.data();
    if (b.channels == 1) return s[frame];
    if (outChannels == 1) {
        float sum = 0.0f;
        for (int c = 0; c < b.channels; ++c) sum += s[size_t(c) * size_t(b.frames) + size_t(frame)];
        return sum / float(b.channels);
    }
    if (outChannel >= b.channels) return 0.0f;
    return s[size_t(outChannel) * size_t(b.frames) + size_t(frame)];
}

} // namespace

StemMixer::StemMixer(QObject* parent) : QIODevice(parent) {}

void StemMixer::setTracks(std::vector<StemTrack> stems, std::shared_ptr<const audio::AudioBuffer> original) {
    std::lock_guard lock(m_mutex);
    m_stems = std::move(stems);
    m_params.assign(m_stems.size(), Channel{});
    m_original = std::move(original);
    m_length = 0;
    m_channels = 0;
    m_rate = 0;
    auto take = [&](const std::shared_ptr<const audio::AudioBuffer>& b) {
        if (!b) return;
        m_length = std::max(m_length, b->frames);
        m_channels = std::max(m_channels, b->channels);
        if (m_rate == 0) m_rate = b->sampleRate;
    };
    for (const StemTrack& t : m_stems) take(t.audio);
    take(m_original);
    m_playOriginal = false;
    m_loopA = m_loopB = 0;
    m_position.store(0);
}

int StemMixer::stemCount() const {
    std::lock_guard lock(m_mutex);
    return int(m_stems.size());
}

QString StemMixer::stemName(int stem) const {
    std::lock_guard lock(m_mutex);
    return validStem(stem) ? m_stems[size_t(stem)].name : QString();
}

bool StemMixer::hasOriginal() const {
    std::lock_guard lock(m_mutex);
    return m_original != nullptr;
}

int StemMixer::sampleRate() const {
    std::lock_guard lock(m_mutex);
    return m_rate;
}

int StemMixer::channels() const {
    std::lock_guard lock(m_mutex);
    return m_channels;
}

int64_t StemMixer::lengthFrames() const {
    std::lock_guard lock(m_mutex);
    return m_length;
}

bool StemMixer::isSupported(const QAudioFormat& format) {
    return format.isValid() && format.channelCount() > 0 &&
           (format.sampleFormat() == QAudioFormat::Int16 || format.sampleFormat() == QAudioFormat::Float);
}

bool StemMixer::setOutputFormat(const QAudioFormat& format) {
    if (!isSupported(format)) return false;
    std::lock_guard lock(m_mutex);
    m_format = format;
    return true;
}

QAudioFormat StemMixer::outputFormat() const {
    std::lock_guard lock(m_mutex);
    return m_format;
}

QAudioFormat StemMixer::preferredFormat() const {
    std::lock_guard lock(m_mutex);
    QAudioFormat f;
    f.setSampleRate(m_rate > 0 ? m_rate : 44100);
    f.setChannelCount(m_channels > 0 ? m_channels : 2);
    f.setSampleFormat(QAudioFormat::Float);
    return f;
}

void StemMixer::setMuted(int stem, bool muted) {
    std::lock_guard lock(m_mutex);
    if (validStem(stem)) m_params[size_t(stem)].muted = muted;
}

bool StemMixer::isMuted(int stem) const {
    std::lock_guard lock(m_mutex);
    return validStem(stem) && m_params[size_t(stem)].muted;
}

void StemMixer::setSolo(int stem, bool solo) {
    std::lock_guard lock(m_mutex);
    if (validStem(stem)) m_params[size_t(stem)].solo = solo;
}

bool StemMixer::isSolo(int stem) const {
    std::lock_guard lock(m_mutex);
    return validStem(stem) && m_params[size_t(stem)].solo;
}

void StemMixer::setGain(int stem, float gain) {
    std::lock_guard lock(m_mutex);
    if (validStem(stem)) m_params[size_t(stem)].gain = std::isfinite(gain) ? std::clamp(gain, 0.0f, 4.0f) : 1.0f;
}

float StemMixer::gain(int stem) const {
    std::lock_guard lock(m_mutex);
    return validStem(stem) ? m_params[size_t(stem)].gain : 0.0f;
}

bool StemMixer::isAudible(int stem) const {
    std::lock_guard lock(m_mutex);
    return validStem(stem) && effectiveGainLocked(size_t(stem)) != 0.0f;
}

float StemMixer::effectiveGainLocked(size_t stem) const {
    const bool anySolo = std::any_of(m_params.begin(), m_params.end(), [](const Channel& c) { return c.solo; });
    const Channel& c = m_params[stem];
    const bool on = anySolo ? c.solo : !c.muted;
    return on ? c.gain : 0.0f;
}

void StemMixer::setPlayOriginal(bool original) {
    std::lock_guard lock(m_mutex);
    m_playOriginal = original;
}

bool StemMixer::playOriginal() const {
    std::lock_guard lock(m_mutex);
    return m_playOriginal;
}

void StemMixer::seek(int64_t frame) {
    std::lock_guard lock(m_mutex);
    m_position.store(std::clamp<int64_t>(frame, 0, m_length));
}

double StemMixer::positionSeconds() const {
    std::lock_guard lock(m_mutex);
    return m_rate > 0 ? double(m_position.load()) / m_rate : 0.0;
}

void StemMixer::setLoop(int64_t a, int64_t b) {
    std::lock_guard lock(m_mutex);
    a = std::clamp<int64_t>(a, 0, m_length);
    b = std::clamp<int64_t>(b, 0, m_length);
    if (b <= a) {
        m_loopA = m_loopB = 0;
        return;
    }
    m_loopA = a;
    m_loopB = b;
    const int64_t pos = m_position.load();
    if (pos < a || pos >= b) m_position.store(a);
}

void StemMixer::clearLoop() {
    std::lock_guard lock(m_mutex);
    m_loopA = m_loopB = 0;
}

bool StemMixer::looping() const {
    std::lock_guard lock(m_mutex);
    return m_loopB > m_loopA;
}

int64_t StemMixer::loopStart() const {
    std::lock_guard lock(m_mutex);
    return m_loopA;
}

int64_t StemMixer::loopEnd() const {
    std::lock_guard lock(m_mutex);
    return m_loopB;
}

bool StemMixer::atEnd() const {
    std::lock_guard lock(m_mutex);
    return m_loopB <= m_loopA && m_position.load() >= m_length;
}

int StemMixer::bytesPerFrameLocked() const {
    return m_format.isValid() ? m_format.bytesPerFrame() : 0;
}

qint64 StemMixer::bytesAvailable() const {
    std::lock_guard lock(m_mutex);
    const int bpf = bytesPerFrameLocked();
    if (bpf == 0) return 0;
    // A loop never ends; report a generous block so the sink keeps pulling.
    const int64_t frames = m_loopB > m_loopA ? std::max<int64_t>(m_rate, 1) : m_length - m_position.load();
    return qint64(std::max<int64_t>(frames, 0)) * bpf + QIODevice::bytesAvailable();
}

qint64 StemMixer::readData(char* data, qint64 maxSize) {
    std::lock_guard lock(m_mutex);
    const int bpf = bytesPerFrameLocked();
    if (bpf == 0 || maxSize < bpf) return 0;
    const int outCh = m_format.channelCount();
    const bool looping = m_loopB > m_loopA;
    int64_t pos = m_position.load();
    if (looping && (pos < m_loopA || pos >= m_loopB)) pos = m_loopA;

    int64_t want = maxSize / bpf;
    if (!looping) want = std::min<int64_t>(want, m_length - pos);
    if (want <= 0) {
        m_position.store(std::min(pos, m_length));
        return 0;
    }

    m_scratch.assign(size_t(want) * size_t(outCh), 0.0f);
    std::vector<std::pair<const audio::AudioBuffer*, float>>& sources = m_sources;
    sources.clear(); // keeps its capacity
    if (m_playOriginal) {
        if (m_original) sources.emplace_back(m_original.get(), 1.0f);
    } else {
        for (size_t i = 0; i < m_stems.size(); ++i) {
            const float g = effectiveGainLocked(i);
            if (g != 0.0f && m_stems[i].audio) sources.emplace_back(m_stems[i].audio.get(), g);
        }
    }

    // Fill in runs that end at the loop end, so a loop shorter than one block repeats within it.
    int64_t done = 0;
    while (done < want) {
        const int64_t runEnd = looping ? m_loopB : m_length;
        const int64_t run = std::min<int64_t>(want - done, runEnd - pos);
        for (const auto& [buf, g] : sources) {
            for (int64_t f = 0; f < run; ++f) {
                float* out = m_scratch.data() + size_t(done + f) * size_t(outCh);
                for (int o = 0; o < outCh; ++o) out[o] += g * sampleAt(*buf, o, outCh, pos + f);
            }
        }
        done += run;
        pos += run;
        if (looping && pos >= m_loopB) pos = m_loopA;
        if (!looping) break;
    }
    m_position.store(pos);

    const size_t n = size_t(done) * size_t(outCh);
    if (m_format.sampleFormat() == QAudioFormat::Float) {
        std::memcpy(data, m_scratch.data(), n * sizeof(float));
    } else {
        auto* out = reinterpret_cast<qint16*>(data);
        for (size_t i = 0; i < n; ++i) {
            const float v = std::clamp(m_scratch[i], -1.0f, 1.0f);
            out[i] = qint16(std::lround(v * 32767.0f));
        }
    }
    return qint64(done) * bpf;
}

qint64 StemMixer::writeData(const char*, qint64) {
    return -1; // read-only
}

audio::AudioBuffer StemMixer::renderMix() const {
    // Snapshot under the lock, render outside it: a long track must not stall the audio thread.
    std::vector<std::pair<std::shared_ptr<const audio::AudioBuffer>, float>> sources;
    int channels = 1, rate = 0;
    int64_t length = 0;
    {
        std::lock_guard lock(m_mutex);
        for (size_t i = 0; i < m_stems.size(); ++i) {
            const float g = effectiveGainLocked(i);
            if (g != 0.0f && m_stems[i].audio) sources.emplace_back(m_stems[i].audio, g);
        }
        channels = std::max(m_channels, 1);
        rate = m_rate;
        length = m_length;
    }
    audio::AudioBuffer out = audio::AudioBuffer::zeros(channels, length, rate);
    for (const auto& [b, g] : sources) {
        for (int c = 0; c < out.channels; ++c) {
            float* dst = out.channel(c).data();
            for (int64_t f = 0; f < b->frames; ++f) dst[f] += g * sampleAt(*b, c, out.channels, f);
        }
    }
    return out;
}

} // namespace stemdeck::preview
