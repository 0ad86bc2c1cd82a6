#include "voices.h"

#include "rng.h"
#include "synth.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace stemdeck::train {

namespace {

constexpr double kSr = kSampleRate;

using Buffer = std::vector<float>;

Buffer silence(double seconds) { return Buffer(static_cast<size_t>(seconds * kSr), 0.0f); }

// A sine whose frequency falls from f * ratio to f with time constant tauPitch, decaying with
// tauAmp: the body of a kick, a tom, a snare's shell.
void addSweep(Buffer& x, double f, double ratio, double tauPitch, double tauAmp, double gain, double phase) {
    const double kp = std::exp(-1.0 / (tauPitch * kSr)), ka = std::exp(-1.0 / (tauAmp * kSr));
    double sweep = ratio - 1.0, amp = gain;
    for (float& v : x) {
        v += static_cast<float>(amp * std::sin(phase));
        phase += 2.0 * M_PI * f * (1.0 + sweep) / kSr;
        sweep *= kp;
        amp *= ka;
        if (amp < 1e-6) break;
    }
}

// A linear onset of `attack` seconds under an exponential decay of time constant tau, sample by
// sample from the start.
class Envelope {
public:
    Envelope(double attack, double tau, double gain)
        : m_rise(std::max(1.0, attack * kSr)), m_k(std::exp(-1.0 / (tau * kSr))), m_amp(gain) {}
    double next() {
        const double v = m_amp * std::min(1.0, (m_n += 1.0) / m_rise);
        m_amp *= m_k;
        return v;
    }

private:
    double m_rise, m_k, m_amp, m_n = 0.0;
};

// White noise through the sections, under an onset of `attack` seconds and a decay of tauAmp.
void addNoise(Buffer& x, Rng& rng, double attack, double tauAmp, double gain, const std::vector<Biquad>& filter) {
    Buffer n(x.size());
    Envelope env(attack, tauAmp, gain);
    for (float& v : n) v = static_cast<float>(env.next() * rng.uniform(-1.0, 1.0));
    applyBiquads(n, 1, static_cast<int64_t>(n.size()), filter);
    for (size_t i = 0; i < x.size(); ++i) x[i] += n[i];
}

// The metallic source of a drum machine's hats and cymbals: square waves at inharmonic
// frequencies, blended with noise.
struct Metal {
    std::vector<double> freqs;
    double noise = 0.5; // 0: squares only, 1: noise only
};

Metal drawMetal(Rng& rng, double baseLo, double baseHi) {
    Metal m;
    const double base = rng.logUniform(baseLo, baseHi);
    for (int k = 0; k < 6; ++k) m.freqs.push_back(base * rng.logUniform(1.0, 5.0));
    const double kind = rng.uniform();
    m.noise = kind < 0.3 ? 0.0 : kind < 0.55 ? 1.0 : rng.uniform(0.1, 0.9);
    return m;
}

// The metal source under an envelope (onset `attack`, decay tauAmp), through the sections.
void addMetal(Buffer& x, Rng& rng, const Metal& m, double attack, double tauAmp, double gain, const std::vector<Biquad>& filter) {
    Buffer s(x.size());
    std::vector<double> phase(m.freqs.size());
    for (double& p : phase) p = rng.uniform();
    Envelope env(attack, tauAmp, gain);
    for (size_t i = 0; i < s.size(); ++i) {
        double sq = 0.0;
        for (size_t k = 0; k < phase.size(); ++k) {
            sq += phase[k] < 0.5 ? 1.0 : -1.0;
            phase[k] += m.freqs[k] / kSr;
            phase[k] -= std::floor(phase[k]);
        }
        const double v = (1.0 - m.noise) * sq / double(phase.size()) + m.noise * rng.uniform(-1.0, 1.0);
        s[i] = static_cast<float>(env.next() * v);
    }
    applyBiquads(s, 1, static_cast<int64_t>(s.size()), filter);
    for (size_t i = 0; i < x.size(); ++i) x[i] += s[i];
}

std::vector<Biquad> highPass(double fc, int order, double q = 0.707) {
    std::vector<Biquad> f;
    for (int k = 0; k < order; ++k) f.push_back(makeBiquad(BiquadKind::HighPass, kSr, fc, 0.0, q));
    return f;
}

std::vector<Biquad> band(double lo, double hi) {
    return {makeBiquad(BiquadKind::HighPass, kSr, lo, 0.0, 0.707), makeBiquad(BiquadKind::LowPass, kSr, hi, 0.0, 0.707)};
}

// Saturation (a drum machine's overdriven kick): applied to the voice itself, not to a mix, so
// the stems stay linear in their voices.
void drive(Buffer& x, double k) {
    const double norm = std::tanh(k);
    for (float& v : x) v = static_cast<float>(std::tanh(k * v) / norm);
}

// Cuts the tail below -60 dB of the peak, fades the last 10 ms (or a quarter, if shorter) and
// scales the peak to 1, as the pack's samples are.
Buffer finish(Buffer x) {
    float peak = 0.0f;
    for (float v : x) peak = std::max(peak, std::fabs(v));
    if (!(peak > 0.0f)) return Buffer(64, 0.0f);
    size_t end = x.size();
    while (end > 64 && std::fabs(x[end - 1]) < peak * 1e-3f) --end;
    x.resize(end);
    const size_t fade = std::min<size_t>(static_cast<size_t>(0.01 * kSr), end / 4);
    for (size_t i = 0; i < fade; ++i)
        x[end - 1 - i] *= static_cast<float>(0.5 - 0.5 * std::cos(M_PI * double(i) / double(fade)));
    for (float& v : x) v /= peak;
    return x;
}

Buffer kick(Rng& r) {
    Buffer x = silence(1.0);
    const double f = r.logUniform(38.0, 75.0), ratio = r.logUniform(1.5, 8.0);
    const double tauPitch = r.logUniform(0.006, 0.06), tauAmp = r.logUniform(0.08, 0.6);
    const double phase = r.chance(0.5) ? 0.0 : M_PI / 2.0;
    addSweep(x, f, ratio, tauPitch, tauAmp, 1.0, phase);
    if (r.chance(0.7)) { // the beater's click
        const double tau = r.logUniform(0.001, 0.008), gain = r.logUniform(0.05, 0.5), fc = r.logUniform(800.0, 5000.0);
        addNoise(x, r, 0.0, tau, gain, highPass(fc, 1));
    }
    if (r.chance(0.4)) drive(x, r.logUniform(1.5, 5.0));
    return finish(std::move(x));
}

Buffer snare(Rng& r) {
    Buffer x = silence(1.0);
    const double f = r.logUniform(150.0, 300.0), ratio = r.logUniform(1.0, 1.6), tp = r.logUniform(0.005, 0.03);
    const double tauTone = r.logUniform(0.03, 0.18), tone = r.uniform(0.2, 1.0);
    addSweep(x, f, ratio, tp, tauTone, tone, 0.0);
    const double f2 = f * r.uniform(1.4, 1.9), tau2 = tauTone * r.uniform(0.5, 1.0), tone2 = tone * r.uniform(0.2, 0.8);
    addSweep(x, f2, ratio, tp, tau2, tone2, 0.0);
    std::vector<Biquad> wires = highPass(r.logUniform(700.0, 4000.0), 1);
    if (r.chance(0.6)) wires.push_back(makeBiquad(BiquadKind::LowPass, kSr, r.logUniform(5000.0, 15000.0), 0.0, 0.707));
    const double tauWires = r.logUniform(0.05, 0.3), wiresGain = r.uniform(0.4, 1.2);
    addNoise(x, r, 0.0005, tauWires, wiresGain, wires);
    return finish(std::move(x));
}

Buffer rim(Rng& r) {
    Buffer x = silence(0.35);
    const double f = r.logUniform(400.0, 2000.0), tau = r.logUniform(0.004, 0.03);
    addSweep(x, f, 1.0, 0.01, tau, 1.0, 0.0);
    const double f2 = f * r.uniform(1.4, 2.8), tau2 = tau * r.uniform(0.4, 1.0), gain2 = r.uniform(0.2, 0.8);
    addSweep(x, f2, 1.0, 0.01, tau2, gain2, 0.0);
    const double tauClick = r.logUniform(0.001, 0.004), click = r.uniform(0.1, 0.6);
    addNoise(x, r, 0.0, tauClick, click, highPass(2000.0, 1));
    return finish(std::move(x));
}

struct TomSet {
    double ratio, tauPitch, tauAmp, partial, partialGain, noiseGain, noiseTau, noiseLo, noiseHi;
    bool noise;
};

Buffer tom(Rng& r, const TomSet& t, double f) {
    Buffer x = silence(1.2);
    addSweep(x, f, t.ratio, t.tauPitch, t.tauAmp, 1.0, 0.0);
    addSweep(x, f * t.partial, t.ratio, t.tauPitch, 0.5 * t.tauAmp, t.partialGain, 0.0);
    if (t.noise) addNoise(x, r, 0.0, t.noiseTau, t.noiseGain, band(t.noiseLo, t.noiseHi));
    return finish(std::move(x));
}

Buffer hat(Rng& r, const Metal& m, double attack, double tau, const std::vector<Biquad>& filter) {
    Buffer x = silence(1.2);
    addMetal(x, r, m, attack, tau, 1.0, filter);
    return finish(std::move(x));
}

Buffer crash(Rng& r, bool wide) {
    Buffer x = silence(2.0);
    const Metal m = drawMetal(r, 200.0, 700.0);
    std::vector<Biquad> f = highPass(r.logUniform(wide ? 800.0 : 2000.0, 6000.0), 2);
    if (r.chance(0.5)) f.push_back(makeBiquad(BiquadKind::LowPass, kSr, r.logUniform(9000.0, 16000.0), 0.0, 0.707));
    const double attack = r.logUniform(0.002, 0.03), tau = wide ? r.logUniform(0.2, 1.5) : r.logUniform(0.35, 1.2);
    addMetal(x, r, m, attack, tau, 1.0, f);
    return finish(std::move(x));
}

// A ride: a ping of inharmonic partials over a quieter wash.
Buffer ride(Rng& r) {
    Buffer x = silence(2.0);
    const double tau = r.logUniform(0.4, 1.2);
    const int partials = 3 + r.below(3);
    for (int k = 0; k < partials; ++k) {
        const double f = r.logUniform(2000.0, 6000.0), tauK = tau * r.uniform(0.3, 0.8), gain = r.uniform(0.1, 0.35);
        const double phase = r.uniform(0.0, 6.28);
        addSweep(x, f, 1.0, 0.01, tauK, gain, phase);
    }
    const Metal m = drawMetal(r, 200.0, 700.0);
    const double wash = r.uniform(0.3, 0.8), fc = r.logUniform(3000.0, 7000.0);
    addMetal(x, r, m, 0.001, tau, wash, highPass(fc, 2));
    addNoise(x, r, 0.0, 0.003, r.uniform(0.05, 0.3), highPass(3000.0, 1)); // the stick
    return finish(std::move(x));
}

// A bell: strong low inharmonic partials, a little wash.
Buffer bell(Rng& r) {
    Buffer x = silence(2.0);
    const double f = r.logUniform(500.0, 1500.0), tau = r.logUniform(0.4, 1.2);
    const double ratios[4] = {1.0, r.uniform(2.0, 2.8), r.uniform(3.2, 4.5), r.uniform(5.0, 6.5)};
    for (int k = 0; k < 4; ++k) addSweep(x, f * ratios[k], 1.0, 0.01, tau / (1.0 + 0.4 * k), 1.0 / (1.0 + k), r.uniform(0.0, 6.28));
    const Metal m = drawMetal(r, 200.0, 700.0);
    const double wash = r.uniform(0.1, 0.3), fc = r.logUniform(3000.0, 7000.0);
    addMetal(x, r, m, 0.001, tau, wash, highPass(fc, 2));
    return finish(std::move(x));
}

void addVoice(SampleBank& bank, int kit, const std::string& name, StemClass stem, const std::string& role, Buffer x) {
    SampleInstrument inst;
    inst.kit = kit;
    inst.name = name;
    inst.stem = stem;
    inst.role = role;
    SampleLayer layer;
    layer.channels = 1;
    layer.frames = static_cast<int64_t>(x.size());
    layer.samples = std::move(x);
    inst.layers.push_back(std::move(layer));
    bank.instruments.push_back(std::move(inst));
}

} // namespace

