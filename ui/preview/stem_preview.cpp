#include "stem_preview.h"

#include "audio/decode.h"
#include "audio/export.h"
#include "audio/resample.h"
#include "common/error.h"

#include <QAudioDevice>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QMediaDevices>

#include <algorithm>
#include <cmath>

namespace stemdeck::preview {

namespace {

std::filesystem::path toPath(const QString& s) { return std::filesystem::path(s.toStdString()); }

QString audioBytesText(qint64 bytes) { return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 0) + QStringLiteral(" MiB"); }

} // namespace

struct StemPreview::Loaded {
    quint64 generation = 0;
    std::vector<StemTrack> stems;
    std::shared_ptr<const audio::AudioBuffer> original;
    std::vector<PeakPyramid> peaks;
    PeakPyramid originalPeaks;
    qint64 bytes = 0;
    QString error;
};

StemPreview::StemPreview(QObject* parent) : QAbstractListModel(parent) {
    m_pool.setMaxThreadCount(1); // one load or export at a time per open job
    m_positionTimer.setInterval(33);
    connect(&m_positionTimer, &QTimer::timeout, this, &StemPreview::positionChanged);
    m_mixer.open(QIODevice::ReadOnly | QIODevice::Unbuffered); // a seek must not wait behind a buffer
    // Installing a translator sends LanguageChange to the application object only.
    if (QCoreApplication::instance())
        QCoreApplication::instance()->installEventFilter(this);
}

bool StemPreview::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::LanguageChange && watched == QCoreApplication::instance()
        && !m_audioAvailable && m_audioMessageSource) {
        m_audioMessage = m_audioMessageSource();
        Q_EMIT audioChanged();
    }
    return QAbstractListModel::eventFilter(watched, event);
}

StemPreview::~StemPreview() {
    if (m_sink) m_sink->stop();
    m_pool.waitForDone();
}

int StemPreview::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_peaks.size());
}

QVariant StemPreview::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const int row = index.row();
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return m_mixer.stemName(row);
    case MutedRole: return m_mixer.isMuted(row);
    case SoloRole: return m_mixer.isSolo(row);
    case VolumeRole: return double(m_mixer.gain(row));
    case AudibleRole: return m_mixer.isAudible(row);
    default: return {};
    }
}

QHash<int, QByteArray> StemPreview::roleNames() const {
    return {{NameRole, "name"}, {MutedRole, "muted"}, {SoloRole, "solo"}, {VolumeRole, "volume"}, {AudibleRole, "audible"}};
}

void StemPreview::loadFolder(const QString& folder, const QString& original) {
    QDir dir(folder);
    if (!dir.exists()) {
        m_status = Status::Error;
        m_error = tr("The stem folder %1 does not exist.").arg(QDir::toNativeSeparators(folder));
        Q_EMIT statusChanged();
        return;
    }
    const QStringList names = dir.entryList({QStringLiteral("*.wav"), QStringLiteral("*.flac"), QStringLiteral("*.ogg"),
                                             QStringLiteral("*.mp3"), QStringLiteral("*.aiff"), QStringLiteral("*.aif")},
                                            QDir::Files, QDir::Name);
    QStringList files;
    for (const QString& n : names) files << dir.filePath(n);
    if (files.isEmpty()) {
        m_status = Status::Error;
        m_error = tr("The folder %1 holds no audio files.").arg(QDir::toNativeSeparators(folder));
        Q_EMIT statusChanged();
        return;
    }
    loadFiles(files, original);
}

void StemPreview::loadFiles(const QStringList& stems, const QString& original) {
    pause();
    startLoad(stems, original);
}

