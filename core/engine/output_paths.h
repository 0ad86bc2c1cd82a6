// Where a job's stem files go: the naming template expanded below the output folder. One
// definition for engine::runJob (which writes there) and the manifest's completeness check in
// core/jobs (which looks there), so the two cannot disagree. Plain C++ over core/audio; header
// only, part of stemdeck_engine_api.
#pragma once

#include "audio/naming_template.h"
#include "engine/job_spec.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace stemdeck::engine {

// spec.namingTemplate (default {track}/{stem}.{ext}) with {track} = the input's base name,
// {folder} = the name of the folder holding the input, {model} = spec.modelName (else the
// config's folder name), {ext} = ext, below spec.outputDir (the input's folder when empty); one
// path per name, in order. No file is read. Throws InvalidArgument for a bad template or names
// that collide.
inline std::vector<std::filesystem::path> outputPaths(const JobSpec& spec, const std::vector<std::string>& names,
                                                      std::string_view ext) {
    const audio::NamingTemplate naming = audio::NamingTemplate::parse(
        spec.namingTemplate.empty() ? std::string(audio::NamingTemplate::kDefault) : spec.namingTemplate);
    const std::filesystem::path outDir = spec.outputDir.empty() ? spec.input.parent_path() : spec.outputDir;
    audio::NamingContext context;
    context.track = spec.input.stem().string();
    // Of the absolute path: "01.wav" given from inside album1 is in the folder "album1" too.
    std::error_code ec;
    const std::filesystem::path absolute = std::filesystem::absolute(spec.input, ec);
    context.folder = (ec ? spec.input : absolute).parent_path().filename().string();
    context.ext = std::string(ext);
    context.model = spec.modelName.empty() ? spec.configPath.parent_path().filename().string() : spec.modelName;
    std::vector<std::filesystem::path> out;
    for (const std::filesystem::path& rel : audio::expandAll(naming, context, names)) out.push_back(outDir / rel);
    return out;
}

} // namespace stemdeck::engine
