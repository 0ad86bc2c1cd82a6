#include "model/model_config.h"

#include "common/error.h"
#include "common/log.h"

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

namespace stemdeck::model {

namespace {

// Bounds applied before yaml-cpp builds a node tree: real configs are a few KiB, shallow and
// use no aliases; these limits leave ample room while keeping hostile files cheap to refuse.
constexpr std::size_t kMaxConfigBytes = 1 << 20;
constexpr std::size_t kMaxDepth = 64;
constexpr uint64_t kMaxExpandedNodes = 100000;

// Sizes beyond these are not a model anyone ships; refusing them early avoids allocating a
// network of absurd size from a typo.
constexpr int64_t kMaxNfft = 1 << 16;
constexpr int64_t kMaxChunk = 1 << 24;
constexpr int64_t kMaxParameters = 1'000'000'000;

[[noreturn]] void fail(std::string_view source, std::string message) {
    throw Error(ErrorCode::InvalidConfig, std::string(source) + ": " + message);
}

[[noreturn]] void failAt(std::string_view source, const YAML::Mark& mark, std::string message) {
    if (mark.line >= 0) {
        fail(source, "line " + std::to_string(mark.line + 1) + ": " + message);
    }
    fail(source, std::move(message));
}

// Walks the event stream once to measure nesting and alias expansion, without building nodes.
class BoundsChecker : public YAML::EventHandler {
public:
    explicit BoundsChecker(std::string_view source) : m_source(source) {}

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  const std::string&) override {
        leaf(mark, anchor);
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        auto it = m_anchorSizes.find(anchor);
        add(mark, it == m_anchorSizes.end() ? 1 : it->second);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(mark, anchor);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(mark, anchor);
    }
    void OnMapEnd() override { close(); }

private:
    struct Frame {
        YAML::anchor_t anchor;
        uint64_t size;
        YAML::Mark mark;
    };

    void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
        if (anchor != YAML::NullAnchor) {
            m_anchorSizes[anchor] = 1;
        }
        add(mark, 1);
    }
    void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
        if (m_stack.size() >= kMaxDepth) {
            failAt(m_source, mark,
                   "nesting deeper than " + std::to_string(kMaxDepth) +
                       " levels; this is not a model config");
        }
        m_stack.push_back({anchor, 1, mark});
    }
    void close() {
        Frame frame = m_stack.back();
        m_stack.pop_back();
        if (frame.anchor != YAML::NullAnchor) {
            m_anchorSizes[frame.anchor] = frame.size;
        }
        add(frame.mark, frame.size);
    }
    // Every partial size is a lower bound of the final total, so checking each one keeps all
    // counters below 2 x the limit (no overflow however the aliases multiply).
    void add(const YAML::Mark& mark, uint64_t n) {
        uint64_t& target = m_stack.empty() ? m_total : m_stack.back().size;
        target += n;
        if (target > kMaxExpandedNodes) {
            failAt(m_source, mark,
                   "the document expands to more than " + std::to_string(kMaxExpandedNodes) +
                       " nodes (aliases of aliases?); this is not a model config");
        }
    }

    std::string_view m_source;
    std::vector<Frame> m_stack;
    std::unordered_map<YAML::anchor_t, uint64_t> m_anchorSizes;
    uint64_t m_total = 0;
};

std::string scalarText(const YAML::Node& node) {
    return node.IsScalar() ? node.Scalar() : std::string("(not a single value)");
}

class Reader {
public:
    explicit Reader(std::string_view source) : m_source(source) {}

    std::optional<YAML::Node> section(const YAML::Node& root, const char* name, bool required) const {
        YAML::Node node = root[name];
        if (!node || node.IsNull()) {
            if (required) {
                failAt(m_source, root.Mark(), std::string("missing required section '") + name + "'");
            }
            return std::nullopt;
        }
        if (!node.IsMap()) {
            failAt(m_source, node.Mark(), std::string("'") + name + "' must be a mapping of keys");
        }
        return node;
    }

    // nullopt when the key is absent or null and not required.
    std::optional<YAML::Node> find(const YAML::Node& map, const char* section, const char* key,
                                   bool required) const {
        YAML::Node node = map[key];
        if (!node || node.IsNull()) {
            if (required) {
                failAt(m_source, map.Mark(), std::string("missing required key ") + section + "." + key);
            }
            return std::nullopt;
        }
        return node;
    }
    YAML::Node value(const YAML::Node& map, const char* section, const char* key) const {
        return *find(map, section, key, true);
    }

