#include "checkpoint_builder.h"

#include <zip.h>

#include <bit>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace stemdeck::test::ckpt {

namespace {

std::string le(std::uint64_t v, int bytes) {
    std::string s;
    for (int i = 0; i < bytes; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
    return s;
}

const char* storageName(DType dtype) {
    switch (dtype) {
    case DType::F64: return "DoubleStorage";
    case DType::F32: return "FloatStorage";
    case DType::F16: return "HalfStorage";
    case DType::BF16: return "BFloat16Storage";
    case DType::I64: return "LongStorage";
    case DType::I32: return "IntStorage";
    case DType::I16: return "ShortStorage";
    case DType::I8: return "CharStorage";
    case DType::U8: return "ByteStorage";
    case DType::Bool: return "BoolStorage";
    }
    return "FloatStorage";
}

} // namespace

PickleWriter::PickleWriter(int protocol) : m_protocol(protocol) {}

PickleWriter& PickleWriter::op(char opcode) {
    m_body += opcode;
    return *this;
}

PickleWriter& PickleWriter::raw(std::string_view bytes) {
    m_body += bytes;
    return *this;
}

PickleWriter& PickleWriter::str(std::string_view s) {
    if (m_protocol >= 4 && s.size() < 256) {
        m_body += '\x8c';
        m_body += le(s.size(), 1);
    } else {
        m_body += 'X';
        m_body += le(s.size(), 4);
    }
    m_body += s;
    return *this;
}

PickleWriter& PickleWriter::integer(std::int64_t v) {
    if (v >= 0 && v < 256) {
        m_body += 'K' + le(static_cast<std::uint64_t>(v), 1);
    } else if (v >= 0 && v < 65536) {
        m_body += 'M' + le(static_cast<std::uint64_t>(v), 2);
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
        m_body += 'J' + le(static_cast<std::uint32_t>(v), 4);
    } else {
        m_body += "\x8a\x08" + le(static_cast<std::uint64_t>(v), 8);
    }
    return *this;
}

PickleWriter& PickleWriter::boolean(bool v) { return op(v ? '\x88' : '\x89'); }

PickleWriter& PickleWriter::real(double v) {
    const auto bits = std::bit_cast<std::uint64_t>(v);
    m_body += 'G';
    for (int i = 7; i >= 0; --i) m_body += static_cast<char>((bits >> (8 * i)) & 0xff);
    return *this;
}

PickleWriter& PickleWriter::global(std::string_view module, std::string_view name) {
    if (m_protocol >= 4) {
        str(module);
        str(name);
        return op('\x93');
    }
    m_body += 'c';
    m_body += module;
    m_body += '\n';
    m_body += name;
    m_body += '\n';
    return *this;
}

PickleWriter& PickleWriter::put(std::uint32_t index) {
    if (m_protocol >= 4) {
        ++m_memo;
        return op('\x94');
    }
    if (index < 256) {
        m_body += 'q' + le(index, 1);
    } else {
        m_body += 'r' + le(index, 4);
    }
    return *this;
}

PickleWriter& PickleWriter::get(std::uint32_t index) {
    if (index < 256) {
        m_body += 'h' + le(index, 1);
    } else {
        m_body += 'j' + le(index, 4);
    }
    return *this;
}

PickleWriter& PickleWriter::tuple(const std::vector<std::int64_t>& ints) {
    mark();
    for (auto v : ints) integer(v);
    return op('t');
}

PickleWriter& PickleWriter::orderedDictCall() {
    global("collections", "OrderedDict");
    op(')');
    return op('R');
}

std::string PickleWriter::finish() const {
    std::string out = "\x80" + le(static_cast<std::uint64_t>(m_protocol), 1);
    const std::string body = m_body + ".";
    if (m_protocol >= 4) out += "\x95" + le(body.size(), 8);
    return out + body;
}

std::string torchPickle(const CheckpointSpec& spec) {
    PickleWriter w(spec.protocol);
    std::uint32_t memo = 0;
    if (spec.layout == Layout::Lightning) {
        w.op('}').put(memo++).mark();
        w.str("epoch").integer(3);
        w.str("global_step").integer(120);
        w.str("state_dict");
    }
    if (spec.layout == Layout::PlainDict) {
        w.op('}').put(memo++);
    } else {
        w.global("collections", "OrderedDict").put(memo++);
        w.op(')').op('R').put(memo++);
    }
    w.mark();
    for (const auto& t : spec.tensors) {
        w.str(spec.namePrefix + t.name);
        if (t.parameter) w.global("torch._utils", "_rebuild_parameter").mark();
        w.global("torch._utils", "_rebuild_tensor_v2").mark();
        const StorageSpec& s = spec.storages.at(t.storageKey);
        w.mark().str("storage").global("torch", storageName(s.dtype)).str(t.storageKey).str("cpu");
        w.integer(static_cast<std::int64_t>(s.declaredNumel)).op('t').op('Q');
        w.integer(t.offset).tuple(t.shape).tuple(t.stride).boolean(false).orderedDictCall();
        w.op('t').op('R');
        if (t.parameter) w.boolean(true).orderedDictCall().op('t').op('R');
    }
    w.op('u');
    if (spec.layout == Layout::OrderedDict) {
        // state_dict()._metadata, set by BUILD as torch.save writes it
        w.op('}').str("_metadata").orderedDictCall().mark().str("").op('}').str("version").integer(1).op('s');
        w.op('u').op('s').op('b');
    }
    if (spec.layout == Layout::Lightning) {
        w.str("hyper_parameters").op('}').mark().str("lr").real(1e-4).str("note").str("x").op('u');
        w.op('u');
    }
    return w.finish();
}

Bytes zipArchive(const std::vector<std::pair<std::string, Bytes>>& entries) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &error);
    if (!src) throw std::runtime_error("zip_source_buffer_create failed");
    zip_source_keep(src);
    zip_t* za = zip_open_from_source(src, ZIP_TRUNCATE, &error);
    if (!za) throw std::runtime_error("zip_open_from_source failed");
    for (const auto& [name, data] : entries) {
        zip_source_t* file = zip_source_buffer(za, data.empty() ? nullptr : data.data(), data.size(), 0);
        const zip_int64_t index = zip_file_add(za, name.c_str(), file, ZIP_FL_ENC_UTF_8);
        if (index < 0) throw std::runtime_error("zip_file_add failed");
        zip_set_file_compression(za, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
    }
    if (zip_close(za) != 0) throw std::runtime_error("zip_close failed");
    zip_stat_t st;
    zip_source_stat(src, &st);
    Bytes out(st.size);
    zip_source_open(src);
    zip_source_read(src, out.data(), out.size());
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&error);
    return out;
}

