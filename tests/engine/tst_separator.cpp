// Separator against the shared MDX23C vectors: the overlap-add separation of mix.wav must match
// the reference demix/<stem>.wav for batch sizes 1-4 (max abs error < 1e-4 with Debian's
// LibTorch on the CPU), batch size must not change the result, and the streaming path must give
// the whole-buffer result. Also cancellation and profiling events.
#include "engine/separator.h"

#include "audio/decode.h"
#include "common/error.h"
#include "common/test_support.h"
#include "dsp/overlap_add.h"
#include "engine/profiler.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

using namespace stemdeck;
namespace fs = std::filesystem;

namespace {

engine::SeparatorOptions optionsFor(const fs::path& dir, int batch) {
    engine::SeparatorOptions o;
    o.configPath = dir / "config.yaml";
    o.checkpointPath = dir / "model.ckpt";
    o.device = device::DeviceId::cpu();
    o.batchSize = batch;
    return o;
}

float maxAbsDiff(const audio::AudioBuffer& a, const audio::AudioBuffer& b) {
    if (a.samples.size() != b.samples.size()) return INFINITY;
    float m = 0.0f;
    for (size_t i = 0; i < a.samples.size(); ++i) m = std::max(m, std::abs(a.samples[i] - b.samples[i]));
    return m;
}

} // namespace

