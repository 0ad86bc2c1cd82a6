#include "model/formats/torch_checkpoint.h"

#include "common/log.h"
#include "model/formats/errors.h"
#include "model/formats/pickle.h"
#include "model/formats/zip_archive.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>
#include <system_error>

namespace stemdeck::model::formats {

namespace {

// data.pkl of a large model is a few hundred KB; anything near this is not a state dict.
constexpr std::uint64_t kMaxPickleBytes = 64u << 20;

using pickle::Kind;
using pickle::Value;
using pickle::ValuePtr;

bool hasTensor(const Value& dict) {
    return std::any_of(dict.entries.begin(), dict.entries.end(),
                       [](const auto& e) { return e.second->kind() == Kind::Tensor; });
}

bool allTensorKeysStartWith(const Value& dict, const std::string& prefix) {
    bool any = false;
    for (const auto& [key, value] : dict.entries) {
        if (value->kind() != Kind::Tensor) continue;
        if (key->kind() != Kind::String || !key->text.starts_with(prefix)) return false;
        any = true;
    }
    return any;
}

[[noreturn]] void legacy(const std::string& source) {
    detail::fail(ErrorCode::UnsupportedFormat, source,
                 "was saved in the legacy (pre-1.6) torch format, which StemDeck does not read; re-save it with "
                 "torch >= 1.6 (torch.save(torch.load(path), path))");
}

class TorchCheckpoint final : public TensorFile {
public:
    explicit TorchCheckpoint(ZipArchive zip)
        : TensorFile(FileFormat::TorchZip, zip.sourceName()), m_zip(std::move(zip)) {}

    void load();

protected:
    void readStorageBytes(const StorageRecord& storage, std::span<std::byte> dest) const override {
        m_zip.read(entry(storage.key), dest);
    }

private:
    std::string entry(const std::string& key) const { return m_prefix + "/data/" + key; }
    void findPrefix();
    void checkByteOrder() const;
    const Value& findStateDict(const Value& root, bool& lightning) const;

