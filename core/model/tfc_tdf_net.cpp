#include "model/tfc_tdf_net.h"

#include "common/error.h"
#include "common/log.h"
#include "model/openmp_policy.h"

#include <ATen/ops/cat.h>
#include <ATen/ops/full.h>
#include <ATen/ops/where.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/functional/instancenorm.h> // the module header uses it without including it (1.13)
#include <torch/nn/modules/instancenorm.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <ATen/ops/bmm.h>
#include <ATen/ops/empty_like.h>
#include <ATen/ops/matmul.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#if defined(STEMDECK_HAVE_CUDA_KERNELS)
#include "model/cuda/norm_act.h"

#include <ATen/ops/empty.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace stemdeck::model {

namespace {

// The fused kernel's result for norm followed by GELU on x, or an undefined tensor where it does
// not apply (then the modules run one by one). A contiguous x takes the plane-wise kernel, a
// channels-last one the NHWC kernel; the output keeps x's layout.
torch::Tensor fusedNormGelu(const torch::Tensor& x, const torch::nn::InstanceNorm2dImpl& norm) {
#if defined(STEMDECK_HAVE_CUDA_KERNELS)
    if (!x.is_cuda() || x.dim() != 4 || x.numel() == 0 || !norm.options.affine() || norm.options.track_running_stats())
        return {};
    const bool planes = x.is_contiguous();
    if (!planes && !x.is_contiguous(at::MemoryFormat::ChannelsLast)) return {};
    cuda::ElementType type;
    switch (x.scalar_type()) {
    case torch::kFloat: type = cuda::ElementType::Float32; break;
    case torch::kHalf: type = cuda::ElementType::Float16; break;
    case torch::kBFloat16: type = cuda::ElementType::BFloat16; break;
    default: return {};
    }
    const c10::cuda::CUDAGuard guard(x.device());
    const torch::Tensor weight = norm.weight.to(torch::kFloat).contiguous();
    const torch::Tensor bias = norm.bias.to(torch::kFloat).contiguous();
    const int64_t batch = x.size(0), channels = x.size(1), hw = x.size(2) * x.size(3);
    torch::Tensor y = at::empty_like(x); // x's layout
    void* stream = c10::cuda::getCurrentCUDAStream(x.device().index()).stream();
    const float eps = static_cast<float>(norm.options.eps());
    int rc = 0;
    if (planes) {
        torch::Tensor partial = at::empty({cuda::partialFloats(batch * channels, hw)}, x.options().dtype(torch::kFloat));
        rc = cuda::instanceNormGelu(x.data_ptr(), y.data_ptr(), weight.data_ptr<float>(), bias.data_ptr<float>(),
                                    batch * channels, channels, hw, eps, type, partial.data_ptr<float>(), stream);
    } else {
        torch::Tensor scratch =
            at::empty({cuda::nhwcScratchFloats(batch, channels, hw, type)}, x.options().dtype(torch::kFloat));
        rc = cuda::instanceNormGeluNhwc(x.data_ptr(), y.data_ptr(), weight.data_ptr<float>(), bias.data_ptr<float>(),
                                        batch, channels, hw, eps, type, scratch.data_ptr<float>(), stream);
    }
    if (rc != 0) throw std::runtime_error("fused InstanceNorm+GELU kernel: CUDA error " + std::to_string(rc));
    return y;
#else
    (void)x;
    (void)norm;
    return {};
#endif
}

// Linear(F, F', bias=false) of x [B, C, T, F] along F for a channels-last x (memory B, T, F, C):
// each (b, t) slice is an [F, C] matrix, so the whole layer is one batched product W x X_bt with
// the weight broadcast (batch stride 0); no transpose, and the result [B, C, T, F'] is
// channels-last again. Any other layout is copied into that one first (correct, not fast).
torch::Tensor frequencyProduct(const torch::Tensor& x, const torch::Tensor& weight) {
    const int64_t b = x.size(0), c = x.size(1), t = x.size(2), f = x.size(3), fo = weight.size(0);
    const torch::Tensor x3 = x.permute({0, 2, 3, 1}).reshape({b * t, f, c});
    const torch::Tensor w = weight.to(x.scalar_type()).expand({b * t, fo, f});
    return at::bmm(w, x3).view({b, t, fo, c}).permute({0, 3, 1, 2});
}

// x + Linear(h) along F (weight [F, F']), the sum formed by the product itself (beta = 1): in
// place on x, a fresh activation that only the TDF residual uses, when x is dense in the layout
// in use and autograd does not need it; else an ordinary product and add.
torch::Tensor addFrequencyProduct(torch::Tensor x, const torch::Tensor& h, const torch::Tensor& weight,
                                  bool channelsLast) {
    const torch::Tensor w = weight.to(x.scalar_type());
    const torch::Tensor hh = h.to(x.scalar_type());
    const bool inPlace =
        !(torch::GradMode::is_enabled() && (x.requires_grad() || hh.requires_grad() || w.requires_grad()));
    const int64_t b = x.size(0), c = x.size(1), t = x.size(2), f = x.size(3), fh = hh.size(3);
    if (inPlace && channelsLast && x.is_contiguous(at::MemoryFormat::ChannelsLast)) {
        torch::Tensor x3 = x.permute({0, 2, 3, 1}).view({b * t, f, c});
        x3.baddbmm_(w.expand({b * t, f, fh}), hh.permute({0, 2, 3, 1}).reshape({b * t, fh, c}));
        return x;
    }
    if (inPlace && !channelsLast && x.is_contiguous()) {
        x.view({-1, f}).addmm_(hh.reshape({-1, fh}), w.t());
        return x;
    }
    return x + (channelsLast ? frequencyProduct(hh, w) : at::matmul(hh, w.t()));
}

// seq's modules [begin, end) in order; with `fuse`, each (InstanceNorm2d, GELU) pair runs as the
// fused kernel. With `channelsLast`, a module that returns another layout (the unfused
// InstanceNorm returns a contiguous tensor) has its output made channels-last again: besides
// keeping the layout, this keeps LibTorch 1.13's CPU GELU backward away from a contiguous input
// with a channels-last gradient, a mix it computes wrongly (tst_net_layouts gradientsAgree).
torch::Tensor runSequence(torch::nn::Sequential& seq, torch::Tensor x, bool fuse, bool channelsLast,
                          size_t begin = 0, size_t end = static_cast<size_t>(-1)) {
    const size_t n = std::min(end, seq->size());
    if (begin == 0 && n == seq->size() && !channelsLast && (!fuse || !x.is_cuda())) return seq->forward(x);
    for (size_t i = begin; i < n; ++i) {
        if (fuse && x.is_cuda() && i + 1 < n) {
            const auto norm = std::dynamic_pointer_cast<torch::nn::InstanceNorm2dImpl>(seq->ptr(i));
            if (norm && std::dynamic_pointer_cast<torch::nn::GELUImpl>(seq->ptr(i + 1))) {
                torch::Tensor y = fusedNormGelu(x, *norm);
                if (y.defined()) {
                    x = y;
                    ++i;
                    continue;
                }
            }
        }
        x = (seq->begin() + static_cast<std::ptrdiff_t>(i))->forward(x);
        if (channelsLast && x.dim() == 4 && !x.is_contiguous(at::MemoryFormat::ChannelsLast))
            x = x.contiguous(at::MemoryFormat::ChannelsLast);
    }
    return x;
}

// nn.InstanceNorm2d(c, affine=True) / nn.BatchNorm2d(c) / nn.GroupNorm(N, c) / nn.Identity(),
// all with PyTorch's default eps (1e-5), as the reference builds them.
torch::nn::AnyModule makeNorm(const ModelConfig& config, int64_t channels) {
    switch (config.normKind()) {
    case Norm::Instance:
        return torch::nn::AnyModule(torch::nn::InstanceNorm2d(
            torch::nn::InstanceNorm2dOptions(channels).affine(true).track_running_stats(false).eps(1e-5)));
    case Norm::Batch:
        return torch::nn::AnyModule(torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(channels).eps(1e-5)));
    case Norm::Group:
        return torch::nn::AnyModule(
            torch::nn::GroupNorm(torch::nn::GroupNormOptions(config.groupNormGroups(), channels).eps(1e-5)));
    case Norm::Identity:
        break;
    }
    return torch::nn::AnyModule(torch::nn::Identity());
}

