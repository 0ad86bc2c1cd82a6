// Fixtures shared by the Qt Test suites: test data lookup, generated signals, temp folders.
#pragma once

#include <QString>
#include <QTemporaryDir>

#include <cstdint>
#include <filesystem>
#include <vector>

namespace stemdeck::test {

// The shared parity vectors (shared/testdata), from STEMDECK_TESTDATA_DIR set by ctest.
// Empty path when the folder is missing: tests then QSKIP with a message saying so.
std::filesystem::path testDataDir();
std::filesystem::path mdx23cVectorsDir();

// The repository root (STEMDECK_SOURCE_DIR set by ctest).
std::filesystem::path sourceDir();

// Deterministic pseudo-random samples in [-amplitude, amplitude] (planar, channels x frames).
std::vector<float> noise(int channels, int64_t frames, float amplitude, uint32_t seed);

// A sum of sines per channel, for resampling and codec checks.
std::vector<float> tones(int channels, int64_t frames, int sampleRate, float amplitude);

std::filesystem::path toPath(const QString& path);

} // namespace stemdeck::test