    ZipArchive m_zip;
    std::string m_prefix;
};

void TorchCheckpoint::findPrefix() {
    std::set<std::string> prefixes;
    bool torchScript = false;
    for (const auto& name : m_zip.entryNames()) {
        const auto slash = name.find('/');
        if (slash == std::string::npos) continue;
        const std::string rest = name.substr(slash + 1);
        if (rest == "data.pkl") prefixes.insert(name.substr(0, slash));
        if (rest == "constants.pkl" || rest.starts_with("code/")) torchScript = true;
    }
    if (torchScript) {
        detail::fail(ErrorCode::UnsupportedFormat, source(),
                     "is a TorchScript archive (torch.jit.save), not a state dict saved with torch.save");
    }
    if (prefixes.empty()) {
        detail::invalid(source(), "is a zip file but not a torch.save checkpoint (it has no <name>/data.pkl)");
    }
    if (prefixes.size() > 1) detail::invalid(source(), "holds several torch.save archives (several data.pkl)");
    m_prefix = *prefixes.begin();
}

void TorchCheckpoint::checkByteOrder() const {
    const std::string name = m_prefix + "/byteorder";
    if (!m_zip.entrySize(name)) return; // written since torch 1.12; older files are little-endian
    const auto bytes = m_zip.readAll(name, 16);
    const std::string order(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (order != "little") {
        detail::invalid(source(), "was saved on a big-endian machine (byteorder '" + order +
                                      "'); StemDeck reads little-endian checkpoints only");
    }
}

const Value& TorchCheckpoint::findStateDict(const Value& root, bool& lightning) const {
    if (root.kind() != Kind::Dict) {
        detail::invalid(source(), std::string("holds a pickled ") + pickle::kindName(root.kind()) +
                                      ", not a state dict (a dict of tensors)");
    }
    lightning = false;
    if (ValuePtr inner = root.find("state_dict"); inner && inner->kind() == Kind::Dict && hasTensor(*inner)) {
        lightning = true;
        return *inner;
    }
    if (hasTensor(root)) return root;
    // Training scripts' own wrappers: {"model_state_dict": ..., "optimizer_state_dict": ...}.
    for (const char* key : {"model_state_dict", "model"}) {
        if (ValuePtr inner = root.find(key); inner && inner->kind() == Kind::Dict && hasTensor(*inner)) return *inner;
    }
    detail::invalid(source(), "holds no tensors: no state dict found (looked at the top level and at "
                              "'state_dict', 'model_state_dict', 'model')");
}

void TorchCheckpoint::load() {
    findPrefix();
    checkByteOrder();
    const auto data = m_zip.readAll(m_prefix + "/data.pkl", kMaxPickleBytes);
    const ValuePtr root = pickle::unpickle(data, source());

    bool lightning = false;
    const Value& dict = findStateDict(*root, lightning);
    const bool dataParallel = allTensorKeysStartWith(dict, lightning ? "model.module." : "module.");

    std::set<std::string> names;
    std::size_t ignored = 0;
    for (const auto& [key, value] : dict.entries) {
        if (value->kind() != Kind::Tensor || key->kind() != Kind::String) {
            ++ignored;
            continue;
        }
        std::string name = key->text;
        if (lightning && name.starts_with("model.")) name.erase(0, 6);
        if (dataParallel && name.starts_with("module.")) name.erase(0, 7);
        if (!names.insert(name).second) {
            detail::invalid(source(), "holds the tensor '" + name + "' twice (after removing model./module. prefixes)");
        }

        const pickle::TensorView& view = value->tensor;
        const pickle::Storage& st = *view.storage;
        StorageRecord storage{st.key, st.dtype, st.numel};
        const auto size = m_zip.entrySize(entry(st.key));
        if (!size) detail::invalid(source(), "storage '" + st.key + "' of tensor '" + name + "' is missing from the zip");
        if (*size < storage.byteSize()) {
            detail::cutShort(source(), "storage '" + st.key + "' of tensor '" + name + "' holds " + std::to_string(*size) +
                                          " bytes, the checkpoint declares " + std::to_string(storage.byteSize()) +
                                          " (truncated or corrupt)");
        }
        addStorage(std::move(storage));

        TensorRecord record;
        record.name = std::move(name);
        record.dtype = st.dtype;
        record.shape = view.shape;
        record.stride = view.stride;
        record.storageOffset = view.storageOffset;
        record.storageKey = st.key;
        addTensor(std::move(record));
    }
    if (ignored) {
        SD_LOG(log::model, Debug) << source() << ": ignored " << ignored << " non-tensor state-dict entries";
    }
}

} // namespace

std::unique_ptr<TensorFile> readTorchCheckpoint(const std::filesystem::path& path) {
    const std::string source = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) detail::fail(ErrorCode::FileNotFound, source, "no such file");
    std::array<std::byte, 512> head{};
    std::size_t got = 0;
    if (std::FILE* f = std::fopen(source.c_str(), "rb")) {
        got = std::fread(head.data(), 1, head.size(), f);
        std::fclose(f);
    }
    if (isLegacyTorchFile(std::span<const std::byte>(head.data(), got))) legacy(source);
    auto checkpoint = std::make_unique<TorchCheckpoint>(ZipArchive::openFile(path));
    checkpoint->load();
    return checkpoint;
}

std::unique_ptr<TensorFile> readTorchCheckpoint(std::vector<std::byte> data, std::string sourceName) {
    if (isLegacyTorchFile(data)) legacy(sourceName);
    auto checkpoint = std::make_unique<TorchCheckpoint>(ZipArchive::openMemory(std::move(data), std::move(sourceName)));
    checkpoint->load();
    return checkpoint;
}

} // namespace stemdeck::model::formats