    int64_t integer(const YAML::Node& node, const char* section, const char* key) const {
        if (node.IsScalar()) {
            const std::string& text = node.Scalar();
            int64_t result = 0;
            const char* begin = text.data();
            const char* end = text.data() + text.size();
            if (!text.empty() && *begin == '+') {
                ++begin;
            }
            auto [ptr, ec] = std::from_chars(begin, end, result);
            if (ec == std::errc() && ptr == end && begin != end) {
                return result;
            }
        }
        failAt(m_source, node.Mark(),
               std::string(section) + "." + key + " must be an integer (got '" + scalarText(node) + "')");
    }

    double real(const YAML::Node& node, const char* section, const char* key) const {
        try {
            if (node.IsScalar()) {
                return node.as<double>();
            }
        } catch (const YAML::Exception&) {
        }
        failAt(m_source, node.Mark(),
               std::string(section) + "." + key + " must be a number (got '" + scalarText(node) + "')");
    }

    std::string text(const YAML::Node& node, const char* section, const char* key) const {
        if (!node.IsScalar()) {
            failAt(m_source, node.Mark(), std::string(section) + "." + key + " must be a single value");
        }
        return node.Scalar();
    }

    int64_t requiredInt(const YAML::Node& map, const char* section, const char* key) const {
        return integer(value(map, section, key), section, key);
    }
    std::optional<int64_t> optionalInt(const YAML::Node& map, const char* section, const char* key) const {
        std::optional<YAML::Node> node = find(map, section, key, false);
        if (!node) {
            return std::nullopt;
        }
        return integer(*node, section, key);
    }
    std::optional<bool> optionalBool(const YAML::Node& map, const char* section, const char* key) const {
        std::optional<YAML::Node> node = find(map, section, key, false);
        if (!node) {
            return std::nullopt;
        }
        bool result = false;
        if (!node->IsScalar() || !YAML::convert<bool>::decode(*node, result)) {
            failAt(m_source, node->Mark(),
                   std::string(section) + "." + key + " must be true or false (got '" + scalarText(*node) + "')");
        }
        return result;
    }

    std::string_view source() const { return m_source; }

private:
    std::string_view m_source;
};

// The line of a key's value, for range errors found after parsing.
struct Lines {
    std::unordered_map<std::string, YAML::Mark> marks;
    YAML::Mark of(const std::string& key) const {
        auto it = marks.find(key);
        return it == marks.end() ? YAML::Mark::null_mark() : it->second;
    }
};

void recordMarks(const YAML::Node& root, Lines& lines) {
    for (const char* sectionName : {"audio", "model", "training", "inference"}) {
        YAML::Node section = root[sectionName];
        if (!section || !section.IsMap()) {
            continue;
        }
        lines.marks[sectionName] = section.Mark();
        for (auto it = section.begin(); it != section.end(); ++it) {
            if (it->first.IsScalar()) {
                lines.marks[std::string(sectionName) + "." + it->first.Scalar()] = it->second.Mark();
            }
        }
    }
}

bool parseAlpha(std::string_view text, double& alpha) {
    if (text.empty()) {
        return false;
    }
    std::string copy(text);
    std::istringstream in(copy);
    in.imbue(std::locale::classic());
    in >> alpha;
    return !in.fail() && in.eof() && std::isfinite(alpha);
}

bool parseGroups(std::string_view text, int64_t& groups) {
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), groups);
    return ec == std::errc() && ptr == text.data() + text.size() && !text.empty();
}

// Stem names become file names and YAML again (toYaml), so they must be text that yaml-cpp's
// emitter writes back unchanged: well-formed UTF-8 (no overlong forms, no surrogates, nothing past
// U+10FFFF) without Unicode's noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF), which the emitter
// writes as U+FFFD. Both kinds were found by fuzz_model_config.
bool isWellFormedText(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            ++i;
            continue;
        }
        size_t n = 0;
        char32_t cp = 0, least = 0;
        if ((b & 0xE0) == 0xC0) {
            n = 2, cp = b & 0x1F, least = 0x80;
        } else if ((b & 0xF0) == 0xE0) {
            n = 3, cp = b & 0x0F, least = 0x800;
        } else if ((b & 0xF8) == 0xF0) {
            n = 4, cp = b & 0x07, least = 0x10000;
        } else {
            return false; // a continuation byte where a character should start, or F8..FF
        }
        if (i + n > s.size()) return false;
        for (size_t k = 1; k < n; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) return false;
        i += n;
    }
    return true;
}