torch::nn::AnyModule makeAct(const ModelConfig& config) {
    switch (config.activation()) {
    case Activation::Gelu:
        return torch::nn::AnyModule(torch::nn::GELU(torch::nn::GELUOptions().approximate("none")));
    case Activation::Relu:
        return torch::nn::AnyModule(torch::nn::ReLU());
    case Activation::Elu:
        break;
    }
    return torch::nn::AnyModule(torch::nn::ELU(torch::nn::ELUOptions().alpha(config.eluAlpha())));
}

torch::nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t padding) {
    return torch::nn::Conv2d(
        torch::nn::Conv2dOptions(in, out, kernel).stride(1).padding(padding).bias(false));
}

} // namespace

TfcTdfUnitImpl::TfcTdfUnitImpl(const ModelConfig& config, int64_t inChannels, int64_t channels, int64_t bins,
                               std::shared_ptr<const NetRuntime> runtime)
    : m_runtime(std::move(runtime)) {
    const int64_t hidden = bins / config.model.bottleneck_factor;

    m_tfc1 = torch::nn::Sequential();
    m_tfc1->push_back(makeNorm(config, inChannels));
    m_tfc1->push_back(makeAct(config));
    m_tfc1->push_back(conv(inChannels, channels, 3, 1));

    m_tdf = torch::nn::Sequential();
    m_tdf->push_back(makeNorm(config, channels));
    m_tdf->push_back(makeAct(config));
    m_tdf->push_back(torch::nn::Linear(torch::nn::LinearOptions(bins, hidden).bias(false)));
    m_tdf->push_back(makeNorm(config, channels));
    m_tdf->push_back(makeAct(config));
    m_tdf->push_back(torch::nn::Linear(torch::nn::LinearOptions(hidden, bins).bias(false)));

    m_tfc2 = torch::nn::Sequential();
    m_tfc2->push_back(makeNorm(config, channels));
    m_tfc2->push_back(makeAct(config));
    m_tfc2->push_back(conv(channels, channels, 3, 1));

    m_shortcut = conv(inChannels, channels, 1, 0);

    // Registration order is the reference's attribute order (state-dict key order).
    register_module("tfc1", m_tfc1);
    register_module("tdf", m_tdf);
    register_module("tfc2", m_tfc2);
    register_module("shortcut", m_shortcut);
}

