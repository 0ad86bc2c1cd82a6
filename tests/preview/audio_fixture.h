// Shared by the preview tests: writes short stems to a folder through core/audio's exporter.
#pragma once

#include "audio/export.h"

#include <QDir>
#include <QString>

#include <cmath>

namespace stemdeck::test {

// A stereo sine (or silence when freq = 0) of `seconds` at `rate`, written as 32-bit float WAV.
inline QString writeTone(const QDir& dir, const QString& name, double seconds, double freq, float amp, int rate = 44100) {
    const int64_t frames = int64_t(seconds * rate);
    audio::AudioBuffer b = audio::AudioBuffer::zeros(2, frames, rate);
    for (int c = 0; c < 2; ++c)
        for (int64_t f = 0; f < frames; ++f)
            b.channel(c)[size_t(f)] = freq > 0 ? amp * float(std::sin(2.0 * M_PI * freq * double(f) / rate)) : amp;
    const QString path = dir.filePath(name + QStringLiteral(".wav"));
    audio::ExportOptions o;
    o.format = audio::OutputFormat::Wav32f;
    o.clip = audio::ClipPolicy::None;
    audio::exportAudio(b, path.toStdString(), o);
    return path;
}

} // namespace stemdeck::test
