// TFC-TDF v3, the MDX23C separation network, as LibTorch modules. Every registered parameter
// and buffer has the name of the reference PyTorch state-dict key (first_conv.weight,
// encoder_blocks.0.tfc_tdf.blocks.0.tfc1.2.weight, bottleneck_block..., decoder_blocks...,
// final_conv.0.weight, BatchNorm running statistics), so published checkpoints load by name.
// The forward pass includes the STFT front end and the iSTFT back end: audio in, stems out.
#pragma once

#include "dsp/stft.h"
#include "model/model_config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/any.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace stemdeck::model {

// Run-time switches of one network, shared by its modules.
struct NetRuntime {
    // InstanceNorm2d + GELU pairs as one CUDA kernel where the input is a contiguous CUDA tensor
    // (core/model/cuda; only in builds with CUDA kernels).
    bool fusedNormActivation = false;
    // Activations in channels-last memory order (NHWC: batch, time, frequency, channel) through
    // the encoder and decoder, so cuDNN needs no layout conversion around each convolution; the
    // TDF Linear layers then act on the middle (frequency) axis as batched matrix products.
    bool channelsLast = false;
    // The TDF residual accumulated by its second matrix product (in place, beta = 1) instead of
    // a separate elementwise add over the block's activations.
    bool tdfResidualInProduct = false;
    // Soft masks after the network (inference.soft_mask_power): each stem's spectrum becomes the
    // mix's, weighted by |S_i|^p / sum_j |S_j|^p of the network's estimates (1/S where they are
    // all silent), so a chunk's stems add up to the chunk. 0: off, the network's spectra as they are.
    double softMaskPower = 0.0;
    // A multichannel Wiener filter after the soft masks (inference.multichannel_wiener; stereo
    // models): multichannelWiener() below, on the stems' STFT after an iSTFT round trip.
    bool multichannelWiener = false;
    // Passes of that filter (inference.wiener_iterations): each pass after the first takes the
    // previous pass's stems, as waveforms, as its estimates (norbert's iterations, without the
    // posterior covariance term). 1: one pass.
    int wienerIterations = 1;
    // The STFT size of each of those passes (inference.wiener_n_fft), hop a quarter of it: pass
    // i at entry min(i, size - 1). A pass at the network's own n_fft works on its spectra (its
    // dim_f bins, as without this list); one at another size on that STFT of the stems and of
    // the mix, all its bins. Empty: every pass at the network's n_fft. Set through
    // TfcTdfNetImpl::setWienerFftSizes, which builds the transforms.
    std::vector<int64_t> wienerFftSizes;
    // Test-time augmentation (what the MSST inference calls --use_tta): the network also hears
    // the chunk with its channels swapped (stereo models) and with its polarity inverted; each
    // pass's spectra, transformed back, are averaged before the soft masks and the Wiener
    // filter. The network's time 3x (2x for mono models); the STFT and post-filters run once.
    bool testTimeAugmentation = false;
};

// The single-pass multichannel Wiener filter of stereo stem estimates (the local Gaussian model
// of Duong, Vincent & Gribonval 2010, in the form of norbert's `wiener` with one iteration, as
// open-unmix uses it): for each stem j, v_j(f,t) is its power (mean over the two channels) and
// R_j(f) its 2x2 spatial covariance over the chunk, sum_t y_j y_j^H / sum_t v_j; each stem becomes
// v_j R_j C^-1 x with C = sum_k v_k R_k (scaled to trace 1 per bin, plus a ridge of 1e-4) and x
// the mix. Where the estimates share a bin between stems panned differently, the stems' spatial
// images tell them apart. The outputs add up to the mix up to the ridge. Under autograd (training
// through it) its floors are raised so that no gradient overflows near silence. estimates [B, S, 4, F, T] and mix
// [B, 4, F, T]: the channels' real and imaginary parts as the network's spectra hold them
// (c0 re, c0 im, c1 re, c1 im). Float32 whatever the inputs' dtype.
torch::Tensor multichannelWiener(const torch::Tensor& estimates, const torch::Tensor& mix);

