#include "model/formats/safetensors.h"

#include "model/formats/errors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <system_error>

namespace stemdeck::model::formats {

static_assert(std::endian::native == std::endian::little, "checkpoint data is little-endian");

namespace {

using Json = nlohmann::ordered_json; // keeps the file's tensor order

// {"name": {"dtype": .., "shape": [..], "data_offsets": [..]}, "__metadata__": {..}} is three
// levels deep; a deeper header is not safetensors, and counting values bounds the memory a
// hostile header can make the parser allocate.
constexpr int kMaxJsonDepth = 3;
constexpr std::size_t kMaxJsonValues = 1u << 22;
constexpr std::size_t kMaxDims = 32;

std::uint64_t readU64LE(const std::byte* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
    return v;
}

struct Parsed {
    std::vector<TensorRecord> tensors;
    std::vector<StorageRecord> storages;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges; // [begin, end) per tensor, in the data
    std::map<std::string, std::string> metadata;
};

// Validates the whole header against the data size before anything else is read.
Parsed parseHeader(std::string_view header, std::uint64_t dataSize, const std::string& source) {
    std::size_t values = 0;
    const Json::parser_callback_t limit = [&](int depth, nlohmann::json::parse_event_t, Json&) {
        if (depth > kMaxJsonDepth) detail::invalid(source, "the safetensors header is nested too deeply");
        if (++values > kMaxJsonValues) detail::invalid(source, "the safetensors header holds too many values");
        return true;
    };
    Json json;
    try {
        json = Json::parse(header.begin(), header.end(), limit);
    } catch (const nlohmann::json::exception& e) {
        detail::invalid(source, "the safetensors header is not valid JSON", e.what());
    }
    if (!json.is_object()) detail::invalid(source, "the safetensors header is not a JSON object");

    Parsed parsed;
    for (const auto& [name, entry] : json.items()) {
        if (name == "__metadata__") {
            if (!entry.is_object()) detail::invalid(source, "safetensors __metadata__ is not an object");
            for (const auto& [key, value] : entry.items()) {
                if (!value.is_string()) detail::invalid(source, "safetensors __metadata__ '" + key + "' is not a string");
                parsed.metadata[key] = value.get<std::string>();
            }
            continue;
        }
        const std::string what = "safetensors tensor '" + name + "'";
        if (name.empty()) detail::invalid(source, "a safetensors tensor has an empty name");
        if (!entry.is_object()) detail::invalid(source, what + " is not described by an object");
        const auto dtypeIt = entry.find("dtype");
        const auto shapeIt = entry.find("shape");
        const auto offsetsIt = entry.find("data_offsets");
        if (dtypeIt == entry.end() || shapeIt == entry.end() || offsetsIt == entry.end()) {
            detail::invalid(source, what + " lacks dtype, shape or data_offsets");
        }
        if (!dtypeIt->is_string()) detail::invalid(source, what + " has a dtype that is not a string");
        const auto dtype = dtypeFromSafetensorsName(dtypeIt->get<std::string>());
        if (!dtype) {
            detail::invalid(source, what + " has the unsupported dtype '" + dtypeIt->get<std::string>() +
                                        "' (StemDeck reads F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)");
        }
        if (!shapeIt->is_array() || shapeIt->size() > kMaxDims) detail::invalid(source, what + " has an invalid shape");
        TensorRecord record;
        record.name = name;
        record.dtype = *dtype;
        std::uint64_t numel = 1;
        for (const auto& d : *shapeIt) {
            if (!d.is_number_unsigned()) detail::invalid(source, what + " has a shape entry that is not a non-negative integer");
            const auto n = d.get<std::uint64_t>();
            if (n > (std::uint64_t{1} << 62) || __builtin_mul_overflow(numel, n, &numel) || numel > (std::uint64_t{1} << 56)) {
                detail::invalid(source, what + " declares an impossibly large shape");
            }
            record.shape.push_back(static_cast<std::int64_t>(n));
        }
        record.stride.assign(record.shape.size(), 1);
        for (std::size_t i = record.shape.size(); i-- > 1;) record.stride[i - 1] = record.stride[i] * record.shape[i];
        if (!offsetsIt->is_array() || offsetsIt->size() != 2 || !(*offsetsIt)[0].is_number_unsigned() ||
            !(*offsetsIt)[1].is_number_unsigned()) {
            detail::invalid(source, what + " has data_offsets that are not two non-negative integers");
        }
        const auto begin = (*offsetsIt)[0].get<std::uint64_t>();
        const auto end = (*offsetsIt)[1].get<std::uint64_t>();
        if (begin > end)
            detail::invalid(source, what + " has reversed data_offsets [" + std::to_string(begin) + ", " +
                                        std::to_string(end) + ")");
        if (end > dataSize) {
            detail::cutShort(source, what + " has data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                                         ") outside the " + std::to_string(dataSize) + " data bytes (truncated or corrupt)");
        }
        const std::uint64_t bytes = numel * elementSize(*dtype);
        if (end - begin != bytes) {
            detail::invalid(source, what + " spans " + std::to_string(end - begin) + " bytes, its shape and dtype need " +
                                        std::to_string(bytes));
        }
        record.storageKey = name;
        parsed.storages.push_back({name, *dtype, numel});
        parsed.tensors.push_back(std::move(record));
        parsed.ranges.emplace_back(begin, end);
    }

    std::vector<std::size_t> order(parsed.ranges.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return parsed.ranges[a] < parsed.ranges[b]; });
    std::uint64_t reached = 0;  // furthest end of the non-empty ranges seen so far
    std::size_t reachedBy = 0;
    for (const std::size_t i : order) {
        const auto [begin, end] = parsed.ranges[i];
        if (begin == end) continue;
        if (begin < reached) {
            detail::invalid(source, "safetensors tensors '" + parsed.tensors[reachedBy].name + "' and '" +
                                        parsed.tensors[i].name + "' overlap in the file");
        }
        reached = end;
        reachedBy = i;
    }
    return parsed;
}

class SafetensorsFile final : public TensorFile {
public:
    SafetensorsFile(std::string source, std::uint64_t dataStart)
        : TensorFile(FileFormat::Safetensors, std::move(source)), m_dataStart(dataStart) {}

