// The file pipeline (engine::runJob) end to end with a shared-vector model: stems on disk with
// the input's rate, length and channels, stems + residual summing back to the mix, subsets,
// cancellation and failures leaving no files, and plain errors for bad input.
#include "engine/pipeline.h"
#include "engine/separator.h"

#include "audio/decode.h"
#include "audio/export.h"
#include "audio/resample.h"
#include "common/error.h"
#include "common/test_support.h"

#include <QTest>

#include <cmath>
#include <fstream>

using namespace stemdeck;
namespace fs = std::filesystem;

namespace {

// A small 3-stem vector model (music, speech, sfx; 16128-sample chunks) keeps the tests quick.
fs::path model() { return test::mdx23cVectorsDir() / "variants_groupnorm_relu"; }

engine::JobSpec specFor(const fs::path& input, const fs::path& out) {
    engine::JobSpec spec;
    spec.input = input;
    spec.outputDir = out;
    spec.configPath = model() / "config.yaml";
    spec.checkpointPath = model() / "model.ckpt";
    spec.modelName = "groupnorm";
    spec.device = device::DeviceId::cpu();
    spec.format = "wav32f";
    spec.overlap = 1; // fewest chunks; the overlap itself is covered by tst_separator and the streaming test
    return spec;
}

fs::path writeMix(const fs::path& dir, const std::string& name, int channels, int rate, double seconds) {
    audio::AudioBuffer b;
    b.sampleRate = rate;
    b.channels = channels;
    b.frames = static_cast<int64_t>(seconds * rate);
    b.samples = test::tones(channels, b.frames, rate, 0.5f);
    auto n = test::noise(channels, b.frames, 0.05f, 3);
    for (size_t i = 0; i < b.samples.size(); ++i) b.samples[i] += n[i];
    audio::ExportOptions o;
    o.format = audio::OutputFormat::Wav32f;
    return audio::exportAudio(b, dir / name, o).path;
}

// Data rows: the whole-buffer path and the streaming path.
void bothPaths() {
    QTest::addColumn<bool>("streaming");
    QTest::newRow("whole buffer") << false;
    QTest::newRow("streaming") << true;
}

std::vector<fs::path> filesBelow(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out.push_back(e.path());
    return out;
}

} // namespace

