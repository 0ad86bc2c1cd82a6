// Read-only access to the zip container that torch.save (>= 1.6) writes, through libzip:
// from a file, or from a memory buffer (tests and fuzzing). Every read is bounded by the size
// the caller expects, so a lying or compressed-bomb entry never causes a large allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

struct zip;

namespace stemdeck::model::formats {

class ZipArchive {
public:
    // Throws stemdeck::Error (FileNotFound, or InvalidCheckpoint for a truncated/corrupt zip).
    static ZipArchive openFile(const std::filesystem::path& path);
    static ZipArchive openMemory(std::vector<std::byte> data, std::string sourceName);

    ZipArchive(ZipArchive&& other) noexcept;
    ZipArchive& operator=(ZipArchive&& other) noexcept;
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;
    ~ZipArchive();

    // The path or buffer name used in error messages.
    const std::string& sourceName() const { return m_source; }

    std::vector<std::string> entryNames() const;
    // Uncompressed size of an entry; nullopt when there is no such entry.
    std::optional<std::uint64_t> entrySize(const std::string& name) const;

    // Fills dest with the first dest.size() bytes of the entry; an error if the entry is
    // missing, shorter, or fails to decompress / check.
    void read(const std::string& name, std::span<std::byte> dest) const;
    // The whole entry, refused (InvalidCheckpoint) when it is larger than maxBytes.
    std::vector<std::byte> readAll(const std::string& name, std::uint64_t maxBytes) const;

private:
    ZipArchive(zip* archive, std::string source, std::vector<std::byte> buffer);

    zip* m_zip = nullptr;
    std::string m_source;
    // Keeps the memory of openMemory() alive for libzip, which reads it in place.
    std::vector<std::byte> m_buffer;
};

} // namespace stemdeck::model::formats
