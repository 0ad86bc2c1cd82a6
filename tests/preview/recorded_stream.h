// A recorded engine event stream (the shape core/engine and core/device emit for one job: the
// settings line, the planner's batch size and budget, stages, batches, memory samples, an
// out-of-memory halving, a fallback and a warning), for the profiling model, panel and bench.
#pragma once

#include "common/profile_event.h"

#include <vector>

namespace stemdeck::test {

inline std::vector<ProfileEvent> recordedStream(int batches = 24) {
    std::vector<ProfileEvent> out;
    double t = 0.0;
    auto add = [&](ProfileEvent e) { out.push_back(std::move(e)); };
    auto stage = [&](Stage s, double seconds, const char* device = "cpu") {
        ProfileEvent b;
        b.kind = ProfileEvent::Kind::StageBegin;
        b.stage = s;
        b.time = t;
        b.device = device;
        add(b);
        t += seconds;
        ProfileEvent e = b;
        e.kind = ProfileEvent::Kind::StageEnd;
        e.time = t;
        e.duration = seconds;
        add(e);
    };
    auto memory = [&](int64_t rss, int64_t dev, int64_t budget) {
        ProfileEvent m;
        m.kind = ProfileEvent::Kind::MemorySample;
        m.time = t;
        m.device = "cuda:0";
        m.processRss = rss;
        m.deviceAllocated = dev;
        m.budget = budget;
        add(m);
    };
    const int64_t MB = 1 << 20;
    ProfileEvent info;
    info.kind = ProfileEvent::Kind::Info;
    info.device = "cuda:0";
    info.message = "chunk 130560 samples (2.960544 s), overlap 4, batch 4, precision fp32";
    add(info);
    ProfileEvent plan;
    plan.kind = ProfileEvent::Kind::BatchSizeChange;
    plan.value = 4;
    plan.budget = 3000 * MB;
    plan.device = "cuda:0";
    plan.message = "batch 4 fits the 2.93 GiB budget (free memory x 0.8)";
    add(plan);
    stage(Stage::Load, 0.40);
    stage(Stage::Decode, 0.12);
    stage(Stage::Resample, 0.05);
    memory(600 * MB, 0, 3000 * MB);
    stage(Stage::Warmup, 0.80, "cuda:0");
    for (int i = 0; i < batches; ++i) {
        const int chunks = i < batches / 2 ? 4 : 2;
        stage(Stage::Transfer, 0.01, "cuda:0");
        stage(Stage::Stft, 0.02, "cuda:0");
        stage(Stage::Model, 0.30 / 4 * chunks, "cuda:0");
        ProfileEvent b;
        b.kind = ProfileEvent::Kind::Batch;
        b.time = t;
        b.duration = 0.30 / 4 * chunks;
        b.value = chunks;
        b.device = "cuda:0";
        add(b);
        stage(Stage::Istft, 0.02, "cuda:0");
        stage(Stage::OverlapAdd, 0.01);
        memory((700 + 5 * i) * MB, (i < batches / 2 ? 2600 + 20 * i : 1500) * MB, 3000 * MB);
        if (i == batches / 2 - 1) {
            ProfileEvent h;
            h.kind = ProfileEvent::Kind::BatchSizeChange;
            h.time = t;
            h.value = 2;
            h.device = "cuda:0";
            h.message = "CUDA out of memory at batch 4: cache released, batch halved to 2";
            add(h);
            ProfileEvent w;
            w.kind = ProfileEvent::Kind::Warning;
            w.time = t;
            w.device = "cuda:0";
            w.message = "TypedStorage is deprecated";
            add(w);
        }
    }
    ProfileEvent f;
    f.kind = ProfileEvent::Kind::Fallback;
    f.time = t;
    f.device = "cpu";
    f.message = "iSTFT on the CPU: the operator is missing on this device";
    add(f);
    stage(Stage::Encode, 0.25);
    stage(Stage::Write, 0.05);
    return out;
}

} // namespace stemdeck::test
