// MSST config reading: the public layouts parse, errors name the key and the line, hostile YAML
// is refused quickly and without unbounded memory, and toYaml round-trips.
#include "common/error.h"
#include "model/model_config.h"
#include "model_layouts.h"
#include "common/test_support.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <regex>

using stemdeck::Error;
using stemdeck::ErrorCode;
using namespace stemdeck::model;

namespace {

const char* kTiny = R"(audio:
  chunk_size: 32256
  dim_f: 1024
  dim_t: 64
  hop_length: 512
  n_fft: 2048
  num_channels: 2
  sample_rate: 44100
  min_mean_abs: 0.0
model:
  act: gelu
  bottleneck_factor: 4
  growth: 8
  norm: InstanceNorm
  num_blocks_per_scale: 2
  num_channels: 8
  num_scales: 5
  num_subbands: 4
  scale:
  - 2
  - 2
training:
  instruments:
  - kick
  - snare
  target_instrument: null
inference:
  batch_size: 1
  dim_t: 64
  num_overlap: 4
)";

// Replaces the first line that starts with `key:` (after indentation) with `replacement`.
std::string edit(std::string yaml, const std::string& key, const std::string& replacement) {
    std::regex line("(^|\n)( *)" + key + ":[^\n]*");
    std::smatch m;
    if (!std::regex_search(yaml, m, line)) {
        qFatal("fixture has no key %s", key.c_str());
    }
    const std::string prefix = m[1].str() + m[2].str();
    return yaml.replace(m.position(0), m.length(0), prefix + replacement);
}

std::string replaced(std::string yaml, const std::string& from, const std::string& to) {
    const auto at = yaml.find(from);
    if (at == std::string::npos) {
        qFatal("fixture lacks %s", from.c_str());
    }
    return yaml.replace(at, from.size(), to);
}

std::string remove(std::string yaml, const std::string& key) {
    std::regex line("\n *" + key + ":[^\n]*");
    return std::regex_replace(yaml, line, "", std::regex_constants::format_first_only);
}

// Runs parse and returns the error (fails the test when nothing is thrown).
Error parseError(const std::string& yaml) {
    try {
        parseModelConfig(yaml, "fixture.yaml");
    } catch (const Error& e) {
        return e;
    }
    return Error(ErrorCode::Internal, "no error was thrown");
}

} // namespace

class TestModelConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void publicLayoutsParse_data() {
        QTest::addColumn<int>("index");
        const auto layouts = stemdeck::test::publicLayouts();
        for (int i = 0; i < static_cast<int>(layouts.size()); ++i) {
            QTest::newRow(layouts[i].name) << i;
        }
    }
    void publicLayoutsParse() {
        QFETCH(int, index);
        const auto layout = stemdeck::test::publicLayouts()[index];
        const ModelConfig c = parseModelConfig(stemdeck::test::layoutYaml(layout), layout.name);
        QCOMPARE(c.audio.n_fft, layout.nFft);
        QCOMPARE(c.audio.hop_length, layout.hop);
        QCOMPARE(c.audio.dim_f, layout.dimF);
        QCOMPARE(c.chunkSize(), layout.chunk);
        QCOMPARE(c.audio.sample_rate, 44100);
        QCOMPARE(c.audio.num_channels, 2);
        QCOMPARE(c.model.num_channels, layout.channels);
        QCOMPARE(c.model.growth, layout.growth);
        QCOMPARE(c.model.num_subbands, layout.subbands);
        QCOMPARE(c.model.scale[0], int64_t(2));
        QCOMPARE(c.model.scale[1], int64_t(2));
        QCOMPARE(c.activation(), Activation::Gelu);
        QCOMPARE(c.normKind(), Norm::Instance);
        QCOMPARE(c.stems(), layout.stems);
        QVERIFY(!c.training.target_instrument);
        QCOMPARE(c.inference.batch_size, layout.batch);
        QCOMPARE(c.inference.dim_t, layout.dimT);
        QCOMPARE(c.inference.num_overlap, layout.overlap);
        QCOMPARE(c.framesPerChunk(), layout.chunk / layout.hop + 1);
        if (layout.expectedParameters > 0) {
            QCOMPARE(parameterCountOf(c), layout.expectedParameters);
        }
    }

    void sharedVectorConfigsParse() {
        const auto dir = stemdeck::test::mdx23cVectorsDir();
        if (dir.empty()) {
            QSKIP("shared/testdata/mdx23c is missing (set STEMDECK_TESTDATA_DIR)");
        }
        int seen = 0;
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            if (!std::filesystem::exists(entry.path() / "config.yaml")) {
                continue;
            }
            const ModelConfig c = loadModelConfig(entry.path() / "config.yaml");
            QVERIFY(!c.stems().empty());
            ++seen;
        }
        QVERIFY(seen >= 5);
        const ModelConfig single = loadModelConfig(dir / "variants_batchnorm_elu" / "config.yaml");
        QCOMPARE(single.stems(), std::vector<std::string>{"vocals"});
        QCOMPARE(single.activation(), Activation::Elu);
        QCOMPARE(single.eluAlpha(), 1.0);
        QCOMPARE(single.normKind(), Norm::Batch);
        const ModelConfig group = loadModelConfig(dir / "variants_groupnorm_relu" / "config.yaml");
        QCOMPARE(group.normKind(), Norm::Group);
        QCOMPARE(group.groupNormGroups(), int64_t(2));
        QCOMPARE(group.activation(), Activation::Relu);
    }

    void optionalValues() {
        // inference.chunk_size wins over audio.chunk_size; target_instrument narrows the stems.
        std::string y = edit(kTiny, "num_overlap", "num_overlap: 2\n  chunk_size: 48640");
        y = edit(y, "target_instrument", "target_instrument: snare");
        const ModelConfig c = parseModelConfig(y, "x.yaml");
        QCOMPARE(c.chunkSize(), int64_t(48640));
        QCOMPARE(c.audio.chunk_size, int64_t(32256));
        QCOMPARE(c.stems(), std::vector<std::string>{"snare"});
        QCOMPARE(c.training.instruments.size(), std::size_t(2));

        // Without an inference section and audio.dim_t: defaults and the derived frame count.
        std::string bare = kTiny;
        bare = bare.substr(0, bare.find("inference:"));
        bare = remove(bare, "dim_t");
        const ModelConfig d = parseModelConfig(bare, "x.yaml");
        QCOMPARE(d.audio.dim_t, int64_t(64));
        QCOMPARE(d.inference.dim_t, int64_t(64));
        QCOMPARE(d.inference.batch_size, int64_t(1));
        QCOMPARE(d.inference.num_overlap, int64_t(4));
        QVERIFY(!d.inference.chunk_size);
        QVERIFY(!d.inference.mixture_consistency);
        QVERIFY(!c.inference.mixture_consistency);

        // StemDeck's own inference key: a YAML boolean.
        for (const char* yes : {"true", "yes", "on", "True"})
            QVERIFY(parseModelConfig(edit(kTiny, "num_overlap", std::string("num_overlap: 4\n  mixture_consistency: ") + yes),
                                     "x.yaml")
                        .inference.mixture_consistency);
        QVERIFY(!parseModelConfig(edit(kTiny, "num_overlap", "num_overlap: 4\n  mixture_consistency: false"), "x.yaml")
                     .inference.mixture_consistency);
        // And the soft-mask power: a number, 0 (absent) for off.
        QCOMPARE(d.inference.soft_mask_power, 0.0);
        QCOMPARE(parseModelConfig(edit(kTiny, "num_overlap", "num_overlap: 4\n  soft_mask_power: 2"), "x.yaml")
                     .inference.soft_mask_power,
                 2.0);
        QCOMPARE(parseModelConfig(edit(kTiny, "num_overlap", "num_overlap: 4\n  soft_mask_power: 0.5"), "x.yaml")
                     .inference.soft_mask_power,
                 0.5);
        // And the multichannel Wiener filter: a boolean, off when absent.
        QVERIFY(!d.inference.multichannel_wiener);
        QVERIFY(parseModelConfig(edit(kTiny, "num_overlap", "num_overlap: 4\n  multichannel_wiener: true"), "x.yaml")
                    .inference.multichannel_wiener);
        // And its passes: a whole number, 1 when absent.
        QCOMPARE(d.inference.wiener_iterations, int64_t(1));
        QCOMPARE(parseModelConfig(edit(kTiny, "num_overlap", "num_overlap: 4\n  multichannel_wiener: true\n  wiener_iterations: 2"),
                                  "x.yaml")
                     .inference.wiener_iterations,
                 int64_t(2));
        // And each pass's STFT size: a list, empty when absent.
        QVERIFY(d.inference.wiener_n_fft.empty());
        QCOMPARE(parseModelConfig(edit(kTiny, "num_overlap", "num_overlap: 4\n  multichannel_wiener: true\n  wiener_iterations: 2\n  wiener_n_fft: [2048, 1024]"),
                                  "x.yaml")
                     .inference.wiener_n_fft,
                 (std::vector<int64_t>{2048, 1024}));

        // An empty target means "all instruments", as in the reference.
        const ModelConfig e = parseModelConfig(edit(kTiny, "target_instrument", "target_instrument: ''"), "x.yaml");
        QCOMPARE(e.stems().size(), std::size_t(2));
    }

    void unknownKeysAndTagsTolerated() {
        std::string y = std::string(kTiny) +
                        "augmentations:\n  mixup_probs: !!python/tuple\n  - 0.2\n  - 0.02\n"
                        "  loudness: !!python/object/apply:builtins.eval ['1+1']\n"
                        "future_section:\n  nested: {a: [1, 2, {b: c}]}\n";
        y = edit(y, "min_mean_abs", "min_mean_abs: 0.001\n  some_new_audio_key: [1, 2]");
        const ModelConfig c = parseModelConfig(y, "x.yaml");
        QCOMPARE(c.audio.min_mean_abs, 0.001);
        QCOMPARE(c.stems().size(), std::size_t(2));
    }

    void errorsNameKeyAndLine_data() {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("line");

        auto row = [](const char* name, const std::string& yaml, const char* key, int line) {
            QTest::newRow(name) << QString::fromStdString(yaml) << QString(key) << line;
        };
        // Lines: audio 1..9, model 10..21, training 22..26, inference 27..30.
        row("missing n_fft", remove(kTiny, "n_fft"), "audio.n_fft", 2);
        row("n_fft text", edit(kTiny, "n_fft", "n_fft: large"), "audio.n_fft", 6);
        row("n_fft float", edit(kTiny, "n_fft", "n_fft: 2048.5"), "audio.n_fft", 6);
        row("zero hop", edit(kTiny, "hop_length", "hop_length: 0"), "audio.hop_length", 5);
        row("negative chunk", edit(kTiny, "chunk_size", "chunk_size: -5"), "audio.chunk_size", 2);
        row("dim_f too big", edit(kTiny, "dim_f", "dim_f: 1026"), "audio.dim_f", 3);
        row("three channels", edit(kTiny, "  num_channels", "  num_channels: 3"), "audio.num_channels", 7);
        row("chunk not multiple of hop", edit(kTiny, "chunk_size", "chunk_size: 32000"), "audio.chunk_size", 2);
        row("frames not divisible", edit(kTiny, "chunk_size", "chunk_size: 32768"), "audio.chunk_size", 2);
        row("dim_f not divisible", edit(kTiny, "dim_f", "dim_f: 1000"), "audio.dim_f", 3);
        row("unknown act", edit(kTiny, "act", "act: swish"), "model.act", 11);
        row("elu without alpha", edit(kTiny, "act", "act: elu"), "model.act", 11);
        row("bad group norm", edit(kTiny, "norm", "norm: GroupNormX"), "model.norm", 14);
        row("groups do not divide", edit(kTiny, "norm", "norm: GroupNorm3"), "model.norm", 14);
        row("zero scales", edit(kTiny, "num_scales", "num_scales: 0"), "model.num_scales", 17);
        row("scale not a pair", replaced(kTiny, "scale:\n  - 2\n  - 2", "scale: [2, 2, 2]"), "model.scale", 19);
        row("bottleneck too wide", edit(kTiny, "bottleneck_factor", "bottleneck_factor: 64"),
            "model.bottleneck_factor", 12);
        row("missing model key", remove(kTiny, "growth"), "model.growth", 11);
        row("instruments not a list", replaced(kTiny, "instruments:\n  - kick\n  - snare", "instruments: drums"),
            "training.instruments", 23);
        row("zero overlap", edit(kTiny, "num_overlap", "num_overlap: 0"), "inference.num_overlap", 30);
        row("inference chunk bad", edit(kTiny, "num_overlap", "num_overlap: 4\n  chunk_size: 1000"),
            "inference.chunk_size", 31);
        row("consistency not a bool", edit(kTiny, "num_overlap", "num_overlap: 4\n  mixture_consistency: sometimes"),
            "inference.mixture_consistency", 31);
        row("soft mask not a number", edit(kTiny, "num_overlap", "num_overlap: 4\n  soft_mask_power: wiener"),
            "inference.soft_mask_power", 31);
        row("soft mask negative", edit(kTiny, "num_overlap", "num_overlap: 4\n  soft_mask_power: -1"),
            "inference.soft_mask_power", 31);
        row("soft mask too strong", edit(kTiny, "num_overlap", "num_overlap: 4\n  soft_mask_power: 9"),
            "inference.soft_mask_power", 31);
        row("soft mask not finite", edit(kTiny, "num_overlap", "num_overlap: 4\n  soft_mask_power: .nan"),
            "inference.soft_mask_power", 31);
        // One stem: the mask would hand it the whole mix.
        row("soft mask on one stem",
            edit(edit(kTiny, "num_overlap", "num_overlap: 4\n  soft_mask_power: 2"), "target_instrument",
                 "target_instrument: kick"),
            "inference.soft_mask_power", 31);
        // The multichannel Wiener filter: a boolean, for stereo models of two stems or more.
        row("wiener not a bool", edit(kTiny, "num_overlap", "num_overlap: 4\n  multichannel_wiener: often"),
            "inference.multichannel_wiener", 31);
        row("wiener on a mono model",
            edit(edit(kTiny, "num_overlap", "num_overlap: 4\n  multichannel_wiener: true"), "  num_channels",
                 "  num_channels: 1"),
            "inference.multichannel_wiener", 31);
        row("wiener on one stem",
            edit(edit(kTiny, "num_overlap", "num_overlap: 4\n  multichannel_wiener: true"), "target_instrument",
                 "target_instrument: kick"),
            "inference.multichannel_wiener", 31);
        row("no wiener passes", edit(kTiny, "num_overlap", "num_overlap: 4\n  wiener_iterations: 0"),
            "inference.wiener_iterations", 31);
        row("too many wiener passes", edit(kTiny, "num_overlap", "num_overlap: 4\n  wiener_iterations: 9"),
            "inference.wiener_iterations", 31);
        // The passes' STFT sizes: one per pass, powers of two from 256 to 8192, each under twice
        // the chunk. `sizes` lines follow num_overlap (line 30).
        const auto sizes = [](const std::string& lines) { return edit(kTiny, "num_overlap", "num_overlap: 4\n  " + lines); };
        const char* key = "inference.wiener_n_fft";
        row("wiener sizes fewer than passes", sizes("wiener_iterations: 2\n  wiener_n_fft: [1024]"), key, 32);
        row("wiener sizes without passes", sizes("wiener_n_fft: [2048, 1024]"), key, 31);
        row("wiener size not a power of two", sizes("wiener_iterations: 2\n  wiener_n_fft: [2048, 1000]"), key, 32);
        row("wiener size too small", sizes("wiener_n_fft: [128]"), key, 31);
        row("wiener size too large", sizes("wiener_n_fft: [16384]"), key, 31);
        row("wiener size over the chunk", edit(sizes("wiener_n_fft: [8192]\n  chunk_size: 1536"), "num_scales", "num_scales: 1"),
            key, 31);
        row("wiener sizes not a list", sizes("wiener_n_fft: 1024"), key, 31);
        row("wiener sizes empty", sizes("wiener_n_fft: []"), key, 31);
        row("wiener size not a number", sizes("wiener_n_fft: [big]"), key, 31);
    }
    void errorsNameKeyAndLine() {
        QFETCH(QString, yaml);
        QFETCH(QString, key);
        QFETCH(int, line);
        const Error e = parseError(yaml.toStdString());
        const QString message = QString::fromStdString(e.what());
        qInfo().noquote() << message;
        QCOMPARE(e.code(), ErrorCode::InvalidConfig);
        QVERIFY2(message.startsWith("fixture.yaml: "), qPrintable(message));
        QVERIFY2(message.contains(key), qPrintable(message));
        QVERIFY2(message.contains(QString("line %1:").arg(line)), qPrintable(message));
    }

    void missingSection() {
        std::string y = kTiny;
        y = y.substr(0, y.find("training:")) + y.substr(y.find("inference:"));
        const Error e = parseError(y);
        QCOMPARE(e.code(), ErrorCode::InvalidConfig);
        QVERIFY2(std::string(e.what()).find("'training'") != std::string::npos, e.what());
    }

    void notAConfig_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray("");
        QTest::newRow("comment only") << QByteArray("# nothing\n");
        QTest::newRow("a list") << QByteArray("- 1\n- 2\n");
        QTest::newRow("a scalar") << QByteArray("hello");
        QTest::newRow("broken yaml") << QByteArray("audio: [1, 2\nmodel: {");
        QTest::newRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe", 18);
        QTest::newRow("tab indentation") << QByteArray("audio:\n\tn_fft: 2\n");
    }
    void notAConfig() {
        QFETCH(QByteArray, text);
        const Error e = parseError(text.toStdString());
        QCOMPARE(e.code(), ErrorCode::InvalidConfig);
        QVERIFY2(std::string(e.what()).rfind("fixture.yaml: ", 0) == 0, e.what());
    }

    // Hostile documents: each is refused with InvalidConfig well before it could exhaust the
    // stack or memory (a failure here shows as a crash or a timeout, never a pass).
    void hostileYamlBounded_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("says");

        QTest::newRow("deep flow nesting") << (QByteArray(100000, '[') + QByteArray(100000, ']')) << "nesting";
        QTest::newRow("deep map nesting") << (QByteArray("a: ").repeated(1) + QByteArray("{a: ").repeated(5000) +
                                              QByteArray("1") + QByteArray("}").repeated(5000))
                                          << "nesting";
        QByteArray blockDeep;
        for (int i = 0; i < 3000; ++i) {
            blockDeep += QByteArray(i, ' ') + "- \n";
        }
        QTest::newRow("deep block nesting") << blockDeep << "";
        QTest::newRow("dash chain") << (QByteArray("- ").repeated(20000) + "x\n") << "";

        // Billion laughs: 9 references per level, 12 levels = 9^12 nodes if expanded.
        QByteArray laughs = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
        for (int i = 1; i <= 12; ++i) {
            const QByteArray prev = "*a" + QByteArray::number(i - 1);
            laughs += "a" + QByteArray::number(i) + ": &a" + QByteArray::number(i) + " [" +
                      (prev + ", ").repeated(8) + prev + "]\n";
        }
        QTest::newRow("billion laughs") << laughs << "expands";
        QTest::newRow("billion laughs inside a config")
            << QByteArray(kTiny) + QByteArray(laughs).replace("a0:", "bomb0:") << "expands";
        QTest::newRow("too large") << QByteArray(2 << 20, '#') << "bytes";
        QTest::newRow("undefined alias") << QByteArray("audio: *nothing\n") << "";
    }
    void hostileYamlBounded() {
        QFETCH(QByteArray, text);
        QFETCH(QString, says);
        const Error e = parseError(text.toStdString());
        QCOMPARE(e.code(), ErrorCode::InvalidConfig);
        QVERIFY2(QString(e.what()).contains(says), e.what());
    }

    void aliasesThatStaySmallAreFine() {
        // Anchors are legal YAML; a config that reuses a value stays readable.
        std::string y = edit(kTiny, "n_fft", "n_fft: &fft 2048");
        y = edit(y, "batch_size", "batch_size: 1\n  unused: *fft");
        QCOMPARE(parseModelConfig(y, "x.yaml").audio.n_fft, int64_t(2048));
    }

    void loadFromFile() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto path = stemdeck::test::toPath(dir.filePath("config.yaml"));
        {
            std::ofstream out(path);
            out << kTiny;
        }
        QCOMPARE(loadModelConfig(path).stems().size(), std::size_t(2));

        try {
            loadModelConfig(path.parent_path() / "missing.yaml");
            QFAIL("a missing file must throw");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileNotFound);
            QVERIFY(std::string(e.what()).find("missing.yaml") != std::string::npos);
        }
        try {
            loadModelConfig(path.parent_path());
            QFAIL("a folder must throw");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::UnreadableFile);
        }
        {
            std::ofstream out(path);
            out << remove(kTiny, "sample_rate");
        }
        try {
            loadModelConfig(path);
            QFAIL("an incomplete config must throw");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidConfig);
            QVERIFY2(std::string(e.what()).find(path.string() + ": line 2: missing required key audio.sample_rate") !=
                         std::string::npos,
                     e.what());
        }
    }

    void toYamlRoundTrips() {
        std::string y = edit(kTiny, "num_overlap", "num_overlap: 2\n  chunk_size: 48640");
        y = edit(y, "target_instrument", "target_instrument: 'kick: \"#1\"'");
        y = edit(y, "act", "act: elu0.5");
        y = edit(y, "norm", "norm: GroupNorm4");
        y = replaced(y, "  - kick\n", "  - 'kick: \"#1\"'\n");
        y = replaced(y, "chunk_size: 48640", "chunk_size: 48640\n  mixture_consistency: true");
        const ModelConfig a = parseModelConfig(y, "a.yaml");
        const std::string written = toYaml(a);
        const ModelConfig b = parseModelConfig(written, "b.yaml");
        QCOMPARE(b.audio.chunk_size, a.audio.chunk_size);
        QCOMPARE(b.audio.dim_f, a.audio.dim_f);
        QCOMPARE(b.audio.dim_t, a.audio.dim_t);
        QCOMPARE(b.audio.hop_length, a.audio.hop_length);
        QCOMPARE(b.audio.n_fft, a.audio.n_fft);
        QCOMPARE(b.audio.min_mean_abs, a.audio.min_mean_abs);
        QCOMPARE(b.model.act, std::string("elu0.5"));
        QCOMPARE(b.eluAlpha(), 0.5);
        QCOMPARE(b.model.norm, std::string("GroupNorm4"));
        QCOMPARE(b.groupNormGroups(), int64_t(4));
        QCOMPARE(b.model.scale, a.model.scale);
        QCOMPARE(b.training.instruments, a.training.instruments);
        QCOMPARE(b.training.instruments[0], std::string("kick: \"#1\""));
        QCOMPARE(b.training.target_instrument, a.training.target_instrument);
        QCOMPARE(b.inference.chunk_size, a.inference.chunk_size);
        QCOMPARE(b.inference.num_overlap, int64_t(2));
        QVERIFY(a.inference.mixture_consistency);
        QVERIFY(b.inference.mixture_consistency);
        QCOMPARE(b.inference.soft_mask_power, 0.0);
        QVERIFY(written.find("soft_mask_power") == std::string::npos); // off: not written
        QVERIFY(written.find("multichannel_wiener") == std::string::npos);
        const ModelConfig w =
            parseModelConfig(toYaml(parseModelConfig(edit(kTiny, "num_overlap", "num_overlap: 4\n  multichannel_wiener: true"),
                                                     "w.yaml")),
                             "w2.yaml");
        QVERIFY(w.inference.multichannel_wiener);
        QVERIFY(written.find("wiener_iterations") == std::string::npos); // one pass: not written
        const ModelConfig w2 = parseModelConfig(
            toYaml(parseModelConfig(edit(kTiny, "num_overlap", "num_overlap: 4\n  multichannel_wiener: true\n  wiener_iterations: 3"),
                                    "w.yaml")),
            "w2.yaml");
        QCOMPARE(w2.inference.wiener_iterations, int64_t(3));
        QVERIFY(written.find("wiener_n_fft") == std::string::npos); // absent: not written
        const ModelConfig w3 = parseModelConfig(
            toYaml(parseModelConfig(edit(kTiny, "num_overlap",
                                         "num_overlap: 4\n  multichannel_wiener: true\n  wiener_iterations: 3\n  wiener_n_fft: [2048, 1024, 512]"),
                                    "w.yaml")),
            "w3.yaml");
        QCOMPARE(w3.inference.wiener_n_fft, (std::vector<int64_t>{2048, 1024, 512}));
        QCOMPARE(parameterCountOf(b), parameterCountOf(a));
        QCOMPARE(toYaml(b), written);

        // The soft-mask power (a model of two stems: one stem cannot have it).
        const ModelConfig m = parseModelConfig(edit(kTiny, "num_overlap", "num_overlap: 4\n  soft_mask_power: 1.5"), "m.yaml");
        const ModelConfig n = parseModelConfig(toYaml(m), "n.yaml");
        QCOMPARE(n.inference.soft_mask_power, 1.5);
        QCOMPARE(toYaml(n), toYaml(m));
    }

    // Stem names are read back after toYaml() and become file names: a name must be well-formed
    // UTF-8 without noncharacters (fuzz_model_config found an overlong form, C0 B7, that
    // yaml-cpp's emitter wrote back as '7'; the emitter writes noncharacters as U+FFFD). Each
    // refusal names training.instruments and its line.
    void stemNamesMustBeWellFormedUtf8_data() {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("ascii") << QByteArray("kick") << true;
        QTest::newRow("two bytes") << QByteArray("K\xC3\xA4se") << true;
        QTest::newRow("three bytes") << QByteArray("\xE9\xBC\x93") << true;
        QTest::newRow("four bytes") << QByteArray("\xF0\x9F\xA5\x81") << true;
        QTest::newRow("last plane") << QByteArray("\xF4\x8F\xBF\xBD") << true;
        QTest::newRow("replacement character") << QByteArray("\xEF\xBF\xBD") << true;
        QTest::newRow("after the noncharacters") << QByteArray("\xEF\xB7\xB0") << true;
        QTest::newRow("overlong two bytes") << QByteArray("HH\xC0\xB7HH") << false;
        QTest::newRow("overlong C1") << QByteArray("\xC1\xBF") << false;
        QTest::newRow("overlong three bytes") << QByteArray("\xE0\x80\xAF") << false;
        QTest::newRow("overlong four bytes") << QByteArray("\xF0\x80\x80\xAF") << false;
        QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << false;
        QTest::newRow("past U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << false;
        QTest::newRow("lead F5") << QByteArray("\xF5\x80\x80\x80") << false;
        QTest::newRow("lone continuation") << QByteArray("a\x80") << false;
        QTest::newRow("cut short") << QByteArray("a\xE2\x82") << false;
        QTest::newRow("bad continuation") << QByteArray("\xE2\x28\xA1") << false;
        QTest::newRow("noncharacter U+FDD0") << QByteArray("\xEF\xB7\x90") << false;
        QTest::newRow("noncharacter U+FFFE") << QByteArray("\xEF\xBF\xBE") << false;
        QTest::newRow("noncharacter U+10FFFF") << QByteArray("\xF4\x8F\xBF\xBF") << false;
    }
    void stemNamesMustBeWellFormedUtf8() {
        QFETCH(QByteArray, name);
        QFETCH(bool, accepted);
        // Double-quoted so that the name's bytes, not YAML's syntax, are what is judged.
        const std::string yaml = replaced(kTiny, "  - kick\n", "  - \"" + name.toStdString() + "\"\n");
        if (accepted) {
            const ModelConfig a = parseModelConfig(yaml, "a.yaml");
            QCOMPARE(a.training.instruments[0], name.toStdString());
            const ModelConfig b = parseModelConfig(toYaml(a), "b.yaml");
            QCOMPARE(b.training.instruments, a.training.instruments);
        } else {
            const Error e = parseError(yaml);
            const QString message = QString::fromStdString(e.what());
            QCOMPARE(e.code(), ErrorCode::InvalidConfig);
            QVERIFY2(message.contains("training.instruments") && message.contains("UTF-8"), qPrintable(message));
            QVERIFY2(message.contains("line 24:"), qPrintable(message)); // the name's line
        }
    }

    void validateCatchesEditsInCode() {
        ModelConfig c = parseModelConfig(kTiny, "x.yaml");
        validateModelConfig(c);
        c.model.num_subbands = 3;
        try {
            validateModelConfig(c, "edited");
            QFAIL("dim_f not divisible by the subbands must throw");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidConfig);
            QVERIFY2(std::string(e.what()).find("audio.dim_f") != std::string::npos, e.what());
        }
        c = parseModelConfig(kTiny, "x.yaml");
        c.model.num_channels = 4000;
        c.model.growth = 4000;
        try {
            validateModelConfig(c, "edited");
            QFAIL("a network of billions of parameters must be refused");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("parameters") != std::string::npos, e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestModelConfig)
#include "tst_model_config.moc"
