#include "audio/export.h"

#include "audio/buffer_ops.h"
#include "common/error.h"
#include "common/log.h"

#include <sndfile.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <mutex>
#include <random>
#include <set>
#include <system_error>
#include <vector>

namespace stemdeck::audio {

namespace fs = std::filesystem;

namespace {

std::string quoted(const fs::path& p) {
    return "\"" + p.string() + "\"";
}

fs::path folderOf(const fs::path& target) {
    fs::path parent = target.parent_path();
    return parent.empty() ? fs::path(".") : parent;
}

// Temporaries of exports running in this process: cleanupStaleTemporaries() must not remove them.
// Keyed by file name (unique: pid + random tag), so "./out" and "out" name the same file.
std::mutex g_activeMutex;
std::set<std::string> g_active;

void registerActive(const fs::path& p) {
    std::lock_guard lock(g_activeMutex);
    g_active.insert(p.filename().string());
}
void unregisterActive(const fs::path& p) {
    std::lock_guard lock(g_activeMutex);
    g_active.erase(p.filename().string());
}
bool isActive(const fs::path& p) {
    std::lock_guard lock(g_activeMutex);
    return g_active.count(p.filename().string()) > 0;
}

// Plain-language error for an errno at a stage; the message names the folder or file.
[[noreturn]] void throwIo(int err, ExportStage stage, const fs::path& target) {
    const fs::path folder = folderOf(target);
    const std::string detail = std::string(exportStageName(stage)) + ": " + std::strerror(err);
    switch (err) {
    case EROFS:
        throw Error(ErrorCode::DestinationReadOnly,
                    "Cannot save " + quoted(target.filename()) + ": the folder " + quoted(folder) +
                        " is on a read-only drive. Choose another output folder.",
                    detail);
    case EACCES:
    case EPERM:
        throw Error(ErrorCode::DestinationReadOnly,
                    "Cannot save " + quoted(target.filename()) + ": the folder " + quoted(folder) +
                        " is read-only (you do not have permission to write there). Choose another "
                        "output folder.",
                    detail);
    case ENOSPC:
    case EDQUOT:
        throw Error(ErrorCode::DestinationFull,
                    "Cannot save " + quoted(target.filename()) + ": the drive of the folder " +
                        quoted(folder) +
                        " is full. Free some space or choose another output folder.",
                    detail);
    case EFBIG:
        throw Error(ErrorCode::WriteFailed,
                    "Cannot save " + quoted(target.filename()) + " in " + quoted(folder) +
                        ": the file is larger than that drive's file system, or this session's file size limit "
                        "(ulimit -f), allows.",
                    detail);
    case EEXIST:
        throw Error(ErrorCode::DestinationExists,
                    "Cannot save " + quoted(target) +
                        ": a file with that name already exists (use --overwrite to replace it).",
                    detail);
    default:
        throw Error(ErrorCode::WriteFailed,
                    "Cannot save " + quoted(target.filename()) + " in " + quoted(folder) + ": " +
                        std::strerror(err) + ".",
                    detail);
    }
}

std::string randomTag() {
    static std::mutex m;
    static std::mt19937_64 rng{std::random_device{}()};
    std::lock_guard lock(m);
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(rng()));
    return text;
}

fs::path temporaryFor(const fs::path& target) {
    std::string name = target.filename().string();
    if (name.size() > 120)
        name = name.substr(name.size() - 120); // keep within NAME_MAX
    return folderOf(target) / (std::string(kTemporaryPrefix) + std::to_string(::getpid()) + "-" +
                               randomTag() + "-" + name);
}

fs::path candidateName(const fs::path& target, int n) {
    if (n <= 1)
        return target;
    return target.parent_path() /
           (target.stem().string() + " (" + std::to_string(n) + ")" + target.extension().string());
}

int sndfileFormat(OutputFormat f) {
    switch (f) {
    case OutputFormat::Wav16:
        return SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    case OutputFormat::Wav24:
        return SF_FORMAT_WAV | SF_FORMAT_PCM_24;
    case OutputFormat::Wav32f:
        return SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    case OutputFormat::Flac16:
        return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    case OutputFormat::Flac24:
        return SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
    case OutputFormat::Mp3V0:
    case OutputFormat::Mp3Cbr320:
        return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
    case OutputFormat::Ogg:
        return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
    }
    return SF_FORMAT_WAV | SF_FORMAT_PCM_24;
}

void checkFormatFits(OutputFormat f, int channels, int sampleRate, const fs::path& target) {
    const std::string what =
        std::string("Cannot save ") + quoted(target.filename()) + " as " + formatDescription(f);
    if (channels < 1 || sampleRate <= 0)
        throw Error(ErrorCode::InvalidArgument, what + ": " + std::to_string(channels) +
                                                    " channels at " + std::to_string(sampleRate) +
                                                    " Hz is not valid audio");
    if (f == OutputFormat::Mp3V0 || f == OutputFormat::Mp3Cbr320) {
        static constexpr int rates[] = {8000,  11025, 12000, 16000, 22050,
                                        24000, 32000, 44100, 48000};
        if (std::find(std::begin(rates), std::end(rates), sampleRate) == std::end(rates))
            throw Error(ErrorCode::UnsupportedFormat,
                        what +
                            ": MP3 supports sample rates up to 48000 Hz (8000, 11025, 12000, "
                            "16000, 22050, 24000, "
                            "32000, 44100, 48000), not " +
                            std::to_string(sampleRate) + " Hz. Choose WAV, FLAC or Ogg.");
        if (channels > 2)
            throw Error(ErrorCode::UnsupportedFormat,
                        what + ": MP3 holds at most 2 channels, not " + std::to_string(channels));
    }
    if ((f == OutputFormat::Flac16 || f == OutputFormat::Flac24) &&
        (channels > 8 || sampleRate > 655350))
        throw Error(ErrorCode::UnsupportedFormat,
                    what + ": FLAC holds at most 8 channels up to 655350 Hz");
    if (f == OutputFormat::Ogg && (sampleRate < 1000 || sampleRate > 200000))
        throw Error(ErrorCode::UnsupportedFormat,
                    what + ": Ogg Vorbis does not support " + std::to_string(sampleRate) + " Hz");
}

// libsndfile writes through these callbacks so every byte goes through ExportFileSystem and the
// first errno is kept: libsndfile itself only logs short writes of some codecs (MP3) and moves on.
struct VirtualFile {
    ExportFileSystem* fs = nullptr;
    int fd = -1;
    int error = 0;
    ExportStage errorStage = ExportStage::Write;
    bool dropWrites = false; // while aborting: the file is going away
};

sf_count_t vGetLength(void* user) {
    auto* v = static_cast<VirtualFile*>(user);
    struct stat st {};
    return ::fstat(v->fd, &st) == 0 ? static_cast<sf_count_t>(st.st_size) : -1;
}
sf_count_t vSeek(sf_count_t offset, int whence, void* user) {
    auto* v = static_cast<VirtualFile*>(user);
    return ::lseek(v->fd, static_cast<off_t>(offset), whence);
}
sf_count_t vRead(void* ptr, sf_count_t count, void* user) {
    auto* v = static_cast<VirtualFile*>(user);
    const ssize_t n = ::read(v->fd, ptr, static_cast<size_t>(count));
    return n < 0 ? 0 : n;
}
sf_count_t vWrite(const void* ptr, sf_count_t count, void* user) {
    auto* v = static_cast<VirtualFile*>(user);
    if (v->dropWrites || v->error)
        return v->dropWrites ? count : 0;
    size_t written = 0;
    const int err = v->fs->write(v->fd, ptr, static_cast<size_t>(count), written);
    if (err) {
        v->error = err;
        v->errorStage = ExportStage::Write;
    }
    return static_cast<sf_count_t>(written);
}
sf_count_t vTell(void* user) {
    auto* v = static_cast<VirtualFile*>(user);
    return ::lseek(v->fd, 0, SEEK_CUR);
}

} // namespace

