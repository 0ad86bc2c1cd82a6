#include "device/cuda_graph.h"

#include "common/log.h"

#include <ATen/ATen.h>
#include <ATen/autocast_mode.h>

#if defined(STEMDECK_HAVE_CUDA)
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_runtime_api.h>
#endif

namespace stemdeck::device {

struct CapturedForward::Impl {
    at::Tensor input;
    at::Tensor output;
#if defined(STEMDECK_HAVE_CUDA)
    std::unique_ptr<at::cuda::CUDAGraph> graph;
#endif
};

CapturedForward::CapturedForward() : m_impl(std::make_unique<Impl>()) {}
CapturedForward::~CapturedForward() = default;

bool CapturedForward::supported() {
#if defined(STEMDECK_HAVE_CUDA)
    return true;
#else
    return false;
#endif
}

bool CapturedForward::captured() const {
#if defined(STEMDECK_HAVE_CUDA)
    return m_impl->graph != nullptr;
#else
    return false;
#endif
}

bool CapturedForward::matches(const at::Tensor& input) const {
    return captured() && input.sizes() == m_impl->input.sizes() && input.scalar_type() == m_impl->input.scalar_type() &&
           input.device() == m_impl->input.device();
}

void CapturedForward::reset() {
#if defined(STEMDECK_HAVE_CUDA)
    m_impl->graph.reset();
#endif
    m_impl->output = at::Tensor();
    m_impl->input = at::Tensor();
}

bool CapturedForward::capture(const Function& fn, const at::Tensor& example, std::string* error) {
    reset();
#if defined(STEMDECK_HAVE_CUDA)
    if (!example.is_cuda()) {
        if (error) *error = "CUDA graphs need a CUDA input";
        return false;
    }
    try {
        const c10::cuda::CUDAGuard device(example.device());
        m_impl->input = example.clone();
        // Capture must run on a side stream; warm-up there too so that lazily created state
        // (cuDNN algorithm choice, cuFFT plans, cuBLAS workspaces) exists before capture.
        c10::cuda::CUDAStream side = c10::cuda::getStreamFromPool(false, example.device().index());
        side.synchronize();
        c10::cuda::getCurrentCUDAStream(example.device().index()).synchronize();
        {
            const c10::cuda::CUDAStreamGuard guard(side);
            for (int i = 0; i < 2; ++i) (void)fn(m_impl->input);
            side.synchronize();
            // As torch.cuda.graph does: cast weights inside the graph, not from a cache that
            // would be cleared after capture.
            const bool cache = at::autocast::is_autocast_cache_enabled();
            at::autocast::set_autocast_cache_enabled(false);
            auto graph = std::make_unique<at::cuda::CUDAGraph>();
            try {
                graph->capture_begin();
                m_impl->output = fn(m_impl->input);
                graph->capture_end();
            } catch (...) {
                at::autocast::set_autocast_cache_enabled(cache);
                // A failed capture leaves the stream capturing: end it so eager work can go on.
                cudaStreamCaptureStatus status = cudaStreamCaptureStatusNone;
                if (cudaStreamIsCapturing(side.stream(), &status) == cudaSuccess && status != cudaStreamCaptureStatusNone) {
                    cudaGraph_t broken = nullptr;
                    (void)cudaStreamEndCapture(side.stream(), &broken);
                    if (broken) (void)cudaGraphDestroy(broken);
                }
                (void)cudaGetLastError();
                graph.release(); // its destructor would touch the broken capture again
                throw;
            }
            at::autocast::set_autocast_cache_enabled(cache);
            m_impl->graph = std::move(graph);
        }
        side.synchronize();
        SD_LOG(log::device, Info) << "captured a CUDA graph for input " << example.sizes();
        return true;
    } catch (const std::exception& e) {
        if (error) *error = e.what();
        reset();
        return false;
    }
#else
    (void)fn;
    (void)example;
    if (error) *error = "this LibTorch has no CUDA";
    return false;
#endif
}

at::Tensor CapturedForward::run(const at::Tensor& input) {
#if defined(STEMDECK_HAVE_CUDA)
    m_impl->input.copy_(input, /*non_blocking=*/true);
    m_impl->graph->replay();
    return m_impl->output;
#else
    (void)input;
    return at::Tensor();
#endif
}

} // namespace stemdeck::device