class TestSeparator : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        if (test::mdx23cVectorsDir().empty()) QSKIP("shared MDX23C vectors not found (STEMDECK_TESTDATA_DIR)");
    }

    void parity_data() {
        QTest::addColumn<QString>("vector");
        QTest::addColumn<int>("batch");
        for (const char* v : {"drumsep5_tiny", "drumsep5_short", "vocals_tiny", "variants_groupnorm_relu",
                              "variants_batchnorm_elu"})
            for (int b = 1; b <= 4; ++b)
                QTest::newRow(qPrintable(QStringLiteral("%1 batch %2").arg(QLatin1String(v)).arg(b)))
                    << QString::fromLatin1(v) << b;
    }

    void parity() {
        QFETCH(QString, vector);
        QFETCH(int, batch);
        const fs::path dir = test::mdx23cVectorsDir() / vector.toStdString();
        engine::Separator separator(optionsFor(dir, batch));
        QCOMPARE(separator.batchSize(), batch);
        const audio::Decoded mix = audio::decodeFile(dir / "mix.wav");
        const auto stems = separator.separate(mix.audio, {});
        QCOMPARE(stems.size(), separator.stems().size());
        float worst = 0.0f;
        for (size_t s = 0; s < stems.size(); ++s) {
            const audio::Decoded ref = audio::decodeFile(dir / "demix" / (separator.stems()[s] + ".wav"));
            QCOMPARE(stems[s].frames, mix.audio.frames);
            QCOMPARE(stems[s].frames, ref.audio.frames);
            worst = std::max(worst, maxAbsDiff(stems[s], ref.audio));
        }
        qInfo("%s batch %d: max abs error %.3g over %zu stems", qPrintable(vector), batch, double(worst), stems.size());
        QVERIFY2(worst < 1e-4f, qPrintable(QStringLiteral("max abs error %1").arg(double(worst))));
    }

    void batchSizeDoesNotChangeResult() {
        // A short input (one chunk and a bit) is where per-batch first/last decisions used to
        // zero samples; per-chunk decisions make every batch size agree.
        const fs::path dir = test::mdx23cVectorsDir() / "drumsep5_short";
        const audio::Decoded mix = audio::decodeFile(dir / "mix.wav");
        engine::Separator one(optionsFor(dir, 1)), four(optionsFor(dir, 4));
        const auto a = one.separate(mix.audio, {}), b = four.separate(mix.audio, {});
        float worst = 0.0f;
        for (size_t s = 0; s < a.size(); ++s) worst = std::max(worst, maxAbsDiff(a[s], b[s]));
        qInfo("batch 1 vs 4: max abs difference %.3g", double(worst));
        QVERIFY(worst < 1e-5f);
        // The first sample is a real value, not the zero a per-batch window would leave.
        QVERIFY(std::abs(b[0].samples[0]) > 0.0f);
    }

    void streamingEqualsWholeBuffer() {
        const fs::path dir = test::mdx23cVectorsDir() / "variants_groupnorm_relu";
        const audio::Decoded mix = audio::decodeFile(dir / "mix.wav");
        engine::Separator separator(optionsFor(dir, 2));
        const auto whole = separator.separate(mix.audio, {});
        const int S = static_cast<int>(separator.stems().size()), C = separator.channels();
        const int64_t frames = mix.audio.frames;
        std::vector<float> rebuilt(static_cast<size_t>(S * C * frames)), window;
        int64_t done = 0, highestFirst = 0, maxWindow = 0;
        bool slides = true;
        separator.separateStreaming(
            frames,
            [&](int64_t first, int64_t last, int64_t* start, int64_t* count) -> const float* {
                // A sliding reader's view: requests never go back more than a batch of chunks.
                if (first < highestFirst - separator.chunkSize() * separator.batchSize()) slides = false;
                highestFirst = std::max(highestFirst, first);
                maxWindow = std::max(maxWindow, last - first + 1);
                window.assign(static_cast<size_t>(C * (last - first + 1)), 0.0f);
                for (int c = 0; c < C; ++c)
                    std::copy_n(mix.audio.channel(c).data() + first, last - first + 1,
                                window.data() + c * (last - first + 1));
                *start = first;
                *count = last - first + 1;
                return window.data();
            },
            [&](const std::vector<float>& planar, int64_t n) {
                QVERIFY(done + n <= frames);
                for (int sc = 0; sc < S * C; ++sc)
                    std::copy_n(planar.data() + sc * n, n, rebuilt.data() + sc * frames + done);
                done += n;
            },
            {});
        QVERIFY(slides);
        QVERIFY(maxWindow <= separator.chunkSize());
        QCOMPARE(done, frames);
        float worst = 0.0f;
        for (int s = 0; s < S; ++s)
            for (int64_t i = 0; i < C * frames; ++i)
                worst = std::max(worst, std::abs(rebuilt[size_t(s * C * frames + i)] - whole[size_t(s)].samples[size_t(i)]));
        QCOMPARE(worst, 0.0f); // same chunks, same order, same arithmetic
    }

    // The GPU levers run on any device: with overlap-add on the device, chunks cut from one
    // upload of the mix and stems filled region by region, the CPU result must be the host
    // path's (same chunks, same float operations), for inputs with outer padding, with a
    // reflected tail and with a zero-padded tail, and for every combination of the two new levers.
    void deviceLeversGiveTheHostResult_data() {
        QTest::addColumn<QString>("vector");
        QTest::addColumn<bool>("chunks");
        QTest::addColumn<bool>("streamed");
        for (const char* v : {"drumsep5_short", "variants_groupnorm_relu", "variants_batchnorm_elu"})
            for (int k = 0; k < 4; ++k)
                QTest::newRow(qPrintable(QStringLiteral("%1 chunks %2 streamed %3").arg(QLatin1String(v)).arg(k & 1).arg(k >> 1)))
                    << QString::fromLatin1(v) << bool(k & 1) << bool(k >> 1);
    }
    void deviceLeversGiveTheHostResult() {
        QFETCH(QString, vector);
        QFETCH(bool, chunks);
        QFETCH(bool, streamed);
        const fs::path dir = test::mdx23cVectorsDir() / vector.toStdString();
        const audio::Decoded mix = audio::decodeFile(dir / "mix.wav");
        engine::SeparatorOptions hostOptions = optionsFor(dir, 3);
        engine::SeparatorOptions deviceOptions = hostOptions;
        deviceOptions.performance.deviceOverlapAdd = true;
        deviceOptions.performance.deviceChunks = chunks;
        deviceOptions.performance.streamedStems = streamed;
        engine::Separator host(hostOptions), onDevice(deviceOptions);
        const auto notes = onDevice.performanceNotes();
        auto noted = [&](const char* what) {
            return std::any_of(notes.begin(), notes.end(), [&](const std::string& n) { return n.find(what) != std::string::npos; });
        };
        QCOMPARE(noted("chunks cut on"), chunks);
        QCOMPARE(noted("stems filled as regions land"), streamed);
        const dsp::ChunkPlan plan(mix.audio.frames, onDevice.chunkSize(), onDevice.overlap());
        int reflected = 0, zeroed = 0;
        for (int64_t i = 0; i < plan.chunkCount(); ++i) {
            const dsp::ChunkInfo info = plan.chunkInfo(i);
            if (info.length < plan.chunk()) ++(info.tailReflect ? reflected : zeroed);
        }
        qInfo("%lld chunks, outer pad %lld, %d with a reflected tail, %d zero-padded", (long long)plan.chunkCount(),
              (long long)plan.outerPad(), reflected, zeroed);
        if (vector == QLatin1String("variants_batchnorm_elu")) QVERIFY(reflected > 0); // the case this row is for
        const auto a = host.separate(mix.audio, {}), b = onDevice.separate(mix.audio, {});
        QCOMPARE(b.size(), a.size());
        float worst = 0.0f;
        for (size_t s = 0; s < a.size(); ++s) {
            QCOMPARE(b[s].frames, a[s].frames);
            QCOMPARE(b[s].channels, a[s].channels);
            worst = std::max(worst, maxAbsDiff(a[s], b[s]));
        }
        qInfo("device levers vs host path: max abs difference %.3g", double(worst));
        QVERIFY2(worst < 1e-6f, qPrintable(QStringLiteral("max abs difference %1").arg(double(worst))));
    }

    // The fused InstanceNorm+GELU lever only ever runs on CUDA: asked for on the CPU it must say
    // that it is not used and leave the result exactly as it was.
    void fusedNormActivationLeavesTheCpuResult() {
        const fs::path dir = test::mdx23cVectorsDir() / "drumsep5_tiny";
        const audio::Decoded mix = audio::decodeFile(dir / "mix.wav");
        engine::SeparatorOptions fusedOptions = optionsFor(dir, 2);
        fusedOptions.performance.fusedNormActivation = true;
        engine::Separator plain(optionsFor(dir, 2)), fused(fusedOptions);
        const auto notes = fused.performanceNotes();
        const auto it = std::find_if(notes.begin(), notes.end(),
                                     [](const std::string& n) { return n.find("fused InstanceNorm+GELU") != std::string::npos; });
        QVERIFY(it != notes.end());
        QVERIFY2(it->find("not used: it runs on CUDA only") != std::string::npos, it->c_str());
        // Nothing about it by default on the CPU.
        const auto plainNotes = plain.performanceNotes();
        QVERIFY(std::none_of(plainNotes.begin(), plainNotes.end(),
                             [](const std::string& n) { return n.find("fused InstanceNorm+GELU") != std::string::npos; }));
        const auto a = plain.separate(mix.audio, {}), b = fused.separate(mix.audio, {});
        for (size_t s = 0; s < a.size(); ++s) QCOMPARE(maxAbsDiff(a[s], b[s]), 0.0f);
    }

    // Channels-last activations and the TDF residual product run on any device: asked for, the
    // separator says it uses them and the separation equals the default layout's to float
    // rounding; by default (on the CPU) neither is used.
    void modelLayoutLeversKeepTheResult() {
        const fs::path dir = test::mdx23cVectorsDir() / "drumsep5_tiny";
        const audio::Decoded mix = audio::decodeFile(dir / "mix.wav");
        engine::SeparatorOptions leverOptions = optionsFor(dir, 2);
        leverOptions.performance.channelsLast = true;
        leverOptions.performance.tdfResidualInProduct = true;
        engine::Separator plain(optionsFor(dir, 2)), levers(leverOptions);
        auto mentions = [](const std::vector<std::string>& notes, const char* what) {
            return std::any_of(notes.begin(), notes.end(),
                               [what](const std::string& n) { return n.find(what) != std::string::npos; });
        };
        QVERIFY(mentions(levers.performanceNotes(), "channels-last activations"));
        QVERIFY(mentions(levers.performanceNotes(), "TDF residual added by its second matrix product"));
        QVERIFY(!mentions(plain.performanceNotes(), "channels-last"));
        QVERIFY(!mentions(plain.performanceNotes(), "TDF residual"));
        const auto a = plain.separate(mix.audio, {}), b = levers.separate(mix.audio, {});
        QCOMPARE(b.size(), a.size());
        float worst = 0.0f;
        for (size_t s = 0; s < a.size(); ++s) worst = std::max(worst, maxAbsDiff(a[s], b[s]));
        qInfo("channels-last + residual product vs default layout: max abs difference %.3g", double(worst));
        QVERIFY2(worst < 1e-5f, qPrintable(QStringLiteral("max abs difference %1").arg(double(worst))));
    }

    void cancelBetweenBatches() {
        const fs::path dir = test::mdx23cVectorsDir() / "variants_groupnorm_relu";
        const audio::Decoded mix = audio::decodeFile(dir / "mix.wav");
        engine::Separator separator(optionsFor(dir, 1));
        std::atomic<bool> cancel{false};
        int64_t seen = 0, total = 0;
        engine::SeparationCallbacks cb;
        cb.progress = [&](int64_t done, int64_t count, double) {
            seen = done;
            total = count;
            if (done == 2) cancel = true;
        };
        try {
            separator.separate(mix.audio, cb, &cancel);
            QFAIL("separate() returned after cancel");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::Cancelled);
        }
        QCOMPARE(seen, int64_t(2)); // stopped right after the batch that saw the flag
        QVERIFY(total > 2);
    }

    void profilingEventsAndTrace() {
        const fs::path dir = test::mdx23cVectorsDir() / "variants_groupnorm_relu";
        engine::ProfileRecorder recorder;
        auto o = optionsFor(dir, 2);
        o.profile = true; // also turns the warm-up on for the CPU
        engine::Separator separator(o, &recorder);
        const audio::Decoded mix = audio::decodeFile(dir / "mix.wav");
        engine::SeparationCallbacks cb;
        cb.recorder = &recorder;
        separator.separate(mix.audio, cb);
        const auto summary = recorder.summary(mix.audio.durationSeconds());
        std::map<Stage, double> stages;
        for (const auto& t : summary.stages) stages[t.stage] = t.seconds;
        QVERIFY(stages.count(Stage::Load));
        QVERIFY(stages.count(Stage::Model));
        QVERIFY(stages.count(Stage::Warmup));
        QVERIFY(stages.count(Stage::OverlapAdd));
        QVERIFY(summary.warmupSeconds > 0.0);
        QVERIFY(summary.batches >= 1);
        QVERIFY(summary.peakRssBytes > 0);
        QVERIFY(summary.realTimeFactor > 0.0);
        const auto trace = nlohmann::json::parse(recorder.chromeTraceJson());
        int complete = 0;
        for (const auto& e : trace["traceEvents"])
            if (e["ph"] == "X") {
                ++complete;
                QVERIFY(e["dur"].get<int64_t>() >= 0);
            }
        QVERIFY(complete >= 4);
        qInfo("%s", engine::describe(summary).c_str());
    }

    void wrongInputIsRefused() {
        const fs::path dir = test::mdx23cVectorsDir() / "variants_batchnorm_elu";
        engine::Separator separator(optionsFor(dir, 1));
        audio::AudioBuffer mono = audio::AudioBuffer::zeros(1, 1000, separator.sampleRate());
        QVERIFY_THROWS_EXCEPTION(Error, separator.separate(mono, {}));
        audio::AudioBuffer wrongRate = audio::AudioBuffer::zeros(2, 1000, 48000);
        QVERIFY_THROWS_EXCEPTION(Error, separator.separate(wrongRate, {}));
    }
};

QTEST_GUILESS_MAIN(TestSeparator)
#include "tst_separator.moc"