torch::Tensor TfcTdfUnitImpl::forward(torch::Tensor x) {
    const bool fuse = m_runtime && m_runtime->fusedNormActivation;
    const bool channelsLast = m_runtime && m_runtime->channelsLast;
    const torch::Tensor skip = m_shortcut->forward(x);
    x = runSequence(m_tfc1, x, fuse, channelsLast);
    x = tdfResidual(x, fuse);
    x = runSequence(m_tfc2, x, fuse, channelsLast);
    return x + skip;
}

torch::Tensor TfcTdfUnitImpl::tdfResidual(torch::Tensor x, bool fuse) {
    const bool channelsLast = m_runtime && m_runtime->channelsLast;
    const bool fold = m_runtime && m_runtime->tdfResidualInProduct;
    if (!channelsLast && !fold) return x + runSequence(m_tdf, x, fuse, false);
    // m_tdf: norm, act, Linear(f -> f/bn), norm, act, Linear(f/bn -> f).
    const auto first = std::dynamic_pointer_cast<torch::nn::LinearImpl>(m_tdf->ptr(2));
    const auto second = std::dynamic_pointer_cast<torch::nn::LinearImpl>(m_tdf->ptr(5));
    torch::Tensor h = runSequence(m_tdf, x, fuse, channelsLast, 0, 2);
    h = channelsLast ? frequencyProduct(h, first->weight) : first->forward(h);
    h = runSequence(m_tdf, h, fuse, channelsLast, 3, 5);
    if (fold) return addFrequencyProduct(x, h, second->weight, channelsLast);
    return x + (channelsLast ? frequencyProduct(h, second->weight) : second->forward(h));
}

