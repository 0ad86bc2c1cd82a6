#include "device/batch_runner.h"

#include "common/error.h"
#include "common/log.h"
#include "device/backend.h"
#include "device/batch_planner.h"
#include "device/error_translator.h"
#include "device/torch_device.h"
#include "device/transfer.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <sstream>

namespace stemdeck::device {

namespace {

std::string shapeText(const at::Tensor& t) {
    std::ostringstream s;
    s << t.sizes();
    return s.str();
}

enum class Outcome { Done, OutOfMemory, Failure };

} // namespace

BatchRunner::BatchRunner(BatchRunnerOptions options, ProfileSink sink)
    : m_options(std::move(options)), m_sink(std::move(sink)), m_batch(std::max(1, m_options.initialBatch)),
      m_device(m_options.device) {}

double BatchRunner::now() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_options.jobStart).count();
}

void BatchRunner::emit(ProfileEvent event) {
    if (m_sink) m_sink(event);
}

void BatchRunner::change(ProfileEvent::Kind kind, int64_t value, const std::string& message) {
    m_changes.push_back(message);
    SD_LOG(log::device, Warning) << message;
    ProfileEvent e;
    e.kind = kind;
    e.time = now();
    e.device = m_device.toString();
    e.value = value;
    e.message = message;
    emit(std::move(e));
}

