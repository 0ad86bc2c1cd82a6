// Reader for torch.save files (the zip format of torch >= 1.6): finds <archive>/data.pkl,
// unpickles it with the whitelisting unpickler (pickle.h), finds the state dict in it
// (plain / OrderedDict, Lightning {"state_dict": ...} with "model." keys, DataParallel
// "module." keys; other entries such as epoch or hyper_parameters are ignored) and checks
// every tensor against its storage entry <archive>/data/<key>.
#pragma once

#include "model/formats/tensor_file.h"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace stemdeck::model::formats {

// The first bytes of a torch file saved in the legacy (pre-1.6, non-zip) format.
bool isLegacyTorchFile(std::span<const std::byte> head);

// Throws stemdeck::Error: FileNotFound, UnsupportedFormat (legacy file), UnsafeCheckpoint
// (a refused global, named), InvalidCheckpoint (anything malformed).
std::unique_ptr<TensorFile> readTorchCheckpoint(const std::filesystem::path& path);
std::unique_ptr<TensorFile> readTorchCheckpoint(std::vector<std::byte> data, std::string sourceName);

} // namespace stemdeck::model::formats
