#include "widen.h"

#include "common/error.h"

#include <torch/torch.h>

#include <map>
#include <regex>
#include <string>
#include <vector>

namespace stemdeck::train {
namespace {

// Where the channels of one tensor dimension go: consecutive pieces, each (old size, new size);
// old channel k of a piece lands at the same offset k of the piece's new range.
using Pieces = std::vector<std::pair<int64_t, int64_t>>;

// The input pieces of a layer that reads a concatenation, by its registered name. Decoder
// blocks read cat(upscaled, skip), two halves of equal size, in their first unit's tfc1 (norm
// and convolution) and shortcut; final_conv.0 reads cat(mix subbands, features).
Pieces inputPieces(const std::string& module, int64_t oldSize, int64_t newSize, int64_t dimC) {
    static const std::regex decoderEntry(R"(decoder_blocks\.\d+\.tfc_tdf\.blocks\.0\.(tfc1\.[02]|shortcut))");
    if (std::regex_match(module, decoderEntry)) return {{oldSize / 2, newSize / 2}, {oldSize / 2, newSize / 2}};
    if (module == "final_conv.0") return {{dimC, dimC}, {oldSize - dimC, newSize - dimC}};
    return {{oldSize, newSize}};
}

// Old channel k -> its index in the new dimension, and the new indices no old channel maps to.
struct Mapping {
    torch::Tensor oldToNew;
    torch::Tensor added;
};

Mapping mapping(const Pieces& pieces, const std::string& name) {
    std::vector<int64_t> map, added;
    int64_t newBase = 0;
    for (auto [o, n] : pieces) {
        if (n < o || o < 0) throw Error(ErrorCode::InvalidArgument, "widen: '" + name + "' would shrink");
        for (int64_t k = 0; k < n; ++k) (k < o ? map : added).push_back(newBase + k);
        newBase += n;
    }
    return {torch::tensor(map, torch::kLong), torch::tensor(added, torch::kLong)};
}

std::string sizesOf(const torch::Tensor& t) {
    std::string s;
    for (auto d : t.sizes()) s += (s.empty() ? "" : "x") + std::to_string(d);
    return s;
}

} // namespace

void widenInto(model::TfcTdfNetImpl& from, model::TfcTdfNetImpl& to) {
    auto same = from.config();
    same.model.num_channels = to.config().model.num_channels;
    same.model.growth = to.config().model.growth;
    if (model::toYaml(same) != model::toYaml(to.config()))
        throw Error(ErrorCode::InvalidArgument,
                    "widen: the two models differ in more than num_channels and growth");
    const auto& m = from.config().model;
    const int64_t dimC = from.config().audio.num_channels * 2 * m.num_subbands;

    std::map<std::string, std::shared_ptr<torch::nn::Module>> old;
    for (const auto& item : from.named_modules()) old[item.key()] = item.value();

    torch::NoGradGuard ng;
    for (const auto& item : to.named_modules()) {
        const std::string& name = item.key();
        const auto& target = item.value();
        const auto it = old.find(name);
        if (it == old.end()) throw Error(ErrorCode::InvalidArgument, "widen: no module '" + name + "' in the source");
        // Which dimension of the weight holds the layer's input and which its output channels.
        int inDim = -1, outDim = 0;
        if (std::dynamic_pointer_cast<torch::nn::Conv2dImpl>(target)) inDim = 1;
        else if (std::dynamic_pointer_cast<torch::nn::ConvTranspose2dImpl>(target)) inDim = 0, outDim = 1;
        const auto sourceParams = it->second->named_parameters(/*recurse=*/false);
        for (const auto& p : target->named_parameters(/*recurse=*/false)) {
            const std::string full = name + "." + p.key();
            const torch::Tensor* src = sourceParams.find(p.key());
            if (!src) throw Error(ErrorCode::InvalidArgument, "widen: no '" + full + "' in the source");
            torch::Tensor dst = p.value();
            if (src->dim() != dst.dim())
                throw Error(ErrorCode::InvalidArgument, "widen: '" + full + "' has another rank");
            if (src->sizes() == dst.sizes()) {
                dst.copy_(*src);
                continue;
            }
            // Only channel dimensions may grow: dim 0 (and the input dim of convolutions).
            std::vector<torch::Tensor> index(static_cast<size_t>(dst.dim()));
            for (int64_t d = 0; d < dst.dim(); ++d) {
                const int64_t o = src->size(d), n = dst.size(d);
                const bool channels = d == outDim || d == inDim || (inDim < 0 && d == 0);
                if (o != n && !channels)
                    throw Error(ErrorCode::InvalidArgument, "widen: '" + full + "' changes shape from " + sizesOf(*src) +
                                " to " + sizesOf(dst) + " outside its channels");
                if (d == inDim || (inDim < 0 && d == 0 && std::dynamic_pointer_cast<torch::nn::InstanceNorm2dImpl>(target))) {
                    // Inputs: a norm in front of a convolution reads the same channels as it.
                    const Mapping map = mapping(inputPieces(name, o, n, dimC), full);
                    // The input dim of a convolution: its new inputs start at zero.
                    if (d == inDim && map.added.numel() > 0) dst.index_fill_(d, map.added, 0.0);
                    index[static_cast<size_t>(d)] = map.oldToNew;
                } else {
                    index[static_cast<size_t>(d)] = mapping({{o, n}}, full).oldToNew;
                }
            }
            // Place the old block at its mapped rows/columns (the other dimensions are whole).
            torch::Tensor rows = dst.index_select(0, index[0]);
            if (dst.dim() > 1) rows.index_copy_(1, index[1], *src);
            else rows.copy_(*src);
            dst.index_copy_(0, index[0], rows);
        }
    }
}

} // namespace stemdeck::train