void BatchRunner::run(int64_t chunkCount, const MakeInput& makeInput, const Forward& forward,
                      const Consume& consume, const std::atomic<bool>* cancel) {
    if (chunkCount < 0) throw Error(ErrorCode::InvalidArgument, "negative chunk count " + std::to_string(chunkCount));
    int64_t next = 0;
    bool retried = false;       // the current batch already had its one retry on the device
    bool cpuForThisBatch = false;

    while (next < chunkCount) {
        if (cancel && cancel->load()) throw Error(ErrorCode::Cancelled, "Separation cancelled");
        const int64_t n = std::min<int64_t>(m_batch, chunkCount - next);
        const DeviceId target = cpuForThisBatch ? DeviceId::cpu() : m_device;

        at::Tensor input = makeInput(next, n);
        if (!input.defined() || input.dim() < 1 || input.size(0) != n)
            throw Error(ErrorCode::InvalidArgument,
                        "batch input for chunks " + std::to_string(next) + ".." + std::to_string(next + n - 1) +
                            " has shape " + (input.defined() ? shapeText(input) : std::string("(undefined)")) +
                            ", expected " + std::to_string(n) + " chunks first");
        input = prepareForTransfer(input);
        if (target.kind == DeviceKind::Mps) {
            // A too-large tensor aborts inside Metal: halve before launching, never after.
            const int64_t bytes = input.numel() * 4;
            if (!BatchPlanner::fitsMpsLimits(bytes, input.numel())) {
                if (n > 1) {
                    const int newBatch = static_cast<int>(std::max<int64_t>(1, n / 2));
                    change(ProfileEvent::Kind::BatchSizeChange, newBatch,
                           "batch " + std::to_string(m_batch) + " -> " + std::to_string(newBatch) +
                               ": input would exceed the MPS tensor limit");
                    m_batch = newBatch;
                    continue;
                }
                checkMpsTensorLimits(input); // throws with the explanation
            }
        }

        at::Tensor output;
        std::string raw;
        TranslatedError translated;
        Outcome outcome = Outcome::Done;
        const auto started = std::chrono::steady_clock::now();
        try {
            output = forward(input, toTorchDevice(target));
            if (!output.defined()) throw Error(ErrorCode::InvalidArgument, "the model returned no output");
            output = m_options.keepOutputOnDevice ? output.to(at::kFloat)
                                                  : output.to(at::kCPU).to(at::kFloat).contiguous();
        } catch (const Error&) {
            throw; // ours: cancellation, bad shapes
        } catch (const std::exception& e) {
            raw = e.what();
            translated = ErrorTranslator::translate(e);
            outcome = translated.isOutOfMemory ? Outcome::OutOfMemory : Outcome::Failure;
        }

        if (outcome == Outcome::OutOfMemory) {
            releaseCachedMemory(target.kind);
            if (n > 1) {
                const int newBatch = static_cast<int>(std::max<int64_t>(1, n / 2));
                change(ProfileEvent::Kind::BatchSizeChange, newBatch,
                       "batch " + std::to_string(m_batch) + " -> " + std::to_string(newBatch) + " on " +
                           target.toString() + ": " + translated.title);
                m_batch = newBatch;
                continue;
            }
            if (target.kind != DeviceKind::Cpu && m_options.allowCpuFallback) {
                change(ProfileEvent::Kind::Fallback, next,
                       "out of memory on " + target.toString() + " at batch 1: continuing on the CPU");
                if (m_options.failures) m_options.failures->recordFailure(m_options.modelKey, target, translated.id);
                m_device = DeviceId::cpu();
                cpuForThisBatch = false;
                retried = false;
                continue;
            }
            throw Error(ErrorCode::OutOfMemory, translated.title + ". " + translated.explanation, raw);
        }

        if (outcome == Outcome::Failure) {
            if (target.kind == DeviceKind::Cpu)
                throw Error(ErrorCode::BackendFailure, translated.title + ". " + translated.explanation, raw);
            if (!retried) {
                retried = true;
                change(ProfileEvent::Kind::Fallback, next,
                       "kernel failure on " + target.toString() + " (" + translated.id + "), retrying chunks " +
                           std::to_string(next) + ".." + std::to_string(next + n - 1) + " once");
                continue;
            }
            if (!m_options.allowCpuFallback)
                throw Error(ErrorCode::BackendFailure, translated.title + ". " + translated.explanation, raw);
            if (m_options.failures) m_options.failures->recordFailure(m_options.modelKey, target, translated.id);
            if (m_hadKernelFailure) {
                // A second failing batch: the device is not reliable for this model, stay on the CPU.
                change(ProfileEvent::Kind::Fallback, next,
                       "kernel failure again on " + target.toString() + ": the rest of the job runs on the CPU");
                m_device = DeviceId::cpu();
            } else {
                change(ProfileEvent::Kind::Fallback, next,
                       "kernel failure on " + target.toString() + " after a retry (" + translated.id +
                           "): running chunks " + std::to_string(next) + ".." + std::to_string(next + n - 1) +
                           " on the CPU");
                cpuForThisBatch = true;
            }
            m_hadKernelFailure = true;
            retried = false;
            continue;
        }

        if (output.dim() < 1 || output.size(0) != n)
            throw Error(ErrorCode::InvalidArgument, "the model returned shape " + shapeText(output) + " for " +
                                                        std::to_string(n) + " chunks");
        if (!m_options.keepOutputOnDevice && !at::isfinite(output).all().item<bool>()) {
            const auto t = ErrorTranslator::numericalFailure(
                target, "chunks " + std::to_string(next) + ".." + std::to_string(next + n - 1));
            SD_LOG(log::device, Error) << t.details;
            if (m_options.failures && target.kind != DeviceKind::Cpu)
                m_options.failures->recordFailure(m_options.modelKey, target, t.id);
            throw Error(ErrorCode::NumericalFailure, t.title + ". " + t.explanation, t.details);
        }

        ProfileEvent batchEvent;
        batchEvent.kind = ProfileEvent::Kind::Batch;
        batchEvent.stage = Stage::Model;
        batchEvent.device = target.toString();
        batchEvent.value = n;
        batchEvent.duration = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        batchEvent.time = now();
        emit(std::move(batchEvent));

        consume(next, output);
        if (cpuForThisBatch) ++m_cpuBatches;
        next += n;
        retried = false;
        cpuForThisBatch = false;
    }
}

} // namespace stemdeck::device