void validate(const ModelConfig& c, std::string_view source, const Lines& lines) {
    auto check = [&](bool ok, const char* key, const std::string& message) {
        if (!ok) {
            failAt(source, lines.of(key), std::string(key) + " " + message);
        }
    };
    const AudioConfig& a = c.audio;
    const NetConfig& m = c.model;

    check(a.n_fft >= 4 && a.n_fft <= kMaxNfft && a.n_fft % 2 == 0, "audio.n_fft",
          "must be an even number between 4 and " + std::to_string(kMaxNfft) + " (got " +
              std::to_string(a.n_fft) + ")");
    check(a.hop_length >= 1 && a.hop_length <= a.n_fft / 2, "audio.hop_length",
          "must be between 1 and n_fft / 2 = " + std::to_string(a.n_fft / 2) +
              " so the inverse STFT can rebuild every sample (got " + std::to_string(a.hop_length) + ")");
    check(a.dim_f >= 1 && a.dim_f <= a.n_fft / 2 + 1, "audio.dim_f",
          "must be between 1 and n_fft / 2 + 1 = " + std::to_string(a.n_fft / 2 + 1) + " (got " +
              std::to_string(a.dim_f) + ")");
    check(a.num_channels == 1 || a.num_channels == 2, "audio.num_channels",
          "must be 1 or 2 (got " + std::to_string(a.num_channels) + ")");
    check(a.sample_rate >= 1000 && a.sample_rate <= 768000, "audio.sample_rate",
          "must be between 1000 and 768000 Hz (got " + std::to_string(a.sample_rate) + ")");
    check(a.chunk_size >= 1 && a.chunk_size <= kMaxChunk, "audio.chunk_size",
          "must be between 1 and " + std::to_string(kMaxChunk) + " (got " + std::to_string(a.chunk_size) + ")");
    check(a.dim_t >= 1, "audio.dim_t", "must be positive (got " + std::to_string(a.dim_t) + ")");
    check(std::isfinite(a.min_mean_abs) && a.min_mean_abs >= 0, "audio.min_mean_abs",
          "must be a number >= 0");

    auto inRange = [&](int64_t v, int64_t lo, int64_t hi, const char* key) {
        check(v >= lo && v <= hi, key,
              "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + " (got " +
                  std::to_string(v) + ")");
    };
    inRange(m.num_channels, 1, 4096, "model.num_channels");
    inRange(m.growth, 0, 4096, "model.growth");
    inRange(m.num_scales, 1, 12, "model.num_scales");
    inRange(m.num_blocks_per_scale, 1, 64, "model.num_blocks_per_scale");
    inRange(m.num_subbands, 1, 256, "model.num_subbands");
    inRange(m.bottleneck_factor, 1, 1 << 16, "model.bottleneck_factor");
    inRange(m.scale[0], 1, 16, "model.scale");
    inRange(m.scale[1], 1, 16, "model.scale");

    // act / norm
    if (m.act != "gelu" && m.act != "relu") {
        double alpha = 0;
        check(m.act.rfind("elu", 0) == 0 && parseAlpha(std::string_view(m.act).substr(3), alpha), "model.act",
              "must be gelu, relu or elu<alpha> such as elu1.0 (got '" + m.act + "')");
    }
    if (m.norm.find("GroupNorm") != std::string::npos) {
        int64_t groups = 0;
        check(m.norm.rfind("GroupNorm", 0) == 0 && parseGroups(std::string_view(m.norm).substr(9), groups) &&
                  groups >= 1,
              "model.norm", "must be GroupNorm<N> with a positive N such as GroupNorm2 (got '" + m.norm + "')");
    }

    // Frequency: subbands split dim_f evenly, every scale halves (scale[1]) what is left, and
    // the TDF bottleneck must keep at least one unit at every level.
    check(a.dim_f % m.num_subbands == 0, "audio.dim_f",
          "(" + std::to_string(a.dim_f) + ") must be divisible by model.num_subbands (" +
              std::to_string(m.num_subbands) + ")");
    int64_t f = a.dim_f / m.num_subbands;
    int64_t scaleF = 1;
    int64_t scaleT = 1;
    for (int64_t i = 0; i < m.num_scales; ++i) {
        check(f / m.bottleneck_factor >= 1, "model.bottleneck_factor",
              "(" + std::to_string(m.bottleneck_factor) + ") leaves no units for " + std::to_string(f) +
                  " frequency bins at scale " + std::to_string(i));
        check(f % m.scale[1] == 0, "audio.dim_f",
              "/ num_subbands (" + std::to_string(a.dim_f / m.num_subbands) +
                  ") must be divisible by scale[1]^num_scales (" + std::to_string(m.scale[1]) + "^" +
                  std::to_string(m.num_scales) + ")");
        f /= m.scale[1];
        scaleF *= m.scale[1];
        scaleT *= m.scale[0];
    }
    check(f / m.bottleneck_factor >= 1, "model.bottleneck_factor",
          "(" + std::to_string(m.bottleneck_factor) + ") leaves no units for " + std::to_string(f) +
              " frequency bins in the bottleneck");

    // Time: the inverse STFT returns hop x (frames - 1) samples and the encoder/decoder must
    // see a frame count that survives num_scales strides of scale[0].
    const int64_t chunk = c.chunkSize();
    const char* chunkKey = c.inference.chunk_size ? "inference.chunk_size" : "audio.chunk_size";
    check(chunk >= 1 && chunk <= kMaxChunk, chunkKey,
          "must be between 1 and " + std::to_string(kMaxChunk) + " (got " + std::to_string(chunk) + ")");
    check(chunk % a.hop_length == 0, chunkKey,
          "(" + std::to_string(chunk) + ") must be a multiple of audio.hop_length (" +
              std::to_string(a.hop_length) + ")");
    check(chunk > a.n_fft / 2, chunkKey,
          "(" + std::to_string(chunk) + ") must be longer than n_fft / 2 (" + std::to_string(a.n_fft / 2) + ")");
    const int64_t frames = chunk / a.hop_length + 1;
    check(frames % scaleT == 0, chunkKey,
          "gives " + std::to_string(frames) + " STFT frames (chunk / hop_length + 1), which must be divisible by "
              "scale[0]^num_scales = " + std::to_string(scaleT) + "; e.g. chunk = hop_length x (dim_t - 1) with dim_t a "
              "multiple of " + std::to_string(scaleT));
    (void)scaleF;

    // Every normalised channel count must split into the groups.
    if (c.normKind() == Norm::Group) {
        const int64_t groups = c.groupNormGroups();
        int64_t ch = m.num_channels;
        for (int64_t i = 0; i <= m.num_scales; ++i) {
            check(ch % groups == 0 && (i == m.num_scales || (2 * ch) % groups == 0), "model.norm",
                  "(" + m.norm + "): " + std::to_string(ch) + " channels at scale " + std::to_string(i) +
                      " cannot be split into " + std::to_string(groups) + " groups");
            ch += m.growth;
        }
    }

    // Stems
    const auto& instruments = c.training.instruments;
    check(!instruments.empty(), "training.instruments", "must list at least one stem");
    check(instruments.size() <= 64, "training.instruments", "lists more than 64 stems");
    std::set<std::string> unique;
    for (const auto& name : instruments) {
        check(!name.empty(), "training.instruments", "contains an empty name");
        check(isWellFormedText(name), "training.instruments",
              "contains a name that is not valid UTF-8 text (or holds a Unicode noncharacter)");
        check(unique.insert(name).second, "training.instruments", "lists '" + name + "' twice");
    }
    check(!c.training.target_instrument || isWellFormedText(*c.training.target_instrument), "training.target_instrument",
          "is not valid UTF-8 text (or holds a Unicode noncharacter)");
    if (c.training.target_instrument &&
        std::find(instruments.begin(), instruments.end(), *c.training.target_instrument) == instruments.end()) {
        SD_LOG(log::model, Warning) << source << ": training.target_instrument '" << *c.training.target_instrument
                                    << "' is not one of training.instruments";
    }

    // Inference
    inRange(c.inference.batch_size, 1, 4096, "inference.batch_size");
    inRange(c.inference.num_overlap, 1, 1024, "inference.num_overlap");
    check(c.inference.num_overlap <= chunk, "inference.num_overlap", "is larger than the chunk");
    check(c.inference.dim_t >= 1, "inference.dim_t", "must be positive");
    check(std::isfinite(c.inference.soft_mask_power) && c.inference.soft_mask_power >= 0 &&
              c.inference.soft_mask_power <= kMaxSoftMaskPower,
          "inference.soft_mask_power", "must be 0 (off) or a power up to 8, such as 1.5");
    check(c.inference.soft_mask_power == 0 || c.stems().size() >= 2, "inference.soft_mask_power",
          "needs a model with at least two stems (the masks share the mix among them)");
    check(!c.inference.multichannel_wiener || c.audio.num_channels == 2, "inference.multichannel_wiener",
          "needs a stereo model (audio.num_channels: 2): it tells stems apart by their stereo images");
    check(!c.inference.multichannel_wiener || c.stems().size() >= 2, "inference.multichannel_wiener",
          "needs a model with at least two stems (the filter shares the mix among them)");
    inRange(c.inference.wiener_iterations, 1, kMaxWienerIterations, "inference.wiener_iterations");
    check(c.inference.wiener_n_fft.empty() ||
              static_cast<int64_t>(c.inference.wiener_n_fft.size()) == c.inference.wiener_iterations,
          "inference.wiener_n_fft",
          "must give one STFT size per pass: " + std::to_string(c.inference.wiener_n_fft.size()) + " sizes for " +
              std::to_string(c.inference.wiener_iterations) + " passes (inference.wiener_iterations)");
    for (const int64_t n : c.inference.wiener_n_fft) {
        check(isWienerFftSize(n), "inference.wiener_n_fft",
              "takes powers of two from " + std::to_string(kMinWienerFft) + " to " + std::to_string(kMaxWienerFft) +
                  ", such as [2048, 1024], not " + std::to_string(n));
        check(n / 2 < chunk, "inference.wiener_n_fft", "takes sizes under twice the chunk (" + std::to_string(chunk) + " samples), not " + std::to_string(n));
    }

    const int64_t params = parameterCountOf(c);
    check(params <= kMaxParameters, "model",
          "describes a network of " + std::to_string(params) + " parameters, more than StemDeck accepts (" +
              std::to_string(kMaxParameters) + ")");
}

} // namespace