void StemPreview::startLoad(const QStringList& stemFiles, const QString& originalFile) {
    const quint64 generation = ++m_loadGeneration;
    m_status = Status::Loading;
    m_error.clear();
    Q_EMIT statusChanged();
    const qint64 limit = m_memoryLimit;
    m_pool.start([this, generation, stemFiles, originalFile, limit] {
        auto loaded = std::make_shared<Loaded>();
        loaded->generation = generation;
        try {
            if (stemFiles.isEmpty()) throw Error(ErrorCode::InvalidArgument, "No stem files were given.");
            // The headers first: a job whose stems cannot fit is refused before anything is
            // decoded (a 60-minute file used to be decoded whole, then refused), and an original
            // that does not fit beside them is left out (no A/B) instead of refusing the stems.
            int headerRate = 0;
            auto planned = [&headerRate](const QString& file) {
                audio::AudioReader reader;
                reader.open(toPath(file));
                const audio::SourceInfo& info = reader.info();
                if (headerRate == 0) headerRate = info.sampleRate;
                const double frames = info.sampleRate > 0 ? double(info.frames) * headerRate / info.sampleRate : 0.0;
                return qint64(frames * info.channels * sizeof(float) + frames / 16);
            };
            qint64 stemBytes = 0;
            for (const QString& f : stemFiles) {
                stemBytes += planned(f);
                if (stemBytes > limit)
                    throw Error(ErrorCode::InvalidArgument,
                                QStringLiteral("%1 is too long to preview: the job needs more than %2 of memory.")
                                    .arg(f, audioBytesText(limit))
                                    .toStdString());
            }
            const bool withOriginal = !originalFile.isEmpty() && stemBytes + planned(originalFile) <= limit;
            int rate = 0;
            auto load = [&](const QString& file) {
                audio::Decoded d = audio::decodeFile(toPath(file));
                if (rate == 0) rate = d.audio.sampleRate;
                // A stem written at the model's rate next to an original at its own: play both at one rate.
                if (d.audio.sampleRate != rate) d.audio = audio::resample(d.audio, rate);
                loaded->bytes += qint64(d.audio.samples.size() * sizeof(float)) + d.audio.frames / 16;
                if (loaded->bytes > limit)
                    throw Error(ErrorCode::InvalidArgument,
                                QStringLiteral("%1 is too long to preview: the job needs more than %2 of memory.")
                                    .arg(file, audioBytesText(limit))
                                    .toStdString());
                return std::make_shared<const audio::AudioBuffer>(std::move(d.audio));
            };
            for (const QString& f : stemFiles) {
                StemTrack t;
                t.name = QFileInfo(f).completeBaseName();
                t.audio = load(f);
                loaded->peaks.push_back(PeakPyramid::build(*t.audio));
                loaded->stems.push_back(std::move(t));
            }
            if (withOriginal) {
                loaded->original = load(originalFile);
                loaded->originalPeaks = PeakPyramid::build(*loaded->original);
            }
        } catch (const Error& e) {
            loaded->error = QString::fromStdString(e.what());
        } catch (const std::exception& e) {
            loaded->error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(this, [this, loaded] { applyLoaded(loaded); }, Qt::QueuedConnection);
    });
}

void StemPreview::applyLoaded(std::shared_ptr<Loaded> loaded) {
    if (loaded->generation != m_loadGeneration) return; // a newer load replaced this one
    if (!loaded->error.isEmpty()) {
        m_status = Status::Error;
        m_error = loaded->error;
        Q_EMIT statusChanged();
        return;
    }
    m_seekFrame = -1; // the last seek was in the material before
    // New material may have another rate or channel count: the next play() negotiates a new sink.
    setPlaying(false);
    if (m_sink) {
        m_sink->stop();
        m_sink.reset();
    }
    beginResetModel();
    m_mixer.setTracks(std::move(loaded->stems), loaded->original);
    m_peaks = std::move(loaded->peaks);
    m_originalPeaks = std::move(loaded->originalPeaks);
    m_memoryBytes = loaded->bytes;
    endResetModel();
    m_status = Status::Ready;
    Q_EMIT statusChanged();
    Q_EMIT peaksChanged();
    Q_EMIT loopChanged();
    Q_EMIT playOriginalChanged();
    Q_EMIT positionChanged();
}

bool StemPreview::waitForIdle(int timeoutMs) {
    const bool done = m_pool.waitForDone(timeoutMs);
    QCoreApplication::sendPostedEvents(this);
    return done;
}

void StemPreview::setAudioUnavailable(std::function<QString()> source) {
    const QString message = source();
    m_audioMessageSource = std::move(source);
    if (!m_audioAvailable && m_audioMessage == message) return;
    m_audioAvailable = false;
    m_audioMessage = message;
    Q_EMIT audioChanged();
}

bool StemPreview::ensureSink() {
    if (m_sink) return true;
    const QAudioDevice device = QMediaDevices::defaultAudioOutput();
    if (device.isNull()) {
        setAudioUnavailable([] {
            return tr("No audio output device was found, so playback is off. Waveforms, mute and solo, "
                      "and export still work.");
        });
        return false;
    }
    // The stems' rate and channels in float, then 16-bit, then stereo and mono variants.
    const QAudioFormat preferred = m_mixer.preferredFormat();
    std::vector<QAudioFormat> candidates;
    for (int channels : {preferred.channelCount(), 2, 1}) {
        for (QAudioFormat::SampleFormat sf : {QAudioFormat::Float, QAudioFormat::Int16}) {
            QAudioFormat f = preferred;
            f.setChannelCount(channels);
            f.setSampleFormat(sf);
            candidates.push_back(f);
        }
    }
    auto chosen = std::find_if(candidates.begin(), candidates.end(),
                               [&](const QAudioFormat& f) { return device.isFormatSupported(f); });
    if (chosen == candidates.end()) {
        setAudioUnavailable([name = device.description(), rate = preferred.sampleRate()] {
            return tr("The audio device %1 cannot play %2 Hz audio, so playback is off.").arg(name).arg(rate);
        });
        return false;
    }
    m_mixer.setOutputFormat(*chosen);
    m_sink = std::make_unique<QAudioSink>(device, *chosen);
    connect(m_sink.get(), &QAudioSink::stateChanged, this, [this](QAudio::State state) {
        if (m_sink->error() == QAudio::OpenError || m_sink->error() == QAudio::FatalError) {
            setAudioUnavailable([] {
                return tr("The audio device could not be opened, so playback is off. Waveforms, mute "
                          "and solo, and export still work.");
            });
            setPlaying(false);
            return;
        }
        if (state == QAudio::IdleState && m_mixer.atEnd()) setPlaying(false);
    });
    if (!m_audioAvailable) {
        m_audioAvailable = true;
        m_audioMessage.clear();
        Q_EMIT audioChanged();
    }
    return true;
}

void StemPreview::setPlaying(bool playing) {
    if (m_playing == playing) return;
    m_playing = playing;
    if (playing) m_positionTimer.start();
    else m_positionTimer.stop();
    Q_EMIT playingChanged();
    Q_EMIT positionChanged();
}

void StemPreview::play() {
    if (m_status != Status::Ready || m_playing) return;
    if (m_mixer.atEnd()) m_mixer.seek(0);
    if (!ensureSink()) return;
    if (m_sink->state() == QAudio::SuspendedState) m_sink->resume();
    else m_sink->start(&m_mixer);
    if (m_sink->error() != QAudio::NoError) {
        setAudioUnavailable([] {
            return tr("The audio device could not be opened, so playback is off. Waveforms, mute and "
                      "solo, and export still work.");
        });
        return;
    }
    setPlaying(true);
}

void StemPreview::pause() {
    if (!m_playing) return;
    if (m_sink) m_sink->suspend();
    setPlaying(false);
}

void StemPreview::togglePlayback() {
    if (m_playing) pause();
    else play();
}

int64_t StemPreview::audibleFrame(int64_t readFrame, int64_t bufferedFrames, int64_t seekFrame, int64_t loopA,
                                  int64_t loopB) {
    int64_t frame = readFrame - std::max<int64_t>(0, bufferedFrames);
    // A jump (a seek, or a loop set around a place before it) first: what is queued from before
    // it plays first, and a jump into a loop is not a wrap.
    if (seekFrame >= 0 && frame < seekFrame && readFrame >= seekFrame) return seekFrame;
    const bool inLoop = loopB > loopA && readFrame >= loopA && readFrame <= loopB;
    if (inLoop && frame < loopA) frame += loopB - loopA; // the loop wrapped inside the buffer
    return std::max<int64_t>(0, frame);
}

double StemPreview::position() const {
    const int rate = m_mixer.sampleRate();
    if (rate <= 0) return 0.0;
    const int64_t read = m_mixer.positionFrames();
    int64_t buffered = 0;
    // Suspended (paused) keeps its buffer too, and plays it first when resumed.
    if (m_sink && (m_playing || m_sink->state() == QAudio::SuspendedState)) {
        const int bytesPerFrame = m_sink->format().bytesPerFrame();
        if (bytesPerFrame > 0)
            buffered = std::max<qsizetype>(0, m_sink->bufferSize() - m_sink->bytesFree()) / bytesPerFrame;
    }
    const int64_t frame = audibleFrame(read, buffered, m_seekFrame, m_mixer.loopStart(), m_mixer.loopEnd());
    if (m_seekFrame >= 0 && frame > m_seekFrame) m_seekFrame = -1; // what was queued before it has played
    return double(frame) / rate;
}

double StemPreview::duration() const {
    const int rate = m_mixer.sampleRate();
    return rate > 0 ? double(m_mixer.lengthFrames()) / rate : 0.0;
}

void StemPreview::seek(double seconds) {
    m_mixer.seek(int64_t(std::llround(std::max(0.0, seconds) * m_mixer.sampleRate())));
    m_seekFrame = m_mixer.positionFrames();
    Q_EMIT positionChanged();
}

void StemPreview::setLoop(double a, double b) {
    const int rate = m_mixer.sampleRate();
    if (a > b) std::swap(a, b);
    const int64_t before = m_mixer.positionFrames();
    m_mixer.setLoop(int64_t(std::llround(a * rate)), int64_t(std::llround(b * rate)));
    if (m_mixer.positionFrames() != before) m_seekFrame = m_mixer.positionFrames(); // moved into the loop
    Q_EMIT loopChanged();
    Q_EMIT positionChanged();
}

void StemPreview::setLoopStartAt(double seconds) {
    const double end = looping() && loopEnd() > seconds ? loopEnd() : duration();
    if (seconds < end) setLoop(std::max(0.0, seconds), end);
}

void StemPreview::setLoopEndAt(double seconds) {
    const double start = looping() && loopStart() < seconds ? loopStart() : 0.0;
    if (seconds > start) setLoop(start, std::min(seconds, duration()));
}

void StemPreview::clearLoop() {
    m_mixer.clearLoop();
    Q_EMIT loopChanged();
}

double StemPreview::loopStart() const {
    const int rate = m_mixer.sampleRate();
    return rate > 0 ? double(m_mixer.loopStart()) / rate : 0.0;
}

double StemPreview::loopEnd() const {
    const int rate = m_mixer.sampleRate();
    return rate > 0 ? double(m_mixer.loopEnd()) / rate : 0.0;
}

void StemPreview::setPlayOriginal(bool original) {
    if (original == m_mixer.playOriginal() || (original && !m_mixer.hasOriginal())) return;
    m_mixer.setPlayOriginal(original);
    Q_EMIT playOriginalChanged();
}

void StemPreview::rowChanged(int row) {
    Q_UNUSED(row);
    // A solo changes whether every other stem sounds: refresh all rows (a handful).
    if (rowCount() > 0) Q_EMIT dataChanged(index(0), index(rowCount() - 1));
}

void StemPreview::setMuted(int row, bool muted) {
    if (row < 0 || row >= rowCount()) return;
    m_mixer.setMuted(row, muted);
    rowChanged(row);
}

void StemPreview::setSolo(int row, bool solo) {
    if (row < 0 || row >= rowCount()) return;
    m_mixer.setSolo(row, solo);
    rowChanged(row);
}

void StemPreview::setVolume(int row, double volume) {
    if (row < 0 || row >= rowCount()) return;
    m_mixer.setGain(row, float(volume));
    rowChanged(row);
}

void StemPreview::setMemoryLimit(qint64 bytes) {
    if (bytes <= 0 || bytes == m_memoryLimit) return;
    m_memoryLimit = bytes;
    Q_EMIT memoryLimitChanged();
}

const PeakPyramid* StemPreview::peaks(int track) const {
    if (track < 0) return m_originalPeaks.empty() ? nullptr : &m_originalPeaks;
    return size_t(track) < m_peaks.size() ? &m_peaks[size_t(track)] : nullptr;
}

void StemPreview::exportAudible(const QString& path) {
    if (m_status != Status::Ready || m_exporting) {
        Q_EMIT exportFailed(m_exporting ? tr("An export is already running.") : tr("No stems are loaded."));
        return;
    }
    const QString ext = QFileInfo(path).suffix().toLower();
    std::optional<audio::OutputFormat> format;
    if (ext == QLatin1String("wav")) format = audio::OutputFormat::Wav24;
    else if (ext == QLatin1String("flac")) format = audio::OutputFormat::Flac24;
    else if (ext == QLatin1String("ogg")) format = audio::OutputFormat::Ogg;
    else if (ext == QLatin1String("mp3")) format = audio::OutputFormat::Mp3V0;
    if (!format) {
        Q_EMIT exportFailed(tr("Cannot export to %1: use a .wav, .flac, .ogg or .mp3 name.").arg(path));
        return;
    }
    m_exporting = true;
    Q_EMIT exportingChanged();
    m_pool.start([this, path, format] {
        QString error, note, written;
        try {
            // The mixer state at the moment the export starts; later changes do not leak in.
            const audio::AudioBuffer mix = m_mixer.renderMix();
            audio::ExportOptions options;
            options.format = *format;
            // A mix louder than full scale is lowered as a whole (the note says by how much),
            // not hard-clipped; an existing file is kept and the mix saved as "name (2).wav".
            options.clip = audio::ClipPolicy::Rescale;
            options.overwrite = false;
            options.collision = audio::CollisionPolicy::Rename;
            const audio::ExportResult r = audio::exportAudio(mix, toPath(path), options);
            written = QString::fromStdString(r.path.string());
            note = QString::fromStdString(r.note);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(this, [this, error, note, written] {
            m_exporting = false;
            Q_EMIT exportingChanged();
            if (error.isEmpty()) Q_EMIT exportFinished(written, note);
            else Q_EMIT exportFailed(error);
        }, Qt::QueuedConnection);
    });
}

} // namespace stemdeck::preview
