// Checkpoint files -> named CPU tensors, and StemDeck's own weights -> .safetensors. The file
// parsing (zip, whitelisting unpickler, safetensors header) lives in core/model/formats as
// plain C++; this is the thin LibTorch side that turns its validated records into tensors.
#pragma once

#include "model/formats/tensor_file.h"

#include <torch/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace stemdeck::model {

// In the file's order, names with Lightning "model." / DataParallel "module." prefixes removed.
using StateDict = std::vector<std::pair<std::string, torch::Tensor>>;

// Reads a torch.save zip file (.ckpt/.pth/.pt) or a .safetensors file, chosen by its first
// bytes. Each tensor is a contiguous CPU tensor of the dtype stored in the file (fp16 stays
// fp16: the caller converts to the model dtype), copied out of its storage honouring stride
// and offset, so views that share or transpose a storage come out right and independent.
// Throws stemdeck::Error naming the file: FileNotFound, UnsupportedFormat (legacy torch file,
// TorchScript), UnsafeCheckpoint (a refused pickle global), InvalidCheckpoint, OutOfMemory.
// `metadata`, when given, receives the safetensors "__metadata__" map (empty for torch files).
StateDict loadStateDict(const std::filesystem::path& path, std::map<std::string, std::string>* metadata = nullptr);
// The same from an already opened file (tests, fuzzing from memory).
StateDict toStateDict(const formats::TensorFile& file);

// Writes tensors as safetensors, floating-point ones converted to storeAs (kFloat, kHalf or
// kBFloat16), integer/bool buffers kept as they are; `metadata` goes to "__metadata__".
// Atomic: a temporary file in the same folder renamed over the target. Throws
// stemdeck::Error: InvalidArgument (storeAs or a tensor type not supported), WriteFailed.
void saveSafetensors(const std::filesystem::path& path, const StateDict& tensors, torch::ScalarType storeAs,
                     const std::map<std::string, std::string>& metadata = {});

} // namespace stemdeck::model
