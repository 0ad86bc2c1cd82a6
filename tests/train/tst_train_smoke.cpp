// stemdeck-train on the CPU with the tiny preset: 20 steps make the loss go down, training through
// the soft masks keeps its gradients finite, a checkpoint
// (also a slim one, without AdamW's first moment, and one of weights only) resumes at the step it stopped, a schedule
// restart warms up again, validation takes one held-out kit alone, and the export is a config +
// fp16 safetensors that the project's config reader accepts.
#include "common/error.h"
#include "common/test_support.h"
#include "model/model_config.h"
#include "model/model_loader.h"
#include "model/state_dict.h"
#include "model/tfc_tdf_net.h"
#include "train/sample_bank.h"
#include "train/loss.h"
#include "train/trainer.h"
#include "train/widen.h"
#include "train_fixture.h"

#include <QTemporaryDir>
#include <QTest>

#include <torch/torch.h>

#include <fstream>
#include <iterator>
#include <numeric>

using namespace stemdeck;
using namespace stemdeck::train;

class TestTrainSmoke : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::filesystem::path m_pack;

    TrainOptions options() const {
        TrainOptions o;
        o.preset = "tiny";
        o.pack = m_pack;
        o.outDir = test::toPath(m_dir.path()) / "run";
        o.device = "cpu";
        o.batchSize = 2;
        o.lr = 3e-3;
        o.warmupSteps = 2;
        o.totalSteps = 100;
        // One intra-op thread: on a shared 2-core CI box OpenMP spin-waiting with two threads
        // costs ten times more than it gains for a model this small.
        o.dataThreads = 1;
        o.torchThreads = 1;
        o.logEvery = 5;
        o.checkpointEverySteps = 0;
        o.validationLoops = 1;
        o.validationSeconds = 2.0;
        o.room.probability = 0.5;
        return o;
    }

