// CUDA graphs for the model's fixed batch shape (issue #9 lever; docs/devices.md item 7): the
// forward pass of one batch shape is captured once and replayed, so the ~300 kernel launches of
// a TFC-TDF v3 forward cost one launch. Needs a CUDA LibTorch (STEMDECK_HAVE_CUDA); elsewhere
// supported() is false and capture() refuses with a reason. LibTorch types (at::Tensor) in the
// interface: core/engine and core/device only.
#pragma once

#include <ATen/core/Tensor.h>

#include <functional>
#include <memory>
#include <string>

namespace stemdeck::device {

class CapturedForward {
public:
    using Function = std::function<at::Tensor(const at::Tensor& input)>;

    CapturedForward();
    ~CapturedForward();
    CapturedForward(const CapturedForward&) = delete;
    CapturedForward& operator=(const CapturedForward&) = delete;

    // Whether this build can capture graphs at all (CUDA compiled in).
    static bool supported();

    // Warms `fn` up on a side stream (cuDNN autotuning, cuFFT plans, allocator pools), then
    // captures one call on a CUDA input shaped like `example`. Returns false with *error set
    // when capture is impossible (no CUDA, capture failed); the caller then runs `fn` eagerly.
    bool capture(const Function& fn, const at::Tensor& example, std::string* error);
    bool captured() const;
    // True when `input` has the captured shape, dtype and device.
    bool matches(const at::Tensor& input) const;
    // Copies `input` into the graph's static input, replays, returns the static output: valid
    // until the next run() (copy or consume it before then).
    at::Tensor run(const at::Tensor& input);
    void reset();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace stemdeck::device
