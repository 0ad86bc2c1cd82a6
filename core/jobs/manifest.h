// Manifests and shards for `stemdeck-cli separate --manifest FILE --shard I/N`: a catalogue is a
// text file of input paths, and each of N processes (a Slurm array task, a Kubernetes indexed
// Job pod) takes the entries whose hash falls on its index. The share depends only on an entry's
// text and N, never on the order of the lines, the machine, the mount point or earlier runs, so
// shards running at the same time never own the same track and a rerun owns what it owned
// before. docs/scale-out.md describes the format for users.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stemdeck::jobs {

struct ManifestEntry {
    // The path as written, lexically normalised ("./a//b.wav" -> "a/b.wav"): what the shard hash
    // reads, so it is the same wherever the catalogue is mounted.
    std::string key;
    // Where the file is: relative entries are resolved against the manifest's folder.
    std::filesystem::path path;
    int line = 0; // 1-based line of the manifest it came from
};

struct Manifest {
    std::filesystem::path file;         // absolute
    std::vector<ManifestEntry> entries; // in file order, each key once
    // Lines dropped as repeats of an earlier entry (same key), as "line 7 repeats line 2 (a.wav)".
    std::vector<std::string> duplicates;
};

// One path per line, UTF-8 (a leading byte-order mark is ignored); surrounding spaces, tabs and a
// trailing CR are trimmed; blank lines and lines whose first non-blank character is '#' are
// skipped ('#' elsewhere is part of the name). Throws stemdeck::Error naming the file (and line):
// FileNotFound, UnreadableFile, InvalidArgument (a NUL byte, a line longer than 4096 bytes, no
// entries at all). Entries are not checked for existence here: a missing file is one failed track,
// not a broken manifest.
Manifest readManifest(const std::filesystem::path& file);
// The same from text already read; `folder` resolves relative entries, `name` is used in errors.
Manifest parseManifest(std::string_view text, const std::filesystem::path& folder, const std::string& name);

struct Shard {
    int index = 0; // 0-based, as SLURM_ARRAY_TASK_ID (with --array=0-(N-1)) and JOB_COMPLETION_INDEX
    int count = 1;
};

// "I/N" with 0 <= I < N <= 100000; nullopt otherwise.
std::optional<Shard> parseShard(std::string_view text);

// The shard that owns an entry: the first 8 bytes of SHA-256(key), read as a big-endian unsigned
// number, modulo count. Anyone can reproduce it: `printf %s KEY | sha256sum`.
int shardOf(std::string_view key, int count);

// The entries `shard` owns, in manifest order.
std::vector<ManifestEntry> entriesOf(const Manifest& manifest, const Shard& shard);

} // namespace stemdeck::jobs