TfcTdfImpl::TfcTdfImpl(const ModelConfig& config, int64_t inChannels, int64_t channels, int64_t bins,
                       std::shared_ptr<const NetRuntime> runtime) {
    m_blocks = register_module("blocks", torch::nn::ModuleList());
    for (int64_t i = 0; i < config.model.num_blocks_per_scale; ++i) {
        TfcTdfUnit unit(config, inChannels, channels, bins, runtime);
        m_blocks->push_back(unit);
        m_units.push_back(unit);
        inChannels = channels;
    }
}

torch::Tensor TfcTdfImpl::forward(torch::Tensor x) {
    for (auto& unit : m_units) {
        x = unit->forward(x);
    }
    return x;
}

ScaleImpl::ScaleImpl(const ModelConfig& config, Direction direction, int64_t inChannels, int64_t outChannels,
                     std::shared_ptr<const NetRuntime> runtime)
    : m_runtime(std::move(runtime)) {
    const std::vector<int64_t> scale{config.model.scale[0], config.model.scale[1]};
    m_conv = torch::nn::Sequential();
    m_conv->push_back(makeNorm(config, inChannels));
    m_conv->push_back(makeAct(config));
    if (direction == Direction::Down) {
        m_conv->push_back(torch::nn::Conv2d(
            torch::nn::Conv2dOptions(inChannels, outChannels, scale).stride(scale).bias(false)));
    } else {
        m_conv->push_back(torch::nn::ConvTranspose2d(
            torch::nn::ConvTranspose2dOptions(inChannels, outChannels, scale).stride(scale).bias(false)));
    }
    register_module("conv", m_conv);
}

torch::Tensor ScaleImpl::forward(torch::Tensor x) {
    return runSequence(m_conv, x, m_runtime && m_runtime->fusedNormActivation, m_runtime && m_runtime->channelsLast);
}

std::string fusedNormActivationSupport() {
#if defined(STEMDECK_HAVE_CUDA_KERNELS)
    return "built";
#else
    return "this build has no CUDA kernels (CMake found no CUDA compiler, or LibTorch has no CUDA)";
#endif
}

void TfcTdfNetImpl::setChannelsLast(bool on) {
    m_runtime->channelsLast = on;
    // Convolution weights in the activations' layout, so cuDNN/oneDNN need not convert them per call.
    torch::NoGradGuard noGrad;
    const auto format = on ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
    for (auto& p : parameters()) {
        if (p.dim() == 4) p.set_data(p.data().contiguous(format));
    }
}

bool TfcTdfNetImpl::setFusedNormActivation(bool on) {
#if defined(STEMDECK_HAVE_CUDA_KERNELS)
    const bool applies = m_config.normKind() == Norm::Instance && m_config.activation() == Activation::Gelu;
    m_runtime->fusedNormActivation = on && applies;
#else
    (void)on;
#endif
    return m_runtime->fusedNormActivation;
}

