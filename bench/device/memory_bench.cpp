// stemdeck-device-memory-bench: measures the peak host memory of TFC-TDF v3 inference on the CPU
// per batch size and compares it with BatchPlanner's per-chunk estimate, to calibrate
// kActivationOverhead (docs/devices.md, "Memory estimate"). Not a test: it only prints figures.
//
//   stemdeck-device-memory-bench [--config FILE.yaml] [--frames-multiple M] [--batches 1,2,3]
//                                [--threads N] [--json]
//
// Without --config it measures the built-in layouts of shared/docs/model-configs.md. Chunks are
// shortened to hop x (32 M - 1) samples (M = --frames-multiple, default 1) so a run takes
// seconds on a laptop; activations scale linearly with frames, which the estimate models.
// Peak memory: Linux VmHWM after resetting it through /proc/self/clear_refs, minus VmRSS
// before the call, each batch size measured after malloc_trim.
#include "device/batch_planner.h"
#include "model/model_config.h"
#include "engine/model_shape.h"
#include "model/tfc_tdf_net.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace stemdeck;

namespace {

int64_t statusKb(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(key) + ":";
    while (std::getline(in, line))
        if (line.rfind(prefix, 0) == 0) return std::atoll(line.c_str() + prefix.size());
    return -1;
}

bool resetPeak() {
    std::ofstream f("/proc/self/clear_refs");
    if (!f) return false;
    f << "5";
    return static_cast<bool>(f);
}

struct Layout {
    std::string name;
    int64_t nFft, hop, dimF, channels, growth, subbands, stems;
};

std::string yamlFor(const Layout& l, int64_t chunk) {
    std::ostringstream y;
    y << "audio:\n  chunk_size: " << chunk << "\n  dim_f: " << l.dimF << "\n  hop_length: " << l.hop
      << "\n  n_fft: " << l.nFft << "\n  num_channels: 2\n  sample_rate: 44100\n"
      << "model:\n  act: gelu\n  bottleneck_factor: 4\n  growth: " << l.growth
      << "\n  norm: InstanceNorm\n  num_blocks_per_scale: 2\n  num_channels: " << l.channels
      << "\n  num_scales: 5\n  num_subbands: " << l.subbands << "\n  scale: [2, 2]\n"
      << "training:\n  instruments: [";
    for (int64_t s = 0; s < l.stems; ++s) y << (s ? ", " : "") << "s" << s;
    y << "]\n  target_instrument: null\n";
    return y.str();
}


void measure(const std::string& name, const model::ModelConfig& config, const std::vector<int>& batches, bool json) {
    torch::InferenceMode inference;
    model::TfcTdfNet net(config);
    net->eval();
    const device::ModelShape shape = engine::modelShapeOf(config, device::Precision::Fp32);
    const device::MemoryEstimate est = device::BatchPlanner::estimate(shape);
    std::vector<std::pair<int, int64_t>> peaks;
    // Warm-up at batch 1: first-call allocations (oneDNN primitives, thread pools) are not
    // activations.
    net->forward(torch::randn({1, config.audio.num_channels, config.chunkSize()}));
    for (int b : batches) {
        malloc_trim(0);
        const int64_t before = statusKb("VmRSS");
        if (!resetPeak()) {
            std::cerr << "cannot reset the peak RSS (/proc/self/clear_refs)\n";
            std::exit(2);
        }
        const auto input = torch::randn({b, config.audio.num_channels, config.chunkSize()});
        const auto out = net->forward(input);
        const int64_t peak = statusKb("VmHWM");
        peaks.emplace_back(b, (peak - before) * 1024);
        if (out.size(0) != b) std::exit(3);
    }
    // Per-chunk bytes: slope between the smallest and largest batch.
    const double slope = peaks.size() > 1 ? double(peaks.back().second - peaks.front().second) /
                                                double(peaks.back().first - peaks.front().first)
                                          : double(peaks.front().second) / peaks.front().first;
    const double elementsBytes = double(est.activationElements) * 4.0;
    if (json) {
        std::cout << "{\"layout\":\"" << name << "\",\"chunk\":" << shape.chunkSize << ",\"frames\":"
                  << config.framesPerChunk() << ",\"activation_elements\":" << est.activationElements
                  << ",\"estimate_per_chunk\":" << est.perChunkBytes << ",\"measured_per_chunk\":" << int64_t(slope)
                  << ",\"overhead\":" << slope / elementsBytes << ",\"peaks\":[";
        for (size_t i = 0; i < peaks.size(); ++i)
            std::cout << (i ? "," : "") << "[" << peaks[i].first << "," << peaks[i].second << "]";
        std::cout << "]}\n";
    } else {
        std::printf("%-22s chunk %7lld (%3lld frames)  structural %8.1f MiB x4B", name.c_str(),
                    static_cast<long long>(shape.chunkSize), static_cast<long long>(config.framesPerChunk()),
                    elementsBytes / 1048576.0);
        for (const auto& [b, bytes] : peaks) std::printf("  b%d peak %8.1f MiB", b, bytes / 1048576.0);
        std::printf("  -> measured %8.1f MiB/chunk, estimate %8.1f MiB/chunk, overhead %.2f\n", slope / 1048576.0,
                    est.perChunkBytes / 1048576.0, slope / elementsBytes);
    }
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv) {
    std::string configPath;
    int multiple = 1;
    std::vector<int> batches{1, 2, 3};
    int threads = 0;
    bool json = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << a << " needs a value\n";
                std::exit(1);
            }
            return argv[++i];
        };
        if (a == "--config") configPath = next();
        else if (a == "--frames-multiple") multiple = std::max(1, std::atoi(next().c_str()));
        else if (a == "--threads") threads = std::atoi(next().c_str());
        else if (a == "--json") json = true;
        else if (a == "--batches") {
            batches.clear();
            std::stringstream s(next());
            std::string item;
            while (std::getline(s, item, ',')) batches.push_back(std::max(1, std::atoi(item.c_str())));
        } else {
            std::cerr << "usage: " << argv[0]
                      << " [--config FILE.yaml] [--frames-multiple M] [--batches 1,2,3] [--threads N] [--json]\n";
            return a == "--help" ? 0 : 1;
        }
    }
    if (threads > 0) at::set_num_threads(threads);
    try {
        if (!configPath.empty()) {
            model::ModelConfig c = model::loadModelConfig(configPath);
            measure(configPath, c, batches, json);
            return 0;
        }
        const std::vector<Layout> layouts = {
            {"msst-mdx23c-4stem", 8192, 1024, 4096, 128, 128, 4, 4},
            {"drumsep-5stem", 2048, 512, 1024, 128, 128, 4, 5},
            {"uvr-sndfx", 2048, 1024, 1024, 64, 64, 4, 3},
        };
        for (const auto& l : layouts) {
            const int64_t chunk = l.hop * (32 * multiple - 1);
            measure(l.name, model::parseModelConfig(yamlFor(l, chunk), l.name), batches, json);
        }
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
