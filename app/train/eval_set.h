// The independent evaluation set (resources/evaluation/eval-sounds.tsv): drum one-shots from
// Debian packages other than Hydrogen's (Sonic Pi's and LMMS's sample folders), which training
// never reads, so the bundled model can be judged on sounds from outside its data sources (issue
// #6: "expect the model to be judged on drum sounds from sources outside these kits").
//
// Format: # comments, a header row, 5 tab-separated columns
//   kit  instrument  class  role  files
// where files is a comma-separated list of paths relative to the sounds folder (/usr/share),
// softest first: each becomes a velocity layer of an even share of the range. Every kit must
// hold all five classes, so a loop drawn from it plays every stem.
#pragma once

#include "sample_bank.h"
#include "stem_class.h"

#include <filesystem>
#include <string>
#include <vector>

namespace stemdeck::train {

struct EvalSoundRow {
    int line = 0;
    std::string kit;
    std::string instrument;
    StemClass stem = StemClass::Kick;
    std::string role;
    std::vector<std::filesystem::path> files; // relative to the sounds folder, softest first
};

struct EvalSet {
    std::vector<EvalSoundRow> rows;
    std::vector<std::string> kits() const; // in first-seen order
};

// Throws stemdeck::Error(InvalidConfig) naming the source and line for a malformed row, an
// unknown class, an absolute or empty file path or a duplicate instrument; EmptyInput when no
// row is left; InvalidConfig when a kit lacks one of the five classes.
EvalSet parseEvalSet(const std::string& text, const std::string& sourceName);
EvalSet loadEvalSet(const std::filesystem::path& tsv);

// The folder the set's paths are relative to: $STEMDECK_EVAL_SOUNDS_DIR, else /usr/share.
std::filesystem::path defaultEvalSoundsDir();

// Every instrument of the set, processed as the training kits are (BankOptions), every kit
// marked as a validation kit, so `stemdeck-train validate` scores on it unchanged. A missing
// file throws FileNotFound naming the line and the Debian package to install.
SampleBank buildEvalBank(const EvalSet& set, const std::filesystem::path& soundsDir, const BankOptions& options = {});

} // namespace stemdeck::train