const char* exportStageName(ExportStage stage) {
    switch (stage) {
    case ExportStage::CreateFolder:
        return "create folder";
    case ExportStage::CreateTemporary:
        return "create temporary file";
    case ExportStage::Write:
        return "write";
    case ExportStage::Sync:
        return "sync";
    case ExportStage::Publish:
        return "rename into place";
    }
    return "export";
}

// ---- ExportFileSystem: POSIX ------------------------------------------------------------------

int ExportFileSystem::createDirectories(const fs::path& folder) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec)
        return ec.value();
    return fs::is_directory(folder, ec) ? 0 : ENOTDIR;
}

int ExportFileSystem::createTemporary(const fs::path& path, int& fd) {
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    return fd < 0 ? errno : 0;
}

int ExportFileSystem::write(int fd, const void* data, size_t size, size_t& written) {
    written = 0;
    const char* p = static_cast<const char*>(data);
    while (written < size) {
        const ssize_t n = ::write(fd, p + written, size - written);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (n == 0)
            return EIO;
        written += static_cast<size_t>(n);
    }
    return 0;
}

int ExportFileSystem::sync(int fd) {
    return ::fsync(fd) == 0 ? 0 : errno;
}

int ExportFileSystem::close(int fd) {
    return ::close(fd) == 0 ? 0 : errno;
}