std::vector<std::string> ModelConfig::stems() const {
    if (training.target_instrument && !training.target_instrument->empty()) {
        return {*training.target_instrument};
    }
    return training.instruments;
}

int64_t ModelConfig::chunkSize() const {
    return inference.chunk_size ? *inference.chunk_size : audio.chunk_size;
}

int64_t ModelConfig::framesPerChunk() const {
    return audio.hop_length > 0 ? chunkSize() / audio.hop_length + 1 : 0;
}

Activation ModelConfig::activation() const {
    if (model.act == "gelu") {
        return Activation::Gelu;
    }
    if (model.act == "relu") {
        return Activation::Relu;
    }
    return Activation::Elu;
}

double ModelConfig::eluAlpha() const {
    double alpha = 1.0;
    if (model.act.rfind("elu", 0) == 0 && parseAlpha(std::string_view(model.act).substr(3), alpha)) {
        return alpha;
    }
    return 1.0;
}

Norm ModelConfig::normKind() const {
    // Same matching as the reference: exact names for batch/instance, "GroupNorm<N>", and any
    // other string means no normalisation.
    if (model.norm == "BatchNorm") {
        return Norm::Batch;
    }
    if (model.norm == "InstanceNorm") {
        return Norm::Instance;
    }
    if (model.norm.find("GroupNorm") != std::string::npos) {
        return Norm::Group;
    }
    return Norm::Identity;
}

