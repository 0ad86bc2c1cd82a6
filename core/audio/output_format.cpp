#include "audio/output_format.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace stemdeck::audio {

namespace {

struct FormatDesc {
    OutputFormat format;
    const char* name;
    const char* extension;
    const char* description;
};

constexpr FormatDesc kFormats[] = {
    {OutputFormat::Wav16, "wav16", "wav", "WAV 16-bit PCM"},
    {OutputFormat::Wav24, "wav24", "wav", "WAV 24-bit PCM"},
    {OutputFormat::Wav32f, "wav32f", "wav", "WAV 32-bit float"},
    {OutputFormat::Flac16, "flac16", "flac", "FLAC 16-bit"},
    {OutputFormat::Flac24, "flac24", "flac", "FLAC 24-bit"},
    {OutputFormat::Mp3V0, "mp3", "mp3", "MP3 VBR V0"},
    {OutputFormat::Mp3Cbr320, "mp3-320", "mp3", "MP3 CBR 320 kbps"},
    {OutputFormat::Ogg, "ogg", "ogg", "Ogg Vorbis"},
};

const FormatDesc& desc(OutputFormat f) {
    for (const auto& d : kFormats)
        if (d.format == f)
            return d;
    return kFormats[0];
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

std::optional<OutputFormat> parseOutputFormat(std::string_view name) {
    const std::string n = lower(name);
    for (const auto& d : kFormats)
        if (n == d.name)
            return d.format;
    return std::nullopt;
}

const char* formatName(OutputFormat format) {
    return desc(format).name;
}
const char* formatDescription(OutputFormat format) {
    return desc(format).description;
}
const char* fileExtension(OutputFormat format) {
    return desc(format).extension;
}
std::string_view allFormatNames() {
    return "wav16|wav24|wav32f|flac16|flac24|mp3|mp3-320|ogg";
}

bool formatCanClip(OutputFormat format) {
    return format != OutputFormat::Wav32f;
}

bool isLossy(OutputFormat format) {
    return format == OutputFormat::Mp3V0 || format == OutputFormat::Mp3Cbr320 ||
           format == OutputFormat::Ogg;
}

OutputFormat defaultOutputFormat(const SourceInfo& source) {
    const bool flac = source.format == "FLAC";
    switch (source.kind) {
    case SampleKind::Pcm8:
    case SampleKind::Pcm16:
        return flac ? OutputFormat::Flac16 : OutputFormat::Wav16;
    case SampleKind::Pcm24:
    case SampleKind::Pcm32:
        return flac ? OutputFormat::Flac24 : OutputFormat::Wav24;
    case SampleKind::Float:
        return OutputFormat::Wav24;
    case SampleKind::Compressed:
        return OutputFormat::Wav16;
    }
    return OutputFormat::Wav16;
}

std::optional<ClipPolicy> parseClipPolicy(std::string_view name) {
    const std::string n = lower(name);
    if (n == "refuse")
        return ClipPolicy::Refuse;
    if (n == "rescale")
        return ClipPolicy::Rescale;
    if (n == "clamp")
        return ClipPolicy::Clamp;
    if (n == "none")
        return ClipPolicy::None;
    return std::nullopt;
}

const char* clipPolicyName(ClipPolicy policy) {
    switch (policy) {
    case ClipPolicy::Refuse:
        return "refuse";
    case ClipPolicy::Rescale:
        return "rescale";
    case ClipPolicy::Clamp:
        return "clamp";
    case ClipPolicy::None:
        return "none";
    }
    return "refuse";
}

} // namespace stemdeck::audio