int ExportFileSystem::publish(const fs::path& temporary, const fs::path& target, bool replace) {
    if (replace)
        return ::rename(temporary.c_str(), target.c_str()) == 0 ? 0 : errno;
    if (::renameat2(AT_FDCWD, temporary.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0)
        return 0;
    const int err = errno;
    if (err != EINVAL && err != ENOSYS && err != ENOTSUP)
        return err;
    // File systems without RENAME_NOREPLACE: link() fails with EEXIST just as atomically.
    if (::link(temporary.c_str(), target.c_str()) != 0)
        return errno;
    ::unlink(temporary.c_str());
    return 0;
}

int ExportFileSystem::remove(const fs::path& path) {
    return ::unlink(path.c_str()) == 0 ? 0 : errno;
}

void ExportFileSystem::syncFolder(const fs::path& folder) {
    const int dfd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return;
    ::fsync(dfd);
    ::close(dfd);
}

const std::shared_ptr<ExportFileSystem>& ExportFileSystem::system() {
    static const std::shared_ptr<ExportFileSystem> instance = std::make_shared<ExportFileSystem>();
    return instance;
}

// ---- WriteFaultInjector -------------------------------------------------------------------------

bool WriteFaultInjector::fails(ExportStage stage) {
    if (stage != m_stage)
        return false;
    m_triggered = true;
    return true;
}

int WriteFaultInjector::createDirectories(const fs::path& folder) {
    return fails(ExportStage::CreateFolder) ? m_error : ExportFileSystem::createDirectories(folder);
}

int WriteFaultInjector::createTemporary(const fs::path& path, int& fd) {
    fd = -1;
    return fails(ExportStage::CreateTemporary) ? m_error
                                               : ExportFileSystem::createTemporary(path, fd);
}

int WriteFaultInjector::write(int fd, const void* data, size_t size, size_t& written) {
    written = 0;
    if (m_stage == ExportStage::Write && m_written + static_cast<int64_t>(size) > m_afterBytes) {
        // Write what still fits, as a filling disk does, then fail.
        const size_t fits = static_cast<size_t>(std::max<int64_t>(m_afterBytes - m_written, 0));
        if (fits > 0)
            ExportFileSystem::write(fd, data, fits, written);
        m_written += static_cast<int64_t>(written);
        m_triggered = true;
        return m_error;
    }
    const int err = ExportFileSystem::write(fd, data, size, written);
    m_written += static_cast<int64_t>(written);
    return err;
}

int WriteFaultInjector::sync(int fd) {
    return fails(ExportStage::Sync) ? m_error : ExportFileSystem::sync(fd);
}

int WriteFaultInjector::publish(const fs::path& temporary, const fs::path& target, bool replace) {
    return fails(ExportStage::Publish) ? m_error
                                       : ExportFileSystem::publish(temporary, target, replace);
}

// ---- StreamingExporter --------------------------------------------------------------------------

struct StreamingExporter::Impl {
    std::shared_ptr<ExportFileSystem> fs;
    ExportOptions options;
    fs::path target;
    fs::path temporary;
    int channels = 0;
    int sampleRate = 0;
    VirtualFile vfile;
    SNDFILE* sndfile = nullptr;
    bool active = false;
    float peak = 0.0f;
    float gain = 1.0f; // exportAudio's Rescale
    bool rescaled = false;
    int64_t clamped = 0;
    int64_t frames = 0;
    std::vector<float> interleaved;

    void release(bool removeTemporary) {
        if (sndfile) {
            vfile.dropWrites = true;
            sf_close(sndfile);
            sndfile = nullptr;
        }
        if (vfile.fd >= 0) {
            fs->close(vfile.fd);
            vfile.fd = -1;
        }
        if (removeTemporary && !temporary.empty()) {
            const int err = fs->remove(temporary);
            if (err && err != ENOENT) {
                SD_LOG(log::audio, Warning) << "could not remove temporary file "
                                            << temporary.string() << ": " << std::strerror(err);
            }
        }
        if (!temporary.empty())
            unregisterActive(temporary);
        active = false;
    }
};

StreamingExporter::StreamingExporter() : m_impl(std::make_unique<Impl>()) {}

StreamingExporter::~StreamingExporter() {
    if (m_impl && m_impl->active)
        abort();
}

bool StreamingExporter::active() const {
    return m_impl->active;
}
const fs::path& StreamingExporter::temporaryPath() const {
    return m_impl->temporary;
}

void StreamingExporter::abort() {
    if (m_impl->active)
        m_impl->release(true);
}

void StreamingExporter::begin(const fs::path& target, int channels, int sampleRate,
                              const ExportOptions& options) {
    if (m_impl->active)
        abort();
    *m_impl = Impl{};
    Impl& d = *m_impl;
    if (target.filename().empty() || target.filename() == "." || target.filename() == "..")
        throw Error(ErrorCode::InvalidArgument,
                    "Cannot export to " + quoted(target) + ": it does not name a file");
    if (options.clip == ClipPolicy::Rescale && formatCanClip(options.format))
        throw Error(ErrorCode::InvalidArgument,
                    "Cannot rescale while streaming " + quoted(target.filename()) +
                        ": rescaling needs the whole stem's peak first. Use clamp, none or refuse "
                        "when streaming.");
    checkFormatFits(options.format, channels, sampleRate, target);

    d.fs = options.fileSystem ? options.fileSystem : ExportFileSystem::system();
    d.options = options;
    d.target = target;
    d.channels = channels;
    d.sampleRate = sampleRate;

    const fs::path folder = folderOf(target);
    if (int err = d.fs->createDirectories(folder)) {
        if (err == ENOTDIR || err == EEXIST)
            throw Error(ErrorCode::WriteFailed,
                        "Cannot create the output folder " + quoted(folder) +
                            ": a file with that name is in the way.",
                        std::strerror(err));
        throwIo(err, ExportStage::CreateFolder, target);
    }
    std::error_code ec;
    if (!options.overwrite && options.collision == CollisionPolicy::Refuse &&
        fs::exists(fs::symlink_status(target, ec)))
        throwIo(EEXIST, ExportStage::Publish, target);
    if (options.overwrite && fs::is_directory(target, ec))
        throw Error(ErrorCode::DestinationExists,
                    "Cannot save " + quoted(target) + ": a folder with that name is in the way.");

    d.temporary = temporaryFor(target);
    int fd = -1;
    if (int err = d.fs->createTemporary(d.temporary, fd)) {
        d.temporary.clear();
        throwIo(err, ExportStage::CreateTemporary, target);
    }
    registerActive(d.temporary);
    d.active = true;
    d.vfile.fs = d.fs.get();
    d.vfile.fd = fd;

    SF_INFO info{};
    info.samplerate = sampleRate;
    info.channels = channels;
    info.format = sndfileFormat(options.format);
    if (wavNeedsRf64(options.format, channels, options.expectedFrames))
        info.format = SF_FORMAT_RF64 | (info.format & SF_FORMAT_SUBMASK);
    if (!sf_format_check(&info)) {
        d.release(true);
        throw Error(ErrorCode::UnsupportedFormat,
                    "Cannot save " + quoted(target.filename()) + " as " +
                        formatDescription(options.format) + " with " + std::to_string(channels) +
                        " channels at " + std::to_string(sampleRate) + " Hz");
    }
    SF_VIRTUAL_IO io{vGetLength, vSeek, vRead, vWrite, vTell};
    d.sndfile = sf_open_virtual(&io, SFM_WRITE, &info, &d.vfile);
    if (!d.sndfile || d.vfile.error) {
        const std::string why = sf_strerror(d.sndfile);
        const int err = d.vfile.error;
        d.release(true);
        if (err)
            throwIo(err, ExportStage::Write, target);
        throw Error(ErrorCode::UnsupportedFormat,
                    "Cannot save " + quoted(target.filename()) + " as " +
                        formatDescription(options.format) + ": " + why,
                    why);
    }
    // Integer formats saturate at full scale instead of wrapping around (ClipPolicy::None).
    sf_command(d.sndfile, SFC_SET_CLIPPING, nullptr, SF_TRUE);
    if (options.format == OutputFormat::Mp3V0 || options.format == OutputFormat::Mp3Cbr320) {
        int mode = options.format == OutputFormat::Mp3V0 ? SF_BITRATE_MODE_VARIABLE
                                                         : SF_BITRATE_MODE_CONSTANT;
        double level = 0.0; // VBR: LAME quality 0 (V0); CBR: the highest bitrate (320 kbps at 32
                            // kHz and above)
        // Level first: setting the mode re-applies the stored level in the new mode's terms.
        if (!sf_command(d.sndfile, SFC_SET_COMPRESSION_LEVEL, &level, sizeof level) ||
            !sf_command(d.sndfile, SFC_SET_BITRATE_MODE, &mode, sizeof mode)) {
            const std::string why = sf_strerror(d.sndfile);
            d.release(true);
            throw Error(
                ErrorCode::UnsupportedFormat,
                "Cannot set up the MP3 encoder for " + quoted(target.filename()) + ": " + why, why);
        }
    } else if (options.format == OutputFormat::Ogg) {
        double level =
            0.3; // libsndfile maps this to Vorbis quality 0.7 (about 224 kbps for stereo)
        sf_command(d.sndfile, SFC_SET_COMPRESSION_LEVEL, &level, sizeof level);
    } else if (options.format == OutputFormat::Flac16 || options.format == OutputFormat::Flac24) {
        double level = 0.625; // FLAC -5, the reference encoder's default
        sf_command(d.sndfile, SFC_SET_COMPRESSION_LEVEL, &level, sizeof level);
    }
}

void StreamingExporter::write(const AudioBuffer& block) {
    writeFrames(block, 0, block.frames);
}

void StreamingExporter::writeFrames(const AudioBuffer& source, int64_t offset, int64_t frames) {
    Impl& d = *m_impl;
    if (!d.active)
        throw Error(ErrorCode::InvalidArgument, "StreamingExporter::write called without begin()");
    if (source.channels != d.channels) {
        abort();
        throw Error(ErrorCode::InvalidArgument,
                    "Cannot export " + quoted(d.target.filename()) + ": a block has " +
                        std::to_string(source.channels) + " channels, the file " +
                        std::to_string(d.channels));
    }
    if (frames <= 0)
        return;
    const bool canClip = formatCanClip(d.options.format);
    constexpr int64_t kChunk = 16384;
    for (int64_t start = offset; start < offset + frames; start += kChunk) {
        const int64_t n = std::min(kChunk, offset + frames - start);
        d.interleaved.resize(static_cast<size_t>(n) * static_cast<size_t>(d.channels));
        float chunkPeak = 0.0f;
        bool finite = true;
        for (int c = 0; c < d.channels; ++c) {
            const float* src = source.channel(c).data() + start;
            finite = finite && allFinite(src, static_cast<size_t>(n));
            chunkPeak = std::max(chunkPeak, peakAbs(src, static_cast<size_t>(n)));
        }
        if (!finite) {
            const fs::path target = d.target;
            abort();
            throw Error(ErrorCode::NonFiniteAudio,
                        "Cannot export " + quoted(target.filename()) +
                            ": the audio contains invalid samples (NaN or infinity) near frame " +
                            std::to_string(d.frames + (start - offset)));
        }
        d.peak = std::max(d.peak, chunkPeak);
        const float gain = d.gain;
        const bool clamp = canClip && d.options.clip == ClipPolicy::Clamp;
        if (canClip && chunkPeak * gain > 1.0f && d.options.clip == ClipPolicy::Refuse) {
            const fs::path target = d.target;
            const float peak = chunkPeak;
            abort();
            throw Error(ErrorCode::Clipping,
                        "Not saving " + quoted(target.filename()) + ": its peak is " +
                            peakDbfsText(peak) + ", above 0 dBFS, and " +
                            formatDescription(d.options.format) +
                            " would clip it. Choose --clip rescale, clamp or none.");
        }
        for (int c = 0; c < d.channels; ++c) {
            const float* src = source.channel(c).data() + start;
            float* dst = d.interleaved.data() + c;
            for (int64_t i = 0; i < n; ++i) {
                float v = src[i] * gain;
                if (clamp && (v > 1.0f || v < -1.0f)) {
                    v = std::clamp(v, -1.0f, 1.0f);
                    ++d.clamped;
                }
                dst[static_cast<size_t>(i) * static_cast<size_t>(d.channels)] = v;
            }
        }
        const sf_count_t written = sf_writef_float(d.sndfile, d.interleaved.data(), n);
        if (d.vfile.error || written != n) {
            const int err = d.vfile.error;
            const std::string why = sf_strerror(d.sndfile);
            const fs::path target = d.target;
            abort();
            if (err)
                throwIo(err, ExportStage::Write, target);
            throw Error(ErrorCode::WriteFailed,
                        "Cannot encode " + quoted(target.filename()) + ": " + why, why);
        }
        d.frames += n;
    }
}

ExportResult StreamingExporter::finish() {
    Impl& d = *m_impl;
    if (!d.active)
        throw Error(ErrorCode::InvalidArgument, "StreamingExporter::finish called without begin()");
    const fs::path target = d.target;
    auto fail = [&](int err, ExportStage stage, const std::string& why) {
        abort();
        if (err)
            throwIo(err, stage, target);
        throw Error(ErrorCode::WriteFailed,
                    "Cannot finish " + quoted(target.filename()) + ": " + why, why);
    };
    // sf_close writes the header and flushes encoders; errors show up through the virtual file.
    const int closeResult = sf_close(d.sndfile);
    d.sndfile = nullptr;
    if (d.vfile.error)
        fail(d.vfile.error, d.vfile.errorStage, "");
    if (closeResult != 0)
        fail(0, ExportStage::Write, sf_error_number(closeResult));
    if (int err = d.fs->sync(d.vfile.fd))
        fail(err, ExportStage::Sync, "");
    const int fd = d.vfile.fd;
    d.vfile.fd = -1;
    if (int err = d.fs->close(fd))
        fail(err, ExportStage::Sync, "");

    fs::path published;
    if (d.options.overwrite) {
        if (int err = d.fs->publish(d.temporary, target, true))
            fail(err, ExportStage::Publish, "");
        published = target;
    } else {
        const int attempts = d.options.collision == CollisionPolicy::Rename ? 10000 : 1;
        for (int n = 1; n <= attempts && published.empty(); ++n) {
            const fs::path candidate = candidateName(target, n);
            const int err = d.fs->publish(d.temporary, candidate, false);
            if (err == 0)
                published = candidate;
            else if (err != EEXIST)
                fail(err, ExportStage::Publish, "");
        }
        if (published.empty())
            fail(EEXIST, ExportStage::Publish, "");
    }
    d.fs->syncFolder(folderOf(published));
    unregisterActive(d.temporary);
    d.temporary.clear();
    d.active = false;

    ExportResult result;
    result.path = published;
    result.peak = d.peak;
    result.frames = d.frames;
    result.limited = d.rescaled || d.clamped > 0;
    result.note = "peak " + peakDbfsText(d.peak);
    if (d.rescaled)
        result.note += "; rescaled by " +
                       peakDbfsText(d.gain).substr(0, peakDbfsText(d.gain).size() - 5) +
                       " dB to peak at 0 dBFS";
    else if (d.clamped > 0)
        result.note += "; " + std::to_string(d.clamped) + " samples clamped to full scale";
    else if (d.peak > 1.0f && formatCanClip(d.options.format))
        result.note += "; written without limiting (--clip none): peaks above 0 dBFS are clipped";
    if (published != target)
        result.note += "; " + target.filename().string() + " existed, saved as " +
                       published.filename().string();
    SD_LOG(log::audio, Info) << "exported " << published.string() << " ("
                             << formatDescription(d.options.format) << ", " << result.note << ")";
    return result;
}

bool wavNeedsRf64(OutputFormat format, int channels, int64_t frames) {
    int bytesPerSample = 0;
    switch (format) {
    case OutputFormat::Wav16:
        bytesPerSample = 2;
        break;
    case OutputFormat::Wav24:
        bytesPerSample = 3;
        break;
    case OutputFormat::Wav32f:
        bytesPerSample = 4;
        break;
    default:
        return false;
    }
    // RIFF sizes are 32-bit; keep a margin for the header chunks.
    constexpr int64_t kRiffLimit = 0xFFFFFFFFLL - (1 << 20);
    return frames > 0 && frames > kRiffLimit / (int64_t(bytesPerSample) * std::max(channels, 1));
}

ExportResult exportAudio(const AudioBuffer& audio, const fs::path& target,
                         const ExportOptions& options) {
    if (audio.empty())
        throw Error(ErrorCode::EmptyInput,
                    "Cannot export " + quoted(target.filename()) + ": the audio is empty");
    if (!allFinite(audio))
        throw Error(ErrorCode::NonFiniteAudio,
                    "Cannot export " + quoted(target.filename()) +
                        ": the audio contains invalid samples (NaN or infinity)");
    const float peak = peakAbs(audio);
    const bool canClip = formatCanClip(options.format);
    if (canClip && peak > 1.0f && options.clip == ClipPolicy::Refuse)
        throw Error(ErrorCode::Clipping,
                    "Not saving " + quoted(target.filename()) + ": its peak is " +
                        peakDbfsText(peak) + ", above 0 dBFS, and " +
                        formatDescription(options.format) +
                        " would clip it. Choose --clip rescale, clamp or none.");
    ExportOptions streamOptions = options;
    const bool rescale = canClip && options.clip == ClipPolicy::Rescale && peak > 1.0f;
    if (options.clip == ClipPolicy::Rescale)
        streamOptions.clip = ClipPolicy::None;
    streamOptions.expectedFrames = audio.frames;

    StreamingExporter exporter;
    exporter.begin(target, audio.channels, audio.sampleRate, streamOptions);
    if (rescale) {
        exporter.m_impl->gain = 1.0f / peak;
        exporter.m_impl->rescaled = true;
    }
    exporter.writeFrames(audio, 0, audio.frames);
    return exporter.finish();
}

// ---- cleanup ------------------------------------------------------------------------------------

namespace {

// ".stemdeck-tmp-<pid>-..." of a process that still runs belongs to a live export.
bool ownerAlive(const std::string& name) {
    const std::string rest = name.substr(std::strlen(kTemporaryPrefix));
    const auto dash = rest.find('-');
    if (dash == std::string::npos || dash == 0)
        return false;
    for (size_t i = 0; i < dash; ++i)
        if (rest[i] < '0' || rest[i] > '9')
            return false;
    const long pid = std::atol(rest.substr(0, dash).c_str());
    if (pid <= 0)
        return false;
    if (pid == ::getpid())
        return false; // our own: only the registry of active exports protects it
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

bool removeIfStale(const fs::directory_entry& entry, std::chrono::seconds minAge) {
    std::error_code ec;
    const std::string name = entry.path().filename().string();
    if (name.rfind(kTemporaryPrefix, 0) != 0)
        return false;
    if (!entry.is_regular_file(ec) || entry.is_symlink(ec))
        return false;
    if (isActive(entry.path()) || ownerAlive(name))
        return false;
    if (minAge.count() > 0) {
        const auto modified = fs::last_write_time(entry.path(), ec);
        if (ec || fs::file_time_type::clock::now() - modified < minAge)
            return false;
    }
    if (!fs::remove(entry.path(), ec))
        return false;
    SD_LOG(log::audio, Info) << "removed stale temporary file " << entry.path().string();
    return true;
}

} // namespace

size_t cleanupStaleTemporaries(const fs::path& folder, bool recursive, std::chrono::seconds minAge) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        return 0;
    size_t removed = 0;
    if (recursive) {
        for (auto it = fs::recursive_directory_iterator(
                 folder, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
            removed += removeIfStale(*it, minAge) ? 1 : 0;
    } else {
        for (auto it =
                 fs::directory_iterator(folder, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::directory_iterator(); it.increment(ec))
            removed += removeIfStale(*it, minAge) ? 1 : 0;
    }
    return removed;
}

} // namespace stemdeck::audio