    void adopt(Parsed parsed) {
        m_metadata = std::move(parsed.metadata);
        for (std::size_t i = 0; i < parsed.tensors.size(); ++i) {
            m_begin[parsed.storages[i].key] = parsed.ranges[i].first;
            addStorage(std::move(parsed.storages[i]));
            addTensor(std::move(parsed.tensors[i]));
        }
    }

    void setMemory(std::vector<std::byte> data) { m_memory = std::move(data); }
    void setPath(std::filesystem::path path) { m_path = std::move(path); }

protected:
    void readStorageBytes(const StorageRecord& storage, std::span<std::byte> dest) const override {
        const std::uint64_t at = m_dataStart + m_begin.at(storage.key);
        if (m_path.empty()) {
            std::memcpy(dest.data(), m_memory.data() + at, dest.size()); // bounds checked when parsed
            return;
        }
        std::ifstream in(m_path, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(at));
        in.read(reinterpret_cast<char*>(dest.data()), static_cast<std::streamsize>(dest.size()));
        if (!in || static_cast<std::size_t>(in.gcount()) != dest.size()) {
            detail::cutShort(source(), "tensor '" + storage.key + "' cannot be read (the file changed or is truncated)");
        }
    }

private:
    std::uint64_t m_dataStart;
    std::map<std::string, std::uint64_t> m_begin;
    std::filesystem::path m_path;
    std::vector<std::byte> m_memory;
};

// Header length: the first 8 bytes, checked against the size of what follows.
std::uint64_t headerLength(const std::byte* first8, std::uint64_t totalSize, const std::string& source) {
    if (totalSize < 8) detail::invalid(source, "is too short to be a safetensors file");
    const std::uint64_t n = readU64LE(first8);
    if (n > kMaxSafetensorsHeader) {
        detail::invalid(source, "declares a safetensors header of " + std::to_string(n) + " bytes, more than the " +
                                    std::to_string(kMaxSafetensorsHeader) + " allowed");
    }
    if (n > totalSize - 8) {
        detail::cutShort(source, "declares a safetensors header of " + std::to_string(n) + " bytes but only " +
                                    std::to_string(totalSize - 8) + " follow (truncated or corrupt)");
    }
    return n;
}

} // namespace