TfcTdfNetImpl::TfcTdfNetImpl(const ModelConfig& config)
    : m_config(config),
      m_stems(static_cast<int64_t>(config.stems().size())),
      m_timeStride(1),
      m_stft(std::make_unique<dsp::Stft>(config.audio.n_fft, config.audio.hop_length, config.audio.dim_f)),
      m_runtime(std::make_shared<NetRuntime>()) {
    // Also what links openmp_policy.o (and its start-up hook) into every program with a network.
    static const bool reported = [] {
        const OpenMpWaitPolicy policy = openMpWaitPolicy();
        SD_LOG(log::model, Debug) << "OpenMP wait policy "
                                  << (policy.value.empty() ? std::string("libgomp default (spin)") : policy.value)
                                  << (policy.setByStemDeck ? " (set by StemDeck)" : "");
        return true;
    }();
    (void)reported;
    const NetConfig& m = config.model;
    const int64_t k = m.num_subbands;
    const int64_t dimC = k * config.audio.num_channels * 2;
    const int64_t g = m.growth;
    int64_t c = m.num_channels;
    int64_t f = config.audio.dim_f / k;
    for (int64_t i = 0; i < m.num_scales; ++i) {
        m_timeStride *= m.scale[0];
    }

    m_firstConv = register_module("first_conv", conv(dimC, c, 1, 0));

    m_encoderBlocks = register_module("encoder_blocks", torch::nn::ModuleList());
    for (int64_t i = 0; i < m.num_scales; ++i) {
        auto block = std::make_shared<torch::nn::Module>();
        Encoder encoder;
        encoder.tfcTdf = block->register_module("tfc_tdf", TfcTdf(config, c, c, f, m_runtime));
        encoder.downscale =
            block->register_module("downscale", Scale(config, ScaleImpl::Direction::Down, c, c + g, m_runtime));
        f /= m.scale[1];
        c += g;
        m_encoderBlocks->push_back(block);
        m_encoders.push_back(encoder);
    }

    m_bottleneck = register_module("bottleneck_block", TfcTdf(config, c, c, f, m_runtime));

    m_decoderBlocks = register_module("decoder_blocks", torch::nn::ModuleList());
    for (int64_t i = 0; i < m.num_scales; ++i) {
        auto block = std::make_shared<torch::nn::Module>();
        Decoder decoder;
        decoder.upscale =
            block->register_module("upscale", Scale(config, ScaleImpl::Direction::Up, c, c - g, m_runtime));
        f *= m.scale[1];
        c -= g;
        decoder.tfcTdf = block->register_module("tfc_tdf", TfcTdf(config, 2 * c, c, f, m_runtime));
        m_decoderBlocks->push_back(block);
        m_decoders.push_back(decoder);
    }

    m_finalConv = torch::nn::Sequential();
    m_finalConv->push_back(conv(c + dimC, c, 1, 0));
    m_finalConv->push_back(makeAct(config));
    m_finalConv->push_back(conv(c, m_stems * dimC, 1, 0));
    register_module("final_conv", m_finalConv);
}

torch::Tensor TfcTdfNetImpl::toSubbands(const torch::Tensor& x) const {
    // [B, C, F, T] -> [B, C, k, F/k, T] -> [B, C*k, F/k, T]
    const int64_t k = m_config.model.num_subbands;
    return x.reshape({x.size(0), x.size(1) * k, x.size(2) / k, x.size(3)});
}

torch::Tensor TfcTdfNetImpl::fromSubbands(const torch::Tensor& x) const {
    // [B, C*k, F/k, T] -> [B, C, k*F/k, T]
    const int64_t k = m_config.model.num_subbands;
    return x.reshape({x.size(0), x.size(1) / k, x.size(2) * k, x.size(3)});
}

torch::Tensor TfcTdfNetImpl::softMasked(const torch::Tensor& estimates, const torch::Tensor& mix) const {
    const int64_t b = estimates.size(0), f = estimates.size(3), t = estimates.size(4);
    // Float32 whatever the network's dtype. Magnitudes are taken relative to the loudest stem of
    // each bin before the power, so |S|^p neither underflows (quiet bins, large p) nor overflows:
    // the weights lie in [0, 1] and the loudest is 1, so their sum is at least 1.
    const torch::Tensor parts = estimates.to(torch::kFloat32).reshape({b, m_stems, -1, 2, f, t});
    const torch::Tensor power = (parts * parts).sum(3, /*keepdim=*/true); // [B, S, C, 1, F, T]
    // Training through the masks (stemdeck-train --train-soft-mask): sqrt has no finite gradient
    // at 0, so a magnitude far below any audible one is added there; inference takes it as it is.
    const bool training = torch::GradMode::is_enabled() && parts.requires_grad();
    const torch::Tensor magnitude = training ? (power + 1e-20f).sqrt() : power.sqrt();
    const torch::Tensor loudest = magnitude.amax(1, /*keepdim=*/true);
    const torch::Tensor silent = loudest == 0;
    const torch::Tensor weight = (magnitude / loudest.masked_fill(silent, 1.0f)).pow(m_runtime->softMaskPower);
    // Where every estimate is silent the mix is shared equally, so nothing of it is lost.
    const torch::Tensor masks = at::where(silent, at::full({}, 1.0 / static_cast<double>(m_stems), weight.options()),
                                          weight / weight.sum(1, /*keepdim=*/true));
    const torch::Tensor masked = masks * mix.reshape({b, 1, -1, 2, f, t}); // [B, S, C, 2, F, T]
    return masked.reshape({b, m_stems, -1, f, t});
}

