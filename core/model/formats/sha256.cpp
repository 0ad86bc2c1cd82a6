#include "model/formats/sha256.h"

#include "common/error.h"

#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <memory>
#include <system_error>

namespace stemdeck::model::formats {

std::string sha256File(const std::filesystem::path& path) {
    const std::string source = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw Error(ErrorCode::FileNotFound, source + ": no such file");
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(source.c_str(), "rb"), &std::fclose);
    if (!file) throw Error(ErrorCode::UnreadableFile, source + ": cannot be opened for reading");
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
        throw Error(ErrorCode::Internal, source + ": cannot start a SHA-256 digest (OpenSSL)");
    }
    std::array<unsigned char, 1 << 16> buffer;
    while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file.get())) {
        EVP_DigestUpdate(ctx.get(), buffer.data(), n);
    }
    if (std::ferror(file.get())) throw Error(ErrorCode::UnreadableFile, source + ": read error while hashing");
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx.get(), digest.data(), &length);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

} // namespace stemdeck::model::formats