private Q_SLOTS:
    // The sdr loss is the metric: silence scores 0 dB, half the target -6 dB, the target itself
    // far below; a silent stem costs its leakage; an unknown loss name is refused.
    void lossesMeasureWhatTheySay() {
        torch::manual_seed(3);
        const auto ref = torch::randn({2, 5, 2, 4096});
        const auto mix = ref.sum(1);
        QVERIFY(std::abs(sdrLoss(torch::zeros_like(ref), ref, mix).item<double>()) < 0.01);
        QVERIFY(std::abs(sdrLoss(0.5 * ref, ref, mix).item<double>() + 6.02) < 0.01);
        QVERIFY(sdrLoss(ref, ref, mix).item<double>() < -35.0);
        // Stem 0 silent: an estimate leaking a tenth of the mix into it costs more than a clean one.
        auto sparse = ref.clone();
        sparse.select(1, 0).zero_();
        const auto sparseMix = sparse.sum(1);
        auto leaky = sparse.clone();
        leaky.select(1, 0).copy_(0.1 * sparseMix);
        QVERIFY(sdrLoss(leaky, sparse, sparseMix).item<double>() > sdrLoss(sparse, sparse, sparseMix).item<double>() + 5.0);
        QVERIFY(std::isfinite(sdrLoss(sparse, sparse, sparseMix).item<double>()));
        QVERIFY_THROWS_EXCEPTION(Error, separationLoss("l2", ref, ref, mix, 0.0));
        // A higher floor caps what leakage into a silent stem costs (-20 dB: it counts only above
        // a twentieth of the mix's energy per stem) and still rewards a present stem's recovery.
        const double leakCost40 = sdrLoss(leaky, sparse, sparseMix).item<double>() - sdrLoss(sparse, sparse, sparseMix).item<double>();
        const double leakCost20 = sdrLoss(leaky, sparse, sparseMix, -20.0).item<double>() -
                                  sdrLoss(sparse, sparse, sparseMix, -20.0).item<double>();
        QVERIFY2(leakCost20 > 0.1 && leakCost20 < leakCost40 - 2.0, qPrintable(QString("%1 vs %2").arg(leakCost20).arg(leakCost40)));
        QVERIFY(sdrLoss(0.5 * ref, ref, mix, -20.0).item<double>() < sdrLoss(torch::zeros_like(ref), ref, mix, -20.0).item<double>() - 3.0);
        QCOMPARE(separationLoss("sdr", leaky, sparse, sparseMix, 0.0, -30.0).item<double>(),
                 sdrLoss(leaky, sparse, sparseMix, -30.0).item<double>());
        // Two losses joined by '+': their mean; a malformed join is refused.
        const double joined = separationLoss("bsdr+sdr", leaky, sparse, sparseMix, 0.0, -30.0).item<double>();
        const double apart = 0.5 * (batchSdrLoss(leaky, sparse, sparseMix).item<double>() +
                                    sdrLoss(leaky, sparse, sparseMix, -30.0).item<double>());
        QVERIFY(std::abs(joined - apart) < 1e-5);
        for (const char* bad : {"bsdr+", "+sdr", "bsdr+sdr+mse", "bsdr+l2"})
            QVERIFY_THROWS_EXCEPTION(Error, separationLoss(bad, ref, ref, mix, 0.0));
        // The default loss: all stems' error over the mix energy, in dB. Silence is ~0 dB (the
        // stems are independent noise here, so their energies add up to the mix's), half of
        // every stem -6 dB, and a silent stem's leakage costs its energy like any other error.
        QVERIFY(std::abs(mseLoss(torch::zeros_like(ref), ref, mix).item<double>()) < 0.1);
        QVERIFY(std::abs(mseLoss(0.5 * ref, ref, mix).item<double>() + 6.02) < 0.1);
        QVERIFY(mseLoss(leaky, sparse, sparseMix).item<double>() > mseLoss(sparse, sparse, sparseMix).item<double>() + 5.0);
        // bsdr: per stem over the batch. Recovering half of a quiet stem pays as much as half of
        // a loud one (mse barely notices the quiet one).
        auto uneven = ref.clone();
        uneven.select(1, 3).mul_(0.05); // a quiet "hh"
        const auto unevenMix = uneven.sum(1);
        auto halfQuiet = torch::zeros_like(uneven), halfLoud = torch::zeros_like(uneven);
        halfQuiet.select(1, 3).copy_(0.5 * uneven.select(1, 3));
        halfLoud.select(1, 0).copy_(0.5 * uneven.select(1, 0));
        const double bq = batchSdrLoss(halfQuiet, uneven, unevenMix).item<double>();
        const double bl = batchSdrLoss(halfLoud, uneven, unevenMix).item<double>();
        QVERIFY2(std::abs(bq - bl) < 0.01 && std::abs(bq + 6.02 / 5) < 0.01, qPrintable(QString("%1 vs %2").arg(bq).arg(bl)));
        QVERIFY(mseLoss(halfQuiet, uneven, unevenMix).item<double>() > mseLoss(halfLoud, uneven, unevenMix).item<double>() + 0.5);
        QVERIFY(std::abs(batchSdrLoss(torch::zeros_like(ref), ref, mix).item<double>()) < 0.01);
        // The pair sums (kick+toms, hh+cymbals): hh and cymbals swapped is a bad separation but a
        // perfect pair estimate.
        const auto pairs = confusablePairs(ref);
        QCOMPARE(pairs.sizes(), (c10::IntArrayRef{2, 2, 2, 4096}));
        QVERIFY(torch::allclose(pairs.select(1, 0), ref.select(1, 0) + ref.select(1, 2)));
        QVERIFY(torch::allclose(pairs.select(1, 1), ref.select(1, 3) + ref.select(1, 4)));
        auto swapped = ref.clone();
        swapped.select(1, 3).copy_(ref.select(1, 4));
        swapped.select(1, 4).copy_(ref.select(1, 3));
        const double perfect = batchSdrLoss(ref, ref, mix).item<double>();
        QVERIFY(batchSdrLoss(swapped, ref, mix).item<double>() > perfect + 20.0);
        const double pairsPerfect = batchSdrLoss(pairs, pairs, mix).item<double>();
        QVERIFY(pairsPerfect < -35.0);
        QVERIFY(std::abs(batchSdrLoss(confusablePairs(swapped), pairs, mix).item<double>() - pairsPerfect) < 0.01);
        // Session 1's L1 loss is still there for comparison runs.
        QVERIFY(separationLoss("l1", ref, ref, mix, 0.5).item<double>() < 1e-6);
    }

    // stemRouting: a perfect split is the identity; a swap and a half-filed stem show as such.
    void routingTellsWhereStemsWent() {
        std::array<std::vector<float>, kStemCount> truth;
        const size_t n = 4000;
        uint32_t x = 12345;
        for (auto& t : truth) {
            t.resize(n);
            for (auto& v : t) { // independent pseudo-random noise per stem
                x = x * 1664525u + 1013904223u;
                v = float(int32_t(x >> 8) % 2001 - 1000) / 1000.0f;
            }
        }
        auto estimateOf = [&](const std::array<std::vector<float>, kStemCount>& stems) {
            std::vector<float> est;
            for (const auto& s : stems) est.insert(est.end(), s.begin(), s.end());
            return est;
        };
        auto at = [](const std::vector<double>& r, int truthStem, int estimate) { return r[truthStem * kStemCount + estimate]; };
        const auto perfect = stemRouting(truth, estimateOf(truth));
        for (int j = 0; j < kStemCount; ++j)
            for (int i = 0; i < kStemCount; ++i) QVERIFY(std::abs(at(perfect, j, i) - (i == j ? 1.0 : 0.0)) < 0.05);
        // hh and cymbals swapped; half of the toms filed as kick.
        auto wrong = truth;
        std::swap(wrong[3], wrong[4]);
        for (size_t k = 0; k < n; ++k) {
            wrong[0][k] += 0.5f * truth[2][k];
            wrong[2][k] -= 0.5f * truth[2][k];
        }
        const auto r = stemRouting(truth, estimateOf(wrong));
        QVERIFY(std::abs(at(r, 3, 4) - 1.0) < 0.05 && std::abs(at(r, 3, 3)) < 0.05);
        QVERIFY(std::abs(at(r, 4, 3) - 1.0) < 0.05 && std::abs(at(r, 4, 4)) < 0.05);
        QVERIFY(std::abs(at(r, 2, 0) - 0.5) < 0.05 && std::abs(at(r, 2, 2) - 0.5) < 0.05);
        QVERIFY(std::abs(at(r, 0, 0) - 1.0) < 0.05);
        QVERIFY_THROWS_EXCEPTION(Error, stemRouting(truth, std::vector<float>(n)));
    }

    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_pack = test::toPath(m_dir.path()) / "small.sdpack";
        writePack(test::smallBank(), m_pack);
    }

    void twentyStepsLowerTheLoss() {
        TrainOptions o = options();
        o.maxSteps = 20;
        const TrainResult r = train::train(o);
        QCOMPARE(r.firstStep, int64_t(0));
        QCOMPARE(r.lastStep, int64_t(20));
        QCOMPARE(r.losses.size(), size_t(20));
        const double first = std::accumulate(r.losses.begin(), r.losses.begin() + 5, 0.0) / 5;
        const double last = std::accumulate(r.losses.end() - 5, r.losses.end(), 0.0) / 5;
        // The loss is the negative SDR in dB: a drop of 0.5 dB is learning, not noise.
        QVERIFY2(last < first - 0.5, qPrintable(QString("first 5 steps %1 dB, last 5 %2 dB").arg(first).arg(last)));
        QVERIFY(std::filesystem::is_regular_file(r.checkpoint));
        QCOMPARE(r.validation.perStem.size(), size_t(kStemCount));
        for (double d : r.validation.perStem) QVERIFY(std::isfinite(d));
        QVERIFY(std::filesystem::is_regular_file(o.outDir / "train-log.tsv"));
        QVERIFY(std::filesystem::is_regular_file(o.outDir / "validation.tsv"));
    }

    // Synthetic kits join the training examples (here every kit choice), and stay out of the
    // validation: the report at the end of training is the one the checkpoint gets from the
    // held-out kits alone (within the rounding of the checkpoint's fp16 EMA; other loops would
    // differ by decibels).
    void syntheticKitsTrainAndStayOutOfValidation() {
        TrainOptions o = options();
        o.outDir = test::toPath(m_dir.path()) / "synthetic";
        o.syntheticKits = 2;
        o.syntheticKitProbability = 1.0;
        o.maxSteps = 3;
        const TrainResult r = train::train(o);
        QCOMPARE(r.lastStep, int64_t(3));
        for (double l : r.losses) QVERIFY(std::isfinite(l));
        const ValidationReport v = validateCheckpoint(r.checkpoint, o);
        QCOMPARE(v.perStem.size(), size_t(kStemCount));
        for (int s = 0; s < kStemCount; ++s)
            QVERIFY2(std::abs(v.perStem[s] - r.validation.perStem[s]) < 0.01,
                     qPrintable(QString("%1: %2 vs %3").arg(s).arg(v.perStem[s]).arg(r.validation.perStem[s])));
    }

    // Training through the soft masks (--train-soft-mask): where every estimate is exactly
    // silent (here a final convolution of zeros), sqrt has no finite gradient at 0; the masks
    // must still give finite gradients, scored stems that add up to the mix, and a few steps
    // of training must run.
    void trainingThroughSoftMasks() {
        const model::ModelConfig cfg = presetConfig("tiny");
        torch::manual_seed(3);
        model::TfcTdfNet net(cfg);
        net->train();
        const auto mix = 0.1 * torch::randn({2, cfg.audio.num_channels, cfg.chunkSize()});
        const auto target = torch::randn({2, static_cast<int64_t>(cfg.stems().size()), cfg.audio.num_channels, cfg.chunkSize()});
        // How many weights the loss reaches, or -1 where a gradient is not finite.
        const auto gradients = [&net](const torch::Tensor& loss) {
            net->zero_grad();
            loss.backward();
            int64_t nonzero = 0;
            for (const auto& p : net->parameters()) {
                if (!p.grad().defined()) continue;
                if (!torch::isfinite(p.grad()).all().item<bool>()) return int64_t(-1);
                nonzero += (p.grad() != 0).sum().item<int64_t>();
            }
            return nonzero;
        };
        const auto plain = net->forward(mix);
        net->setSoftMaskPower(1.5);
        const auto masked = net->forward(mix);
        QVERIFY((masked - plain).abs().max().item<double>() > 1e-3); // the masks act in training
        QVERIFY(gradients(sdrLoss(masked, target, mix)) > 0);        // and the loss reaches through them
        {
            torch::NoGradGuard ng; // the last convolution silenced: every estimate exactly 0
            for (auto& item : net->named_parameters())
                if (item.key().rfind("final_conv.2", 0) == 0) item.value().zero_();
        }
        const auto silent = net->forward(mix);
        // All silent: the mix (through the STFT round trip, the tiny preset's dim_f cut included)
        // shared equally; anything else: stems that add up to that same round trip.
        for (int64_t s = 1; s < silent.size(1); ++s) QVERIFY(torch::allclose(silent.select(1, s), silent.select(1, 0)));
        const auto roundTrip = silent.sum(1);
        QVERIFY((roundTrip - mix).pow(2).sum().item<double>() < 0.01 * mix.pow(2).sum().item<double>());
        const auto sumError = (masked.sum(1) - roundTrip).pow(2).sum() / roundTrip.pow(2).sum();
        QVERIFY2(sumError.item<double>() < 1e-8, qPrintable(QString::number(sumError.item<double>())));
        // At exactly silent estimates the masks' gradient is 0, not NaN (sqrt's derivative at 0
        // without the training floor); without the masks the same silence has a gradient.
        QCOMPARE(gradients(sdrLoss(silent, target, mix)), int64_t(0));
        net->setSoftMaskPower(0.0);
        QVERIFY(gradients(sdrLoss(net->forward(mix), target, mix)) > 0);

        TrainOptions o = options();
        o.outDir = test::toPath(m_dir.path()) / "masked";
        o.trainSoftMaskPower = 1.5;
        o.maxSteps = 3;
        o.validateAtEnd = false;
        const TrainResult r = train::train(o);
        QCOMPARE(r.lastStep, int64_t(3));
        for (double l : r.losses) QVERIFY(std::isfinite(l));
    }

    // Training through the multichannel Wiener filter (--train-wiener), after the masks: the
    // loss reaches the weights through it, and a mix with digital silence and a faint tail in
    // it (bins whose estimates are 0 or nearly, where 1 / trace has no finite gradient) still
    // gives finite gradients; a few steps of training run.
    void trainingThroughTheWienerFilter() {
        const model::ModelConfig cfg = presetConfig("tiny");
        QCOMPARE(cfg.audio.num_channels, 2);
        torch::manual_seed(5);
        model::TfcTdfNet net(cfg);
        net->train();
        auto mix = 0.1 * torch::randn({2, 2, cfg.chunkSize()});
        // The first quarter digital silence, the second a faint tail (powers near 1e-24, where
        // 1 / trace^2 overflows float32); the rest loud.
        mix.narrow(2, 0, cfg.chunkSize() / 4).zero_();
        mix.narrow(2, cfg.chunkSize() / 4, cfg.chunkSize() / 4).mul_(1e-11);
        const auto target = torch::randn({2, static_cast<int64_t>(cfg.stems().size()), 2, cfg.chunkSize()});
        net->setSoftMaskPower(1.5);
        const auto masked = net->forward(mix);
        net->setMultichannelWiener(true);
        const auto filtered = net->forward(mix);
        QVERIFY((filtered - masked).abs().max().item<double>() > 1e-4); // the filter acts in training
        // The loss of `stems` reaches the weights (some gradient not zero), finitely.
        const auto gradientsReachTheWeights = [&](const torch::Tensor& stems) {
            net->zero_grad();
            sdrLoss(stems, target, mix).backward();
            int64_t nonzero = 0;
            bool finite = true;
            for (const auto& p : net->parameters()) {
                if (!p.grad().defined()) continue;
                finite = finite && torch::isfinite(p.grad()).all().item<bool>();
                nonzero += (p.grad() != 0).sum().item<int64_t>();
            }
            return finite && nonzero > 0;
        };
        QVERIFY2(gradientsReachTheWeights(filtered), "gradients through the filter are not finite, or none reaches the weights");
        // The stems still add up to the masked ones' sum (the mix's round trip), to the ridge.
        const auto sumError = (filtered.sum(1) - masked.sum(1)).pow(2).sum() / masked.sum(1).pow(2).sum();
        QVERIFY2(sumError.item<double>() < 1e-6, qPrintable(QString::number(sumError.item<double>())));

        TrainOptions o = options();
        o.outDir = test::toPath(m_dir.path()) / "wiener";
        o.trainSoftMaskPower = 1.5;
        o.trainWiener = true;
        o.maxSteps = 3;
        o.validateAtEnd = false;
        const TrainResult r = train::train(o);
        QCOMPARE(r.lastStep, int64_t(3));
        for (double l : r.losses) QVERIFY(std::isfinite(l));

        // A second pass at its own STFT size (--train-wiener-n-fft 256,512; the preset's n_fft is
        // 256): the loss reaches the weights through that transform too, finitely, and the
        // second pass changes the stems.
        net->setWienerIterations(2);
        net->setWienerFftSizes({cfg.audio.n_fft, 2 * cfg.audio.n_fft});
        const auto twice = net->forward(mix);
        QVERIFY((twice - filtered).abs().max().item<double>() > 1e-4);
        QVERIFY2(gradientsReachTheWeights(twice), "gradients through the 512-point pass are not finite, or none reaches the weights");
        TrainOptions sized = o;
        sized.outDir = test::toPath(m_dir.path()) / "wiener-sizes";
        sized.trainWienerIterations = 2;
        sized.trainWienerFftSizes = {cfg.audio.n_fft, 2 * cfg.audio.n_fft};
        sized.maxSteps = 2;
        const TrainResult rs = train::train(sized);
        QCOMPARE(rs.lastStep, int64_t(2));
        for (double l : rs.losses) QVERIFY(std::isfinite(l));
    }

    void checkpointResumes() {
        TrainOptions o = options();
        o.resume = o.outDir / "checkpoint.pt";
        o.maxSteps = 3;
        o.validateAtEnd = false;
        const TrainResult r = train::train(o);
        QCOMPARE(r.firstStep, int64_t(20));
        QCOMPARE(r.lastStep, int64_t(23));
        // A slim checkpoint (no first moment) is smaller, holds the same weights and resumes
        // where it stopped; a schedule restart there warms up again from lr/warmup.
        const auto slim = test::toPath(m_dir.path()) / "slim.pt";
        slimCheckpoint(o.outDir / "checkpoint.pt", slim);
        QVERIFY(std::filesystem::file_size(slim) < std::filesystem::file_size(o.outDir / "checkpoint.pt"));
        const auto dir = test::toPath(m_dir.path());
        exportCheckpoint(o.outDir / "checkpoint.pt", dir / "full-export", "m");
        exportCheckpoint(slim, dir / "slim-export", "m");
        auto bytes = [](const std::filesystem::path& p) {
            std::ifstream in(p, std::ios::binary);
            return std::string(std::istreambuf_iterator<char>(in), {});
        };
        QVERIFY(bytes(dir / "full-export" / "m.safetensors") == bytes(dir / "slim-export" / "m.safetensors"));
        TrainOptions restart = options();
        restart.outDir = dir / "restart";
        restart.resume = slim;
        restart.maxSteps = 2;
        restart.logEvery = 1;
        restart.validateAtEnd = false;
        restart.scheduleStart = 23;
        restart.warmupSteps = 10;
        restart.slimCheckpoint = true;
        const TrainResult rr = train::train(restart);
        QCOMPARE(rr.firstStep, int64_t(23));
        QCOMPARE(rr.lastStep, int64_t(25));
        QVERIFY(std::isfinite(rr.losses.back()));
        QVERIFY(std::abs(rr.log.front().lr - restart.lr / 10.0) < 1e-9);
        QVERIFY(std::abs(rr.log.back().lr - 2.0 * restart.lr / 10.0) < 1e-9);
        // Lighter forms without the optimizer: each gives the same export, and training resumes
        // from it (AdamW afresh) at its step.
        auto lighter = [&](SlimForm form, const std::string& name) {
            const auto path = dir / (name + ".pt");
            slimCheckpoint(o.outDir / "checkpoint.pt", path, form);
            exportCheckpoint(path, dir / (name + "-export"), "m");
            [&] { QVERIFY(bytes(dir / "full-export" / "m.safetensors") == bytes(dir / (name + "-export") / "m.safetensors")); }();
            TrainOptions from = restart;
            from.outDir = dir / ("from-" + name);
            from.resume = path;
            const TrainResult r = train::train(from);
            [&] {
                QCOMPARE(r.firstStep, int64_t(23));
                QCOMPARE(r.lastStep, int64_t(25));
                QVERIFY(std::isfinite(r.losses.back()));
            }();
            return std::pair{path, r};
        };
        // Weights only: float16 weights + EMA, smaller than slim.
        const auto [light, rl] = lighter(SlimForm::WeightsOnly, "weights-only");
        QVERIFY(std::filesystem::file_size(light) < std::filesystem::file_size(slim) * 3 / 4);
        // EMA only: float16 EMA alone, about half that; the weights start from the EMA, so the
        // first loss differs from the weights-only resume's.
        const auto [emaOnly, re] = lighter(SlimForm::EmaOnly, "ema-only");
        QVERIFY(std::filesystem::file_size(emaOnly) < std::filesystem::file_size(light) * 6 / 10);
        QVERIFY(re.losses.front() != rl.losses.front());
        QVERIFY(!QTest::currentTestFailed());
        // A soup: the mean of two checkpoints' EMA weights, at the larger step; one checkpoint
        // alone is refused.
        const auto soup = dir / "soup.pt";
        averageCheckpoints({emaOnly, dir / "from-ema-only" / "checkpoint.pt"}, soup);
        exportCheckpoint(dir / "from-ema-only" / "checkpoint.pt", dir / "later-export", "m");
        exportCheckpoint(soup, dir / "soup-export", "m");
        const auto a = model::loadStateDict(dir / "ema-only-export" / "m.safetensors");
        const auto b = model::loadStateDict(dir / "later-export" / "m.safetensors");
        const auto m = model::loadStateDict(dir / "soup-export" / "m.safetensors");
        QCOMPARE(m.size(), a.size());
        double moved = 0.0;
        for (size_t i = 0; i < m.size(); ++i) {
            QCOMPARE(m[i].first, a[i].first);
            const auto mean = (a[i].second.to(torch::kFloat32) + b[i].second.to(torch::kFloat32)) / 2;
            QVERIFY2(torch::allclose(m[i].second.to(torch::kFloat32), mean, 2e-3, 1e-4), m[i].first.c_str());
            moved = std::max(moved, (a[i].second.to(torch::kFloat32) - b[i].second.to(torch::kFloat32)).abs().max().item<double>());
        }
        QVERIFY(moved > 0.0); // the two differ, so the mean is not either of them
        TrainOptions fromSoup = restart;
        fromSoup.outDir = dir / "from-soup";
        fromSoup.resume = soup;
        QCOMPARE(train::train(fromSoup).firstStep, int64_t(25));
        QVERIFY_THROWS_EXCEPTION(Error, averageCheckpoints({soup}, dir / "one.pt"));
        QVERIFY_THROWS_EXCEPTION(Error, averageCheckpoints({soup, dir / "no-such.pt"}, dir / "two.pt"));
        QVERIFY(!std::filesystem::exists(dir / "two.pt")); // nothing written when an input fails
        // A checkpoint of another preset is refused with a message saying so.
        o.preset = "compact";
        try {
            train::train(o);
            QFAIL("a checkpoint of another preset was accepted");
        } catch (const Error& e) {
            const QString what = QString::fromStdString(e.what());
            QVERIFY2(what.contains("is a '" + QString::fromStdString(options().preset) + "' model, not 'compact'"), qPrintable(what));
        }
    }

    // Per-kit validation: a held-out kit alone; a training kit or an unknown name is refused.
    void validatesOneHeldOutKit() {
        TrainOptions o = options();
        o.validationKit = "TR808EmulationKit";
        const ValidationReport v = validateCheckpoint(o.outDir / "checkpoint.pt", o);
        QCOMPARE(v.perStem.size(), size_t(kStemCount));
        QCOMPARE(v.pairs.size(), size_t(2));
        for (double d : v.perStem) QVERIFY(std::isfinite(d));
        // Per loop: the kits that sound (the held-out kit alone here) and where each stem went.
        QCOMPARE(v.loops.size(), size_t(o.validationLoops));
        QCOMPARE(v.routed.size(), size_t(kStemCount * kStemCount));
        for (const auto& loop : v.loops) {
            QCOMPARE(loop.kits, (std::vector<std::string>{"TR808EmulationKit"}));
            QCOMPARE(loop.routed.size(), size_t(kStemCount * kStemCount));
            for (double r : loop.routed) QVERIFY(std::isfinite(r));
        }
        o.validationKit = "GMRockKit";
        QVERIFY_THROWS_EXCEPTION(Error, validateCheckpoint(o.outDir / "checkpoint.pt", o));
        o.validationKit = "NoSuchKit";
        QVERIFY_THROWS_EXCEPTION(Error, validateCheckpoint(o.outDir / "checkpoint.pt", o));
    }

    // The diagnoses of session 12: loops from the training kits instead (none of the held-out
    // kits sounds), and inference chunks of another length (the scores change, the loops do not).
    void validatesOnTrainingKitsAndOtherChunks() {
        TrainOptions o = options();
        o.validationLoops = 2;
        const ValidationReport heldOut = validateCheckpoint(o.outDir / "checkpoint.pt", o);
        const KitMap map = builtinKitMap();
        o.validateOnTrainingKits = true;
        const ValidationReport training = validateCheckpoint(o.outDir / "checkpoint.pt", o);
        QCOMPARE(training.loops.size(), size_t(2));
        for (const auto& loop : training.loops) {
            QVERIFY(!loop.kits.empty());
            for (const auto& kit : loop.kits) QVERIFY2(!map.isValidation(kit), kit.c_str());
        }
        for (const auto& loop : heldOut.loops)
            for (const auto& kit : loop.kits) QVERIFY2(map.isValidation(kit), kit.c_str());
        o.validationKit = "TR808EmulationKit"; // a held-out kit does not go with --training-kits
        QVERIFY_THROWS_EXCEPTION(Error, validateCheckpoint(o.outDir / "checkpoint.pt", o));

        o = options();
        o.validationLoops = 2;
        const model::ModelConfig cfg = presetConfig(o.preset);
        o.validationChunk = 2 * cfg.audio.chunk_size + cfg.audio.hop_length; // twice the frames
        const ValidationReport longer = validateCheckpoint(o.outDir / "checkpoint.pt", o);
        QCOMPARE(longer.loops.size(), heldOut.loops.size());
        bool differs = false;
        for (size_t i = 0; i < heldOut.loops.size(); ++i) {
            QCOMPARE(longer.loops[i].kits, heldOut.loops[i].kits);
            QCOMPARE(longer.loops[i].hits, heldOut.loops[i].hits);
            for (int s = 0; s < kStemCount; ++s) {
                QVERIFY(std::isfinite(longer.loops[i].sdr[s]));
                differs = differs || std::abs(longer.loops[i].sdr[s] - heldOut.loops[i].sdr[s]) > 1e-6;
            }
        }
        QVERIFY(differs);
        o.validationChunk = cfg.audio.chunk_size + 1; // not a whole number of hops
        QVERIFY_THROWS_EXCEPTION(Error, validateCheckpoint(o.outDir / "checkpoint.pt", o));
    }

    // --train-chunk: training examples of another length the network takes (twice the preset's
    // frames here) train, and differ from the preset's (same seed, other losses); a length that
    // is not a whole number of hops is refused before anything is written.
    void trainsOnOtherChunkLengths() {
        const model::ModelConfig cfg = presetConfig("tiny");
        TrainOptions o = options();
        o.maxSteps = 2;
        o.validateAtEnd = false;
        o.outDir = test::toPath(m_dir.path()) / "chunk-preset";
        const TrainResult preset = train::train(o);
        o.outDir = test::toPath(m_dir.path()) / "chunk-long";
        o.trainChunk = 2 * cfg.audio.chunk_size + cfg.audio.hop_length;
        const TrainResult longer = train::train(o);
        QCOMPARE(longer.losses.size(), size_t(2));
        for (double l : longer.losses) QVERIFY(std::isfinite(l));
        QVERIFY(longer.losses.front() != preset.losses.front());
        o.outDir = test::toPath(m_dir.path()) / "chunk-bad";
        o.trainChunk = cfg.audio.chunk_size + 1;
        QVERIFY_THROWS_EXCEPTION(Error, train::train(o));
        QVERIFY(!std::filesystem::exists(o.outDir)); // refused before anything is written
    }

    void exportWritesConfigAndFp16Weights() {
        const auto out = test::toPath(m_dir.path()) / "export";
        exportCheckpoint(options().outDir / "checkpoint.pt", out, "tiny-drums");
        const auto cfg = model::loadModelConfig(out / "config.yaml");
        QCOMPARE(cfg.training.instruments, (std::vector<std::string>{"kick", "snare", "toms", "hh", "cymbals"}));
        QCOMPARE(cfg.model.num_channels, int64_t(8));
        const auto st = out / "tiny-drums.safetensors";
        QVERIFY(std::filesystem::is_regular_file(st));
        std::ifstream in(st, std::ios::binary);
        unsigned char len[8];
        in.read(reinterpret_cast<char*>(len), 8);
        uint64_t n = 0;
        for (int i = 7; i >= 0; --i) n = (n << 8) | len[i];
        std::string header(n, '\0');
        in.read(header.data(), static_cast<std::streamsize>(n));
        QVERIFY(header.find("\"F16\"") != std::string::npos);
        QVERIFY(header.find("first_conv.weight") != std::string::npos);
        // fp16: the file is about 2 bytes per parameter
        const auto params = model::parameterCountOf(cfg);
        const auto size = std::filesystem::file_size(st);
        QVERIFY2(size >= uint64_t(2 * params) && size < uint64_t(2 * params) + 8 + n + 1024, qPrintable(QString::number(size)));
    }

    // An export read back (import) is the checkpoint it came from: exported again, the same bytes.
    void importTakesAnExportBack() {
        const auto dir = test::toPath(m_dir.path());
        const auto first = dir / "export" / "tiny-drums.safetensors";
        QVERIFY(std::filesystem::is_regular_file(first));
        importWeights(first, dir / "imported.pt");
        exportCheckpoint(dir / "imported.pt", dir / "export2", "tiny-drums");
        const auto bytes = [](const std::filesystem::path& p) {
            std::ifstream in(p, std::ios::binary);
            return std::string(std::istreambuf_iterator<char>(in), {});
        };
        QCOMPARE(bytes(dir / "export2" / "tiny-drums.safetensors"), bytes(first));
        // Another preset's weights do not fit: refused by name and shape.
        QVERIFY_THROWS_EXCEPTION(Error, importWeights(first, dir / "never.pt", "compact"));
        QVERIFY(!std::filesystem::exists(dir / "never.pt"));
        // A step in the metadata that is not a count is refused, unless --step gives one.
        model::StateDict tensors = model::loadStateDict(first);
        const auto odd = dir / "odd-step.safetensors";
        model::saveSafetensors(odd, tensors, torch::kHalf, {{"stemdeck_preset", "tiny"}, {"stemdeck_step", "many"}});
        QVERIFY_THROWS_EXCEPTION(Error, importWeights(odd, dir / "never.pt"));
        QVERIFY(!std::filesystem::exists(dir / "never.pt"));
        importWeights(odd, dir / "stepped.pt", {}, 5);
        QVERIFY(std::filesystem::is_regular_file(dir / "stepped.pt"));
    }

    // Widening (Net2Net): a network grown to more channels per scale (growth) or at the top
    // (num_channels) computes what the narrower one did, and training reaches the new channels.
    void widenedNetworkComputesTheSame() {
        const model::ModelConfig narrow = presetConfig("tiny");
        torch::manual_seed(11);
        model::TfcTdfNet from(narrow);
        {
            // Every weight matters: norms too get scales and shifts other than 1 and 0.
            torch::NoGradGuard ng;
            for (auto& item : from->named_parameters())
                if (item.value().dim() == 1) item.value().copy_(1.0 + 0.3 * torch::randn_like(item.value()));
        }
        const auto mix = 0.2 * torch::randn({2, narrow.audio.num_channels, narrow.chunkSize()});
        const auto before = from->forward(mix).detach();

        const auto grown = [&](int64_t channels, int64_t growth) {
            model::ModelConfig c = narrow;
            c.model.num_channels = channels;
            c.model.growth = growth;
            return c;
        };
        for (const auto& wide : {grown(8, 16), grown(12, 12)}) {
            model::TfcTdfNet to(wide);
            QVERIFY(model::countParameters(*to) > model::countParameters(*from));
            widenInto(*from, *to);
            const auto after = to->forward(mix);
            const double err = (after - before).abs().max().item<double>();
            const double scale = before.abs().max().item<double>();
            QVERIFY2(err < 1e-4 * scale, qPrintable(QString("max error %1 of %2").arg(err).arg(scale)));
            // The new channels' inputs start at zero and learn from the first step.
            const auto target = torch::randn_like(after);
            to->zero_grad();
            (after - target).pow(2).mean().backward();
            auto params = to->named_parameters();
            const auto& shortcut = params["decoder_blocks.0.tfc_tdf.blocks.0.shortcut.weight"];
            const int64_t c = wide.model.num_channels + 2 * wide.model.growth; // the deepest scale's input
            QCOMPARE(shortcut.size(1), 2 * (c - wide.model.growth));
            const auto oldC = narrow.model.num_channels + narrow.model.growth;
            const auto added = shortcut.narrow(1, oldC, c - wide.model.growth - oldC);
            QCOMPARE(added.abs().max().item<double>(), 0.0);
            QVERIFY(shortcut.grad().narrow(1, oldC, c - wide.model.growth - oldC).abs().max().item<double>() > 0.0);
        }
        // Only growing, and only the channel counts.
        model::TfcTdfNet wide(grown(8, 16));
        QVERIFY_THROWS_EXCEPTION(Error, widenInto(*wide, *from));
        model::ModelConfig other = grown(8, 16);
        other.model.bottleneck_factor = 4;
        model::TfcTdfNet different(other);
        QVERIFY_THROWS_EXCEPTION(Error, widenInto(*from, *different));
    }
};

QTEST_GUILESS_MAIN(TestTrainSmoke)
#include "tst_train_smoke.moc"
