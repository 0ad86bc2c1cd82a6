// stemdeck-train: makes the sample pack, trains the bundled drum model, validates and exports it.
// Its commands and options: kUsage below (`stemdeck-train help` prints it).
#include "common/error.h"
#include "common/heap.h"
#include "common/log.h"
#include "model/tfc_tdf_net.h"
#include "audio/export.h"
#include "demo.h"
#include "levels.h"
#include "synth.h"
#include "trainer.h"
#include "voices.h"

#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <cstdio>
#include <iostream>
#include <cmath>
#include <map>
#include <charconv>
#include <optional>
#include <set>
#include <utility>
#include <sstream>
#include <string>

using namespace stemdeck;
using namespace stemdeck::train;

namespace {
constexpr const char* kUsage = R"(usage:
  stemdeck-train pack --out FILE [--drumkits DIR] [--high-pass HZ]   (the DC-blocking high-pass; 0: off, default 10;
                                                       train, validate and bench-data take it too when they read the kits)
  stemdeck-train train [--pack FILE] [--out DIR] [--resume CKPT] [--device cpu|cuda]
                       [--preset compact|wide|wide24|wide32|tiny] [--max-minutes M] [--steps N] [--batch B]
                       [--lr LR] [--warmup N] [--total-steps N]   (AdamW's peak rate, default 5e-4; its linear warmup,
                                                       default 500 steps; the cosine's horizon, default step 40000)
                       [--seed N] [--data-threads N]   (the examples' seed, default 1; synthesiser threads, default 4)
                       [--log-every N] [--checkpoint-every N]   (steps; defaults 50 and 1000)
                       [--slim-checkpoint]   (checkpoints without AdamW's first moment, as slim writes them)
                       [--loops N] [--loop-seconds S] [--no-validate]   (validation at the end: loops from the
                                                       validation kits, default 6 of 12 s; or none)
                       [--threads N] [--room 0] [--stft-loss-weight W] [--no-autocast] [--channels-last]
                       [--ema-every N] [--profile]   (STEMDECK_TRAIN_PROFILE=1: per-phase step times)
                       [--augment strong|basic] [--pair-loss-weight W] [--schedule-start STEP]
                       [--hats-pitch SEMITONES] [--hats-eq DB]   (strong augmentation of hh/cymbals apart)
                       [--band-limit P] [--hats-band-limit P] [--resonance P] [--cymbals-min-decay SECONDS] [--layer P]
                       [--ride-on-crash P] [--ride-hats P]   (strong augmentation aimed at class boundaries)
                       [--polarity P]   (each instrument inverted with probability P)
                       [--quiet-hats P]   (the hi-hat 10-25 dB under the cymbals, probability P per example)
                       [--stem-gain-db DB]   (each stem's gain drawn from -DB..0 dB; default 12)
                       [--kit-mix P] [--instrument-kit-mix P]   (a class / an instrument from another kit than
                                                       the example's; defaults 0.5, 0.5; the second with strong only)
                       [--silent-stems P] [--sparse-stems P]   (a stem without hits / with one or two; 0.08, 0.12)
                       [--bright-metal P]   (hi-hat and cymbals through one 1-4 kHz high-pass, probability P)
                       [--phase P]   (each stem through one or two random all-pass sections, probability P)
                       [--train-chunk N]     (samples per training example; default: the preset's audio.chunk_size)
                       [--synth-kits N] [--synth-kit-prob P]   (N drum-machine kits made by code, drawn with probability P)
                       [--synth-kit-stems hh,cymbals:0.9]      (the classes they may play, default all five;
                                                                CLASS:P gives one its own probability)
                       [--synth-metal narrow|wide]   (the synthetic hats' and crashes' ranges, voices.h VoiceRanges)
                       [--loss mse|bsdr|sdr|l1|A+B] [--sdr-floor-db DB]   (the sdr loss's floor, default -40)
                       [--train-soft-mask P|off]   (soft masks inside the training forward pass; default off)
                       [--train-wiener on|off]     (the multichannel Wiener filter inside it too; default off)
                       [--train-wiener-iterations N]   (its passes there, 1-8; default 1)
                       [--train-wiener-n-fft 2048,1024,...]   (their STFT sizes there; default: the network's n_fft)
  stemdeck-train validate --checkpoint CKPT [--pack FILE] [--device cpu|cuda] [--loops N] [--kit VALIDATION_KIT] [--per-loop]
                          [--eval-set resources/evaluation/eval-sounds.tsv]   (sounds from outside Hydrogen's kits)
                          [--soft-mask P|off]   (the soft-mask power; default: the preset config's, as exported)
                          [--overlap N]   (chunks overlapping each sample, 1-16; default: the preset config's)
                          [--chunk-size N] (samples per chunk; default: the preset config's)
                          [--training-kits] (loops from the training kits instead: a diagnosis)
                          [--wiener on|off]   (the multichannel Wiener filter; default: the preset config's)
                          [--wiener-iterations N]   (its passes, 1-8; default: the preset config's)
                          [--wiener-n-fft 2048,1024,...|default]   (each pass's STFT size; default: the preset config's)
                          [--tta on|off]   (test-time augmentation: channels swapped, polarity inverted; default off)
                          [--brighten-loops P]   (the loops' hi-hat and cymbals high-passed together, probability P: a diagnosis)
                          [--phase-loops P]   (each of the loops' stems through random all-pass sections, probability P: a diagnosis)
  stemdeck-train export --checkpoint CKPT --out DIR [--name NAME]
  stemdeck-train slim --checkpoint CKPT --out CKPT2 [--weights-only | --ema-only]
                                                       (without AdamW's first moment, as --slim-checkpoint writes when
                                                       training; --weights-only: fp16 weights + EMA, no optimizer;
                                                       --ema-only: the fp16 EMA alone, the weights resume from it)
  stemdeck-train import --weights MODEL.safetensors --out CKPT [--preset P] [--step N]
                                                       (an export back into an EMA-only checkpoint; preset and step
                                                       from the file's metadata unless given)
  stemdeck-train widen --checkpoint CKPT --preset wide --out CKPT2   (the EMA weights grown into a wider preset
                                                       that computes the same, new channels unheard at first)
  stemdeck-train average --checkpoints CKPT,CKPT[,...] --out CKPT2   (the mean of their EMA weights, EMA-only)
  stemdeck-train synth-kits --out DIR [--count N] [--synth-metal wide]   (writes the synthetic kits' voices as WAV, to hear them)
  stemdeck-train brightness [--pack FILE] [--below HZ] [--synth-kits N] [--synth-metal wide]   (per kit, the hi-hat's and cymbals'
                                                       share of energy below HZ, default 2000: how bright its metal is)
  stemdeck-train levels [--pack FILE] [--examples N] [--loops N] [train's synthesis options]   (each stem's level
                                                       against the mix, in 5 dB bins: the validation loops, default 96,
                                                       beside N training examples of that recipe, default 2400)
  stemdeck-train bench-data [--pack FILE] [--threads N] [--batches N] [--batch B] [--augment strong|basic]
  stemdeck-train bench-model [--preset P] [--channels N] [--growth N] [--threads N] [--chunks N]
                             [--soft-mask P|off] [--wiener on|off]   (default: the preset's; --chunks 0: parameters only)
  stemdeck-train bench-parts [--preset P] [--device cuda|cpu] [--batch B] [--iters N] [--no-autocast] [--channels-last]
                             [--cudnn-benchmark 0|1]   forward+backward time of the network and of its pieces
An option a command does not take is refused (a mistyped one would otherwise be ignored).
)";
} // namespace


namespace {

// The whole of text as a number; nothing when it is not one (empty, trailing text, out of range).
std::optional<double> numberFrom(const std::string& text) {
    size_t used = 0;
    double v = 0.0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (used == 0 || used != text.size()) return std::nullopt;
    return v;
}

struct Args {
    std::string command;
    std::map<std::string, std::string> values;
    // The options the command has looked at so far (onlyKnownOptions).
    mutable std::set<std::string> asked;
    std::string get(const std::string& k, const std::string& d = {}) const {
        asked.insert(k);
        auto it = values.find(k);
        return it == values.end() ? d : it->second;
    }
    bool has(const std::string& k) const {
        asked.insert(k);
        return values.count(k) > 0;
    }
    // Refuses an option the command never looks at: a mistyped one (--train-wiener-nfft) would
    // otherwise be ignored, and a ten-minute device call would train without it. Called once a
    // command has read its options, before its work; `later` names those it reads after that.
    void onlyKnownOptions(std::initializer_list<const char*> later = {}) const {
        for (const char* k : later) asked.insert(k);
        for (const auto& [k, v] : values)
            if (!asked.count(k))
                throw Error(ErrorCode::InvalidArgument, "unknown option --" + k + " for " + command +
                                                            " (stemdeck-train help lists each command's options)");
    }
    // --k's value (or d) as a number; text that is not one is an error naming the option.
    double number(const std::string& k, const std::string& d) const {
        const std::string text = get(k, d);
        const std::optional<double> v = numberFrom(text);
        if (!v) throw Error(ErrorCode::InvalidArgument, "--" + k + " must be a number, not '" + text + "'");
        return *v;
    }
    int64_t integer(const std::string& k, const std::string& d) const {
        const double v = number(k, d);
        if (v != std::floor(v) || std::abs(v) > 9.0e15)
            throw Error(ErrorCode::InvalidArgument, "--" + k + " must be a whole number, not '" + get(k, d) + "'");
        return static_cast<int64_t>(v);
    }
};

Args parse(int argc, char** argv) {
    Args a;
    if (argc < 2)
        throw Error(ErrorCode::InvalidArgument, "no command (pack, train, validate, export, import, widen, slim, average, "
                                                "synth-kits, brightness, bench-data, bench-model, bench-parts; help lists their options)");
    a.command = argv[1];
    if (a.command == "--help" || a.command == "-h") a.command = "help";
    for (int i = 2; i < argc; ++i) {
        std::string k = argv[i];
        // `stemdeck-train validate --help`: the usage, as `help` gives it (it once asked for a value).
        if (k == "--help" || k == "-h") {
            a.command = "help";
            a.values.clear();
            return a;
        }
        if (k.rfind("--", 0) != 0) throw Error(ErrorCode::InvalidArgument, "unexpected argument '" + k + "'");
        k = k.substr(2);
        // Switches take no value.
        static const std::set<std::string> switches{"no-autocast", "no-validate",    "channels-last", "profile",
                                                    "slim-checkpoint", "per-loop", "weights-only", "ema-only",
                                                    "training-kits"};
        if (switches.count(k)) { a.values[k] = "1"; continue; }
        if (i + 1 >= argc) throw Error(ErrorCode::InvalidArgument, "--" + k + " needs a value");
        a.values[k] = argv[++i];
    }
    return a;
}

// How the bank is built from the installed kits (--high-pass); a pack was built when written.
BankOptions bankOptions(const Args& a) {
    BankOptions opts;
    if (!a.has("high-pass")) return opts;
    if (a.has("pack"))
        throw Error(ErrorCode::InvalidArgument,
                    "--high-pass filters the kits' files as a pack is made; a --pack was filtered when it was written");
    opts.highPassHz = a.number("high-pass", "0");
    if (!(opts.highPassHz >= 0.0 && opts.highPassHz <= 200.0))
        throw Error(ErrorCode::InvalidArgument, "--high-pass must lie between 0 (off) and 200 Hz");
    return opts;
}

SampleBank bankFrom(const Args& a) {
    const BankOptions opts = bankOptions(a);
    if (a.has("pack")) return readPack(a.get("pack"));
    return buildSampleBank(builtinKitMap(), a.has("drumkits") ? std::filesystem::path(a.get("drumkits")) : defaultDrumkitsDir(),
                           opts);
}

// --NAME on|off; nullopt when absent.
std::optional<bool> onOffOption(const Args& a, const std::string& name) {
    if (!a.has(name)) return std::nullopt;
    const std::string v = a.get(name);
    if (v != "on" && v != "off") throw Error(ErrorCode::InvalidArgument, "--" + name + " takes on or off, not '" + v + "'");
    return v == "on";
}

// --NAME P|off (a soft-mask power: 0 for off, at most model::kMaxSoftMaskPower); nullopt when absent.
std::optional<double> softMaskOption(const Args& a, const std::string& name) {
    if (!a.has(name)) return std::nullopt;
    const double p = a.get(name) == "off" ? 0.0 : a.number(name, "0");
    if (!(p >= 0.0 && p <= model::kMaxSoftMaskPower))
        throw Error(ErrorCode::InvalidArgument, "--" + name + " takes off or a power between 0 and 8, such as 1.5");
    return p;
}

// The Wiener filter's STFT size per pass (model::NetRuntime::wienerFftSizes): "2048,1024,512",
// or "default" (every pass at the network's n_fft: an empty list).
std::vector<int64_t> fftSizesOption(const Args& a, const char* name) {
    std::vector<int64_t> sizes;
    const std::string list = a.get(name);
    if (list == "default") return sizes;
    std::stringstream items(list);
    std::string item;
    while (std::getline(items, item, ',')) {
        int64_t n = 0;
        const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), n);
        if (ec != std::errc() || end != item.data() + item.size() || !model::isWienerFftSize(n))
            throw Error(ErrorCode::InvalidArgument, std::string("--") + name + " takes powers of two from " +
                                                        std::to_string(model::kMinWienerFft) + " to " +
                                                        std::to_string(model::kMaxWienerFft) + ", such as 2048,1024, not '" + item + "'");
        sizes.push_back(n);
    }
    return sizes;
}

TrainOptions trainOptions(const Args& a) {
    TrainOptions o;
    o.preset = a.get("preset", o.preset);
    o.pack = a.get("pack");
    o.drumkitsDir = a.get("drumkits");
    o.bank = bankOptions(a);
    o.evalSet = a.get("eval-set");
    if (!o.evalSet.empty() && a.has("pack"))
        throw Error(ErrorCode::InvalidArgument, "--eval-set and --pack name two different sets of sounds; give one");
    o.outDir = a.get("out", o.outDir.string());
    o.resume = a.get("resume");
    o.device = a.get("device", o.device);
    o.autocast = !a.has("no-autocast");
    o.validateAtEnd = !a.has("no-validate");
    o.batchSize = a.integer("batch", std::to_string(o.batchSize));
    o.maxSteps = a.integer("steps", "0");
    o.maxMinutes = a.number("max-minutes", std::to_string(o.maxMinutes));
    o.totalSteps = a.integer("total-steps", std::to_string(o.totalSteps));
    o.warmupSteps = a.integer("warmup", std::to_string(o.warmupSteps));
    o.lr = a.number("lr", std::to_string(o.lr));
    o.seed = a.integer("seed", std::to_string(o.seed));
    o.dataThreads = a.integer("data-threads", std::to_string(o.dataThreads));
    o.torchThreads = a.integer("threads", "0");
    o.logEvery = a.integer("log-every", std::to_string(o.logEvery));
    o.checkpointEverySteps = a.integer("checkpoint-every", std::to_string(o.checkpointEverySteps));
    o.validationLoops = a.integer("loops", std::to_string(o.validationLoops));
    o.validationSeconds = a.number("loop-seconds", std::to_string(o.validationSeconds));
    o.softMaskPower = softMaskOption(a, "soft-mask");
    o.multichannelWiener = onOffOption(a, "wiener");
    o.wienerIterations = static_cast<int>(a.integer("wiener-iterations", "0"));
    if (o.wienerIterations < 0 || o.wienerIterations > model::kMaxWienerIterations)
        throw Error(ErrorCode::InvalidArgument, "--wiener-iterations takes 1 to " + std::to_string(model::kMaxWienerIterations) + " (0: the preset's)");
    if (a.has("wiener-n-fft")) o.wienerFftSizes = fftSizesOption(a, "wiener-n-fft");
    o.testTimeAugmentation = onOffOption(a, "tta").value_or(false);
    o.validationOverlap = static_cast<int>(a.integer("overlap", "0"));
    o.validationChunk = a.integer("chunk-size", "0");
    if (o.validationChunk < 0) throw Error(ErrorCode::InvalidArgument, "--chunk-size takes a positive number of samples (0: the preset's)");
    if (o.validationOverlap < 0 || o.validationOverlap > 16)
        throw Error(ErrorCode::InvalidArgument, "--overlap takes 1 to 16 (0: the preset's)");
    o.trainSoftMaskPower = softMaskOption(a, "train-soft-mask").value_or(0.0);
    o.trainWiener = onOffOption(a, "train-wiener").value_or(false);
    o.trainWienerIterations = static_cast<int>(a.integer("train-wiener-iterations", "1"));
    if (o.trainWienerIterations < 1 || o.trainWienerIterations > model::kMaxWienerIterations)
        throw Error(ErrorCode::InvalidArgument, "--train-wiener-iterations takes 1 to " + std::to_string(model::kMaxWienerIterations));
    if (a.has("train-wiener-iterations") && !o.trainWiener)
        throw Error(ErrorCode::InvalidArgument, "--train-wiener-iterations needs --train-wiener on");
    if (a.has("train-wiener-n-fft")) {
        if (!o.trainWiener) throw Error(ErrorCode::InvalidArgument, "--train-wiener-n-fft needs --train-wiener on");
        o.trainWienerFftSizes = fftSizesOption(a, "train-wiener-n-fft");
        if (static_cast<int>(o.trainWienerFftSizes.size()) != o.trainWienerIterations)
            throw Error(ErrorCode::InvalidArgument, "--train-wiener-n-fft takes one size per pass (--train-wiener-iterations)");
    }
    o.loss = a.get("loss", o.loss);
    o.sdrFloorDb = a.number("sdr-floor-db", std::to_string(o.sdrFloorDb));
    if (!(o.sdrFloorDb >= -80.0 && o.sdrFloorDb <= 0.0))
        throw Error(ErrorCode::InvalidArgument, "--sdr-floor-db must lie between -80 and 0 dB");
    o.stftLossWeight = a.number("stft-loss-weight", std::to_string(o.stftLossWeight));
    o.roomOn = a.get("room", "1") != "0";
    o.channelsLast = a.has("channels-last");
    o.emaEvery = a.integer("ema-every", "1");
    o.profile = a.has("profile");
    o.slimCheckpoint = a.has("slim-checkpoint");
    o.validationKit = a.get("kit");
    o.validateOnTrainingKits = a.has("training-kits");
    o.pairLossWeight = a.number("pair-loss-weight", "0");
    o.scheduleStart = a.integer("schedule-start", "0");
    const std::string augment = a.get("augment", "strong");
    if (augment != "strong" && augment != "basic")
        throw Error(ErrorCode::InvalidArgument, "--augment must be strong or basic, not '" + augment + "'");
    o.strongAugment = augment == "strong";
    o.hatsPitchSemitones = a.number("hats-pitch", "-1");
    o.hatsEqGainDb = a.number("hats-eq", "-1");
    if (a.has("hats-pitch") && !(o.hatsPitchSemitones >= 0.0 && o.hatsPitchSemitones <= 24.0))
        throw Error(ErrorCode::InvalidArgument, "--hats-pitch must lie between 0 and 24 semitones");
    if (a.has("hats-eq") && !(o.hatsEqGainDb >= 0.0 && o.hatsEqGainDb <= 24.0))
        throw Error(ErrorCode::InvalidArgument, "--hats-eq must lie between 0 and 24 dB");
    auto probability = [&](const char* name, double fallback) {
        const double p = a.number(name, std::to_string(fallback));
        if (!(p >= 0.0 && p <= 1.0))
            throw Error(ErrorCode::InvalidArgument, std::string("--") + name + " must lie between 0 and 1");
        return p;
    };
    o.bandLimitProbability = probability("band-limit", 0.0);
    if (a.has("hats-band-limit")) o.hatsBandLimitProbability = probability("hats-band-limit", 0.0);
    o.resonanceProbability = probability("resonance", 0.0);
    if (a.has("layer")) o.layerProbability = probability("layer", 0.0);
    o.cymbalsMinDecaySeconds = a.number("cymbals-min-decay", "0");
    if (!(o.cymbalsMinDecaySeconds >= 0.0 && o.cymbalsMinDecaySeconds <= 0.8))
        throw Error(ErrorCode::InvalidArgument, "--cymbals-min-decay must lie between 0 and 0.8 seconds");
    o.rideOnCrashProbability = probability("ride-on-crash", 0.0);
    o.rideHatsProbability = probability("ride-hats", 0.0);
    o.polarityProbability = probability("polarity", 0.0);
    o.quietHatsProbability = probability("quiet-hats", 0.0);
    o.stemGainDb = a.number("stem-gain-db", "12");
    if (!(o.stemGainDb >= 0.0 && o.stemGainDb <= 40.0))
        throw Error(ErrorCode::InvalidArgument, "--stem-gain-db must lie between 0 and 40 dB");
    o.kitMixProbability = probability("kit-mix", o.kitMixProbability);
    o.instrumentKitMixProbability = probability("instrument-kit-mix", o.instrumentKitMixProbability);
    o.silentStemProbability = probability("silent-stems", o.silentStemProbability);
    o.sparseStemProbability = probability("sparse-stems", o.sparseStemProbability);
    o.brightMetalProbability = probability("bright-metal", 0.0);
    o.phaseProbability = probability("phase", 0.0);
    o.validationBrightMetal = probability("brighten-loops", 0.0);
    o.validationPhase = probability("phase-loops", 0.0);
    o.trainChunk = a.integer("train-chunk", "0");
    if (o.trainChunk < 0) throw Error(ErrorCode::InvalidArgument, "--train-chunk takes a positive number of samples (0: the preset's)");
    o.syntheticKits = static_cast<int>(a.integer("synth-kits", "0"));
    if (o.syntheticKits < 0 || o.syntheticKits > 1000)
        throw Error(ErrorCode::InvalidArgument, "--synth-kits must lie between 0 and 1000");
    o.syntheticKitProbability = probability("synth-kit-prob", o.syntheticKitProbability);
    const std::string metal = a.get("synth-metal", "narrow");
    if (metal != "narrow" && metal != "wide")
        throw Error(ErrorCode::InvalidArgument, "--synth-metal takes narrow or wide (the synthetic hats' and crashes' ranges)");
    o.syntheticWideMetal = metal == "wide";
    if (a.has("synth-kit-stems")) {
        o.syntheticStems.fill(false);
        std::stringstream list(a.get("synth-kit-stems"));
        std::string item;
        while (std::getline(list, item, ',')) {
            // "hh" or "hh:0.9" (that class's own probability instead of --synth-kit-prob).
            const auto colon = item.find(':');
            const std::string name = item.substr(0, colon);
            const auto stem = stemClassFromName(name);
            if (!stem)
                throw Error(ErrorCode::InvalidArgument, "--synth-kit-stems: '" + name +
                            "' is not a stem (kick, snare, toms, hh, cymbals, separated by commas)");
            o.syntheticStems[static_cast<size_t>(*stem)] = true;
            if (colon == std::string::npos) continue;
            const std::optional<double> p = numberFrom(item.substr(colon + 1));
            if (!p || !(*p >= 0.0 && *p <= 1.0))
                throw Error(ErrorCode::InvalidArgument, "--synth-kit-stems: '" + item +
                            "': a class's probability (after the colon) must lie between 0 and 1");
            o.syntheticStemProbability[static_cast<size_t>(*stem)] = *p;
        }
    }
    if (o.scheduleStart < 0 || o.scheduleStart >= o.totalSteps)
        throw Error(ErrorCode::InvalidArgument, "--schedule-start must lie between 0 and --total-steps");
    return o;
}

void printValidation(const ValidationReport& v) {
    std::printf("validation SDR (dB, whole loops):");
    for (int s = 0; s < kStemCount; ++s) std::printf(" %s %.2f", std::string(kStemNames[s]).c_str(), v.perStem[s]);
    std::printf(" | mean %.2f", v.mean);
    if (!v.pairs.empty()) std::printf(" |");
    for (size_t p = 0; p < v.pairs.size(); ++p) std::printf(" %s %.2f", pairName(p).c_str(), v.pairs[p]);
    std::printf("\n");
}

int run(const Args& a) {
    using Clock = std::chrono::steady_clock;
    if (a.command == "pack") {
        if (!a.has("out")) throw Error(ErrorCode::InvalidArgument, "pack: --out FILE is required");
        a.onlyKnownOptions({"pack", "drumkits", "high-pass"});
        const SampleBank bank = bankFrom(a);
        writePack(bank, a.get("out"));
        std::printf("pack %s: %zu kits, %zu instruments, %.1f MiB\n", a.get("out").c_str(), bank.kits.size(),
                    bank.instruments.size(), double(std::filesystem::file_size(a.get("out"))) / 1048576.0);
        return 0;
    }
    if (a.command == "brightness") {
        const double below = a.number("below", "2000");
        if (!(below > 20.0 && below < 20000.0)) throw Error(ErrorCode::InvalidArgument, "--below takes 20 to 20000 Hz");
        const TrainOptions o = trainOptions(a); // --synth-kits and --synth-metal, checked as for train
        a.onlyKnownOptions();
        SampleBank bank = bankFrom(a);
        if (o.syntheticKits > 0) addSyntheticKits(bank, o.syntheticKits, kDefaultSyntheticKitSeed, VoiceRanges{o.syntheticWideMetal});
        // Each instrument's loudest layer; the median and range over the kit's instruments.
        std::printf("share of energy below %.0f Hz (loudest layer of each instrument): median (min-max, instruments)\n", below);
        std::printf("%-32s %-9s %-28s %s\n", "kit", "split", "hh", "cymbals");
        for (int k = 0; k < static_cast<int>(bank.kits.size()); ++k) {
            std::string cells[2];
            for (int c = 0; c < 2; ++c) {
                const StemClass stem = c == 0 ? StemClass::HiHat : StemClass::Cymbals;
                std::vector<double> shares;
                for (const SampleInstrument& inst : bank.instruments)
                    if (inst.kit == k && inst.stem == stem && !inst.layers.empty()) {
                        const SampleLayer& l = inst.layers.back();
                        shares.push_back(energyShareBelow(l.samples, l.channels, l.frames, below, kSampleRate));
                    }
                if (shares.empty()) { cells[c] = "-"; continue; }
                std::sort(shares.begin(), shares.end());
                char cell[64];
                std::snprintf(cell, sizeof cell, "%.3f (%.3f-%.3f, %zu)", shares[shares.size() / 2], shares.front(), shares.back(), shares.size());
                cells[c] = cell;
            }
            const char* split = bank.isSynthetic(k) ? "synthetic" : bank.validation[static_cast<size_t>(k)] ? "held-out" : "training";
            std::printf("%-32s %-9s %-28s %s\n", bank.kits[static_cast<size_t>(k)].c_str(), split, cells[0].c_str(), cells[1].c_str());
        }
        return 0;
    }
    if (a.command == "synth-kits") {
        if (!a.has("out")) throw Error(ErrorCode::InvalidArgument, "synth-kits: --out DIR is required");
        const int count = static_cast<int>(a.integer("count", "4"));
        if (count < 1 || count > 1000) throw Error(ErrorCode::InvalidArgument, "--count must lie between 1 and 1000");
        const bool wideMetal = trainOptions(a).syntheticWideMetal;
        a.onlyKnownOptions();
        SampleBank bank;
        addSyntheticKits(bank, count, kDefaultSyntheticKitSeed, VoiceRanges{wideMetal});
        const std::filesystem::path dir = a.get("out");
        std::filesystem::create_directories(dir);
        audio::ExportOptions wav;
        wav.format = audio::OutputFormat::Wav24;
        wav.clip = audio::ClipPolicy::Refuse;
        wav.overwrite = true;
        for (const SampleInstrument& inst : bank.instruments) {
            const SampleLayer& layer = inst.layers.front();
            audio::AudioBuffer b = audio::AudioBuffer::zeros(layer.channels, layer.frames, kSampleRate);
            b.samples = layer.samples;
            std::string name = bank.kits[static_cast<size_t>(inst.kit)] + " " + inst.name + ".wav";
            std::replace(name.begin(), name.end(), ' ', '-');
            audio::exportAudio(b, dir / name, wav);
        }
        std::printf("synth-kits: %d kits, %zu voices in %s\n", count, bank.instruments.size(), dir.string().c_str());
        return 0;
    }
    if (a.command == "train") {
        if (a.has("eval-set"))
            throw Error(ErrorCode::InvalidArgument, "--eval-set is for validate: training never reads the evaluation sounds");
        // Validate's diagnoses of the loops, and the training option that does the same to examples.
        for (const auto& [diagnosis, training] : {std::pair{"brighten-loops", "bright-metal"}, std::pair{"phase-loops", "phase"}})
            if (a.has(diagnosis))
                throw Error(ErrorCode::InvalidArgument, std::string("--") + diagnosis + " is for validate (a diagnosis); to train with it, --" + training);
        const TrainOptions o = trainOptions(a);
        a.onlyKnownOptions();
        const TrainResult r = stemdeck::train::train(o);
        std::printf("trained steps %lld..%lld in %.1f s; last loss %.4f; checkpoint %s\n",
                    static_cast<long long>(r.firstStep), static_cast<long long>(r.lastStep), r.seconds,
                    r.losses.empty() ? 0.0 : r.losses.back(), r.checkpoint.string().c_str());
        if (!r.validation.perStem.empty()) printValidation(r.validation);
        return 0;
    }
    if (a.command == "validate") {
        if (!a.has("checkpoint")) throw Error(ErrorCode::InvalidArgument, "validate: --checkpoint is required");
        TrainOptions o = trainOptions(a);
        a.onlyKnownOptions({"per-loop"});
        const ValidationReport v = validateCheckpoint(a.get("checkpoint"), o);
        if (a.has("per-loop")) {
            // One line per loop: each stem's SDR, hits in the window and energy against the mix.
            for (size_t l = 0; l < v.loops.size(); ++l) {
                std::printf("loop %zu:", l);
                for (int s = 0; s < kStemCount; ++s)
                    std::printf(" %s %.2f dB (%d hits, %.1f dB)", std::string(kStemNames[s]).c_str(), v.loops[l].sdr[s],
                                v.loops[l].hits[s], v.loops[l].energyDb[s]);
                std::printf("\n  kits:");
                for (const auto& k : v.loops[l].kits) std::printf(" %s", k.c_str());
                // Where each stem went, where a tenth of it or more went astray.
                std::printf("\n  astray:");
                bool any = false;
                for (int j = 0; j < kStemCount; ++j)
                    for (int i = 0; i < kStemCount; ++i)
                        if (const double r = v.loops[l].routed[j * kStemCount + i]; i != j && std::abs(r) >= 0.1) {
                            std::printf(" %s->%s %.3f", std::string(kStemNames[j]).c_str(), std::string(kStemNames[i]).c_str(), r);
                            any = true;
                        }
                std::printf("%s\n", any ? "" : " none");
            }
            // The mean routing: row = true stem, column = the estimate that holds it.
            std::printf("routing (mean over loops; row: true stem, column: estimate)\n%8s", "");
            for (int i = 0; i < kStemCount; ++i) std::printf(" %8s", std::string(kStemNames[i]).c_str());
            for (int j = 0; j < kStemCount; ++j) {
                std::printf("\n%8s", std::string(kStemNames[j]).c_str());
                for (int i = 0; i < kStemCount; ++i) std::printf(" %8.3f", v.routed[j * kStemCount + i]);
            }
            std::printf("\n");
        }
        printValidation(v);
        return 0;
    }
    if (a.command == "export") {
        if (!a.has("checkpoint") || !a.has("out"))
            throw Error(ErrorCode::InvalidArgument, "export: --checkpoint and --out are required");
        a.onlyKnownOptions({"name"});
        exportCheckpoint(a.get("checkpoint"), a.get("out"), a.get("name", "drumsep-compact"));
        std::printf("exported to %s\n", a.get("out").c_str());
        return 0;
    }
    if (a.command == "slim") {
        if (!a.has("checkpoint") || !a.has("out"))
            throw Error(ErrorCode::InvalidArgument, "slim: --checkpoint and --out are required");
        // Both asked before either decides: `&&` would not ask for --ema-only without
        // --weights-only, and onlyKnownOptions would then refuse it as unknown.
        const bool weightsOnly = a.has("weights-only"), emaOnly = a.has("ema-only");
        if (weightsOnly && emaOnly)
            throw Error(ErrorCode::InvalidArgument, "slim: --weights-only or --ema-only, not both");
        a.onlyKnownOptions();
        slimCheckpoint(a.get("checkpoint"), a.get("out"),
                       emaOnly ? SlimForm::EmaOnly : weightsOnly ? SlimForm::WeightsOnly : SlimForm::NoFirstMoment);
        std::printf("slim checkpoint %s: %.1f MiB\n", a.get("out").c_str(),
                    double(std::filesystem::file_size(a.get("out"))) / 1048576.0);
        return 0;
    }
    if (a.command == "import") {
        if (!a.has("weights") || !a.has("out"))
            throw Error(ErrorCode::InvalidArgument, "import: --weights and --out are required");
        a.onlyKnownOptions({"preset", "step"});
        importWeights(a.get("weights"), a.get("out"), a.get("preset", ""),
                      a.has("step") ? a.integer("step", "0") : -1);
        std::printf("imported %s as the EMA-only checkpoint %s\n", a.get("weights").c_str(), a.get("out").c_str());
        return 0;
    }
    if (a.command == "widen") {
        if (!a.has("checkpoint") || !a.has("preset") || !a.has("out"))
            throw Error(ErrorCode::InvalidArgument, "widen: --checkpoint, --preset and --out are required");
        a.onlyKnownOptions();
        widenCheckpoint(a.get("checkpoint"), a.get("preset"), a.get("out"));
        std::printf("widened %s to the '%s' preset: %s\n", a.get("checkpoint").c_str(), a.get("preset").c_str(),
                    a.get("out").c_str());
        return 0;
    }
    if (a.command == "average") {
        if (!a.has("checkpoints") || !a.has("out"))
            throw Error(ErrorCode::InvalidArgument, "average: --checkpoints A,B,... and --out are required");
        a.onlyKnownOptions();
        std::vector<std::filesystem::path> in;
        std::stringstream list(a.get("checkpoints"));
        for (std::string item; std::getline(list, item, ',');)
            if (!item.empty()) in.emplace_back(item);
        averageCheckpoints(in, a.get("out"));
        std::printf("average of %zu checkpoints: %s\n", in.size(), a.get("out").c_str());
        return 0;
    }
    if (a.command == "levels") {
        // The train command's options name the recipe whose examples are measured.
        // validate's choices of loops are not levels': it measures the held-out kits' plain loops.
        for (const char* own : {"eval-set", "kit", "training-kits", "brighten-loops", "phase-loops"})
            if (a.has(own))
                throw Error(ErrorCode::InvalidArgument, std::string("levels: --") + own +
                                                            " is validate's; levels measures the held-out kits' plain loops");
        const TrainOptions o = trainOptions(a);
        const auto seconds = [](double s) {
            char text[32];
            std::snprintf(text, sizeof text, "%g s", s);
            return std::string(text);
        };
        const int loops = a.has("loops") ? o.validationLoops : 96;
        const int examples = static_cast<int>(a.integer("examples", "2400"));
        if (examples < 1 || loops < 1) throw Error(ErrorCode::InvalidArgument, "levels: --examples and --loops must be at least 1");
        if (o.batchSize < 1) throw Error(ErrorCode::InvalidArgument, "levels: --batch must be at least 1");
        if (!(o.validationSeconds > 0.0)) throw Error(ErrorCode::InvalidArgument, "levels: --loop-seconds must be above 0");
        if (o.trainChunk < 0) throw Error(ErrorCode::InvalidArgument, "levels: --train-chunk must be above 0");
        a.onlyKnownOptions();
        SampleBank bank = bankFrom(a);
        const PatternSynth loopSynth(bank, kitsWhere(bank, true), demoSynthOptions());
        std::printf("%s\n", loopLevels(loopSynth, loops, o.validationSeconds)
                               .format("validation loops of " + seconds(o.validationSeconds)).c_str());
        if (o.syntheticKits > 0) addSyntheticKits(bank, o.syntheticKits, kDefaultSyntheticKitSeed, VoiceRanges{o.syntheticWideMetal});
        const PatternSynth synth(bank, kitsWhere(bank, false), trainingSynthOptions(o));
        const int64_t frames = o.trainChunk > 0 ? o.trainChunk : presetConfig(o.preset).audio.chunk_size;
        std::printf("%s", exampleLevels(synth, o.seed, o.batchSize, examples, frames, o.dataThreads)
                              .format("training examples of this recipe, before the rooms").c_str());
        return 0;
    }
    if (a.command == "bench-data") {
        a.onlyKnownOptions({"pack", "drumkits", "high-pass", "augment", "threads", "batches", "batch"});
        const SampleBank bank = bankFrom(a);
        SynthOptions so;
        so.strong = a.get("augment", "strong") == "strong";
        const PatternSynth synth(bank, kitsWhere(bank, false), so);
        const int threads = a.integer("threads", "4");
        const int batches = a.integer("batches", "40");
        const int batch = a.integer("batch", "12");
        const auto t0 = Clock::now();
        BatchProducer prod(synth, batch, 130560, 1, 0, threads);
        for (int i = 0; i < batches; ++i) prod.next();
        const double s = std::chrono::duration<double>(Clock::now() - t0).count();
        std::printf("bench-data: %d threads, %d batches of %d x 130560 frames stereo: %.2f batches/s\n", threads,
                    batches, batch, batches / s);
        return 0;
    }
    if (a.command == "bench-model") {
        a.onlyKnownOptions({"preset", "channels", "growth", "chunks", "threads", "soft-mask", "wiener"});
        auto cfg = presetConfig(a.get("preset", "compact"));
        if (a.has("channels")) cfg.model.num_channels = a.integer("channels", "");
        if (a.has("growth")) cfg.model.growth = a.integer("growth", "");
        if (a.integer("chunks", "3") == 0) {
            std::printf("%lld parameters\n", static_cast<long long>(model::parameterCountOf(cfg)));
            return 0;
        }
        if (a.has("threads")) torch::set_num_threads(a.integer("threads", ""));
        model::TfcTdfNet net(cfg);
        net->eval();
        // As the engine runs the preset: with its config's soft masks unless told otherwise.
        const double mask = softMaskOption(a, "soft-mask").value_or(cfg.inference.soft_mask_power);
        net->setSoftMaskPower(mask);
        const bool wiener = onOffOption(a, "wiener").value_or(cfg.inference.multichannel_wiener);
        net->setMultichannelWiener(wiener);
        torch::NoGradGuard ng;
        const int chunks = a.integer("chunks", "3");
        auto x = torch::randn({1, 2, cfg.chunkSize()}) * 0.1;
        net->forward(x); // warm-up
        const auto t0 = Clock::now();
        for (int i = 0; i < chunks; ++i) net->forward(x);
        const double per = std::chrono::duration<double>(Clock::now() - t0).count() / chunks;
        const double audio = double(cfg.chunkSize()) / cfg.audio.sample_rate;
        const double step = audio / double(cfg.inference.num_overlap);
        std::printf("bench-model %s: %lld parameters, soft masks %s, Wiener %s, %.3f s per %.2f s chunk, %.2fx real time at "
                    "overlap %lld (%d threads)\n",
                    a.get("preset", "compact").c_str(), static_cast<long long>(model::parameterCountOf(cfg)),
                    mask > 0.0 ? ("p " + std::to_string(mask).substr(0, 4)).c_str() : "off", wiener ? "on" : "off", per, audio, step / per,
                    static_cast<long long>(cfg.inference.num_overlap), torch::get_num_threads());
        return 0;
    }
    if (a.command == "bench-parts") {
        a.onlyKnownOptions({"preset", "device", "cudnn-benchmark", "no-autocast", "channels-last", "batch", "iters"});
        // Forward + backward of the whole network and of its pieces at the level-0 shape, each
        // synchronised, to find what makes a training step slow.
        const auto cfg = presetConfig(a.get("preset", "compact"));
        const torch::Device dev = a.get("device", "cuda") == "cuda" ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
        const bool cuda = dev.is_cuda();
        if (cuda) at::globalContext().setBenchmarkCuDNN(a.get("cudnn-benchmark", "1") != "0");
        const bool ac = cuda && !a.has("no-autocast");
        const bool cl = a.has("channels-last");
        const int64_t B = a.integer("batch", "12");
        const int iters = a.integer("iters", "5");
        const int64_t T = cfg.audio.chunk_size, c0 = cfg.model.num_channels; // a training chunk
        const int64_t frames = cfg.audio.dim_t, f0 = cfg.audio.dim_f / cfg.model.num_subbands;
        auto sync = [&] { if (cuda) torch::cuda::synchronize(); };
        auto toCl = [&](torch::nn::Module& m) {
            if (!cl) return;
            torch::NoGradGuard ng;
            for (auto& p : m.parameters())
                if (p.dim() == 4) p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
        };
        auto timeIt = [&](const std::string& name, const std::function<torch::Tensor()>& fwd) {
            double fw = 0, bw = 0;
            for (int i = 0; i < iters + 2; ++i) {
                sync();
                const auto t0 = Clock::now();
                if (ac) setAutocast(true);
                auto y = fwd();
                if (ac) setAutocast(false);
                auto l = y.to(torch::kFloat32).pow(2).mean();
                sync();
                const auto t1 = Clock::now();
                l.backward();
                sync();
                const auto t2 = Clock::now();
                if (i >= 2) {
                    fw += std::chrono::duration<double>(t1 - t0).count();
                    bw += std::chrono::duration<double>(t2 - t1).count();
                }
            }
            std::printf("bench-parts %-34s fwd %8.2f ms  bwd %8.2f ms  total %8.2f ms\n", name.c_str(),
                        1000 * fw / iters, 1000 * bw / iters, 1000 * (fw + bw) / iters);
            std::fflush(stdout);
        };
        std::printf("bench-parts: batch %lld, autocast %d, channels-last %d, level-0 [B,%lld,%lld,%lld]\n",
                    static_cast<long long>(B), ac ? 1 : 0, cl ? 1 : 0, static_cast<long long>(c0),
                    static_cast<long long>(frames), static_cast<long long>(f0));
        model::TfcTdfNet net(cfg);
        net->to(dev);
        net->train();
        toCl(*net);
        const auto mix = (torch::randn({B, 2, T}) * 0.1).to(dev).requires_grad_(false);
        timeIt("whole network", [&] { return net->forward(mix); });
        const dsp::Stft stft(cfg.audio.n_fft, cfg.audio.hop_length, cfg.audio.dim_f);
        const auto mixG = mix.clone().requires_grad_(true);
        timeIt("stft + istft (model front/back)", [&] {
            return stft.inverse(stft.forward(mixG), T);
        });
        auto x0 = torch::randn({B, c0, frames, f0}, torch::TensorOptions().device(dev)).requires_grad_(true);
        auto x0t = torch::randn({B, c0, f0, frames}, torch::TensorOptions().device(dev)).requires_grad_(true);
        if (cl) x0 = x0.detach().contiguous(at::MemoryFormat::ChannelsLast).requires_grad_(true);
        model::TfcTdfUnit unit(cfg, c0, c0, f0);
        unit->to(dev);
        toCl(*unit);
        timeIt("tfc-tdf unit, level 0", [&] { return unit->forward(x0); });
        timeIt("tfc-tdf unit, level 0, transposed in", [&] { return unit->forward(x0t.transpose(-1, -2)); });
        torch::nn::InstanceNorm2d norm(torch::nn::InstanceNorm2dOptions(c0).affine(true).track_running_stats(false));
        norm->to(dev);
        timeIt("InstanceNorm2d, level 0", [&] { return norm->forward(x0); });
        torch::nn::GroupNorm gnorm(torch::nn::GroupNormOptions(c0, c0));
        gnorm->to(dev);
        timeIt("GroupNorm(c,c) (same maths), level 0", [&] { return gnorm->forward(x0); });
        torch::nn::Conv2d conv(torch::nn::Conv2dOptions(c0, c0, 3).padding(1).bias(false));
        conv->to(dev);
        toCl(*conv);
        timeIt("Conv2d 3x3, level 0", [&] { return conv->forward(x0); });
        torch::nn::GELU gelu;
        timeIt("GELU, level 0", [&] { return gelu->forward(x0); });
        torch::nn::Linear lin(torch::nn::LinearOptions(f0, f0 / cfg.model.bottleneck_factor).bias(false));
        lin->to(dev);
        timeIt("Linear f -> f/bn, level 0", [&] { return lin->forward(x0); });
        torch::nn::ConvTranspose2d up(torch::nn::ConvTranspose2dOptions(c0 + cfg.model.growth, c0, 2).stride(2).bias(false));
        up->to(dev);
        toCl(*up);
        auto x1 = torch::randn({B, c0 + cfg.model.growth, frames / 2, f0 / 2}, torch::TensorOptions().device(dev)).requires_grad_(true);
        timeIt("ConvTranspose2d 2x2/2, to level 0", [&] { return up->forward(x1); });
        return 0;
    }
    if (a.command == "help") {
        std::fputs(kUsage, stdout);
        return 0;
    }
    throw Error(ErrorCode::InvalidArgument, "unknown command '" + a.command + "' (stemdeck-train help lists the commands)");
}

} // namespace

int main(int argc, char** argv) {
    stemdeck::tuneHeapForLargeBuffers(); // common/heap.h: large buffers stay on the heap (bench/NOTES.md "The C heap")
    try {
        return run(parse(argc, argv));
    } catch (const Error& e) {
        std::fprintf(stderr, "stemdeck-train: %s\n", e.what());
        if (!e.detail().empty()) std::fprintf(stderr, "  detail: %s\n", e.detail().c_str());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "stemdeck-train: %s\n", e.what());
        return 1;
    }
}