class TestPipeline : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        if (test::mdx23cVectorsDir().empty()) QSKIP("shared MDX23C vectors not found (STEMDECK_TESTDATA_DIR)");
    }

    void stemsAndResidualSumToMix() {
        QTemporaryDir tmp;
        const fs::path dir = test::toPath(tmp.path());
        const fs::path mix = writeMix(dir, "my song ü.wav", 2, 44100, 1.0);
        auto spec = specFor(mix, dir / "out");
        spec.residual = true;
        std::vector<double> fractions;
        engine::JobCallbacks cb;
        cb.progress = [&](const engine::JobProgress& p) { fractions.push_back(p.fraction); };
        const engine::JobResult r = engine::runJob(spec, cb, std::atomic<bool>(false));
        QCOMPARE(r.files.size(), size_t(4)); // 3 stems + no_music_speech_sfx
        QCOMPARE(r.files.back().stem, std::string("no_music_speech_sfx"));
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QCOMPARE(fractions.back(), 1.0);
        const audio::Decoded in = audio::decodeFile(mix);
        std::vector<double> sum(in.audio.samples.size(), 0.0);
        for (const auto& f : r.files) {
            QVERIFY(fs::exists(f.path));
            QCOMPARE(f.path.parent_path().filename().string(), std::string("my song ü")); // {track}/{stem}.{ext}
            const audio::Decoded d = audio::decodeFile(f.path);
            QCOMPARE(d.audio.sampleRate, 44100);
            QCOMPARE(d.audio.channels, 2);
            QCOMPARE(d.audio.frames, in.audio.frames);
            for (size_t i = 0; i < sum.size(); ++i) sum[i] += d.audio.samples[i];
        }
        double worst = 0.0;
        for (size_t i = 0; i < sum.size(); ++i) worst = std::max(worst, std::abs(sum[i] - in.audio.samples[i]));
        qInfo("stems + residual vs mix: max abs error %.3g; model sum check %.1f dB", worst, r.sumCheckDb);
        QVERIFY(worst < 1e-5);
        QVERIFY(std::isfinite(r.sumCheckDb));
        QCOMPARE(r.device, std::string("cpu"));
        QVERIFY(r.chunkSeconds > 0.36 && r.chunkSeconds < 0.37); // 16128 / 44100
        QVERIFY(r.profile.wallSeconds > 0.0);
        QVERIFY(!r.profile.stages.empty());
    }

    void monoAt48kComesBackMonoAt48k() {
        QTemporaryDir tmp;
        const fs::path dir = test::toPath(tmp.path());
        const fs::path mix = writeMix(dir, "mono48.wav", 1, 48000, 1.0);
        auto spec = specFor(mix, dir / "out");
        spec.stems = {"speech"};
        spec.residual = true;
        const engine::JobResult r = engine::runJob(spec, {}, std::atomic<bool>(false));
        QCOMPARE(r.files.size(), size_t(2));
        QCOMPARE(r.files[0].stem, std::string("speech"));
        QCOMPARE(r.files[1].stem, std::string("no_speech"));
        const audio::Decoded in = audio::decodeFile(mix);
        std::vector<double> sum(in.audio.samples.size(), 0.0);
        for (const auto& f : r.files) {
            const audio::Decoded d = audio::decodeFile(f.path);
            QCOMPARE(d.audio.sampleRate, 48000);
            QCOMPARE(d.audio.channels, 1);
            QCOMPARE(d.audio.frames, in.audio.frames);
            for (size_t i = 0; i < sum.size(); ++i) sum[i] += d.audio.samples[i];
        }
        // Through the model's 44.1 kHz and back: the stems add up to the mix as that round trip
        // leaves it (band-limited to 22.05 kHz), not to the original.
        const audio::AudioBuffer roundTrip = audio::resample(audio::resample(in.audio, 44100), 48000);
        QCOMPARE(roundTrip.frames, in.audio.frames);
        double worst = 0.0;
        for (size_t i = 0; i < sum.size(); ++i) worst = std::max(worst, std::abs(sum[i] - roundTrip.samples[i]));
        qInfo("48 kHz mono: stems + residual vs the resampled mix: max abs error %.3g", worst);
        QVERIFY(worst < 1e-4);
        QVERIFY(std::any_of(r.notes.begin(), r.notes.end(), [](const std::string& n) { return n.find("48000") != std::string::npos; }));
    }

    void streamingMatchesWholeBuffer_data() {
        QTest::addColumn<int>("rate");
        QTest::addColumn<int>("channels");
        QTest::newRow("44.1 kHz stereo") << 44100 << 2;
        QTest::newRow("48 kHz mono") << 48000 << 1;
    }

    void streamingMatchesWholeBuffer() {
        QFETCH(int, rate);
        QFETCH(int, channels);
        QTemporaryDir tmp;
        const fs::path dir = test::toPath(tmp.path());
        const fs::path mix = writeMix(dir, "stream.wav", channels, rate, 1.1);
        auto whole = specFor(mix, dir / "whole");
        whole.streaming = engine::JobSpec::Streaming::Off;
        whole.stems = {"music", "sfx"};
        whole.residual = true;
        whole.batchSize = 3;
        whole.overlap = 0; // the config's (3): overlapping chunks through the sliding window
        auto streamed = whole;
        streamed.outputDir = dir / "streamed";
        streamed.streaming = engine::JobSpec::Streaming::On;
        const auto a = engine::runJob(whole, {}, std::atomic<bool>(false));
        const auto b = engine::runJob(streamed, {}, std::atomic<bool>(false));
        QCOMPARE(a.files.size(), size_t(3));
        QCOMPARE(b.files.size(), a.files.size());
        QVERIFY(std::abs(a.sumCheckDb - b.sumCheckDb) < 0.01);
        double worst = 0.0;
        for (size_t i = 0; i < a.files.size(); ++i) {
            QCOMPARE(b.files[i].stem, a.files[i].stem);
            const audio::Decoded x = audio::decodeFile(a.files[i].path), y = audio::decodeFile(b.files[i].path);
            QCOMPARE(y.audio.frames, x.audio.frames);
            QCOMPARE(y.audio.sampleRate, rate);
            QCOMPARE(y.audio.channels, channels);
            for (size_t k = 0; k < x.audio.samples.size(); ++k)
                worst = std::max(worst, double(std::abs(x.audio.samples[k] - y.audio.samples[k])));
        }
        qInfo("streamed vs whole buffer: max abs difference %.3g", worst);
        // Same model rate path: identical; through the resampler: streaming soxr vs one call.
        QVERIFY(worst < (rate == 44100 ? 1e-7 : 1e-4));
    }

    void spreadResidualProjectsOntoTheMix() {
        std::vector<float> a{1.0f, -2.0f, 0.5f}, b{0.0f, 1.0f, 0.25f}, c{3.0f, 0.0f, -1.0f};
        const std::vector<float> mix{7.0f, -1.0f, -1.0f};
        engine::spreadResidual({a.data(), b.data(), c.data()}, mix.data(), mix.size());
        // residuals 3, 0, -0.75: a third of each to every stem
        const std::vector<float> wantA{2.0f, -2.0f, 0.25f}, wantB{1.0f, 1.0f, 0.0f};
        for (size_t i = 0; i < mix.size(); ++i) {
            QVERIFY(std::abs(a[i] - wantA[i]) < 1e-6f);
            QVERIFY(std::abs(b[i] - wantB[i]) < 1e-6f);
        }
        for (size_t i = 0; i < mix.size(); ++i) QVERIFY(std::abs(a[i] + b[i] + c[i] - mix[i]) < 1e-6f);
        engine::spreadResidual({}, mix.data(), mix.size()); // no stems: nothing to do, no crash
    }

    void sumToMixMakesStemsAddUp_data() { bothPaths(); }

    void sumToMixMakesStemsAddUp() {
        QFETCH(bool, streaming);
        QTemporaryDir tmp;
        const fs::path dir = test::toPath(tmp.path());
        const fs::path mix = writeMix(dir, "sum.wav", 2, 44100, 1.1);
        auto raw = specFor(mix, dir / "raw"); // sumToMix unset: the config's (absent = off)
        raw.streaming = streaming ? engine::JobSpec::Streaming::On : engine::JobSpec::Streaming::Off;
        auto on = raw;
        on.outputDir = dir / "on";
        on.sumToMix = true;
        const auto a = engine::runJob(raw, {}, std::atomic<bool>(false));
        const auto b = engine::runJob(on, {}, std::atomic<bool>(false));
        qInfo("sum check: raw %.1f dB, sum-to-mix %.1f dB", a.sumCheckDb, b.sumCheckDb);
        QVERIFY(a.sumCheckDb > -40.0); // an untrained-for-this-audio model misses a lot of the mix
        QVERIFY(b.sumCheckDb < -100.0);
        const audio::Decoded in = audio::decodeFile(mix);
        QCOMPARE(b.files.size(), size_t(3));
        std::vector<std::vector<float>> x, y;
        for (size_t i = 0; i < 3; ++i) {
            x.push_back(audio::decodeFile(a.files[i].path).audio.samples);
            y.push_back(audio::decodeFile(b.files[i].path).audio.samples);
        }
        double worstSum = 0.0, worstShare = 0.0;
        for (size_t k = 0; k < in.audio.samples.size(); ++k) {
            const double residual = double(in.audio.samples[k]) - (double(x[0][k]) + x[1][k] + x[2][k]);
            worstSum = std::max(worstSum, std::abs(double(y[0][k]) + y[1][k] + y[2][k] - in.audio.samples[k]));
            for (size_t i = 0; i < 3; ++i)
                worstShare = std::max(worstShare, std::abs(double(y[i][k]) - x[i][k] - residual / 3.0));
        }
        qInfo("stems vs mix %.3g; each stem = raw + residual/3 within %.3g", worstSum, worstShare);
        QVERIFY(worstSum < 1e-5);
        QVERIFY(worstShare < 1e-5);
    }

    void softMasksShareTheMix_data() { bothPaths(); }

    void softMasksShareTheMix() {
        QFETCH(bool, streaming);
        QTemporaryDir tmp;
        const fs::path dir = test::toPath(tmp.path());
        // Tones only: the model sees dim_f 768 of 1025 bins (up to 16.5 kHz), and masks can
        // share only what it sees.
        audio::AudioBuffer tones;
        tones.sampleRate = 44100;
        tones.channels = 2;
        tones.frames = 48510;
        tones.samples = test::tones(2, tones.frames, 44100, 0.5f);
        audio::ExportOptions o;
        o.format = audio::OutputFormat::Wav32f;
        const fs::path mix = audio::exportAudio(tones, dir / "tones.wav", o).path;

        auto raw = specFor(mix, dir / "raw");
        raw.streaming = streaming ? engine::JobSpec::Streaming::On : engine::JobSpec::Streaming::Off;
        raw.sumToMix = false;
        auto masked = raw;
        masked.outputDir = dir / "masked";
        masked.softMaskPower = 1.5;
        auto rawAgain = raw;
        rawAgain.outputDir = dir / "raw-again";
        const auto a = engine::runJob(raw, {}, std::atomic<bool>(false));
        const auto b = engine::runJob(masked, {}, std::atomic<bool>(false));
        const auto c = engine::runJob(rawAgain, {}, std::atomic<bool>(false)); // not the masked separator
        qInfo("sum check: raw %.1f dB, soft masks %.1f dB", a.sumCheckDb, b.sumCheckDb);
        QCOMPARE(a.softMaskPower, 0.0); // the config has none
        QCOMPARE(b.softMaskPower, 1.5);
        QVERIFY(a.sumCheckDb > -40.0);
        // The stems share the mix without the residual spread (measured -60 dB: what is left is
        // what the model's bins miss, as at the chunks' edges).
        QVERIFY(b.sumCheckDb < -50.0);
        QCOMPARE(c.sumCheckDb, a.sumCheckDb);
        double moved = 0.0;
        for (size_t i = 0; i < 3; ++i) {
            const auto x = audio::decodeFile(a.files[i].path).audio.samples;
            const auto y = audio::decodeFile(b.files[i].path).audio.samples;
            QCOMPARE(audio::decodeFile(c.files[i].path).audio.samples, x);
            for (size_t k = 0; k < x.size(); ++k) moved = std::max(moved, double(std::abs(y[k] - x[k])));
        }
        QVERIFY(moved > 1e-3); // the masks changed the stems

        // A power out of range: a plain error before anything is written.
        auto bad = raw;
        bad.outputDir = dir / "bad";
        bad.softMaskPower = 9.0;
        try {
            engine::runJob(bad, {}, std::atomic<bool>(false));
            QFAIL("a soft-mask power of 9 must be refused");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            QVERIFY2(std::string(e.what()).find("soft-mask power") != std::string::npos, e.what());
        }
        QVERIFY(filesBelow(dir / "bad").empty());
    }

    void cancelStreamingLeavesNoFiles() {
        QTemporaryDir tmp;
        const fs::path dir = test::toPath(tmp.path());
        const fs::path mix = writeMix(dir, "long.wav", 2, 44100, 2.0);
        auto spec = specFor(mix, dir / "out");
        spec.streaming = engine::JobSpec::Streaming::On;
        spec.batchSize = 1;
        std::atomic<bool> cancel{false};
        engine::JobCallbacks cb;
        cb.progress = [&](const engine::JobProgress& p) {
            if (p.stage == Stage::Model && p.fraction > 0.5) cancel = true;
        };
        QVERIFY_THROWS_EXCEPTION(Error, engine::runJob(spec, cb, cancel));
        QVERIFY(cancel.load());
        const auto left = filesBelow(dir / "out"); // no stems, no temporaries
        QVERIFY2(left.empty(), left.empty() ? "" : left.front().c_str());
        QVERIFY(!fs::exists(dir / "out" / "long")); // nor the track's folder it had created
    }

    void cancelMidJobLeavesNoFiles_data() {
        QTest::addColumn<int>("stage");
        QTest::newRow("during the model") << int(Stage::Model);
        QTest::newRow("while writing") << int(Stage::Write);
    }

    void cancelMidJobLeavesNoFiles() {
        QFETCH(int, stage);
        QTemporaryDir tmp;
        const fs::path dir = test::toPath(tmp.path());
        const fs::path mix = writeMix(dir, "long.wav", 2, 44100, 2.0);
        auto spec = specFor(mix, dir / "out");
        spec.batchSize = 1;
        std::atomic<bool> cancel{false};
        int calls = 0;
        engine::JobCallbacks cb;
        cb.progress = [&](const engine::JobProgress& p) {
            if (int(p.stage) == stage && p.fraction > (stage == int(Stage::Model) ? 0.3 : 0.93) && ++calls == 1) cancel = true;
        };
        try {
            engine::runJob(spec, cb, cancel);
            QFAIL("runJob returned after cancel");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::Cancelled);
        }
        QVERIFY(cancel.load());
        const auto left = filesBelow(dir / "out");
        QVERIFY2(left.empty(), left.empty() ? "" : left.front().c_str());
        QVERIFY(!fs::exists(dir / "out" / "long")); // nor the track's folder it had created
    }

    void existingFileIsKeptAndJobWritesNothing() {
        QTemporaryDir tmp;
        const fs::path dir = test::toPath(tmp.path());
        const fs::path mix = writeMix(dir, "song.wav", 2, 44100, 1.0);
        fs::create_directories(dir / "out" / "song");
        {
            std::ofstream f(dir / "out" / "song" / "sfx.wav");
            f << "precious";
        }
        auto spec = specFor(mix, dir / "out");
        try {
            engine::runJob(spec, {}, std::atomic<bool>(false));
            QFAIL("no error for an existing file");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::DestinationExists);
        }
        const auto left = filesBelow(dir / "out");
        QCOMPARE(left.size(), size_t(1)); // only the file that was there before
        QCOMPARE(left.front().filename().string(), std::string("sfx.wav"));
        // With overwrite the job succeeds and replaces it.
        spec.overwrite = true;
        const auto r = engine::runJob(spec, {}, std::atomic<bool>(false));
        QCOMPARE(r.files.size(), size_t(3));
    }

    // --overwrite replaces a job's earlier stems only when the whole job succeeds: a stem that
    // cannot be written (here a folder in the way of the last one), or a cancel while writing,
    // leaves the earlier stems as they were. (They used to be replaced one by one and the new
    // ones then removed: the folder kept neither set.)
    void overwriteFailureKeepsEarlierStems_data() {
        QTest::addColumn<bool>("streaming");
        QTest::addColumn<bool>("cancelWhileWriting");
        QTest::newRow("whole buffer, folder in the way") << false << false;
        QTest::newRow("streaming, folder in the way") << true << false;
        QTest::newRow("whole buffer, cancelled while writing") << false << true;
    }
    void overwriteFailureKeepsEarlierStems() {
        QFETCH(bool, streaming);
        QFETCH(bool, cancelWhileWriting);
        QTemporaryDir tmp;
        const fs::path dir = test::toPath(tmp.path());
        const fs::path mix = writeMix(dir, "song.wav", 2, 44100, 1.0);
        auto spec = specFor(mix, dir / "out");
        spec.streaming = streaming ? engine::JobSpec::Streaming::On : engine::JobSpec::Streaming::Off;
        const auto first = engine::runJob(spec, {}, std::atomic<bool>(false));
        QCOMPARE(first.files.size(), size_t(3));
        std::vector<std::string> before;
        for (const auto& f : first.files) {
            std::ifstream in(f.path, std::ios::binary);
            before.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        }
        const fs::path last = first.files.back().path;
        if (!cancelWhileWriting) { // the last stem's name is taken by a folder
            fs::remove(last);
            fs::create_directories(last / "keep");
        }
        fs::remove(mix);
        writeMix(dir, "song.wav", 2, 44100, 1.5); // a new take: other stems, other sizes
        spec.overwrite = true;
        std::atomic<bool> cancel{false};
        engine::JobCallbacks cb;
        if (cancelWhileWriting)
            cb.progress = [&](const engine::JobProgress& p) {
                if (p.stage == Stage::Write && p.fraction > 0.95) cancel = true; // after the second stem
            };
        QVERIFY_THROWS_EXCEPTION(Error, engine::runJob(spec, cb, cancel));
        const size_t kept = cancelWhileWriting ? 3 : 2;
        for (size_t i = 0; i < kept; ++i) {
            std::ifstream in(first.files[i].path, std::ios::binary);
            const std::string now{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
            QVERIFY2(now == before[i], first.files[i].path.c_str());
        }
        // Nothing else: no new stem, no temporary, nothing moved aside.
        const auto left = filesBelow(dir / "out");
        QCOMPARE(left.size(), kept);
    }

    // A run writing into a folder removes the temporaries a killed run left there an hour ago
    // or more (their process gone), and keeps a recent one (maybe another machine's export).
    // An output folder that is a file is refused before the separation, in plain words (it
    // failed at the first write, after all the work, as "a file with that name is in the way").
    void outputFolderThatIsAFileIsRefusedFirst() {
        QTemporaryDir tmp;
        const fs::path dir = test::toPath(tmp.path());
        const fs::path mix = writeMix(dir, "song.wav", 2, 44100, 0.5);
        std::ofstream(dir / "out") << "not a folder";
        bool modelRan = false;
        engine::JobCallbacks cb;
        cb.progress = [&](const engine::JobProgress& p) { modelRan = modelRan || p.stage == Stage::Model; };
        try {
            engine::runJob(specFor(mix, dir / "out"), cb, std::atomic<bool>(false));
            QFAIL("a file as the output folder was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::WriteFailed);
            QVERIFY2(std::string(e.what()).find("is a file, not a folder") != std::string::npos, e.what());
        }
        QVERIFY(!modelRan);
        // A link to a folder that is gone: said so, before the separation (it failed at the
        // first write as "File exists").
        fs::create_symlink(dir / "gone", dir / "linked");
        try {
            engine::runJob(specFor(mix, dir / "linked"), cb, std::atomic<bool>(false));
            QFAIL("a dangling link as the output folder was accepted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("link to a folder that does not exist") != std::string::npos, e.what());
        }
        QVERIFY(!modelRan);
    }

    // A main() holds a ModelCacheRelease so the loaded models go before static destruction: on
    // CUDA, freeing them at exit() aborted every run (exit 134 after the stems were written;
    // LibTorch 2.11 on an H200; checked there with and without it). Here: the scope empties the cache.
    void modelCacheReleaseEmptiesTheCache() {
        QTemporaryDir tmp;
        const fs::path dir = test::toPath(tmp.path());
        const fs::path mix = writeMix(dir, "song.wav", 2, 44100, 0.5);
        {
            const engine::ModelCacheRelease release;
            engine::runJob(specFor(mix, dir / "out"), {}, std::atomic<bool>(false));
            QVERIFY(engine::cachedModelCount() >= 1);
        }
        QCOMPARE(engine::cachedModelCount(), size_t(0));
    }

    // Seed item 22 through the engine: a model that failed on a device earlier in the process is
    // not sent there again (no machine has cuda:63, so the note shows which reason the selection
    // gave), and a failure recorded after a job does not reuse the cached
    // separator made before it.
    void deviceFailuresSteerTheNextJob() {
        QTemporaryDir tmp;
        const fs::path dir = test::toPath(tmp.path());
        const fs::path mix = writeMix(dir, "song.wav", 2, 44100, 0.5);
        engine::JobSpec spec = specFor(mix, dir / "out");
        spec.device = device::DeviceId::cuda(63); // no machine has it, so the first run falls back
        spec.overwrite = true;
        auto notes = [](const engine::JobResult& r) {
            std::string all;
            for (const std::string& n : r.notes) all += n + "\n";
            return all;
        };
        engine::forgetDeviceFailures();
        const std::string before = notes(engine::runJob(spec, {}, std::atomic<bool>(false)));
        QVERIFY2(before.find("Requested cuda:63 is not available") != std::string::npos, before.c_str());
        device::FailureMemory met;
        met.recordFailure(spec.checkpointPath.string(), device::DeviceId::cuda(63), "cuda_kernel");
        engine::recordDeviceFailures(met);
        QVERIFY(engine::deviceFailures().hasFailed(spec.checkpointPath.string(), device::DeviceId::cuda(63)));
        const std::string after = notes(engine::runJob(spec, {}, std::atomic<bool>(false)));
        QVERIFY2(after.find("failed on cuda:63 before (cuda_kernel)") != std::string::npos, after.c_str());
        QVERIFY2(after.find("after a restart") != std::string::npos, after.c_str());
        engine::forgetDeviceFailures();
        QVERIFY(engine::deviceFailures().empty());
        const std::string forgotten = notes(engine::runJob(spec, {}, std::atomic<bool>(false)));
        QVERIFY2(forgotten.find("Requested cuda:63 is not available") != std::string::npos, forgotten.c_str());
    }

    void staleTemporariesOfAKilledRunGo() {
        QTemporaryDir tmp;
        const fs::path dir = test::toPath(tmp.path());
        const fs::path mix = writeMix(dir, "song.wav", 2, 44100, 0.5);
        const fs::path folder = dir / "out" / "song";
        fs::create_directories(folder);
        const fs::path stale = folder / ".stemdeck-tmp-999999999-00-bass.wav";
        const fs::path recent = folder / ".stemdeck-tmp-999999998-00-bass.wav";
        std::ofstream(stale) << "partial";
        std::ofstream(recent) << "partial";
        fs::last_write_time(stale, fs::file_time_type::clock::now() - std::chrono::hours(2));
        engine::runJob(specFor(mix, dir / "out"), {}, std::atomic<bool>(false));
        QVERIFY(!fs::exists(stale));
        QVERIFY(fs::exists(recent));
    }

    void badInputsAreClearErrors() {
        QTemporaryDir tmp;
        const fs::path dir = test::toPath(tmp.path());
        {
            std::ofstream f(dir / "notaudio.wav");
            f << "this is text, not a RIFF file";
        }
        auto expectError = [&](engine::JobSpec spec, ErrorCode code, const std::string& mention) {
            try {
                engine::runJob(spec, {}, std::atomic<bool>(false));
                QFAIL("no error");
            } catch (const Error& e) {
                QCOMPARE(e.code(), code);
                QVERIFY2(std::string(e.what()).find(mention) != std::string::npos, e.what());
            }
        };
        expectError(specFor(dir / "notaudio.wav", dir / "out"), ErrorCode::UnreadableFile, "notaudio.wav");
        expectError(specFor(dir / "missing.wav", dir / "out"), ErrorCode::FileNotFound, "missing.wav");
        const fs::path mix = writeMix(dir, "ok.wav", 2, 44100, 0.5);
        auto unknownStem = specFor(mix, dir / "out");
        unknownStem.stems = {"vocals"};
        expectError(unknownStem, ErrorCode::InvalidArgument, "music, speech, sfx");
        auto badFormat = specFor(mix, dir / "out");
        badFormat.format = "aiff99";
        expectError(badFormat, ErrorCode::InvalidArgument, "aiff99");
        QVERIFY(filesBelow(dir / "out").empty());
    }

    // The sum check: error energy against the mix's. Digital silence separated into silence adds
    // up exactly (it once read 0 dB, and the job noted that the stems do not add up).
    void sumCheckOfSilenceAndOfAMiss() {
        const std::vector<float> silence(4096, 0.0f);
        QVERIFY(engine::sumCheckDb({silence.data(), silence.data()}, silence.data(), silence.size()) < -60.0);
        std::vector<float> mix(4096), half(4096);
        for (size_t i = 0; i < mix.size(); ++i) {
            mix[i] = 0.5f * float(std::sin(0.05 * double(i)));
            half[i] = 0.5f * mix[i];
        }
        // One stem holding half of the mix: the error is half the mix, -6 dB.
        QVERIFY(std::abs(engine::sumCheckDb({half.data()}, mix.data(), mix.size()) + 6.02) < 0.05);
        QVERIFY(engine::sumCheckDb({half.data(), half.data()}, mix.data(), mix.size()) < -100.0);
        // A silent mix with stems that are not silent does not add up.
        QVERIFY(engine::sumCheckDb({half.data()}, silence.data(), silence.size()) > 0.0);
    }

    void residualNames() {
        QCOMPARE(engine::residualName({"vocals"}), std::string("instrumental"));
        QCOMPARE(engine::residualName({"drums"}), std::string("no_drums"));
        QCOMPARE(engine::residualName({"kick", "snare"}), std::string("no_kick_snare"));
    }

    void modelByName() {
        QTemporaryDir tmp;
        const fs::path models = test::toPath(tmp.path()) / "models" / "tiny drums";
        fs::create_directories(models);
        const fs::path drums = test::mdx23cVectorsDir() / "drumsep5_tiny"; // the vector with a .safetensors
        fs::copy_file(drums / "config.yaml", models / "config.yaml");
        fs::copy_file(drums / "model.safetensors", models / "model.safetensors");
        qputenv("STEMDECK_MODELS_DIR", (tmp.path() + QStringLiteral("/models")).toUtf8());
        const auto m = engine::resolveModel("tiny drums");
        QCOMPARE(m.checkpoint.filename().string(), std::string("model.safetensors"));
        bool listed = false;
        for (const auto& f : engine::availableModels()) listed |= f.name == "tiny drums";
        QVERIFY(listed);
        try {
            engine::resolveModel("nope");
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileNotFound);
            QVERIFY(std::string(e.what()).find("tiny drums") != std::string::npos); // says what exists
        }
        // A folder of that name without a checkpoint: found, and the message says what it lacks.
        fs::create_directories(test::toPath(tmp.path()) / "models" / "half");
        fs::copy_file(drums / "config.yaml", test::toPath(tmp.path()) / "models" / "half" / "config.yaml");
        try {
            engine::resolveModel("half");
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidCheckpoint);
            QVERIFY2(std::string(e.what()).find("holds no checkpoint") != std::string::npos, e.what());
        }
        qunsetenv("STEMDECK_MODELS_DIR");
    }
};

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"
