// Writes the generated seed corpora of the fuzz targets into <out>/<target>/: small torch.save
// checkpoints (every layout and protocol the reader knows, fp16/bf16, a shared storage, a
// refused global), their pickles, safetensors files, short audio files in every container
// libsndfile writes here, and naming templates. Extra arguments are real checkpoints (the
// shared parity vectors) whose data.pkl becomes a pickle seed.
//   make_seeds <out> [model.ckpt...]
#include "checkpoint_builder.h"
#include "model/formats/safetensors.h"
#include "model/formats/zip_archive.h"

#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace stemdeck::test::ckpt;

namespace {

void save(const fs::path& folder, const std::string& name, const Bytes& bytes) {
    fs::create_directories(folder);
    writeFile(folder / name, bytes);
}

StorageSpec storage(DType dtype, std::size_t count, std::uint32_t seed) {
    return {dtype, count, encode(exactValues(count, seed), dtype)};
}

CheckpointSpec twoTensors(DType dtype, int protocol, Layout layout, std::string prefix = {}) {
    CheckpointSpec spec;
    spec.protocol = protocol;
    spec.layout = layout;
    spec.namePrefix = std::move(prefix);
    spec.storages["0"] = storage(dtype, 12, 1);
    spec.storages["1"] = storage(dtype, 4, 2);
    spec.tensors.push_back({"conv.weight", "0", dtype, {3, 4}, {4, 1}, 0, true});
    spec.tensors.push_back({"conv.bias", "1", dtype, {4}, {1}, 0, false});
    // A second view of storage 0 (transposed, offset), as torch.save writes for shared storages.
    spec.tensors.push_back({"view.t", "0", dtype, {2, 3}, {1, 4}, 1, false});
    return spec;
}

void checkpoints(const fs::path& out) {
    int n = 0;
    for (DType dtype : {DType::F32, DType::F16, DType::BF16})
        for (int protocol : {2, 4})
            for (Layout layout : {Layout::OrderedDict, Layout::PlainDict, Layout::Lightning}) {
                const auto spec = twoTensors(dtype, protocol, layout, layout == Layout::Lightning ? "model." : "");
                const std::string name = "seed" + std::to_string(n++);
                save(out / "fuzz_checkpoint", name + ".ckpt", torchCheckpoint(spec));
                save(out / "fuzz_pickle", name + ".pkl", toBytes(torchPickle(spec)));
            }
    // A pickle naming a refused global (the reader must say UnsafeCheckpoint, not run it).
    PickleWriter evil(2);
    evil.global("os", "system").str("echo owned").op('\x85').op('R');
    save(out / "fuzz_pickle", "os_system.pkl", toBytes(evil.finish()));
    save(out / "fuzz_checkpoint", "os_system.ckpt", torchCheckpointWithPickle(evil.finish()));
}

void safetensors(const fs::path& out) {
    const Bytes f32 = encode(exactValues(12, 1), DType::F32);
    const Bytes f16 = encode(exactValues(4, 2), DType::F16);
    std::vector<stemdeck::model::formats::SafetensorsTensor> tensors = {
        {"conv.weight", DType::F32, {3, 4}, {f32.data(), f32.size()}},
        {"conv.bias", DType::F16, {4}, {f16.data(), f16.size()}},
    };
    fs::create_directories(out / "fuzz_safetensors");
    stemdeck::model::formats::writeSafetensors(out / "fuzz_safetensors" / "two.safetensors", tensors,
                                               {{"format", "pt"}});
    Bytes data = f32;
    save(out / "fuzz_safetensors", "handmade.safetensors",
         safetensorsFile(R"({"a":{"dtype":"F32","shape":[3,4],"data_offsets":[0,48]},"__metadata__":{"k":"v"}})", data));
    save(out / "fuzz_safetensors", "empty.safetensors", safetensorsFile("{}", {}));
}

void audio(const fs::path& out) {
    struct Kind {
        const char* name;
        int format;
        int rate;
        int channels;
    };
    const Kind kinds[] = {
        {"pcm16.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2},
        {"pcm24.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 48000, 1},
        {"float.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 44100, 2},
        {"u8.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 8000, 1},
        {"ext.wav", SF_FORMAT_WAVEX | SF_FORMAT_PCM_16, 44100, 3},
        {"rf64.wav", SF_FORMAT_RF64 | SF_FORMAT_PCM_16, 44100, 2},
        {"w64.w64", SF_FORMAT_W64 | SF_FORMAT_PCM_16, 22050, 2},
        {"pcm16.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 44100, 2},
        {"float.caf", SF_FORMAT_CAF | SF_FORMAT_FLOAT, 44100, 2},
        {"pcm16.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2},
        {"pcm24.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 96000, 1},
        {"vorbis.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 44100, 2},
        {"opus.opus", SF_FORMAT_OGG | SF_FORMAT_OPUS, 48000, 2},
        {"mp3.mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 44100, 2},
    };
    const fs::path folder = out / "fuzz_decode";
    fs::create_directories(folder);
    for (const Kind& k : kinds) {
        SF_INFO info{};
        info.samplerate = k.rate;
        info.channels = k.channels;
        info.format = k.format;
        if (!sf_format_check(&info)) {
            std::printf("make_seeds: libsndfile cannot write %s here, skipped\n", k.name);
            continue;
        }
        const fs::path path = folder / k.name;
        SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
        if (!f) {
            std::printf("make_seeds: %s: %s, skipped\n", k.name, sf_strerror(nullptr));
            continue;
        }
        const int frames = 96;
        std::vector<float> interleaved(static_cast<size_t>(frames * k.channels));
        for (int i = 0; i < frames; ++i)
            for (int c = 0; c < k.channels; ++c)
                interleaved[size_t(i * k.channels + c)] = 0.5f * std::sin(0.07f * float(i) * float(c + 1));
        sf_writef_float(f, interleaved.data(), frames);
        sf_close(f);
    }
}

void templates(const fs::path& out) {
    const char* seeds[] = {
        "{track}/{stem}.{ext}\0My Song\0vocals\0wav\0mdx23c",
        "{model}/{date}/{index}-{stem}.{ext}\0a/b\0drums\0flac\0m",
        "out/{track} - {stem}.{ext}\0..\0.\0mp3\0",
        "{stem}\0\0..\0\0",
        "{unknown}/{stem}\0t\0s\0e\0m",
        "../{stem}.{ext}\0t\0s\0e\0m",
        "/abs/{stem}\0t\0s\0e\0m",
        "{{literal}}/{stem}.{ext}\0t\0s\0e\0m",
    };
    const fs::path folder = out / "fuzz_naming";
    fs::create_directories(folder);
    int n = 0;
    for (const char* s : seeds) {
        // The fields are NUL-separated, so the length is that of the whole literal.
        size_t len = 0;
        for (int fields = 0; fields < 5; ++fields) len += std::char_traits<char>::length(s + len) + 1;
        std::ofstream(folder / ("t" + std::to_string(n++)), std::ios::binary).write(s, std::streamsize(len - 1));
    }
}

void sharedPickles(const fs::path& out, int argc, char** argv) {
    for (int i = 2; i < argc; ++i) {
        try {
            auto zip = stemdeck::model::formats::ZipArchive::openFile(argv[i]);
            for (const auto& name : zip.entryNames())
                if (name.size() >= 8 && name.compare(name.size() - 8, 8, "data.pkl") == 0)
                    save(out / "fuzz_pickle", "shared" + std::to_string(i) + ".pkl", zip.readAll(name, 1u << 20));
        } catch (const std::exception& e) {
            std::printf("make_seeds: %s: %s\n", argv[i], e.what());
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: make_seeds <out> [model.ckpt...]\n");
        return 2;
    }
    const fs::path out = argv[1];
    checkpoints(out);
    safetensors(out);
    audio(out);
    templates(out);
    sharedPickles(out, argc, argv);
    return 0;
}
