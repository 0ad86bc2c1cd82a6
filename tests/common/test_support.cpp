#include "common/test_support.h"

#include <QDir>
#include <QtGlobal>

#include <cmath>
#include <random>

namespace stemdeck::test {

std::filesystem::path testDataDir() {
    const QByteArray env = qgetenv("STEMDECK_TESTDATA_DIR");
    if (env.isEmpty()) return {};
    std::filesystem::path dir(env.toStdString());
    std::error_code ec;
    return std::filesystem::is_directory(dir, ec) ? std::filesystem::canonical(dir, ec) : std::filesystem::path{};
}

std::filesystem::path mdx23cVectorsDir() {
    auto dir = testDataDir();
    if (dir.empty()) return {};
    dir /= "mdx23c";
    std::error_code ec;
    return std::filesystem::is_directory(dir, ec) ? dir : std::filesystem::path{};
}

std::filesystem::path sourceDir() {
    const QByteArray env = qgetenv("STEMDECK_SOURCE_DIR");
    return env.isEmpty() ? std::filesystem::current_path() : std::filesystem::path(env.toStdString());
}

std::vector<float> noise(int channels, int64_t frames, float amplitude, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-amplitude, amplitude);
    std::vector<float> out(static_cast<size_t>(channels) * static_cast<size_t>(frames));
    for (float& v : out) v = dist(rng);
    return out;
}

std::vector<float> tones(int channels, int64_t frames, int sampleRate, float amplitude) {
    std::vector<float> out(static_cast<size_t>(channels) * static_cast<size_t>(frames));
    const double freqs[] = {220.0, 1000.0, 3150.0};
    for (int c = 0; c < channels; ++c)
        for (int64_t i = 0; i < frames; ++i) {
            double t = static_cast<double>(i) / sampleRate, v = 0;
            for (double f : freqs) v += std::sin(2 * M_PI * f * t + c * 0.3);
            out[static_cast<size_t>(c * frames + i)] = static_cast<float>(amplitude * v / 3.0);
        }
    return out;
}

std::filesystem::path toPath(const QString& path) {
    return std::filesystem::path(path.toStdU16String());
}

} // namespace stemdeck::test