torch::Tensor multichannelWiener(const torch::Tensor& estimates, const torch::Tensor& mix) {
    if (estimates.dim() != 5 || estimates.size(2) != 4 || mix.dim() != 4 || mix.size(1) != 4)
        throw Error(ErrorCode::InvalidArgument, "the multichannel Wiener filter takes stereo spectra");
    const int64_t b = estimates.size(0), s = estimates.size(1), f = estimates.size(3), t = estimates.size(4);
    const auto y = estimates.to(torch::kFloat32).reshape({b, s, 2, 2, f, t}); // [B, S, channel, re|im, F, T]
    const auto x = mix.to(torch::kFloat32).reshape({b, 1, 2, 2, f, t});
    const auto part = [](const torch::Tensor& z, int64_t channel, int64_t reIm) { return z.select(2, channel).select(2, reIm); };
    const auto yr1 = part(y, 0, 0), yi1 = part(y, 0, 1), yr2 = part(y, 1, 0), yi2 = part(y, 1, 1); // [B, S, F, T]
    const auto p1 = yr1 * yr1 + yi1 * yi1, p2 = yr2 * yr2 + yi2 * yi2;
    const auto v = 0.5 * (p1 + p2);
    // Training through the filter (stemdeck-train --train-wiener): the floors below are raised
    // so that no gradient divides by a square under float32's range (1 / 1e-30^2 is inf, and
    // inf x 0 is NaN); inference keeps its own, bit for bit.
    const bool training = torch::GradMode::is_enabled() && estimates.requires_grad();
    // R_j: r11, r22 real; r12 = sum_t y1 conj(y2), complex; normalised by sum_t v_j.
    const auto norm = v.sum(-1, /*keepdim=*/true) + (training ? 1e-12 : 1e-20);
    const auto r11 = p1.sum(-1, true) / norm, r22 = p2.sum(-1, true) / norm;
    const auto r12r = (yr1 * yr2 + yi1 * yi2).sum(-1, true) / norm;
    const auto r12i = (yi1 * yr2 - yr1 * yi2).sum(-1, true) / norm;
    // C = sum_j v_j R_j (Hermitian), and z = C^-1 x by the 2x2 inverse. C is scaled to trace 1
    // per bin and given a ridge of kRidge there, so det >= kRidge: a panned source makes C
    // nearly singular, and det = c11 c22 - |c12|^2 unscaled would cancel to float32 noise in
    // loud bins. A bin whose estimates are all silent, or so quiet that 1/trace would overflow
    // (a trace under 1e-30: float32 denormals), gives silence.
    constexpr double kRidge = 1e-4;
    const auto a11 = (v * r11).sum(1, true), a22 = (v * r22).sum(1, true);
    const auto trace = training ? a11 + a22 + 1e-10 : a11 + a22;
    const auto audible = trace > 1e-30;
    const auto inv = at::where(audible, 1.0 / trace.clamp_min(1e-30), at::zeros_like(trace));
    const auto c11 = a11 * inv + kRidge, c22 = a22 * inv + kRidge;
    const auto c12r = (v * r12r).sum(1, true) * inv, c12i = (v * r12i).sum(1, true) * inv;
    const auto det = (c11 * c22 - (c12r * c12r + c12i * c12i)) / inv.masked_fill(audible.logical_not(), 1.0);
    const auto xr1 = part(x, 0, 0), xi1 = part(x, 0, 1), xr2 = part(x, 1, 0), xi2 = part(x, 1, 1);
    const auto z1r = (c22 * xr1 - (c12r * xr2 - c12i * xi2)) / det;
    const auto z1i = (c22 * xi1 - (c12r * xi2 + c12i * xr2)) / det;
    const auto z2r = (c11 * xr2 - (c12r * xr1 + c12i * xi1)) / det;
    const auto z2i = (c11 * xi2 - (c12r * xi1 - c12i * xr1)) / det;
    // y_j = v_j R_j z: channel 1 = r11 z1 + r12 z2, channel 2 = conj(r12) z1 + r22 z2.
    const auto c1 = torch::stack({v * (r11 * z1r + r12r * z2r - r12i * z2i), v * (r11 * z1i + r12r * z2i + r12i * z2r)}, 2);
    const auto c2 = torch::stack({v * (r12r * z1r + r12i * z1i + r22 * z2r), v * (r12r * z1i - r12i * z1r + r22 * z2i)}, 2);
    return torch::stack({c1, c2}, 2).reshape({b, s, 4, f, t});
}

