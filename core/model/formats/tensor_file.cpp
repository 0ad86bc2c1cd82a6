#include "model/formats/tensor_file.h"

#include "model/formats/errors.h"
#include "model/formats/safetensors.h"
#include "model/formats/torch_checkpoint.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <system_error>

namespace stemdeck::model::formats {

namespace {

// A view wider than its storage is only legitimate with zero strides (expanded tensors);
// materialising it allocates numel elements, so that is capped.
constexpr std::uint64_t kMaxExpandedNumel = std::uint64_t{1} << 26;
constexpr std::uint64_t kMaxNumel = std::uint64_t{1} << 56;

bool checkedMul(std::uint64_t a, std::uint64_t b, std::uint64_t& out) { return !__builtin_mul_overflow(a, b, &out); }
bool checkedAdd(std::uint64_t a, std::uint64_t b, std::uint64_t& out) { return !__builtin_add_overflow(a, b, &out); }

std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

bool startsWith(std::span<const std::byte> data, std::string_view prefix) {
    return data.size() >= prefix.size() && std::memcmp(data.data(), prefix.data(), prefix.size()) == 0;
}

bool looksLikeSafetensors(std::span<const std::byte> head) {
    return head.size() >= 9 && head[8] == std::byte{'{'};
}

[[noreturn]] void notACheckpoint(const std::string& source) {
    detail::invalid(source, "not a checkpoint StemDeck can read: neither a torch.save zip file nor a "
                            "safetensors file");
}

} // namespace

std::uint64_t TensorRecord::numel() const {
    std::uint64_t n = 1;
    for (auto d : shape) n *= static_cast<std::uint64_t>(d); // validated not to overflow
    return n;
}

bool TensorRecord::isContiguous() const {
    std::int64_t expected = 1;
    for (std::size_t i = shape.size(); i-- > 0;) {
        if (shape[i] != 1 && stride[i] != expected) return false;
        expected *= shape[i];
    }
    return true;
}

const StorageRecord& TensorFile::storage(const std::string& key) const {
    const auto it = m_storageIndex.find(key);
    if (it == m_storageIndex.end()) detail::invalid(m_source, "no storage named '" + key + "'");
    return m_storages[it->second];
}

void TensorFile::readStorage(const std::string& key, std::span<std::byte> dest) const {
    const StorageRecord& s = storage(key);
    if (dest.size() != s.byteSize()) {
        throw Error(ErrorCode::InvalidArgument, m_source + ": storage '" + key + "' is " +
                                                    std::to_string(s.byteSize()) + " bytes, the buffer " +
                                                    std::to_string(dest.size()));
    }
    if (!dest.empty()) readStorageBytes(s, dest);
}

std::vector<std::byte> TensorFile::readStorage(const std::string& key) const {
    std::vector<std::byte> data(static_cast<std::size_t>(storage(key).byteSize()));
    readStorage(key, data);
    return data;
}

void TensorFile::addStorage(StorageRecord storage) {
    if (m_storageIndex.count(storage.key)) return;
    m_storageIndex.emplace(storage.key, m_storages.size());
    m_storages.push_back(std::move(storage));
}

void TensorFile::addTensor(TensorRecord record) {
    const StorageRecord& s = storage(record.storageKey);
    const std::string what = "tensor '" + record.name + "' (shape " + shapeText(record.shape) + ")";
    if (record.dtype != s.dtype) detail::invalid(m_source, what + " has a different type than its storage");
    if (record.shape.size() != record.stride.size()) detail::invalid(m_source, what + " has a stride of another rank");
    std::uint64_t numel = 1;
    std::uint64_t lastIndex = 0; // offset of the last element relative to storageOffset
    for (std::size_t i = 0; i < record.shape.size(); ++i) {
        if (record.shape[i] < 0 || record.stride[i] < 0) detail::invalid(m_source, what + " has a negative size or stride");
        std::uint64_t span = 0;
        if (!checkedMul(numel, static_cast<std::uint64_t>(record.shape[i]), numel) || numel > kMaxNumel ||
            (record.shape[i] > 0 &&
             (!checkedMul(static_cast<std::uint64_t>(record.shape[i] - 1), static_cast<std::uint64_t>(record.stride[i]), span) ||
              !checkedAdd(lastIndex, span, lastIndex)))) {
            detail::invalid(m_source, what + " declares an impossibly large shape");
        }
    }
    if (record.storageOffset < 0) detail::invalid(m_source, what + " has a negative storage offset");
    const auto offset = static_cast<std::uint64_t>(record.storageOffset);
    if (numel == 0) {
        if (offset > s.numel) detail::invalid(m_source, what + " starts past the end of its storage");
    } else {
        std::uint64_t needed = 0;
        const bool fits = checkedAdd(offset, lastIndex, needed) && checkedAdd(needed, 1, needed);
        if (!fits || needed > s.numel) {
            detail::invalid(m_source, what + " needs " + (fits ? std::to_string(needed) : std::string("more than 2^64")) +
                                          " elements of storage '" + s.key + "', which holds only " +
                                          std::to_string(s.numel) + " (the file is truncated or corrupt)");
        }
        if (numel > s.numel && numel > kMaxExpandedNumel) {
            detail::invalid(m_source, what + " declares " + std::to_string(numel) + " elements over a storage of " +
                                          std::to_string(s.numel));
        }
    }
    m_tensors.push_back(std::move(record));
}

bool isLegacyTorchFile(std::span<const std::byte> head) {
    // pickle protocol 2 of the magic number 0x1950a86a20f9469cfc6c that torch < 1.6 wrote first
    static constexpr std::array<unsigned char, 14> kMagic{0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c,
                                                         0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
    if (head.size() >= kMagic.size() && std::memcmp(head.data(), kMagic.data(), kMagic.size()) == 0) return true;
    // the even older tar container
    return head.size() >= 262 && std::memcmp(head.data() + 257, "ustar", 5) == 0;
}

std::unique_ptr<TensorFile> openTensorFile(const std::filesystem::path& path) {
    const std::string source = path.string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        detail::fail(ErrorCode::FileNotFound, source, std::filesystem::exists(path, ec) ? "not a regular file" : "no such file");
    }
    std::array<std::byte, 512> buffer{};
    std::size_t got = 0;
    if (std::FILE* f = std::fopen(source.c_str(), "rb")) {
        got = std::fread(buffer.data(), 1, buffer.size(), f);
        std::fclose(f);
    } else {
        detail::fail(ErrorCode::UnreadableFile, source, "cannot be opened for reading");
    }
    if (got == 0) detail::cutShort(source, "is empty (0 bytes)");
    const std::span<const std::byte> head(buffer.data(), got);
    if (startsWith(head, "PK") || isLegacyTorchFile(head)) return readTorchCheckpoint(path);
    if (looksLikeSafetensors(head)) return readSafetensors(path);
    notACheckpoint(source);
}

std::unique_ptr<TensorFile> openTensorFile(std::vector<std::byte> data, std::string sourceName) {
    if (startsWith(data, "PK") || isLegacyTorchFile(data)) return readTorchCheckpoint(std::move(data), std::move(sourceName));
    if (looksLikeSafetensors(data)) return readSafetensors(std::move(data), std::move(sourceName));
    notACheckpoint(sourceName);
}

} // namespace stemdeck::model::formats
