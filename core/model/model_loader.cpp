#include "model/model_loader.h"

#include "common/error.h"
#include "common/log.h"

#include <torch/csrc/autograd/grad_mode.h>

#include <algorithm>
#include <map>
#include <sstream>

namespace stemdeck::model {

namespace {

// Parameters and buffers by name, skipping the undefined placeholders LibTorch registers for
// disabled options (e.g. running stats of a norm that does not track them).
std::map<std::string, torch::Tensor> namedTensors(const torch::nn::Module& module) {
    std::map<std::string, torch::Tensor> result;
    for (const auto& item : module.named_parameters(/*recurse=*/true)) {
        if (item.value().defined()) {
            result.emplace(item.key(), item.value());
        }
    }
    for (const auto& item : module.named_buffers(/*recurse=*/true)) {
        if (item.value().defined()) {
            result.emplace(item.key(), item.value());
        }
    }
    return result;
}

std::string shapeText(const std::vector<int64_t>& shape) {
    std::ostringstream out;
    out << "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        out << (i ? ", " : "") << shape[i];
    }
    out << "]";
    return out.str();
}

template <typename T, typename Fn>
void listSome(std::ostringstream& out, const std::vector<T>& items, const char* what, Fn&& text) {
    constexpr std::size_t shown = 5;
    if (items.empty()) {
        return;
    }
    out << (out.tellp() > 0 ? "; " : "") << items.size() << " " << what << ": ";
    for (std::size_t i = 0; i < items.size() && i < shown; ++i) {
        out << (i ? ", " : "") << text(items[i]);
    }
    if (items.size() > shown) {
        out << ", ... (" << items.size() - shown << " more)";
    }
}

} // namespace

int64_t countParameters(const torch::nn::Module& module) {
    int64_t total = 0;
    for (const auto& p : module.parameters(/*recurse=*/true)) {
        if (p.defined()) {
            total += p.numel();
        }
    }
    return total;
}

bool WeightCheck::ok() const {
    return missing.empty() && unexpected.empty() && shapeMismatches.empty() && !stemCount;
}

std::string WeightCheck::describe() const {
    if (ok()) {
        return "all weights match the config";
    }
    std::ostringstream out;
    if (stemCount) {
        out << "config lists " << stemCount->first << (stemCount->first == 1 ? " stem" : " stems")
            << ", checkpoint was trained for " << stemCount->second;
    }
    listSome(out, missing, "missing keys", [](const std::string& key) { return key; });
    listSome(out, unexpected, "unexpected keys", [](const std::string& key) { return key; });
    listSome(out, shapeMismatches, "shape mismatches", [](const ShapeMismatch& m) {
        return m.key + " (config " + shapeText(m.expected) + ", checkpoint " + shapeText(m.actual) + ")";
    });
    return out.str();
}

WeightCheck checkWeights(const TfcTdfNet& net, const StateDict& weights) {
    WeightCheck check;
    const std::map<std::string, torch::Tensor> expected = namedTensors(*net);
    std::map<std::string, const torch::Tensor*> given;
    for (const auto& [name, tensor] : weights) {
        given[name] = &tensor;
    }

    for (const auto& [name, tensor] : expected) {
        auto it = given.find(name);
        if (it == given.end()) {
            check.missing.push_back(name);
            continue;
        }
        const std::vector<int64_t> want = tensor.sizes().vec();
        const std::vector<int64_t> have = it->second->sizes().vec();
        if (want != have) {
            check.shapeMismatches.push_back({name, want, have});
        }
    }
    for (const auto& [name, tensor] : given) {
        if (expected.find(name) == expected.end()) {
            check.unexpected.push_back(name);
        }
    }

    // The last conv's output channels are stems x subbands x channels x 2: a different stem
    // count is the most common mix-up (config of one model, weights of another).
    const ModelConfig& config = net->config();
    const int64_t dimC = config.model.num_subbands * config.audio.num_channels * 2;
    auto it = given.find("final_conv.2.weight");
    if (it != given.end() && it->second->dim() >= 1 && dimC > 0) {
        const int64_t outChannels = it->second->size(0);
        if (outChannels % dimC == 0 && outChannels / dimC != net->stemCount()) {
            check.stemCount = std::make_pair(static_cast<int>(net->stemCount()), static_cast<int>(outChannels / dimC));
        }
    }
    return check;
}

