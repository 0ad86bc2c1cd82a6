// What StemDeck can write and how the user names it: output formats (CLI names wav16, flac24,
// mp3, ...), the default that follows the input's bit depth, and the clip policy for stems whose
// peak exceeds 0 dBFS.
#pragma once

#include "audio/decode.h"

#include <optional>
#include <string_view>

namespace stemdeck::audio {

enum class OutputFormat { Wav16, Wav24, Wav32f, Flac16, Flac24, Mp3V0, Mp3Cbr320, Ogg };

// CLI names: wav16 wav24 wav32f flac16 flac24 mp3 (VBR V0) mp3-320 ogg; case-insensitive.
std::optional<OutputFormat> parseOutputFormat(std::string_view name);
const char* formatName(OutputFormat format);        // the CLI name
const char* formatDescription(OutputFormat format); // "WAV 24-bit PCM", "MP3 VBR V0", ...
const char* fileExtension(OutputFormat format);     // without the dot: wav, flac, mp3, ogg
std::string_view allFormatNames();                  // "wav16|wav24|...", for help and error texts

// True where samples beyond +-1.0 cannot be stored (integer PCM, and lossy formats whose players
// decode to integers); only 32-bit float WAV keeps them.
bool formatCanClip(OutputFormat format);
bool isLossy(OutputFormat format);

// Bit depth follows the input: PCM 8/16 -> Wav16, PCM 24/32 and float -> Wav24; a FLAC input keeps
// FLAC (16 -> Flac16, 24 -> Flac24); compressed input (MP3, Vorbis, Opus) -> Wav16, since lossy
// sources carry no more than 16 bits of real resolution and WAV 16 is what every editor reads.
OutputFormat defaultOutputFormat(const SourceInfo& source);

enum class ClipPolicy {
    Refuse, // default: export of a stem that would clip fails with ErrorCode::Clipping and the peak
    Rescale, // scale the whole stem so its peak is 0 dBFS (needs the whole stem: exportAudio only)
    Clamp,   // hard-limit samples to +-1.0
    None,    // write as is: float keeps the values, integer formats saturate (never wrap around)
};

// CLI names refuse|rescale|clamp|none; case-insensitive.
std::optional<ClipPolicy> parseClipPolicy(std::string_view name);
const char* clipPolicyName(ClipPolicy policy);

} // namespace stemdeck::audio