Bytes torchCheckpointWithPickle(const std::string& pickle, const std::map<std::string, StorageSpec>& storages,
                                const std::string& archive) {
    std::vector<std::pair<std::string, Bytes>> entries;
    entries.emplace_back(archive + "/data.pkl", toBytes(pickle));
    entries.emplace_back(archive + "/byteorder", toBytes("little"));
    for (const auto& [key, s] : storages) entries.emplace_back(archive + "/data/" + key, s.bytes);
    entries.emplace_back(archive + "/version", toBytes("3\n"));
    return zipArchive(entries);
}

Bytes torchCheckpoint(const CheckpointSpec& spec, const std::string& archive) {
    return torchCheckpointWithPickle(torchPickle(spec), spec.storages, archive);
}

Bytes safetensorsFile(const std::string& header, const Bytes& data) {
    Bytes out = toBytes(le(header.size(), 8) + header);
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

Bytes toBytes(std::string_view s) {
    Bytes out(s.size());
    if (!s.empty()) std::memcpy(out.data(), s.data(), s.size()); // memcpy from null is undefined even for 0 bytes
    return out;
}

void writeFile(const std::filesystem::path& path, const Bytes& data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

Bytes readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    Bytes out(std::filesystem::file_size(path));
    in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(out.size()));
    return out;
}