// Whether this build has the fused InstanceNorm+GELU CUDA kernel: "built", or why not.
std::string fusedNormActivationSupport();

// One residual TFC-TDF unit: tfc1 (norm, act, 3x3 conv), tdf (norm, act, Linear f -> f/bn,
// norm, act, Linear f/bn -> f, added back), tfc2 (norm, act, 3x3 conv), plus a 1x1 shortcut.
class TfcTdfUnitImpl : public torch::nn::Module {
public:
    TfcTdfUnitImpl(const ModelConfig& config, int64_t inChannels, int64_t channels, int64_t bins,
                   std::shared_ptr<const NetRuntime> runtime = nullptr);
    torch::Tensor forward(torch::Tensor x);

private:
    // x + tdf(x), in the layout and with the residual handling the runtime asks for.
    torch::Tensor tdfResidual(torch::Tensor x, bool fuse);

    std::shared_ptr<const NetRuntime> m_runtime;
    torch::nn::Sequential m_tfc1{nullptr};
    torch::nn::Sequential m_tdf{nullptr};
    torch::nn::Sequential m_tfc2{nullptr};
    torch::nn::Conv2d m_shortcut{nullptr};
};
TORCH_MODULE(TfcTdfUnit);

// `num_blocks_per_scale` units in a row (registered as blocks.0, blocks.1, ...).
class TfcTdfImpl : public torch::nn::Module {
public:
    TfcTdfImpl(const ModelConfig& config, int64_t inChannels, int64_t channels, int64_t bins,
               std::shared_ptr<const NetRuntime> runtime = nullptr);
    torch::Tensor forward(torch::Tensor x);

private:
    torch::nn::ModuleList m_blocks{nullptr};
    std::vector<TfcTdfUnit> m_units;
};
TORCH_MODULE(TfcTdf);

// Downscale (norm, act, strided Conv2d) or Upscale (norm, act, ConvTranspose2d), as `conv`.
class ScaleImpl : public torch::nn::Module {
public:
    enum class Direction { Down, Up };
    ScaleImpl(const ModelConfig& config, Direction direction, int64_t inChannels, int64_t outChannels,
              std::shared_ptr<const NetRuntime> runtime = nullptr);
    torch::Tensor forward(torch::Tensor x);

private:
    std::shared_ptr<const NetRuntime> m_runtime;
    torch::nn::Sequential m_conv{nullptr};
};
TORCH_MODULE(Scale);

class TfcTdfNetImpl : public torch::nn::Module {
public:
    // Builds the network the config describes (call validateModelConfig first for configs made
    // in code; parsed configs are already validated). Parameters are randomly initialised.
    explicit TfcTdfNetImpl(const ModelConfig& config);

    // mix: [B, num_channels, T] with T a multiple of hop_length whose frame count T/hop+1 is
    // divisible by scale[0]^num_scales (chunkSize() always is). Returns [B, S, C, T] with
    // S = stems().size() (1 for a single-target model). The STFT/iSTFT run in float32; the
    // network itself in the dtype of its parameters.
    torch::Tensor forward(torch::Tensor mix);

    const ModelConfig& config() const { return m_config; }
    const dsp::Stft& stft() const { return *m_stft; }