torch::Tensor TfcTdfNetImpl::estimate(const torch::Tensor& spectrum) {
    const int64_t batch = spectrum.size(0);
    torch::Tensor x;
    const torch::Tensor subbands = toSubbands(spectrum); // [B, C*2*k, dim_f/k, T]

    // The encoder/decoder work on [B, ch, T, F] so the TDF layers act on frequency.
    const auto encodeDecode = [this](torch::Tensor y) {
        std::vector<torch::Tensor> skips;
        skips.reserve(m_encoders.size());
        for (auto& encoder : m_encoders) {
            y = encoder.tfcTdf->forward(y);
            skips.push_back(y);
            y = encoder.downscale->forward(y);
        }
        y = m_bottleneck->forward(y);
        for (auto& decoder : m_decoders) {
            y = decoder.upscale->forward(y);
            y = at::cat({y, skips.back()}, 1);
            skips.pop_back();
            y = decoder.tfcTdf->forward(y);
        }
        return y;
    };
    if (m_runtime->channelsLast) {
        // Transposed and made channels-last while it has only C*2*k channels, so the first
        // convolution already writes the encoder's layout; the last one's output (S*C*2*k
        // channels) is transposed back. The same products as below, in another memory order.
        const torch::Tensor input = subbands.transpose(-1, -2).contiguous(at::MemoryFormat::ChannelsLast);
        const torch::Tensor first = m_firstConv->forward(input);
        x = encodeDecode(first);
        x = x * first;
        x = m_finalConv->forward(at::cat({input, x}, 1)).transpose(-1, -2);
    } else {
        const torch::Tensor first = m_firstConv->forward(subbands);
        x = encodeDecode(first.transpose(-1, -2)).transpose(-1, -2);
        x = x * first; // the reference's artifact-reducing skip product
        x = m_finalConv->forward(at::cat({subbands, x}, 1));
    }
    x = fromSubbands(x); // [B, S*C*2, dim_f, T]
    return x.reshape({batch, m_stems, -1, x.size(2), x.size(3)});
}