int64_t ModelConfig::groupNormGroups() const {
    int64_t groups = 0;
    if (model.norm.rfind("GroupNorm", 0) == 0 && parseGroups(std::string_view(model.norm).substr(9), groups)) {
        return groups;
    }
    return 0;
}

int64_t parameterCountOf(const ModelConfig& config) {
    // Saturating arithmetic: the count is used to refuse absurd configs, so it must not wrap.
    static constexpr int64_t cap = int64_t(1) << 60;
    auto mul = [](int64_t x, int64_t y) -> int64_t {
        if (x == 0 || y == 0) {
            return 0;
        }
        return x > cap / y ? cap : x * y;
    };
    auto add = [](int64_t x, int64_t y) -> int64_t { return std::min(cap, x + y); };

    const NetConfig& m = config.model;
    const bool affineNorm = config.normKind() != Norm::Identity;
    auto norm = [&](int64_t ch) { return affineNorm ? mul(2, ch) : int64_t(0); };
    const int64_t k = m.num_subbands;
    const int64_t bn = std::max<int64_t>(1, m.bottleneck_factor);
    const int64_t dimC = mul(mul(k, config.audio.num_channels), 2);
    const int64_t s2 = mul(m.scale[0], m.scale[1]);

    auto tfcTdf = [&](int64_t in, int64_t ch, int64_t f) {
        int64_t total = 0;
        for (int64_t i = 0; i < m.num_blocks_per_scale; ++i) {
            const int64_t hidden = f / bn;
            total = add(total, add(norm(in), mul(mul(in, ch), 9)));                    // tfc1
            total = add(total, add(mul(norm(ch), 2), mul(mul(f, hidden), 2)));         // tdf
            total = add(total, add(norm(ch), mul(mul(ch, ch), 9)));                    // tfc2
            total = add(total, mul(in, ch));                                           // shortcut
            in = ch;
        }
        return total;
    };

    int64_t c = m.num_channels;
    int64_t f = k > 0 ? config.audio.dim_f / k : 0;
    int64_t total = mul(dimC, c); // first_conv
    for (int64_t i = 0; i < m.num_scales; ++i) {
        total = add(total, tfcTdf(c, c, f));
        total = add(total, add(norm(c), mul(mul(c, c + m.growth), s2))); // downscale
        f = m.scale[1] > 0 ? f / m.scale[1] : 0;
        c += m.growth;
    }
    total = add(total, tfcTdf(c, c, f)); // bottleneck
    for (int64_t i = 0; i < m.num_scales; ++i) {
        total = add(total, add(norm(c), mul(mul(c, c - m.growth), s2))); // upscale
        f = mul(f, m.scale[1]);
        c -= m.growth;
        total = add(total, tfcTdf(2 * c, c, f));
    }
    const int64_t stems = static_cast<int64_t>(config.stems().size());
    total = add(total, mul(c + dimC, c));                // final_conv.0
    total = add(total, mul(c, mul(stems, dimC)));        // final_conv.2
    return total;
}

