#include "model/formats/zip_archive.h"

#include "model/formats/errors.h"

#include <zip.h>

#include <system_error>
#include <utility>

namespace stemdeck::model::formats {

namespace {

std::string zipErrorText(zip_error_t* error) {
    const char* text = zip_error_strerror(error);
    return text ? text : "unknown libzip error";
}

std::string zipErrorText(int code) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string text = zipErrorText(&error);
    zip_error_fini(&error);
    return text;
}

} // namespace

ZipArchive::ZipArchive(zip* archive, std::string source, std::vector<std::byte> buffer)
    : m_zip(archive), m_source(std::move(source)), m_buffer(std::move(buffer)) {}

ZipArchive::ZipArchive(ZipArchive&& other) noexcept
    : m_zip(std::exchange(other.m_zip, nullptr)), m_source(std::move(other.m_source)),
      m_buffer(std::move(other.m_buffer)) {}

ZipArchive& ZipArchive::operator=(ZipArchive&& other) noexcept {
    if (this != &other) {
        if (m_zip) zip_discard(m_zip);
        m_zip = std::exchange(other.m_zip, nullptr);
        m_source = std::move(other.m_source);
        m_buffer = std::move(other.m_buffer);
    }
    return *this;
}

ZipArchive::~ZipArchive() {
    // Read-only: discard never writes the archive back.
    if (m_zip) zip_discard(m_zip);
}

ZipArchive ZipArchive::openFile(const std::filesystem::path& path) {
    const std::string source = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        detail::fail(ErrorCode::FileNotFound, source, "no such file");
    }
    int code = 0;
    zip* archive = zip_open(source.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (!archive) {
        detail::cutShort(source, "not a readable zip archive (truncated or corrupt)", zipErrorText(code));
    }
    return ZipArchive(archive, source, {});
}

ZipArchive ZipArchive::openMemory(std::vector<std::byte> data, std::string sourceName) {
    zip_error_t error;
    zip_error_init(&error);
    // An empty buffer is still a valid source; libzip then reports "not a zip archive".
    zip_source_t* src = zip_source_buffer_create(data.empty() ? nullptr : data.data(), data.size(), 0, &error);
    if (!src) {
        std::string text = zipErrorText(&error);
        zip_error_fini(&error);
        detail::invalid(sourceName, "cannot read the buffer as a zip archive", text);
    }
    zip* archive = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (!archive) {
        zip_source_free(src);
        std::string text = zipErrorText(&error);
        zip_error_fini(&error);
        detail::cutShort(sourceName, "not a readable zip archive (truncated or corrupt)", text);
    }
    zip_error_fini(&error);
    return ZipArchive(archive, std::move(sourceName), std::move(data));
}

std::vector<std::string> ZipArchive::entryNames() const {
    std::vector<std::string> names;
    const zip_int64_t count = zip_get_num_entries(m_zip, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        if (const char* name = zip_get_name(m_zip, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW)) {
            names.emplace_back(name);
        }
    }
    return names;
}

std::optional<std::uint64_t> ZipArchive::entrySize(const std::string& name) const {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(m_zip, name.c_str(), ZIP_FL_ENC_RAW, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
        return std::nullopt;
    }
    return st.size;
}

void ZipArchive::read(const std::string& name, std::span<std::byte> dest) const {
    const auto size = entrySize(name);
    if (!size) detail::invalid(m_source, "the zip archive has no entry '" + name + "'");
    if (*size < dest.size()) {
        detail::invalid(m_source, "zip entry '" + name + "' holds " + std::to_string(*size) +
                                      " bytes, " + std::to_string(dest.size()) + " are needed");
    }
    zip_file_t* file = zip_fopen(m_zip, name.c_str(), ZIP_FL_ENC_RAW);
    if (!file) {
        detail::invalid(m_source, "cannot open zip entry '" + name + "'", zipErrorText(zip_get_error(m_zip)));
    }
    std::size_t done = 0;
    while (done < dest.size()) {
        const zip_int64_t n = zip_fread(file, dest.data() + done, dest.size() - done);
        if (n <= 0) {
            std::string text = n < 0 ? zipErrorText(zip_file_get_error(file)) : "unexpected end of entry";
            zip_fclose(file);
            detail::cutShort(m_source, "zip entry '" + name + "' is truncated or corrupt", text);
        }
        done += static_cast<std::size_t>(n);
    }
    zip_fclose(file);
}

std::vector<std::byte> ZipArchive::readAll(const std::string& name, std::uint64_t maxBytes) const {
    const auto size = entrySize(name);
    if (!size) detail::invalid(m_source, "the zip archive has no entry '" + name + "'");
    if (*size > maxBytes) {
        detail::invalid(m_source, "zip entry '" + name + "' is " + std::to_string(*size) +
                                      " bytes, more than the " + std::to_string(maxBytes) + " allowed");
    }
    std::vector<std::byte> data(static_cast<std::size_t>(*size));
    read(name, data);
    return data;
}

} // namespace stemdeck::model::formats