    // Fused InstanceNorm+GELU on CUDA inputs (issue #9 lever; bench/NOTES.md "GPU"). Returns
    // whether it is now in use: false when turned off, when the build has no CUDA kernels, or
    // when the config's norm/activation is not InstanceNorm + GELU.
    bool setFusedNormActivation(bool on);
    // Channels-last activations end to end (NetRuntime::channelsLast): also stores the 4-D
    // (convolution) weights channels-last, or back in the default layout when turned off. Any
    // device; the result equals the default layout's to float rounding (tst_net_layouts).
    void setChannelsLast(bool on);
    bool channelsLast() const { return m_runtime->channelsLast; }
    // NetRuntime::tdfResidualInProduct; any layout and device.
    void setTdfResidualInProduct(bool on) { m_runtime->tdfResidualInProduct = on; }
    bool tdfResidualInProduct() const { return m_runtime->tdfResidualInProduct; }
    // NetRuntime::softMaskPower (0: off; otherwise in (0, kMaxSoftMaskPower], checked by the
    // config parser and the engine).
    void setSoftMaskPower(double p) { m_runtime->softMaskPower = p; }
    double softMaskPower() const { return m_runtime->softMaskPower; }
    // NetRuntime::multichannelWiener (stereo models only: ignored for others, which the config
    // parser refuses to turn it on for).
    void setMultichannelWiener(bool on) { m_runtime->multichannelWiener = on; }
    bool multichannelWienerOn() const { return m_runtime->multichannelWiener; }
    // NetRuntime::wienerIterations (1 to kMaxWienerIterations, checked by the config parser).
    void setWienerIterations(int n) { m_runtime->wienerIterations = n; }
    int wienerIterations() const { return m_runtime->wienerIterations; }
    // NetRuntime::wienerFftSizes (each checked by the config parser: a power of two from
    // kMinWienerFft to kMaxWienerFft); builds the transforms the sizes other than audio.n_fft
    // need, so forward() builds nothing. Not while a forward() runs on another thread.
    void setWienerFftSizes(const std::vector<int64_t>& sizes);
    const std::vector<int64_t>& wienerFftSizes() const { return m_runtime->wienerFftSizes; }
    // NetRuntime::testTimeAugmentation; any model and device.
    void setTestTimeAugmentation(bool on) { m_runtime->testTimeAugmentation = on; }
    bool testTimeAugmentation() const { return m_runtime->testTimeAugmentation; }
    // Network passes per chunk: 1, or with test-time augmentation 3 (stereo) or 2 (mono).
    int networkPasses() const { return m_runtime->testTimeAugmentation ? (m_config.audio.num_channels == 2 ? 3 : 2) : 1; }
    int64_t stemCount() const { return m_stems; }

private:
    torch::Tensor toSubbands(const torch::Tensor& x) const;   // cac2cws
    torch::Tensor fromSubbands(const torch::Tensor& x) const; // cws2cac
    // The network between the spectra: [B, C*2, F, T] mix spectrum in its dtype -> [B, S, C*2,
    // F, T] estimates, before any post-filter.
    torch::Tensor estimate(const torch::Tensor& spectrum);
    // [B, S, C*2, F, T] estimates + [B, C*2, F, T] mix spectrum (float32) -> soft-masked mix.
    torch::Tensor softMasked(const torch::Tensor& estimates, const torch::Tensor& mix) const;

    ModelConfig m_config;
    int64_t m_stems;
    int64_t m_timeStride; // scale[0]^num_scales
    std::unique_ptr<dsp::Stft> m_stft;
    std::map<int64_t, std::unique_ptr<dsp::Stft>> m_wienerStfts; // by n_fft (setWienerFftSizes)
    std::shared_ptr<NetRuntime> m_runtime;

    torch::nn::Conv2d m_firstConv{nullptr};
    torch::nn::ModuleList m_encoderBlocks{nullptr};
    torch::nn::ModuleList m_decoderBlocks{nullptr};
    TfcTdf m_bottleneck{nullptr};
    torch::nn::Sequential m_finalConv{nullptr};

    struct Encoder {
        TfcTdf tfcTdf{nullptr};
        Scale downscale{nullptr};
    };
    struct Decoder {
        Scale upscale{nullptr};
        TfcTdf tfcTdf{nullptr};
    };
    std::vector<Encoder> m_encoders;
    std::vector<Decoder> m_decoders;
};
TORCH_MODULE(TfcTdfNet);

} // namespace stemdeck::model