void validateModelConfig(const ModelConfig& config, std::string_view sourceName) {
    validate(config, sourceName, Lines{});
}

ModelConfig parseModelConfig(std::string_view yaml, std::string_view sourceName) {
    if (yaml.size() > kMaxConfigBytes) {
        fail(sourceName, "the file is " + std::to_string(yaml.size()) + " bytes; a model config is at most " +
                             std::to_string(kMaxConfigBytes) + " bytes");
    }
    const std::string text(yaml);

    YAML::Node root;
    try {
        {
            std::istringstream stream(text);
            YAML::Parser parser(stream);
            BoundsChecker bounds(sourceName);
            parser.HandleNextDocument(bounds);
        }
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        failAt(sourceName, e.mark, "not valid YAML: " + e.msg);
    }
    if (!root || root.IsNull()) {
        throw Error(ErrorCode::InvalidConfig, std::string(sourceName) + ": the config is empty");
    }
    if (!root.IsMap()) {
        failAt(sourceName, root.Mark(), "the config must be a mapping with audio, model, training and inference");
    }

    const Reader r(sourceName);
    ModelConfig c;
    try {
        const YAML::Node audio = *r.section(root, "audio", true);
        c.audio.chunk_size = r.requiredInt(audio, "audio", "chunk_size");
        c.audio.dim_f = r.requiredInt(audio, "audio", "dim_f");
        c.audio.hop_length = r.requiredInt(audio, "audio", "hop_length");
        c.audio.n_fft = r.requiredInt(audio, "audio", "n_fft");
        const int64_t channels = r.requiredInt(audio, "audio", "num_channels");
        const int64_t rate = r.requiredInt(audio, "audio", "sample_rate");
        c.audio.num_channels = static_cast<int>(std::clamp<int64_t>(channels, -1, 1 << 20));
        c.audio.sample_rate = static_cast<int>(std::clamp<int64_t>(rate, -1, 1 << 30));
        if (auto dimT = r.optionalInt(audio, "audio", "dim_t")) {
            c.audio.dim_t = *dimT;
        } else if (c.audio.hop_length > 0) {
            c.audio.dim_t = c.audio.chunk_size / c.audio.hop_length + 1;
        }
        if (auto v = r.find(audio, "audio", "min_mean_abs", false)) {
            c.audio.min_mean_abs = r.real(*v, "audio", "min_mean_abs");
        }

        const YAML::Node net = *r.section(root, "model", true);
        c.model.act = r.text(r.value(net, "model", "act"), "model", "act");
        c.model.norm = r.text(r.value(net, "model", "norm"), "model", "norm");
        c.model.bottleneck_factor = r.requiredInt(net, "model", "bottleneck_factor");
        c.model.growth = r.requiredInt(net, "model", "growth");
        c.model.num_blocks_per_scale = r.requiredInt(net, "model", "num_blocks_per_scale");
        c.model.num_channels = r.requiredInt(net, "model", "num_channels");
        c.model.num_scales = r.requiredInt(net, "model", "num_scales");
        c.model.num_subbands = r.requiredInt(net, "model", "num_subbands");
        const YAML::Node scale = r.value(net, "model", "scale");
        if (scale.IsSequence() && scale.size() == 2) {
            c.model.scale = {r.integer(scale[0], "model", "scale[0]"), r.integer(scale[1], "model", "scale[1]")};
        } else {
            failAt(sourceName, scale.Mark(), "model.scale must be a list of two integers such as [2, 2]");
        }

        const YAML::Node training = *r.section(root, "training", true);
        const YAML::Node instruments = r.value(training, "training", "instruments");
        if (!instruments.IsSequence()) {
            failAt(sourceName, instruments.Mark(), "training.instruments must be a list of stem names");
        }
        for (const YAML::Node& item : instruments) {
            if (!item.IsScalar()) {
                failAt(sourceName, item.Mark(), "training.instruments must contain only names");
            }
            c.training.instruments.push_back(item.Scalar());
        }
        if (auto v = r.find(training, "training", "target_instrument", false)) {
            std::string target = r.text(*v, "training", "target_instrument");
            if (!target.empty()) {
                c.training.target_instrument = std::move(target);
            }
        }

        c.inference.dim_t = c.audio.dim_t;
        if (auto section = r.section(root, "inference", false)) {
            const YAML::Node inference = *section;
            if (auto v = r.optionalInt(inference, "inference", "batch_size")) {
                c.inference.batch_size = *v;
            }
            if (auto v = r.optionalInt(inference, "inference", "dim_t")) {
                c.inference.dim_t = *v;
            }
            if (auto v = r.optionalInt(inference, "inference", "num_overlap")) {
                c.inference.num_overlap = *v;
            }
            c.inference.chunk_size = r.optionalInt(inference, "inference", "chunk_size");
            c.inference.mixture_consistency =
                r.optionalBool(inference, "inference", "mixture_consistency").value_or(false);
            if (auto v = r.find(inference, "inference", "soft_mask_power", false)) {
                c.inference.soft_mask_power = r.real(*v, "inference", "soft_mask_power");
            }
            c.inference.multichannel_wiener =
                r.optionalBool(inference, "inference", "multichannel_wiener").value_or(false);
            if (auto v = r.optionalInt(inference, "inference", "wiener_iterations")) {
                c.inference.wiener_iterations = *v;
            }
            if (auto v = r.find(inference, "inference", "wiener_n_fft", false)) {
                if (!v->IsSequence() || v->size() == 0) {
                    failAt(sourceName, v->Mark(), "inference.wiener_n_fft must be a list of STFT sizes such as [2048, 1024]");
                }
                for (const YAML::Node& item : *v) {
                    c.inference.wiener_n_fft.push_back(r.integer(item, "inference", "wiener_n_fft"));
                }
            }
        }
    } catch (const YAML::Exception& e) {
        failAt(sourceName, e.mark, "unreadable value: " + e.msg);
    }

    Lines lines;
    recordMarks(root, lines);
    validate(c, sourceName, lines);
    return c;
}

