// The tensors of a checkpoint file, whatever its format (torch.save zip or safetensors), as
// plain records plus access to the raw storage bytes. core/model/state_dict.cpp turns them
// into torch::Tensor; everything here is plain C++ so hostile files can be tested under
// AddressSanitizer without LibTorch. Every record has been checked against its storage
// (offset + strided extent within the storage, no overflowing shapes) before it is returned.
#pragma once

#include "model/formats/dtype.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace stemdeck::model::formats {

enum class FileFormat { TorchZip, Safetensors };

struct TensorRecord {
    std::string name;                 // state-dict key, with "model." / "module." prefixes removed
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::vector<std::int64_t> stride; // in elements
    std::int64_t storageOffset = 0;   // in elements
    std::string storageKey;           // which storage holds the elements (shared between views)

    std::uint64_t numel() const;
    bool isContiguous() const;
};

struct StorageRecord {
    std::string key;
    DType dtype = DType::F32;
    std::uint64_t numel = 0;

    std::uint64_t byteSize() const { return numel * elementSize(dtype); }
};

class TensorFile {
public:
    virtual ~TensorFile() = default;

    FileFormat format() const { return m_format; }
    // The path (or buffer name) that error messages name.
    const std::string& source() const { return m_source; }
    const std::vector<TensorRecord>& tensors() const { return m_tensors; }
    // Each storage once, in the order tensors first use it.
    const std::vector<StorageRecord>& storages() const { return m_storages; }
    const StorageRecord& storage(const std::string& key) const;
    // safetensors "__metadata__" (empty for torch files).
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }

    // Fills dest, which must be exactly storage(key).byteSize() bytes, with the storage.
    void readStorage(const std::string& key, std::span<std::byte> dest) const;
    std::vector<std::byte> readStorage(const std::string& key) const;

protected:
    TensorFile(FileFormat format, std::string source) : m_format(format), m_source(std::move(source)) {}

    // Checks a record against its storage (which must already be in m_storages) and adds it.
    void addTensor(TensorRecord record);
    void addStorage(StorageRecord storage);
    virtual void readStorageBytes(const StorageRecord& storage, std::span<std::byte> dest) const = 0;

    std::map<std::string, std::string> m_metadata;

private:
    FileFormat m_format;
    std::string m_source;
    std::vector<TensorRecord> m_tensors;
    std::vector<StorageRecord> m_storages;
    std::map<std::string, std::size_t> m_storageIndex;
};

// Opens a checkpoint by looking at its first bytes: a zip is read as a torch.save file,
// a legacy (pre-1.6) torch file is refused with "re-save with torch >= 1.6", anything
// else is read as safetensors. Throws stemdeck::Error naming the file.
std::unique_ptr<TensorFile> openTensorFile(const std::filesystem::path& path);
std::unique_ptr<TensorFile> openTensorFile(std::vector<std::byte> data, std::string sourceName);

} // namespace stemdeck::model::formats
