#include "device/transfer.h"

#include "common/error.h"
#include "device/batch_planner.h"

#include <ATen/ATen.h>

#if defined(STEMDECK_HAVE_CUDA)
#include <c10/cuda/CUDAStream.h>
#endif

#include <string>

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
    if (m_pending) {
        // The previous non-blocking copy may still read the buffer.
        c10::cuda::getCurrentCUDAStream(m_target.index()).synchronize();
        m_pending = false;
    }
    const int64_t need = src.numel();
    if (!m_pinned.defined() || m_pinned.numel() < need) {
        m_pinned = at::empty({need}, at::TensorOptions().dtype(at::kFloat).pinned_memory(true));
        ++m_allocations;
    } else {
        ++m_reuses;
    }
    at::Tensor staged = m_pinned.narrow(0, 0, need).view(src.sizes());
    staged.copy_(src);
    at::Tensor out = staged.to(m_target, /*non_blocking=*/true);
    m_pending = true;
    return out;
#else
    return src.to(m_target);
#endif
}

} // namespace stemdeck::device