std::uint16_t toHalf(float v) {
    // Exact for the normal, representable values the tests use (and zero).
    const auto bits = std::bit_cast<std::uint32_t>(v);
    const std::uint32_t sign = (bits >> 16) & 0x8000u;
    const int exponent = static_cast<int>((bits >> 23) & 0xff) - 127 + 15;
    if ((bits & 0x7fffffffu) == 0) return static_cast<std::uint16_t>(sign);
    if (exponent <= 0 || exponent >= 31) throw std::runtime_error("toHalf: value out of the exact range");
    return static_cast<std::uint16_t>(sign | (static_cast<std::uint32_t>(exponent) << 10) | ((bits >> 13) & 0x3ffu));
}

float fromHalf(std::uint16_t h) {
    const std::uint32_t sign = (h & 0x8000u) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1f;
    const std::uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0 && mantissa == 0) return std::bit_cast<float>(sign);
    if (exponent == 0 || exponent == 31) throw std::runtime_error("fromHalf: subnormal or special value");
    return std::bit_cast<float>(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
}

std::uint16_t toBFloat16(float v) { return static_cast<std::uint16_t>(std::bit_cast<std::uint32_t>(v) >> 16); }

float fromBFloat16(std::uint16_t b) { return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16); }

Bytes encode(const std::vector<float>& values, DType dtype) {
    Bytes out;
    auto add = [&](const void* p, std::size_t n) {
        const auto* b = static_cast<const std::byte*>(p);
        out.insert(out.end(), b, b + n);
    };
    for (float v : values) {
        if (dtype == DType::F32) {
            add(&v, 4);
        } else if (dtype == DType::F16) {
            const auto h = toHalf(v);
            add(&h, 2);
        } else if (dtype == DType::BF16) {
            const auto b = toBFloat16(v);
            add(&b, 2);
        } else if (dtype == DType::F64) {
            const double d = v;
            add(&d, 8);
        } else if (dtype == DType::I64) {
            const auto i = static_cast<std::int64_t>(v);
            add(&i, 8);
        } else {
            throw std::runtime_error("encode: unsupported dtype");
        }
    }
    return out;
}

std::vector<float> decode(const Bytes& bytes, DType dtype) {
    std::vector<float> out;
    const std::size_t size = model::formats::elementSize(dtype);
    for (std::size_t at = 0; at + size <= bytes.size(); at += size) {
        const std::byte* p = bytes.data() + at;
        if (dtype == DType::F32) {
            float v;
            std::memcpy(&v, p, 4);
            out.push_back(v);
        } else if (dtype == DType::F16 || dtype == DType::BF16) {
            std::uint16_t h;
            std::memcpy(&h, p, 2);
            out.push_back(dtype == DType::F16 ? fromHalf(h) : fromBFloat16(h));
        } else if (dtype == DType::F64) {
            double d;
            std::memcpy(&d, p, 8);
            out.push_back(static_cast<float>(d));
        } else if (dtype == DType::I64) {
            std::int64_t i;
            std::memcpy(&i, p, 8);
            out.push_back(static_cast<float>(i));
        } else {
            throw std::runtime_error("decode: unsupported dtype");
        }
    }
    return out;
}

std::vector<float> exactValues(std::size_t count, std::uint32_t seed) {
    std::vector<float> out(count);
    std::uint32_t state = seed * 2654435761u + 1;
    for (auto& v : out) {
        state = state * 1664525u + 1013904223u;
        v = static_cast<float>(static_cast<int>((state >> 16) % 128) - 64) / 8.0f;
    }
    return out;
}

} // namespace stemdeck::test::ckpt