torch::Tensor TfcTdfNetImpl::forward(torch::Tensor mix) {
    const int64_t hop = m_config.audio.hop_length;
    if (mix.dim() != 3 || mix.size(1) != m_config.audio.num_channels) {
        throw Error(ErrorCode::InvalidArgument,
                    "the model expects audio shaped [batch, " + std::to_string(m_config.audio.num_channels) +
                        " channels, samples], got " +
                        (mix.dim() == 3 ? std::to_string(mix.size(1)) + " channels"
                                        : std::to_string(mix.dim()) + " dimensions"));
    }
    const int64_t length = mix.size(2);
    if (length % hop != 0 || (length / hop + 1) % m_timeStride != 0 || length <= m_config.audio.n_fft / 2) {
        throw Error(ErrorCode::InvalidArgument,
                    "the model cannot take " + std::to_string(length) + " samples per chunk: it needs a multiple of " +
                        std::to_string(hop) + " whose frame count (samples / hop + 1) is divisible by " +
                        std::to_string(m_timeStride) + ", such as " + std::to_string(m_config.chunkSize()));
    }
    const torch::ScalarType dtype = m_firstConv->weight.scalar_type();

    const torch::Tensor spectrum = m_stft->forward(mix); // [B, C*2, dim_f, T], float32
    const torch::Tensor input = spectrum.to(dtype);
    torch::Tensor x;
    if (!m_runtime->testTimeAugmentation) {
        x = estimate(input);
    } else {
        // Each augmentation is its own inverse, so the estimates it gives are mapped back by it.
        // Averaged in float32 at least (the post-filters below take float32 anyway).
        const auto wide = [](const torch::Tensor& t) { return t.scalar_type() == torch::kDouble ? t : t.to(torch::kFloat32); };
        x = wide(estimate(input)) - wide(estimate(-input));
        if (m_config.audio.num_channels == 2) {
            // Spectrum channels are (c0 re, c0 im, c1 re, c1 im): the swap exchanges the pairs.
            const auto swap = torch::tensor({2, 3, 0, 1}, torch::TensorOptions().dtype(torch::kLong).device(input.device()));
            x = x + wide(estimate(input.index_select(1, swap)).index_select(2, swap));
        }
        x = x / double(networkPasses());
    }
    if (m_runtime->softMaskPower > 0.0) {
        // The masks weigh the stems as waveforms: through the iSTFT and back, because the
        // network's spectra need not be the STFT of any signal. Measured on 96 validation loops
        // (docs/models/drumsep-compact.md): masks from the network's own spectra gained nothing.
        x = softMasked(m_stft->forward(m_stft->inverse(x, length)), spectrum);
    }
    if (m_runtime->multichannelWiener && m_config.audio.num_channels == 2) {
        // Also from the stems as waveforms: measured on 24 validation loops, 0.05 dB better than
        // from the masked spectra directly (docs/models/drumsep-compact.md, session 11). A pass
        // at another STFT size (NetRuntime::wienerFftSizes) leaves waveforms in `wave`.
        const auto& sizes = m_runtime->wienerFftSizes;
        std::optional<torch::Tensor> wave;
        std::map<int64_t, torch::Tensor> mixSpectra; // the mix on each other size's STFT, once

        for (int pass = 0; pass < std::max(1, m_runtime->wienerIterations); ++pass) {
            const int64_t n = sizes.empty() ? m_config.audio.n_fft : sizes[std::min<size_t>(pass, sizes.size() - 1)];
            const torch::Tensor stems = wave ? *wave : m_stft->inverse(x, length);
            if (n == m_config.audio.n_fft) {
                x = multichannelWiener(m_stft->forward(stems), spectrum);
                wave.reset();
            } else {
                const auto found = m_wienerStfts.find(n);
                if (found == m_wienerStfts.end())
                    throw Error(ErrorCode::Internal, "no STFT of size " + std::to_string(n) + " for the Wiener filter");
                const dsp::Stft& stft = *found->second;
                auto& mixSpectrum = mixSpectra[n];
                if (!mixSpectrum.defined()) mixSpectrum = stft.forward(mix);
                wave = stft.inverse(multichannelWiener(stft.forward(stems), mixSpectrum), length);
            }
        }
        if (wave) return *wave;
    }
    return m_stft->inverse(x, length); // [B, S, C, length], float32 (float64 stays)
}

void TfcTdfNetImpl::setWienerFftSizes(const std::vector<int64_t>& sizes) {
    for (const int64_t n : sizes) {
        if (!isWienerFftSize(n))
            throw Error(ErrorCode::InvalidArgument, "the Wiener filter's STFT size must be a power of two from " +
                                                        std::to_string(kMinWienerFft) + " to " + std::to_string(kMaxWienerFft));
        if (n != m_config.audio.n_fft && !m_wienerStfts.count(n))
            m_wienerStfts.emplace(n, std::make_unique<dsp::Stft>(n, n / 4, n / 2 + 1));
    }
    m_runtime->wienerFftSizes = sizes;
}

} // namespace stemdeck::model