ModelConfig loadModelConfig(const std::filesystem::path& path) {
    std::error_code ec;
    const std::string name = path.string();
    if (!std::filesystem::exists(path, ec)) {
        throw Error(ErrorCode::FileNotFound, name + ": the model config does not exist");
    }
    if (!std::filesystem::is_regular_file(path, ec)) {
        throw Error(ErrorCode::UnreadableFile, name + ": the model config is not a regular file");
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        throw Error(ErrorCode::UnreadableFile, name + ": cannot read the model config", ec.message());
    }
    if (size > kMaxConfigBytes) {
        fail(name, "the file is " + std::to_string(size) + " bytes; a model config is at most " +
                       std::to_string(kMaxConfigBytes) + " bytes");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error(ErrorCode::UnreadableFile, name + ": cannot open the model config");
    }
    std::string text(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return parseModelConfig(text, name);
}

std::string toYaml(const ModelConfig& c) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "audio" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "chunk_size" << YAML::Value << c.audio.chunk_size;
    out << YAML::Key << "dim_f" << YAML::Value << c.audio.dim_f;
    out << YAML::Key << "dim_t" << YAML::Value << c.audio.dim_t;
    out << YAML::Key << "hop_length" << YAML::Value << c.audio.hop_length;
    out << YAML::Key << "n_fft" << YAML::Value << c.audio.n_fft;
    out << YAML::Key << "num_channels" << YAML::Value << c.audio.num_channels;
    out << YAML::Key << "sample_rate" << YAML::Value << c.audio.sample_rate;
    out << YAML::Key << "min_mean_abs" << YAML::Value << c.audio.min_mean_abs;
    out << YAML::EndMap;

    out << YAML::Key << "model" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "act" << YAML::Value << c.model.act;
    out << YAML::Key << "bottleneck_factor" << YAML::Value << c.model.bottleneck_factor;
    out << YAML::Key << "growth" << YAML::Value << c.model.growth;
    out << YAML::Key << "norm" << YAML::Value << c.model.norm;
    out << YAML::Key << "num_blocks_per_scale" << YAML::Value << c.model.num_blocks_per_scale;
    out << YAML::Key << "num_channels" << YAML::Value << c.model.num_channels;
    out << YAML::Key << "num_scales" << YAML::Value << c.model.num_scales;
    out << YAML::Key << "num_subbands" << YAML::Value << c.model.num_subbands;
    out << YAML::Key << "scale" << YAML::Value << YAML::BeginSeq << c.model.scale[0] << c.model.scale[1]
        << YAML::EndSeq;
    out << YAML::EndMap;

    out << YAML::Key << "training" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "instruments" << YAML::Value << YAML::BeginSeq;
    for (const auto& name : c.training.instruments) {
        out << YAML::DoubleQuoted << name;
    }
    out << YAML::EndSeq;
    out << YAML::Key << "target_instrument" << YAML::Value;
    if (c.training.target_instrument) {
        out << YAML::DoubleQuoted << *c.training.target_instrument;
    } else {
        out << YAML::Null;
    }
    out << YAML::EndMap;

    out << YAML::Key << "inference" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "batch_size" << YAML::Value << c.inference.batch_size;
    out << YAML::Key << "dim_t" << YAML::Value << c.inference.dim_t;
    out << YAML::Key << "num_overlap" << YAML::Value << c.inference.num_overlap;
    if (c.inference.chunk_size) {
        out << YAML::Key << "chunk_size" << YAML::Value << *c.inference.chunk_size;
    }
    if (c.inference.mixture_consistency) {
        out << YAML::Key << "mixture_consistency" << YAML::Value << true;
    }
    if (c.inference.soft_mask_power > 0) {
        out << YAML::Key << "soft_mask_power" << YAML::Value << c.inference.soft_mask_power;
    }
    if (c.inference.multichannel_wiener) {
        out << YAML::Key << "multichannel_wiener" << YAML::Value << true;
    }
    if (c.inference.wiener_iterations != 1) {
        out << YAML::Key << "wiener_iterations" << YAML::Value << c.inference.wiener_iterations;
    }
    if (!c.inference.wiener_n_fft.empty()) {
        out << YAML::Key << "wiener_n_fft" << YAML::Value << YAML::Flow << c.inference.wiener_n_fft;
    }
    out << YAML::EndMap;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

} // namespace stemdeck::model