std::unique_ptr<TensorFile> readSafetensors(const std::filesystem::path& path) {
    const std::string source = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) detail::fail(ErrorCode::FileNotFound, source, "no such file");
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) detail::fail(ErrorCode::UnreadableFile, source, "cannot be read", ec.message());
    std::ifstream in(path, std::ios::binary);
    std::byte first8[8]{};
    if (!in.read(reinterpret_cast<char*>(first8), 8) && size >= 8) detail::fail(ErrorCode::UnreadableFile, source, "cannot be read");
    const std::uint64_t n = headerLength(first8, size, source);
    std::string header(static_cast<std::size_t>(n), '\0');
    if (!in.read(header.data(), static_cast<std::streamsize>(n))) detail::invalid(source, "the safetensors header cannot be read");
    auto file = std::make_unique<SafetensorsFile>(source, 8 + n);
    file->adopt(parseHeader(header, size - 8 - n, source));
    file->setPath(path);
    return file;
}

std::unique_ptr<TensorFile> readSafetensors(std::vector<std::byte> data, std::string sourceName) {
    const std::uint64_t n = headerLength(data.data(), data.size(), sourceName);
    const std::string_view header(reinterpret_cast<const char*>(data.data()) + 8, static_cast<std::size_t>(n));
    auto file = std::make_unique<SafetensorsFile>(sourceName, 8 + n);
    file->adopt(parseHeader(header, data.size() - 8 - n, sourceName));
    file->setMemory(std::move(data));
    return file;
}

void writeSafetensors(const std::filesystem::path& path, const std::vector<SafetensorsTensor>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    const std::string target = path.string();
    Json header = Json::object();
    if (!metadata.empty()) {
        Json meta = Json::object();
        for (const auto& [k, v] : metadata) meta[k] = v;
        header["__metadata__"] = std::move(meta);
    }
    std::set<std::string> names;
    std::uint64_t offset = 0;
    for (const auto& t : tensors) {
        if (t.name.empty() || t.name == "__metadata__" || !names.insert(t.name).second) {
            throw Error(ErrorCode::InvalidArgument, target + ": tensor name '" + t.name + "' is empty, reserved or repeated");
        }
        std::uint64_t numel = 1;
        for (auto d : t.shape) {
            if (d < 0) throw Error(ErrorCode::InvalidArgument, target + ": tensor '" + t.name + "' has a negative dimension");
            numel *= static_cast<std::uint64_t>(d);
        }
        if (numel * elementSize(t.dtype) != t.data.size()) {
            throw Error(ErrorCode::InvalidArgument, target + ": tensor '" + t.name + "' has " + std::to_string(t.data.size()) +
                                                        " bytes of data, its shape needs " +
                                                        std::to_string(numel * elementSize(t.dtype)));
        }
        header[t.name] = {{"dtype", std::string(safetensorsName(t.dtype))},
                          {"shape", t.shape},
                          {"data_offsets", {offset, offset + t.data.size()}}};
        offset += t.data.size();
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' '); // aligns the data for memory-mapping readers

    // Written next to the target and renamed over it, so a failure never leaves a partial file.
    std::random_device rd;
    const std::filesystem::path temp =
        path.parent_path() / ("." + path.filename().string() + ".tmp" + std::to_string(rd()));
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        std::byte length[8];
        for (int i = 0; i < 8; ++i) length[i] = static_cast<std::byte>((text.size() >> (8 * i)) & 0xff);
        out.write(reinterpret_cast<const char*>(length), 8);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        for (const auto& t : tensors) out.write(reinterpret_cast<const char*>(t.data.data()), static_cast<std::streamsize>(t.data.size()));
        out.close();
        if (!out) {
            std::error_code ec;
            std::filesystem::remove(temp, ec);
            throw Error(ErrorCode::WriteFailed, target + ": cannot write the safetensors file");
        }
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
        throw Error(ErrorCode::WriteFailed, target + ": cannot replace the file", ec.message());
    }
}

} // namespace stemdeck::model::formats