void addSyntheticKits(SampleBank& bank, int count, uint64_t seed, const VoiceRanges& ranges) {
    const bool wide = ranges.wideMetal;
    bank.synthetic.resize(bank.kits.size(), false);
    for (int n = 0; n < count; ++n) {
        Rng r(seed * 0xA24BAED4963EE407ull + static_cast<uint64_t>(n) * 0x9FB21C651E98DF25ull + 0x51A7ull);
        const int kit = static_cast<int>(bank.kits.size());
        char name[32];
        std::snprintf(name, sizeof name, "synthetic-%02d", n);
        bank.kits.emplace_back(name);
        bank.validation.push_back(false);
        bank.synthetic.push_back(true);

        addVoice(bank, kit, "Kick", StemClass::Kick, "-", kick(r));
        addVoice(bank, kit, "Snare", StemClass::Snare, "hit", snare(r));
        addVoice(bank, kit, "Rim", StemClass::Snare, "rim", rim(r));

        // Toms of one kit share their character and step up in pitch.
        TomSet t{};
        t.ratio = r.logUniform(1.05, 2.5);
        t.tauPitch = r.logUniform(0.02, 0.2);
        t.tauAmp = r.logUniform(0.1, 0.5);
        t.partial = r.uniform(1.5, 2.9);
        t.partialGain = r.uniform(0.0, 0.4);
        t.noise = r.chance(0.6);
        t.noiseGain = r.logUniform(0.02, 0.3);
        t.noiseTau = r.logUniform(0.003, 0.03);
        t.noiseLo = r.logUniform(500.0, 2000.0);
        t.noiseHi = r.logUniform(3000.0, 8000.0);
        const double low = r.logUniform(65.0, 150.0), mid = low * r.uniform(1.2, 1.5), high = mid * r.uniform(1.2, 1.5);
        addVoice(bank, kit, "Tom Low", StemClass::Toms, "low", tom(r, t, low));
        addVoice(bank, kit, "Tom Mid", StemClass::Toms, "mid", tom(r, t, mid));
        addVoice(bank, kit, "Tom High", StemClass::Toms, "high", tom(r, t, high));

        // Hats of one kit share their metal and filter; only the envelope differs.
        const Metal metal = drawMetal(r, 150.0, 500.0);
        // Wide: from 800 Hz, as most training kits' hats keep 20-66 % of their energy under
        // 5 kHz where the narrow range keeps under 3 % (`stemdeck-train brightness --below
        // 5000`). Measured in session 17: worse (drumsep-compact.md).
        std::vector<Biquad> f = highPass(r.logUniform(wide ? 800.0 : 5000.0, 10000.0), 2);
        if (r.chance(0.5)) { // a sizzle peak
            const double fc = r.logUniform(7000.0, 13000.0), gain = r.uniform(3.0, 10.0), q = r.uniform(1.0, 3.0);
            f.push_back(makeBiquad(BiquadKind::Peaking, kSr, fc, gain, q));
        }
        addVoice(bank, kit, "Hat Closed", StemClass::HiHat, "closed", hat(r, metal, 0.0003, r.logUniform(0.01, wide ? 0.12 : 0.05), f));
        addVoice(bank, kit, "Hat Pedal", StemClass::HiHat, "pedal", hat(r, metal, 0.002, r.logUniform(0.008, wide ? 0.06 : 0.03), f));
        addVoice(bank, kit, "Hat Open", StemClass::HiHat, "open", hat(r, metal, 0.0005, r.logUniform(wide ? 0.12 : 0.15, wide ? 1.0 : 0.6), f));

        addVoice(bank, kit, "Crash", StemClass::Cymbals, "crash", crash(r, wide));
        addVoice(bank, kit, "Ride", StemClass::Cymbals, "ride", ride(r));
        addVoice(bank, kit, "Ride Bell", StemClass::Cymbals, "bell", bell(r));
    }
}

} // namespace stemdeck::train
