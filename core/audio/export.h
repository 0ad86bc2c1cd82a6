// Writing stems to disk safely. Every export goes to a temporary file in the destination folder
// (".stemdeck-tmp-<pid>-<random>-<name>"), is fsynced and then renamed into place, so a reader
// never sees half a file and a crash leaves only a temporary that cleanupStaleTemporaries()
// removes. An existing file is never replaced unless ExportOptions::overwrite says so, not even one
// that appears while the export runs (the final rename is renameat2(RENAME_NOREPLACE)).
//
// StreamingExporter writes block by block (the engine streams finished regions of hour-long stems);
// exportAudio() writes a whole buffer and is built on it. The file system calls go through
// ExportFileSystem so tests can inject ENOSPC, EROFS or a kill at any stage.
#pragma once

#include "audio/audio_buffer.h"
#include "audio/output_format.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace stemdeck::audio {

enum class CollisionPolicy {
    Refuse, // an existing target is an error (ErrorCode::DestinationExists)
    Rename, // write "name (2).ext", "name (3).ext", ... instead
};

enum class ExportStage { CreateFolder, CreateTemporary, Write, Sync, Publish };
const char* exportStageName(ExportStage stage);

// The file system calls of an export. Every call returns 0 or an errno value; the default
// implementation is POSIX. Tests subclass it (or use WriteFaultInjector) to fail a stage.
class ExportFileSystem {
public:
    virtual ~ExportFileSystem() = default;
    virtual int createDirectories(const std::filesystem::path& folder);
    // Creates a new file (O_CREAT | O_EXCL) open for reading and writing; sets fd.
    virtual int createTemporary(const std::filesystem::path& path, int& fd);
    // Writes all of data or fails; `written` says how much reached the file.
    virtual int write(int fd, const void* data, size_t size, size_t& written);
    virtual int sync(int fd);
    virtual int close(int fd);
    // Moves temporary to target. replace=false must fail with EEXIST when target exists,
    // atomically.
    virtual int publish(const std::filesystem::path& temporary, const std::filesystem::path& target,
                        bool replace);
    virtual int remove(const std::filesystem::path& path);
    // Makes the rename durable (fsync of the folder); failures here are not errors of the export.
    virtual void syncFolder(const std::filesystem::path& folder);

    static const std::shared_ptr<ExportFileSystem>& system();
};

// Fails one stage with a given errno (for Write: once `afterBytes` bytes have been written, so a
// disk that fills up halfway can be simulated). Everything else goes to the real file system.
class WriteFaultInjector : public ExportFileSystem {
public:
    WriteFaultInjector(ExportStage stage, int error, int64_t afterBytes = 0)
        : m_stage(stage), m_error(error), m_afterBytes(afterBytes) {}
    int createDirectories(const std::filesystem::path& folder) override;
    int createTemporary(const std::filesystem::path& path, int& fd) override;
    int write(int fd, const void* data, size_t size, size_t& written) override;
    int sync(int fd) override;
    int publish(const std::filesystem::path& temporary, const std::filesystem::path& target,
                bool replace) override;
    bool triggered() const { return m_triggered; }

private:
    bool fails(ExportStage stage);
    ExportStage m_stage;
    int m_error;
    int64_t m_afterBytes;
    int64_t m_written = 0;
    bool m_triggered = false;
};

struct ExportOptions {
    OutputFormat format = OutputFormat::Wav24;
    ClipPolicy clip = ClipPolicy::Refuse;
    bool overwrite = false;
    CollisionPolicy collision = CollisionPolicy::Refuse; // used when overwrite is false
    std::shared_ptr<ExportFileSystem> fileSystem;        // null: the real file system
    // Frames the export will hold, when known (exportAudio sets it). A WAV that would pass the
    // format's 4 GiB limit is written as RF64 instead (the WAV extension every editor reads).
    int64_t expectedFrames = 0;
};

struct ExportResult {
    std::filesystem::path path; // where the file is (differs from the target after a Rename)
    float peak = 0.0f;          // |sample| peak of the audio as given, before any limiting
    bool limited = false;       // Rescale or Clamp changed samples
    std::string note;           // one line for the user: peak, limiting, renaming
    int64_t frames = 0;
};

class StreamingExporter {
public:
    StreamingExporter();
    ~StreamingExporter(); // aborts an unfinished export: the temporary file is removed
    StreamingExporter(const StreamingExporter&) = delete;
    StreamingExporter& operator=(const StreamingExporter&) = delete;

    // Creates missing folders and the temporary file. Streaming cannot know the peak in advance,
    // so ClipPolicy::Rescale is refused here (InvalidArgument): use Clamp, None or Refuse, or
    // exportAudio(). With Refuse, the first block that would clip fails the export.
    void begin(const std::filesystem::path& target, int channels, int sampleRate,
               const ExportOptions& options);
    // A planar block with the channel count given to begin(). Throws Clipping, NonFiniteAudio,
    // DestinationFull, WriteFailed...; after a throw the export is aborted (no file left).
    void write(const AudioBuffer& block);
    // Closes the encoder, fsyncs and renames into place.
    ExportResult finish();
    // Drops the export and removes the temporary file. Safe to call at any time.
    void abort();

    bool active() const;
    const std::filesystem::path& temporaryPath() const;

private:
    friend ExportResult exportAudio(const AudioBuffer&, const std::filesystem::path&,
                                    const ExportOptions&);
    void writeFrames(const AudioBuffer& source, int64_t offset, int64_t frames);
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// True when a WAV of that size cannot be a plain RIFF WAV (4 GiB limit) and is written as RF64.
bool wavNeedsRf64(OutputFormat format, int channels, int64_t frames);

// Writes a whole buffer (all clip policies apply). Throws EmptyInput for an empty buffer,
// NonFiniteAudio, Clipping (policy Refuse, message with the peak), DestinationExists,
// DestinationReadOnly, DestinationFull, UnsupportedFormat (e.g. MP3 above 48 kHz), WriteFailed.
ExportResult exportAudio(const AudioBuffer& audio, const std::filesystem::path& target,
                         const ExportOptions& options);

// Removes ".stemdeck-tmp-*" files left by an export that was killed between write and rename.
// Temporaries of exports still running (in this process or in a live process) are kept, and so
// are those modified less than minAge ago: a process on another machine writing to the same
// shared folder (a sharded manifest run) has a pid this machine cannot see. Returns how many
// files were removed; a missing folder is not an error. runJob calls it on its stem folders with
// kStaleTemporaryAge.
size_t cleanupStaleTemporaries(const std::filesystem::path& folder, bool recursive,
                               std::chrono::seconds minAge = std::chrono::seconds(0));
inline constexpr std::chrono::seconds kStaleTemporaryAge{3600};

inline constexpr const char* kTemporaryPrefix = ".stemdeck-tmp-";

} // namespace stemdeck::audio
