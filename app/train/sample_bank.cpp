#include "sample_bank.h"

#include "biquad.h"

#include "audio/decode.h"
#include "audio/resample.h"
#include "common/error.h"
#include "common/log.h"
#include "drumkit.h"

#include <QDataStream>
#include <QFile>
#include <QSaveFile>

#include <sndfile.h>

#include <algorithm>
#include <cmath>

namespace stemdeck::train {

namespace {

constexpr char kMagic[8] = {'S', 'D', 'P', 'A', 'C', 'K', '0', '1'};

// Keeps at most n layers, spread evenly over the velocity-sorted list (softest and loudest kept).
std::vector<DrumkitLayer> pickLayers(std::vector<DrumkitLayer> layers, int n) {
    std::sort(layers.begin(), layers.end(),
              [](const auto& a, const auto& b) { return a.maxVelocity < b.maxVelocity; });
    if (static_cast<int>(layers.size()) <= n || n < 2) return layers;
    std::vector<DrumkitLayer> out;
    for (int i = 0; i < n; ++i) {
        const size_t idx = static_cast<size_t>(std::lround(double(i) * (layers.size() - 1) / (n - 1)));
        out.push_back(layers[idx]);
    }
    // Widen the kept ranges so together they still cover 0..1.
    for (int i = 0; i < n; ++i) {
        out[i].minVelocity = i == 0 ? 0.0f : out[i - 1].maxVelocity;
        if (i == n - 1) out[i].maxVelocity = 1.0f;
    }
    return out;
}

// Trims leading silence (keeps a few samples before the onset so the attack is intact), cuts
// the tail under the floor, caps the length with a short fade, and downmixes identical channels.
SampleLayer shape(const audio::AudioBuffer& in, double maxSeconds, double tailFloorDb) {
    float peak = 0.0f;
    for (float v : in.samples) peak = std::max(peak, std::fabs(v));
    SampleLayer out;
    if (peak <= 0.0f) return out;
    const float onsetThr = peak * std::pow(10.0f, -50.0f / 20.0f);
    const float tailThr = peak * static_cast<float>(std::pow(10.0, tailFloorDb / 20.0));
    int64_t first = in.frames, last = 0;
    for (int c = 0; c < in.channels; ++c) {
        const auto ch = in.channel(c);
        for (int64_t i = 0; i < in.frames; ++i)
            if (std::fabs(ch[i]) > onsetThr) { first = std::min(first, i); break; }
        for (int64_t i = in.frames - 1; i >= 0; --i)
            if (std::fabs(ch[i]) > tailThr) { last = std::max(last, i + 1); break; }
    }
    first = std::max<int64_t>(0, first - 16);
    const int64_t cap = static_cast<int64_t>(maxSeconds * kSampleRate);
    const bool capped = last - first > cap;
    const int64_t frames = std::max<int64_t>(1, std::min(last - first, cap));

    // A stereo file whose channels are (nearly) the same is stored mono: half the pack size.
    bool stereo = in.channels >= 2;
    if (stereo) {
        double diff = 0.0, energy = 0.0;
        const auto l = in.channel(0), r = in.channel(1);
        for (int64_t i = first; i < first + frames; ++i) {
            diff += double(l[i] - r[i]) * (l[i] - r[i]);
            energy += double(l[i]) * l[i] + double(r[i]) * r[i];
        }
        stereo = diff > 1e-2 * energy; // side 20 dB under the mid: store mono
    }
    out.channels = stereo ? 2 : 1;
    out.frames = frames;
    out.samples.resize(static_cast<size_t>(out.channels * frames));
    const int64_t fade = std::min<int64_t>(frames, capped ? kSampleRate / 10 : 64);
    for (int c = 0; c < out.channels; ++c) {
        for (int64_t i = 0; i < frames; ++i) {
            float v;
            if (stereo || in.channels == 1)
                v = in.channel(c)[first + i];
            else {
                v = 0.0f;
                for (int k = 0; k < in.channels; ++k) v += in.channel(k)[first + i];
                v /= static_cast<float>(in.channels);
            }
            const int64_t toEnd = frames - i;
            if (toEnd <= fade) v *= 0.5f - 0.5f * std::cos(float(M_PI) * float(toEnd) / float(fade));
            out.samples[static_cast<size_t>(c * frames + i)] = v;
        }
    }
    return out;
}

template <typename T> void put(QDataStream& s, T v) { s << v; }

// A growable memory file for libsndfile's virtual I/O: the pack stores each layer as FLAC
// (lossless, about half of PCM16), so the pack with full stereo fits the travel budget.
struct MemFile {
    std::vector<unsigned char> data;
    sf_count_t pos = 0;
};

SF_VIRTUAL_IO memIo() {
    SF_VIRTUAL_IO io{};
    io.get_filelen = [](void* u) -> sf_count_t { return static_cast<sf_count_t>(static_cast<MemFile*>(u)->data.size()); };
    io.seek = [](sf_count_t off, int whence, void* u) -> sf_count_t {
        auto* m = static_cast<MemFile*>(u);
        const sf_count_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? m->pos : static_cast<sf_count_t>(m->data.size());
        m->pos = std::max<sf_count_t>(0, base + off);
        return m->pos;
    };
    io.read = [](void* ptr, sf_count_t n, void* u) -> sf_count_t {
        auto* m = static_cast<MemFile*>(u);
        const sf_count_t avail = std::max<sf_count_t>(0, static_cast<sf_count_t>(m->data.size()) - m->pos);
        const sf_count_t k = std::min(n, avail);
        std::copy_n(m->data.begin() + m->pos, k, static_cast<unsigned char*>(ptr));
        m->pos += k;
        return k;
    };
    io.write = [](const void* ptr, sf_count_t n, void* u) -> sf_count_t {
        auto* m = static_cast<MemFile*>(u);
        if (m->pos + n > static_cast<sf_count_t>(m->data.size())) m->data.resize(static_cast<size_t>(m->pos + n));
        std::copy_n(static_cast<const unsigned char*>(ptr), n, m->data.begin() + m->pos);
        m->pos += n;
        return n;
    };
    io.tell = [](void* u) -> sf_count_t { return static_cast<MemFile*>(u)->pos; };
    return io;
}

std::vector<unsigned char> encodeFlac(const SampleLayer& l) {
    MemFile mem;
    SF_VIRTUAL_IO io = memIo();
    SF_INFO info{};
    info.samplerate = kSampleRate;
    info.channels = l.channels;
    info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    SNDFILE* f = sf_open_virtual(&io, SFM_WRITE, &info, &mem);
    if (!f) throw Error(ErrorCode::WriteFailed, "FLAC encoder failed to start", sf_strerror(nullptr));
    std::vector<float> inter(static_cast<size_t>(l.channels * l.frames));
    for (int c = 0; c < l.channels; ++c)
        for (int64_t i = 0; i < l.frames; ++i)
            inter[static_cast<size_t>(i * l.channels + c)] = std::clamp(l.samples[static_cast<size_t>(c * l.frames + i)], -1.0f, 1.0f);
    const sf_count_t written = sf_writef_float(f, inter.data(), l.frames);
    sf_close(f);
    if (written != l.frames) throw Error(ErrorCode::WriteFailed, "FLAC encoder wrote a short block");
    return std::move(mem.data);
}

// Returns false when the blob does not decode to the announced shape.
bool decodeFlac(std::vector<unsigned char> blob, SampleLayer& l) {
    MemFile mem;
    mem.data = std::move(blob);
    SF_VIRTUAL_IO io = memIo();
    SF_INFO info{};
    SNDFILE* f = sf_open_virtual(&io, SFM_READ, &info, &mem);
    if (!f) return false;
    if (info.channels != l.channels || info.frames != l.frames) {
        sf_close(f);
        return false;
    }
    std::vector<float> inter(static_cast<size_t>(l.channels * l.frames));
    const sf_count_t got = sf_readf_float(f, inter.data(), l.frames);
    sf_close(f);
    if (got != l.frames) return false;
    l.samples.resize(inter.size());
    for (int c = 0; c < l.channels; ++c)
        for (int64_t i = 0; i < l.frames; ++i)
            l.samples[static_cast<size_t>(c * l.frames + i)] = inter[static_cast<size_t>(i * l.channels + c)];
    return true;
}

} // namespace

const SampleLayer& SampleInstrument::layerFor(float velocity) const {
    const SampleLayer* best = &layers.front();
    float bestDist = 1e9f;
    for (const auto& l : layers) {
        if (velocity >= l.minVelocity && velocity <= l.maxVelocity) return l;
        const float d = std::min(std::fabs(velocity - l.minVelocity), std::fabs(velocity - l.maxVelocity));
        if (d < bestDist) { bestDist = d; best = &l; }
    }
    return *best;
}

int SampleBank::kitIndex(const std::string& name) const {
    for (size_t i = 0; i < kits.size(); ++i)
        if (kits[i] == name) return static_cast<int>(i);
    return -1;
}

int64_t SampleBank::totalFrames() const {
    int64_t n = 0;
    for (const auto& inst : instruments)
        for (const auto& l : inst.layers) n += l.frames * l.channels;
    return n;
}

bool loadInstrumentLayers(SampleInstrument& si, const std::vector<DrumkitLayer>& layers, float gain,
                          const BankOptions& options) {
    si.layers.clear();
    const double maxSec = options.maxSeconds[static_cast<int>(si.stem)];
    for (const auto& layer : layers) {
        audio::AudioBuffer buf = audio::decodeFile(layer.file).audio;
        if (buf.sampleRate != kSampleRate) buf = audio::resample(buf, kSampleRate);
        if (options.highPassHz > 0.0)
            applyBiquads(buf.samples, buf.channels, buf.frames,
                         {makeBiquad(BiquadKind::HighPass, kSampleRate, options.highPassHz, 0.0, M_SQRT1_2)});
        SampleLayer sl = shape(buf, maxSec, options.tailFloorDb);
        if (sl.frames <= 1) {
            SD_LOG(log::train, Warning) << "silent sample skipped: " << layer.file.string();
            continue;
        }
        const float g = layer.gain * gain;
        for (float& v : sl.samples) v *= g;
        sl.minVelocity = layer.minVelocity;
        sl.maxVelocity = layer.maxVelocity;
        si.layers.push_back(std::move(sl));
    }
    if (si.layers.empty()) return false;
    // Normalise the instrument so its loudest layer peaks at 1; softer layers stay softer.
    float peak = 0.0f;
    for (const auto& l : si.layers)
        for (float v : l.samples) peak = std::max(peak, std::fabs(v));
    for (auto& l : si.layers)
        for (float& v : l.samples) v /= peak;
    return true;
}

SampleBank buildSampleBank(const KitMap& map, const std::filesystem::path& drumkitsDir,
                           const BankOptions& options) {
    SampleBank bank;
    std::string currentKit;
    Drumkit kit;
    for (const auto& row : map.rows) {
        if (!row.stem) continue;
        const bool val = map.isValidation(row.kit);
        if ((val && !options.includeValidation) || (!val && !options.includeTraining)) continue;
        if (row.kit != currentKit) {
            kit = readDrumkit(drumkitsDir / row.kit);
            currentKit = row.kit;
            bank.kits.push_back(row.kit);
            bank.validation.push_back(val);
        }
        const auto* inst = kit.instrument(row.instrument);
        if (!inst)
            throw Error(ErrorCode::InvalidConfig, "kit map line " + std::to_string(row.line) + ": '" +
                        row.instrument + "' is not an instrument of " + (kit.dir / "drumkit.xml").string());
        SampleInstrument si;
        si.kit = static_cast<int>(bank.kits.size()) - 1;
        si.name = row.instrument;
        si.stem = *row.stem;
        si.role = row.role;
        if (loadInstrumentLayers(si, pickLayers(inst->layers, options.maxLayersPerInstrument[static_cast<int>(si.stem)]),
                                 inst->gain, options))
            bank.instruments.push_back(std::move(si));
    }
    if (bank.instruments.empty())
        throw Error(ErrorCode::EmptyInput, "No samples found for the kit map in " + drumkitsDir.string());
    return bank;
}

void writePack(const SampleBank& bank, const std::filesystem::path& path) {
    for (size_t k = 0; k < bank.kits.size(); ++k)
        if (bank.isSynthetic(static_cast<int>(k)))
            throw Error(ErrorCode::InvalidArgument, "The sample pack holds Hydrogen kits only; synthetic kit '" + bank.kits[k] +
                        "' is made again from its seed wherever training runs");
    QSaveFile file(QString::fromStdString(path.string()));
    if (!file.open(QIODevice::WriteOnly))
        throw Error(ErrorCode::WriteFailed, "Cannot write the sample pack " + path.string(),
                    file.errorString().toStdString());
    QDataStream s(&file);
    s.setByteOrder(QDataStream::LittleEndian);
    s.setFloatingPointPrecision(QDataStream::SinglePrecision);
    s.writeRawData(kMagic, 8);
    put<quint32>(s, kSampleRate);
    put<quint32>(s, static_cast<quint32>(bank.kits.size()));
    for (size_t k = 0; k < bank.kits.size(); ++k) {
        s << QByteArray::fromStdString(bank.kits[k]);
        put<quint8>(s, bank.validation[k] ? 1 : 0);
    }
    put<quint32>(s, static_cast<quint32>(bank.instruments.size()));
    for (const auto& inst : bank.instruments) {
        put<quint32>(s, static_cast<quint32>(inst.kit));
        s << QByteArray::fromStdString(inst.name) << QByteArray::fromStdString(inst.role);
        put<quint8>(s, static_cast<quint8>(inst.stem));
        put<quint32>(s, static_cast<quint32>(inst.layers.size()));
        for (const auto& l : inst.layers) {
            s << l.minVelocity << l.maxVelocity;
            put<quint8>(s, static_cast<quint8>(l.channels));
            put<quint32>(s, static_cast<quint32>(l.frames));
            const auto flac = encodeFlac(l);
            put<quint32>(s, static_cast<quint32>(flac.size()));
            s.writeRawData(reinterpret_cast<const char*>(flac.data()), static_cast<int>(flac.size()));
        }
    }
    if (s.status() != QDataStream::Ok || !file.commit())
        throw Error(ErrorCode::WriteFailed, "Writing the sample pack " + path.string() + " failed",
                    file.errorString().toStdString());
}

SampleBank readPack(const std::filesystem::path& path) {
    QFile file(QString::fromStdString(path.string()));
    if (!file.exists()) throw Error(ErrorCode::FileNotFound, "Sample pack not found: " + path.string());
    if (!file.open(QIODevice::ReadOnly))
        throw Error(ErrorCode::UnreadableFile, "Cannot open the sample pack " + path.string(),
                    file.errorString().toStdString());
    const auto bad = [&](const std::string& what) {
        return Error(ErrorCode::UnreadableFile, "Sample pack " + path.string() + " is damaged: " + what);
    };
    QDataStream s(&file);
    s.setByteOrder(QDataStream::LittleEndian);
    s.setFloatingPointPrecision(QDataStream::SinglePrecision);
    char magic[8];
    if (s.readRawData(magic, 8) != 8 || !std::equal(magic, magic + 8, kMagic))
        throw Error(ErrorCode::UnsupportedFormat, path.string() + " is not a StemDeck sample pack (bad magic)");
    const qint64 size = file.size();
    quint32 rate = 0, nKits = 0, nInst = 0;
    s >> rate >> nKits;
    if (rate != kSampleRate) throw bad("sample rate " + std::to_string(rate) + ", expected 44100");
    if (nKits > 10000) throw bad("implausible kit count");
    SampleBank bank;
    for (quint32 k = 0; k < nKits; ++k) {
        QByteArray name;
        quint8 val = 0;
        s >> name >> val;
        bank.kits.push_back(name.toStdString());
        bank.validation.push_back(val != 0);
    }
    s >> nInst;
    if (s.status() != QDataStream::Ok || nInst > 100000) throw bad("truncated or corrupt kit list");
    for (quint32 i = 0; i < nInst; ++i) {
        SampleInstrument inst;
        quint32 kit = 0, nLayers = 0;
        QByteArray name, role;
        quint8 stem = 0;
        s >> kit >> name >> role >> stem >> nLayers;
        if (s.status() != QDataStream::Ok) throw bad("truncated index at instrument " + std::to_string(i));
        if (kit >= nKits || stem >= kStemCount || nLayers == 0 || nLayers > 1000)
            throw bad("invalid index entry for instrument " + std::to_string(i));
        inst.kit = static_cast<int>(kit);
        inst.name = name.toStdString();
        inst.role = role.toStdString();
        inst.stem = static_cast<StemClass>(stem);
        for (quint32 j = 0; j < nLayers; ++j) {
            SampleLayer l;
            quint8 ch = 0;
            quint32 frames = 0;
            s >> l.minVelocity >> l.maxVelocity >> ch >> frames;
            quint32 bytes = 0;
            s >> bytes;
            if (s.status() != QDataStream::Ok || (ch != 1 && ch != 2) || frames == 0 ||
                file.pos() + qint64(bytes) > size)
                throw bad("truncated sample data for '" + inst.name + "'");
            l.channels = ch;
            l.frames = frames;
            std::vector<unsigned char> blob(bytes);
            if (s.readRawData(reinterpret_cast<char*>(blob.data()), static_cast<int>(bytes)) != static_cast<int>(bytes))
                throw bad("truncated sample data for '" + inst.name + "'");
            if (!decodeFlac(std::move(blob), l))
                throw bad("sample data of '" + inst.name + "' does not decode");
            inst.layers.push_back(std::move(l));
        }
        bank.instruments.push_back(std::move(inst));
    }
    if (!s.atEnd()) throw bad("unexpected bytes after the last sample");
    return bank;
}

std::vector<int> kitsWhere(const SampleBank& bank, bool validation) {
    std::vector<int> out;
    for (size_t k = 0; k < bank.kits.size(); ++k)
        if (bank.validation[k] == validation) out.push_back(static_cast<int>(k));
    if (out.empty())
        throw Error(ErrorCode::InvalidArgument, std::string("The sample pack holds no ") +
                    (validation ? "validation" : "training") + " kits");
    return out;
}

} // namespace stemdeck::train