void applyWeights(TfcTdfNet& net, const StateDict& weights) {
    const WeightCheck check = checkWeights(net, weights);
    if (!check.ok()) {
        throw Error(ErrorCode::WeightMismatch, "the checkpoint does not fit the config: " + check.describe());
    }
    std::map<std::string, torch::Tensor> target = namedTensors(*net);
    torch::NoGradGuard noGrad;
    for (const auto& [name, tensor] : weights) {
        // copy_ converts fp16/bf16/fp64 to the network's dtype and makes storages contiguous.
        target.at(name).copy_(tensor);
    }
}

LoadedModel loadModel(const std::filesystem::path& configPath, const std::filesystem::path& checkpointPath) {
    LoadedModel loaded;
    loaded.configPath = configPath;
    loaded.checkpointPath = checkpointPath;
    loaded.config = loadModelConfig(configPath);
    loaded.net = TfcTdfNet(loaded.config);

    std::map<std::string, std::string> metadata;
    const StateDict weights = loadStateDict(checkpointPath, &metadata);
    loaded.check = checkWeights(loaded.net, weights);
    if (!loaded.check.ok()) {
        throw Error(ErrorCode::WeightMismatch,
                    checkpointPath.string() + " does not fit " + configPath.string() + ": " + loaded.check.describe());
    }
    // A checkpoint that names its stems (StemDeck's exports write "stems" into the safetensors
    // metadata) must be read with a config listing them in that order: the shapes cannot tell
    // "kick, snare" from "snare, kick", and every stem would come out under another's name.
    if (const auto it = metadata.find("stems"); it != metadata.end() && !it->second.empty()) {
        std::string listed;
        for (const std::string& s : loaded.config.stems()) listed += (listed.empty() ? "" : ",") + s;
        if (listed != it->second) {
            std::string trained = it->second, shown = listed;
            std::replace(trained.begin(), trained.end(), ',', ' ');
            std::replace(shown.begin(), shown.end(), ',', ' ');
            throw Error(ErrorCode::WeightMismatch,
                        checkpointPath.string() + " was trained for the stems " + trained + " (in that order, its metadata says), but " +
                            configPath.string() + " lists " + shown +
                            ": the stems would come out under the wrong names. Use the config that came with the checkpoint.");
        }
    }
    // copy_ would turn integer or boolean tensors into "weights" without a word: a checkpoint
    // whose floating-point parameters are stored as integers is broken, not convertible.
    const std::map<std::string, torch::Tensor> expected = namedTensors(*loaded.net);
    for (const auto& [name, tensor] : weights) {
        const auto it = expected.find(name);
        if (it != expected.end() && it->second.is_floating_point() && !tensor.is_floating_point()) {
            throw Error(ErrorCode::WeightMismatch,
                        checkpointPath.string() + " does not fit " + configPath.string() + ": " + name + " holds " +
                            std::string(c10::toString(tensor.scalar_type())) +
                            " values where the network needs floating-point weights");
        }
    }
    applyWeights(loaded.net, weights);
    loaded.net->to(torch::kCPU, torch::kFloat);
    loaded.net->eval();
    SD_LOG(log::model, Info) << "loaded " << checkpointPath.string() << " (" << countParameters(*loaded.net)
                             << " parameters, " << loaded.config.stems().size() << " stems)";
    return loaded;
}

ModelSummary describeModel(const std::filesystem::path& configPath, const std::filesystem::path& checkpointPath) {
    ModelSummary summary;
    const ModelConfig config = loadModelConfig(configPath);
    summary.stems = config.stems();
    summary.sampleRate = config.audio.sample_rate;
    summary.chunkSize = config.chunkSize();
    summary.chunkSeconds = static_cast<double>(summary.chunkSize) / config.audio.sample_rate;

    TfcTdfNet net(config);
    summary.parameterCount = countParameters(*net);
    summary.check = checkWeights(net, loadStateDict(checkpointPath));
    return summary;
}

} // namespace stemdeck::model
