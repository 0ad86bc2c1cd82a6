// A faked separation for the reliability tests of core/jobs: random duration, random failures,
// honours the cancel flag between steps and holds the per-device gate like the engine, and
// counts how many runs are alive so a test can prove none outlives its queue.
#pragma once

#include "common/error.h"
#include "engine/job_spec.h"

#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <random>

namespace stemdeck::test {

struct StormEngine {
    struct Counters {
        std::atomic<int> alive{0};
        std::atomic<int> onDevice{0};
        std::atomic<int> maxOnDevice{0};
        std::atomic<int> calls{0};
        std::atomic<int> failures{0};
    };
    std::shared_ptr<Counters> counters = std::make_shared<Counters>();
    int maxSteps = 6;
    int failPercent = 10;
    unsigned seed = 1;
    // Optional real work per job (decode and export in the load test).
    std::function<engine::JobResult(const engine::JobSpec&)> work;

    engine::EngineFunction function() const {
        auto c = counters;
        auto rng = std::make_shared<std::mt19937>(seed);
        auto rngMutex = std::make_shared<std::mutex>();
        const int steps = maxSteps, failPct = failPercent;
        auto doWork = work;
        return [=](const engine::JobSpec& spec, const engine::JobCallbacks& cb, const std::atomic<bool>& cancel) {
            ++c->alive;
            ++c->calls;
            struct Alive {
                std::atomic<int>& n;
                ~Alive() { --n; }
            } alive{c->alive};
            int n = 1;
            bool fail = false;
            {
                std::lock_guard lock(*rngMutex);
                n = 1 + int((*rng)() % unsigned(steps));
                fail = int((*rng)() % 100u) < failPct;
            }
            const device::DeviceId dev = device::DeviceId::cpu();
            if (cb.acquireDevice && !cb.acquireDevice(dev)) throw Error(ErrorCode::Cancelled, "cancelled");
            const int now = ++c->onDevice;
            int prev = c->maxOnDevice.load();
            while (now > prev && !c->maxOnDevice.compare_exchange_weak(prev, now)) {}
            struct Release {
                const engine::JobCallbacks& cb;
                device::DeviceId dev;
                std::atomic<int>& on;
                ~Release() {
                    --on;
                    if (cb.releaseDevice) cb.releaseDevice(dev);
                }
            } release{cb, dev, c->onDevice};
            for (int i = 0; i < n; ++i) {
                if (cancel.load()) throw Error(ErrorCode::Cancelled, "cancelled");
                QThread::usleep(200);
                if (cb.progress) cb.progress({double(i + 1) / n, Stage::Model, 0.001 * (n - i - 1)});
            }
            if (fail) {
                ++c->failures;
                throw Error(ErrorCode::BackendFailure, spec.input.filename().string() + ": injected failure");
            }
            if (doWork) return doWork(spec);
            engine::JobResult r;
            r.input = spec.input;
            return r;
        };
    }
};

// Resident set size of this process in bytes (Linux /proc/self/statm), -1 elsewhere.
int64_t residentBytes();

// The peak of the resident set size (VmHWM), reset to the current size by resetPeakResident()
// (Linux: "5" written to /proc/self/clear_refs). A buffer allocated, filled and freed again
// between two residentBytes() calls shows only here. resetPeakResident() returns false, and
// peakResidentBytes() -1, where that is not available.
bool resetPeakResident();
int64_t peakResidentBytes();

} // namespace stemdeck::test
