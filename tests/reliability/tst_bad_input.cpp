// The bad-input suite: a corpus of hostile and edge-case files that the test generates (audio of
// every container cut short or corrupted, zero-length, 1-sample, 8 channels, 8 kHz and 384 kHz,
// NaN/Inf samples, a WAV header claiming 2^40 frames; checkpoints with a broken container or a
// pickle naming dangerous globals; safetensors headers that lie; configs with zero or negative
// sizes or dim_f > n_fft/2+1). Each row says what must happen: a decode that works, or a
// stemdeck::Error with a given code whose message names the file and the problem. Nothing may
// crash, and resident memory may not grow by more than a few MiB per file.
// (Config/checkpoint pairs that disagree need LibTorch: tst_bad_checkpoint.)
#include "audio/decode.h"
#include "checkpoint_builder.h"
#include "common/test_support.h"
#include "fake_engine.h"
#include "model/formats/tensor_file.h"
#include "model/model_config.h"

#include <QTemporaryDir>
#include <QTest>

#include <sndfile.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>

using namespace stemdeck;
namespace fs = std::filesystem;
namespace ckpt = stemdeck::test::ckpt;

namespace {

enum class Reader { Audio, AudioSanitized, Config, Checkpoint };
constexpr int kOk = -1;

struct Case {
    Reader reader;
    fs::path file;
    int code;            // ErrorCode, or kOk
    std::string problem; // words the message must contain (lower case compare)
    std::function<void(const audio::Decoded&)> check; // for kOk audio rows
};

std::string readText(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void writeText(const fs::path& p, const std::string& s) {
    std::ofstream(p, std::ios::binary) << s;
}

// A short file written by libsndfile; samples from fill(frame, channel).
void writeAudio(const fs::path& path, int format, int rate, int channels, int frames,
                const std::function<float(int, int)>& fill = {}) {
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    QVERIFY2(f, sf_strerror(nullptr));
    std::vector<float> data(size_t(frames) * size_t(channels));
    for (int i = 0; i < frames; ++i)
        for (int c = 0; c < channels; ++c)
            data[size_t(i) * size_t(channels) + size_t(c)] =
                fill ? fill(i, c) : 0.25f * std::sin(0.01f * float(i) * float(c + 1));
    // Float files: no normalisation, so NaN and Inf reach the file as they are.
    if ((format & SF_FORMAT_SUBMASK) == SF_FORMAT_FLOAT) sf_command(f, SFC_SET_NORM_FLOAT, nullptr, SF_FALSE);
    QCOMPARE(sf_writef_float(f, data.data(), frames), sf_count_t(frames));
    sf_close(f);
}

void truncateTo(const fs::path& from, const fs::path& to, double fraction, size_t atMost = SIZE_MAX) {
    std::string bytes = readText(from);
    bytes.resize(std::min(atMost, size_t(double(bytes.size()) * fraction)));
    writeText(to, bytes);
}

// Flips bytes in the middle of a file (the header stays intact).
void corrupt(const fs::path& from, const fs::path& to, size_t keepHeader) {
    std::string bytes = readText(from);
    uint32_t x = 12345;
    for (size_t i = keepHeader; i < bytes.size(); i += 7) {
        x = x * 1664525u + 1013904223u;
        bytes[i] = char(x >> 24);
    }
    writeText(to, bytes);
}

void le32(std::string& s, uint32_t v) {
    for (int i = 0; i < 4; ++i) s += char((v >> (8 * i)) & 0xff);
}
void le64(std::string& s, uint64_t v) {
    for (int i = 0; i < 8; ++i) s += char((v >> (8 * i)) & 0xff);
}

// A "fmt " chunk body: 16-bit PCM, stereo, 44.1 kHz.
void pcm16StereoFmt(std::string& s) {
    le32(s, 16);
    s += std::string("\x01\x00\x02\x00", 4);
    le32(s, 44100);
    le32(s, 44100 * 4);
    s += std::string("\x04\x00\x10\x00", 4);
}

// An RF64 WAV (16-bit stereo) whose ds64 chunk claims 2^40 frames, followed by 100 real frames.
std::string rf64Claiming(uint64_t frames) {
    const uint64_t dataBytes = frames * 4;
    std::string s = "RF64";
    le32(s, 0xffffffffu);
    s += "WAVEds64";
    le32(s, 28);
    le64(s, dataBytes + 80); // riff size
    le64(s, dataBytes);      // data size
    le64(s, frames);         // sample count
    le32(s, 0);              // table length
    s += "fmt ";
    pcm16StereoFmt(s);
    s += "data";
    le32(s, 0xffffffffu);
    s += std::string(400, '\x01');
    return s;
}

// A plain WAV whose data chunk claims 4 GiB - 1 bytes but holds 100 frames.
std::string wavClaiming4GiB() {
    std::string s = "RIFF";
    le32(s, 0xffffffffu);
    s += "WAVEfmt ";
    pcm16StereoFmt(s);
    s += "data";
    le32(s, 0xfffffff0u);
    s += std::string(400, '\x02');
    return s;
}

std::string pickleCalling(const char* module, const char* name) {
    ckpt::PickleWriter w(2);
    w.global(module, name).str("touch /tmp/stemdeck-owned").op('\x85').op('R');
    return w.finish();
}

class Corpus {
public:
    Corpus() {
        QVERIFY(m_dir.isValid());
        m_root = test::toPath(m_dir.path());
    }
    fs::path path(const std::string& name) const { return m_root / name; }
    std::map<std::string, Case> cases;

private:
    QTemporaryDir m_dir;
    fs::path m_root;
};

Corpus& corpus() {
    static Corpus c;
    return c;
}

void buildAudio(Corpus& c) {
    struct Fmt {
        const char* name;
        int format;
        size_t header; // bytes kept intact by corrupt()
    };
    const Fmt fmts[] = {
        {"wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44},   {"flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 200},
        {"aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_24, 60}, {"ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 400},
        {"w64", SF_FORMAT_W64 | SF_FORMAT_FLOAT, 120},   {"mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 400},
    };
    const auto U = int(ErrorCode::UnreadableFile);
    for (const Fmt& f : fmts) {
        const fs::path good = c.path(std::string("good.") + f.name);
        writeAudio(good, f.format, 44100, 2, 44100);
        c.cases[std::string("good ") + f.name] = {Reader::Audio, good, kOk, {}, {}};
        const fs::path header = c.path(std::string("header-only.") + f.name);
        truncateTo(good, header, 1.0, 60);
        c.cases[std::string("cut in the header ") + f.name] = {Reader::Audio, header, U, "", {}};
        const fs::path cut = c.path(std::string("truncated.") + f.name);
        truncateTo(good, cut, 0.5);
        // MP3 has no length in its header: a cut file is shorter, not detectably truncated.
        if (std::string(f.name) == "mp3")
            c.cases["truncated mp3"] = {Reader::Audio, cut, kOk, {}, [](const audio::Decoded& d) {
                                            QVERIFY(d.audio.frames > 0 && d.audio.frames < 44100);
                                        }};
        else
            c.cases[std::string("truncated ") + f.name] = {Reader::Audio, cut, U, "truncated", {}};
        const fs::path bad = c.path(std::string("corrupt.") + f.name);
        corrupt(good, bad, f.header);
        // PCM (and MP3 frames, which the decoder resynchronises) carry no checksum: a damaged body
        // decodes as noise, which must still be a consistent, finite buffer. FLAC, Ogg and W64
        // structures do notice.
        const bool detectable = std::string(f.name) == "flac" || std::string(f.name) == "ogg" || std::string(f.name) == "w64";
        c.cases[std::string("corrupt ") + f.name] = {Reader::Audio, bad, detectable ? U : kOk, "", [](const audio::Decoded& d) {
                                                         for (float s : d.audio.samples) QVERIFY(std::isfinite(s));
                                                     }};
    }
    writeText(c.path("zero-length.wav"), "");
    c.cases["zero-length file"] = {Reader::Audio, c.path("zero-length.wav"), int(ErrorCode::EmptyInput), "empty", {}};
    writeAudio(c.path("no-frames.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, 0);
    c.cases["valid header, zero frames"] = {Reader::Audio, c.path("no-frames.wav"), int(ErrorCode::EmptyInput), "", {}};
    writeText(c.path("text.wav"), "this is not audio at all, just a text file named .wav\n");
    c.cases["text named .wav"] = {Reader::Audio, c.path("text.wav"), U, "", {}};

    writeAudio(c.path("one-sample.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 1, 1,
               [](int, int) { return 0.5f; });
    c.cases["1 sample"] = {Reader::Audio, c.path("one-sample.wav"), kOk, {}, [](const audio::Decoded& d) {
                               QCOMPARE(d.audio.frames, int64_t(1));
                               QCOMPARE(d.audio.samples.at(0), 0.5f);
                           }};
    writeAudio(c.path("eight-channels.wav"), SF_FORMAT_WAVEX | SF_FORMAT_PCM_24, 48000, 8, 4800,
               [](int i, int ch) { return float(ch) / 8.0f + (i % 2 ? 0.0f : 0.0f); });
    c.cases["8 channels"] = {Reader::Audio, c.path("eight-channels.wav"), kOk, {}, [](const audio::Decoded& d) {
                                 QCOMPARE(d.audio.channels, 8);
                                 QCOMPARE(d.audio.frames, int64_t(4800));
                                 QCOMPARE(d.audio.channel(7)[100], 7.0f / 8.0f); // channel order kept
                             }};
    writeAudio(c.path("8k.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 8000, 1, 800);
    c.cases["8 kHz"] = {Reader::Audio, c.path("8k.flac"), kOk, {}, [](const audio::Decoded& d) {
                            QCOMPARE(d.audio.sampleRate, 8000);
                            QCOMPARE(d.audio.frames, int64_t(800));
                        }};
    writeAudio(c.path("384k.wav"), SF_FORMAT_WAV | SF_FORMAT_FLOAT, 384000, 2, 38400);
    c.cases["384 kHz"] = {Reader::Audio, c.path("384k.wav"), kOk, {}, [](const audio::Decoded& d) {
                              QCOMPARE(d.audio.sampleRate, 384000);
                              QCOMPARE(d.audio.frames, int64_t(38400));
                          }};
    const auto nanInf = [](int i, int c) {
        if (i == 10 && c == 0) return std::numeric_limits<float>::quiet_NaN();
        if (i == 20 && c == 1) return std::numeric_limits<float>::infinity();
        if (i == 30) return -std::numeric_limits<float>::infinity();
        return 0.1f;
    };
    writeAudio(c.path("nan-inf.wav"), SF_FORMAT_WAV | SF_FORMAT_FLOAT, 44100, 2, 1000, nanInf);
    // The message names the first invalid frame (10), not the start of the block read.
    c.cases["NaN/Inf samples"] = {Reader::Audio, c.path("nan-inf.wav"), int(ErrorCode::NonFiniteAudio), "the first at frame 10 (", {}};
    c.cases["NaN/Inf samples, sanitized"] = {Reader::AudioSanitized, c.path("nan-inf.wav"), kOk, {},
                                             [](const audio::Decoded& d) {
                                                 for (float s : d.audio.samples) QVERIFY(std::isfinite(s));
                                                 QCOMPARE(d.audio.channel(0)[10], 0.0f);
                                                 QCOMPARE(d.audio.channel(0)[11], 0.1f);
                                                 QVERIFY(!d.notes.empty()); // the user is told
                                             }};
    writeText(c.path("claims-2^40-frames.wav"), rf64Claiming(uint64_t(1) << 40));
    c.cases["RF64 header claiming 2^40 frames"] = {Reader::Audio, c.path("claims-2^40-frames.wav"), U, "truncated", {}};
    writeText(c.path("claims-4GiB.wav"), wavClaiming4GiB());
    c.cases["WAV data chunk claiming 4 GiB"] = {Reader::Audio, c.path("claims-4GiB.wav"), U, "", {}};
    // fuzz_decode's finding (bug 5): 117 bytes of FLAC whose header claims hours of 8-channel
    // audio. The decoder once allocated what the header claimed before reading a frame.
    const fs::path hugeFlac = fs::path(STEMDECK_FUZZ_REGRESSIONS_DIR) / "fuzz_decode" / "flac-huge-frame-count-oom";
    QVERIFY(fs::exists(hugeFlac));
    fs::copy_file(hugeFlac, c.path("claims-hours.flac"));
    c.cases["FLAC of 117 bytes claiming hours"] = {Reader::Audio, c.path("claims-hours.flac"), U, "damaged", {}};
}

void buildConfigs(Corpus& c) {
    const fs::path vectors = test::mdx23cVectorsDir();
    std::string base = vectors.empty() ? std::string() : readText(vectors / "drumsep5_tiny" / "config.yaml");
    if (base.empty()) return; // rows below need the shared config; the data function says so
    const auto C = int(ErrorCode::InvalidConfig);
    struct Edit {
        const char* name;
        const char* from;
        const char* to;
        const char* key; // the key the message must name
    };
    const Edit edits[] = {
        {"chunk_size 0", "chunk_size: 32256", "chunk_size: 0", "chunk_size"},
        {"chunk_size negative", "chunk_size: 32256", "chunk_size: -32256", "chunk_size"},
        {"n_fft 0", "n_fft: 2048", "n_fft: 0", "n_fft"},
        {"n_fft negative", "n_fft: 2048", "n_fft: -2048", "n_fft"},
        {"hop_length 0", "hop_length: 512", "hop_length: 0", "hop_length"},
        {"dim_f > n_fft/2+1", "dim_f: 1024", "dim_f: 1026", "dim_f"},
        {"dim_f negative", "dim_f: 1024", "dim_f: -1", "dim_f"},
        {"num_channels 0", "  num_channels: 8", "  num_channels: 0", "num_channels"},
        {"num_scales negative", "num_scales: 5", "num_scales: -5", "num_scales"},
        {"growth negative", "growth: 8", "growth: -8", "growth"},
        {"num_subbands 0", "num_subbands: 4", "num_subbands: 0", "num_subbands"},
        {"num_overlap 0", "num_overlap: 4", "num_overlap: 0", "num_overlap"},
        {"batch_size negative", "batch_size: 1", "batch_size: -1", "batch_size"},
        {"sample_rate 0", "sample_rate: 44100", "sample_rate: 0", "sample_rate"},
        {"chunk_size a string", "chunk_size: 32256", "chunk_size: big", "chunk_size"},
        {"chunk_size huge", "chunk_size: 32256", "chunk_size: 99999999999999999999", "chunk_size"},
        {"no instruments", "  - kick\n  - snare\n  - toms\n  - hh\n  - cymbals\n", "  []\n", "instruments"},
    };
    for (const Edit& e : edits) {
        std::string text = base;
        const size_t at = text.find(e.from);
        QVERIFY2(at != std::string::npos, e.from);
        text.replace(at, std::strlen(e.from), e.to);
        std::string file = std::string("config ") + e.name + ".yaml";
        for (char& ch : file)
            if (ch == '/' || ch == '>' || ch == '+') ch = '_';
        writeText(c.path(file), text);
        c.cases[std::string("config: ") + e.name] = {Reader::Config, c.path(file), C, e.key, {}};
    }
    // Found by fuzz_model_config: a stem name that is not UTF-8 was accepted, and toYaml() then
    // wrote a config that read back with other stems.
    {
        std::string text = base;
        text.replace(text.find("  - kick\n"), 9, "  - voca\x91\x8c\n");
        writeText(c.path("stem-not-utf8.yaml"), text);
        c.cases["config: stem name not UTF-8"] = {Reader::Config, c.path("stem-not-utf8.yaml"), C, "UTF-8", {}};
        // Found by fuzz_model_config later: an overlong form ('7' as C0 B7) passed a check that
        // looked only at the bytes' shape; yaml-cpp's emitter wrote it back as '7'.
        text = base;
        text.replace(text.find("  - kick\n"), 9, "  - kick\xC0\xB7\n");
        writeText(c.path("stem-overlong-utf8.yaml"), text);
        c.cases["config: stem name overlong UTF-8"] = {Reader::Config, c.path("stem-overlong-utf8.yaml"), C, "UTF-8", {}};
    }
    writeText(c.path("empty.yaml"), "");
    c.cases["config: empty file"] = {Reader::Config, c.path("empty.yaml"), C, "", {}};
    writeText(c.path("not-yaml.yaml"), "audio: [unclosed\n  : :\n");
    c.cases["config: not YAML"] = {Reader::Config, c.path("not-yaml.yaml"), C, "", {}};
    std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char k = 'b'; k <= 'j'; ++k)
        laughs += std::string(1, k) + ": &" + k + " [*" + char(k - 1) + ", *" + char(k - 1) + ", *" + char(k - 1) +
                  ", *" + char(k - 1) + ", *" + char(k - 1) + ", *" + char(k - 1) + ", *" + char(k - 1) + ", *" +
                  char(k - 1) + ", *" + char(k - 1) + ", *" + char(k - 1) + "]\n";
    writeText(c.path("billion-laughs.yaml"), laughs);
    c.cases["config: billion laughs"] = {Reader::Config, c.path("billion-laughs.yaml"), C, "", {}};
    writeText(c.path("too-big.yaml"), std::string(2 << 20, '#'));
    c.cases["config: 2 MiB file"] = {Reader::Config, c.path("too-big.yaml"), C, "", {}};
}

void buildCheckpoints(Corpus& c) {
    const auto I = int(ErrorCode::InvalidCheckpoint), S = int(ErrorCode::UnsafeCheckpoint);
    const auto add = [&](const std::string& name, const std::string& file, const ckpt::Bytes& bytes, int code,
                         const std::string& problem) {
        ckpt::writeFile(c.path(file), bytes);
        c.cases["checkpoint: " + name] = {Reader::Checkpoint, c.path(file), code, problem, {}};
    };
    const std::pair<const char*, const char*> dangerous[] = {
        {"os", "system"},       {"posix", "system"},   {"subprocess", "Popen"},     {"builtins", "eval"},
        {"builtins", "exec"},   {"__builtin__", "eval"}, {"builtins", "getattr"},  {"torch", "load"},
        {"numpy.core.multiarray", "_reconstruct"}, {"collections", "defaultdict"},
    };
    for (const auto& [module, name] : dangerous) {
        const std::string global = std::string(module) + "." + name;
        add("pickle calling " + global, "evil-" + global + ".ckpt",
            ckpt::torchCheckpointWithPickle(pickleCalling(module, name)), S, global);
    }
    add("zip without data.pkl", "no-pickle.ckpt", ckpt::zipArchive({{"archive/version", ckpt::toBytes("3\n")}}), I,
        "data.pkl");
    add("zero-length file", "empty.ckpt", {}, I, "");
    add("legacy torch file", "legacy.pth",
        ckpt::toBytes(std::string("\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.", 15)),
        int(ErrorCode::UnsupportedFormat), "1.6");
    add("pickle not a dict", "list.ckpt", ckpt::torchCheckpointWithPickle(ckpt::PickleWriter(2).op(']').finish()), I,
        "");
    add("pickle cut short", "cut-pickle.ckpt",
        ckpt::torchCheckpointWithPickle(ckpt::PickleWriter(2).op('}').str("a").finish().substr(0, 6)), I, "");
    const fs::path vectors = test::mdx23cVectorsDir();
    if (!vectors.empty()) {
        const ckpt::Bytes real = ckpt::readFile(vectors / "variants_groupnorm_relu" / "model.ckpt");
        add("truncated zip", "truncated.ckpt", ckpt::Bytes(real.begin(), real.begin() + long(real.size() / 2)), I, "");
        ckpt::Bytes flipped = real;
        for (size_t i = 2000; i < flipped.size(); i += 997) flipped[i] ^= std::byte{0x5a};
        add("corrupt zip entries", "corrupt.ckpt", flipped, I, "");
    }
    add("safetensors header length 2^63", "huge-header.safetensors",
        ckpt::Bytes{std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0},
                    std::byte{0}, std::byte{0x80}, std::byte{'{'}, std::byte{'}'}},
        I, "header");
    add("safetensors header not JSON", "bad-json.safetensors", ckpt::safetensorsFile("{\"a\": [1, 2", {}), I, "");
    add("safetensors offsets past the end", "past-end.safetensors",
        ckpt::safetensorsFile(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,1600]}})", ckpt::Bytes(16)), I,
        "w");
    add("safetensors shape disagrees with bytes", "shape.safetensors",
        ckpt::safetensorsFile(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}})", ckpt::Bytes(16)), I, "w");
    add("safetensors unknown dtype", "dtype.safetensors",
        ckpt::safetensorsFile(R"({"w":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}})", ckpt::Bytes(16)), I,
        "F128");
    add("safetensors shape overflow", "overflow.safetensors",
        ckpt::safetensorsFile(
            R"({"w":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,16]}})",
            ckpt::Bytes(16)),
        I, "w");
}

} // namespace

class TestBadInput : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        Corpus& c = corpus();
        buildAudio(c);
        buildConfigs(c);
        buildCheckpoints(c);
        QVERIFY(c.cases.size() > 40);
        if (test::mdx23cVectorsDir().empty())
            qWarning("shared vectors missing (STEMDECK_TESTDATA_DIR): config rows and real-checkpoint rows left out");
    }

    void hostileFile_data() {
        QTest::addColumn<QString>("row");
        for (const auto& [name, c] : corpus().cases) QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }

    void hostileFile() {
        QFETCH(QString, row);
        const Case& c = corpus().cases.at(row.toStdString());
        const bool peakKnown = test::resetPeakResident();
        const int64_t rssBefore = test::residentBytes();
        std::optional<Error> error;
        try {
            switch (c.reader) {
            case Reader::Audio:
            case Reader::AudioSanitized: {
                audio::DecodeOptions options;
                options.sanitizeNonFinite = c.reader == Reader::AudioSanitized;
                const audio::Decoded d = audio::decodeFile(c.file, options);
                QVERIFY2(c.code == kOk, "decoded without an error");
                QCOMPARE(d.audio.samples.size(), size_t(d.audio.channels) * size_t(d.audio.frames));
                if (c.check) c.check(d);
                break;
            }
            case Reader::Config:
                model::loadModelConfig(c.file);
                QVERIFY2(c.code == kOk, "config accepted");
                break;
            case Reader::Checkpoint: {
                auto file = model::formats::openTensorFile(c.file);
                for (const auto& s : file->storages()) file->readStorage(s.key);
                QVERIFY2(c.code == kOk, "checkpoint accepted");
                break;
            }
            }
        } catch (const Error& e) {
            error = e;
        }
        if (error) {
            const QString message = QString::fromStdString(error->what());
            qInfo().noquote() << errorCodeName(error->code()) << "|" << message;
            QVERIFY2(c.code != kOk, qPrintable("unexpected error: " + message));
            QCOMPARE(errorCodeName(error->code()), errorCodeName(ErrorCode(c.code)));
            QVERIFY2(message.contains(QString::fromStdString(c.file.filename().string())),
                     qPrintable("message does not name the file: " + message));
            QVERIFY2(message.contains(QString::fromStdString(c.problem), Qt::CaseInsensitive),
                     qPrintable("message does not name the problem (" + QString::fromStdString(c.problem) +
                                "): " + message));
        }
        // Memory stays bounded: no file may make the reader allocate what its header claims, not
        // even for a moment (the peak; a buffer freed by the error would not show afterwards).
        const int64_t after = peakKnown ? test::peakResidentBytes() : test::residentBytes();
        const int64_t grown = after - rssBefore;
        QVERIFY2(grown < (48 << 20), qPrintable(QStringLiteral("%1 grew by %2 MiB")
                                                    .arg(peakKnown ? "peak RSS" : "RSS")
                                                    .arg(grown >> 20)));
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_bad_input.moc"
