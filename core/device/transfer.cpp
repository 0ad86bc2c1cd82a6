#include "device/transfer.h"

#include "common/error.h"
#include "device/batch_planner.h"

#include <ATen/ATen.h>

#if defined(STEMDECK_HAVE_CUDA)
#include <ATen/cuda/CUDAEvent.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <torch/cuda.h>
#endif

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace stemdeck::device {

at::Tensor prepareForTransfer(const at::Tensor& tensor) {
    at::Tensor t = tensor;
    if (t.scalar_type() != at::kFloat) t = t.to(at::kFloat);
    if (!t.is_contiguous()) t = t.contiguous();
    return t;
}

void checkMpsTensorLimits(const at::Tensor& tensor) {
    const int64_t elements = tensor.numel();
    const int64_t bytes = elements * static_cast<int64_t>(tensor.element_size());
    if (!BatchPlanner::fitsMpsLimits(bytes, elements)) {
        throw Error(ErrorCode::InvalidArgument,
                    "A tensor of " + std::to_string(bytes) + " bytes (" + std::to_string(elements) +
                        " elements) is above the Mac GPU's limit (2^32 bytes / 2^31 elements); use a smaller batch",
                    "total bytes of NDArray > 2**32 / product of dimension sizes > 2**31 (prevented)");
    }
}

struct PinnedStaging::Events {
#if defined(STEMDECK_HAVE_CUDA)
    at::cuda::CUDAEvent done[2];
#endif
    bool recorded[2] = {false, false};
};

PinnedStaging::PinnedStaging(c10::Device target) : m_target(target) {}

bool PinnedStaging::usesPinnedMemory() const {
#if defined(STEMDECK_HAVE_CUDA)
    return m_target.is_cuda();
#else
    return false;
#endif
}

at::Tensor PinnedStaging::upload(const at::Tensor& host) {
    at::Tensor src = prepareForTransfer(host);
    if (m_target.is_cpu()) return src; // no copy at all
    if (m_target.is_mps()) {
        // Unified memory: a staging copy would only add a pass over the data.
        checkMpsTensorLimits(src);
        return src.to(m_target);
    }
#if defined(STEMDECK_HAVE_CUDA)
    if (!m_events) m_events = std::make_shared<Events>();
    const int slot = m_next;
    m_next = 1 - m_next;
    // The previous non-blocking copy out of this buffer may still be reading it.
    if (m_events->recorded[slot]) m_events->done[slot].synchronize();
    const int64_t need = src.numel();
    at::Tensor& buffer = m_buffers[slot];
    if (!buffer.defined() || buffer.numel() < need) {
        buffer = at::empty({need}, at::TensorOptions().dtype(at::kFloat).pinned_memory(true));
        ++m_allocations;
    } else {
        ++m_reuses;
    }
    m_pinned = buffer;
    at::Tensor staged = buffer.narrow(0, 0, need).view(src.sizes());
    staged.copy_(src);
    at::Tensor out = staged.to(m_target, /*non_blocking=*/true);
    m_events->done[slot].record(c10::cuda::getCurrentCUDAStream(m_target.index()));
    m_events->recorded[slot] = true;
    return out;
#else
    return src.to(m_target);
#endif
}

at::Tensor pinnedHostTensor(at::IntArrayRef sizes) {
#if defined(STEMDECK_HAVE_CUDA)
    if (torch::cuda::is_available()) return at::empty(sizes, at::TensorOptions().dtype(at::kFloat).pinned_memory(true));
#endif
    return at::empty(sizes, at::kFloat);
}

struct AsyncDownload::Impl {
    c10::Device source{c10::kCPU};
#if defined(STEMDECK_HAVE_CUDA)
    std::optional<c10::cuda::CUDAStream> side;
    // then(): host work after an event on the side stream, in order, on one helper thread.
    struct Task {
        std::shared_ptr<at::cuda::CUDAEvent> landed;
        std::function<void()> work;
    };
    std::mutex mutex;
    std::condition_variable wake, idle;
    std::deque<Task> tasks;
    bool busy = false;
    bool stop = false;
    std::exception_ptr error;
    std::thread worker;

    void loop() {
        std::unique_lock<std::mutex> lock(mutex);
        for (;;) {
            wake.wait(lock, [this] { return stop || !tasks.empty(); });
            if (tasks.empty()) return; // stop, nothing left
            Task task = std::move(tasks.front());
            tasks.pop_front();
            busy = true;
            lock.unlock();
            try {
                task.landed->synchronize();
                if (!error) task.work();
            } catch (...) {
                std::lock_guard<std::mutex> guard(mutex);
                if (!error) error = std::current_exception();
            }
            lock.lock();
            busy = false;
            if (tasks.empty()) idle.notify_all();
        }
    }
#endif
};

AsyncDownload::AsyncDownload(c10::Device source) : m_impl(std::make_unique<Impl>()) {
    m_impl->source = source;
#if defined(STEMDECK_HAVE_CUDA)
    if (source.is_cuda()) m_impl->side = c10::cuda::getStreamFromPool(false, source.index());
#endif
}

AsyncDownload::~AsyncDownload() {
    try {
        wait();
    } catch (...) {
    }
#if defined(STEMDECK_HAVE_CUDA)
    if (m_impl->worker.joinable()) {
        {
            std::lock_guard<std::mutex> lock(m_impl->mutex);
            m_impl->stop = true;
        }
        m_impl->wake.notify_all();
        m_impl->worker.join();
    }
#endif
}

void AsyncDownload::copy(at::Tensor dst, const at::Tensor& src) {
#if defined(STEMDECK_HAVE_CUDA)
    if (m_impl->side && src.is_cuda()) {
        const c10::cuda::CUDAGuard guard(src.device());
        at::cuda::CUDAEvent ready;
        ready.record(c10::cuda::getCurrentCUDAStream(src.device().index()));
        ready.block(*m_impl->side);
        {
            const c10::cuda::CUDAStreamGuard onSide(*m_impl->side);
            dst.copy_(src, /*non_blocking=*/dst.is_pinned());
        }
        // src was made on the compute stream: keep its memory from being reused before the
        // side stream has read it.
        c10::cuda::CUDACachingAllocator::recordStream(src.storage().data_ptr(), *m_impl->side);
        return;
    }
#endif
    dst.copy_(src);
}

void AsyncDownload::then(std::function<void()> hostWork) {
#if defined(STEMDECK_HAVE_CUDA)
    if (m_impl->side) {
        auto landed = std::make_shared<at::cuda::CUDAEvent>();
        landed->record(*m_impl->side);
        {
            std::lock_guard<std::mutex> lock(m_impl->mutex);
            m_impl->tasks.push_back({std::move(landed), std::move(hostWork)});
            if (!m_impl->worker.joinable()) m_impl->worker = std::thread([impl = m_impl.get()] { impl->loop(); });
        }
        m_impl->wake.notify_one();
        return;
    }
#endif
    hostWork();
}

void AsyncDownload::wait() {
#if defined(STEMDECK_HAVE_CUDA)
    if (m_impl->side) m_impl->side->synchronize();
    std::exception_ptr error;
    {
        std::unique_lock<std::mutex> lock(m_impl->mutex);
        m_impl->idle.wait(lock, [this] { return m_impl->tasks.empty() && !m_impl->busy; });
        std::swap(error, m_impl->error);
    }
    if (error) std::rethrow_exception(error);
#endif
}

} // namespace stemdeck::device
