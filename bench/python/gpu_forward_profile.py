#!/usr/bin/python3
"""Where the GPU time of one TFC-TDF v3 forward goes (issue #9, bench/NOTES.md "GPU").

Runs the eager network of pytorch_eager.py (written independently of StemDeck, with the same
operations as StemDeck's unfused path) on CUDA with random weights and fp16 autocast, cuDNN
benchmark on, then prints: the eager forward's time and TFLOP/s (FLOPs per chunk given on the
command line, e.g. 2302.7 for DrumSep 5-stem: `stemdeck-cli bench` prints them), the kernel time
of one profiled forward by category (convolution, matrix products, norm, GELU, layout changes,
FFT, other element-wise) and the top kernels. Runs on the lent GPU machine (its PyTorch 2.x):
  python3 bench/python/gpu_forward_profile.py --config bench/configs/drumsep5_full.yaml --batch 8 --gflop 2302.7
"""

import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_eager import Config, Net  # noqa: E402

CATEGORIES = [
    ("layout (NCHW<->NHWC)", ("nchwtonhwc", "nhwctonchw", "transpose")),
    ("convolution", ("fprop", "dgrad", "conv", "implicit")),
    ("matrix product", ("gemm", "cutlass", "cublas", "nvjet")),
    ("norm", ("batch_norm", "bn_fw", "bn_", "instance", "welford")),
    ("gelu", ("gelu",)),
    ("fft", ("fft",)),
    ("cat", ("catarray", "cat_")),
]


def category(name):
    n = name.lower()
    for label, keys in CATEGORIES:
        if any(k in n for k in keys):
            return label
    return "other element-wise / copies"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--config", required=True)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--gflop", type=float, default=0.0, help="network GFLOP per chunk (for TFLOP/s)")
    p.add_argument("--dtype", default="fp16", choices=["fp16", "bf16", "fp32"])
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--top", type=int, default=25)
    a = p.parse_args()

    torch.backends.cudnn.benchmark = True
    cfg = Config(a.config)
    torch.manual_seed(0)
    net = Net(cfg).cuda().eval()
    net.stft.window = net.stft.window.cuda()
    x = torch.zeros(a.batch, cfg.channels, cfg.chunk, device="cuda")
    dtype = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": None}[a.dtype]

    def forward():
        with torch.inference_mode(), torch.autocast("cuda", dtype=dtype or torch.float16, enabled=dtype is not None):
            return net(x)

    for _ in range(3):
        forward()
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(a.repeats):
        forward()
    torch.cuda.synchronize()
    per = (time.perf_counter() - t0) / a.repeats
    tflops = a.gflop * a.batch / per / 1e3 if a.gflop else 0.0
    print(f"eager forward, {a.dtype}, batch {a.batch}: {per * 1e3:.1f} ms per call, {tflops:.1f} TFLOP/s "
          f"({torch.cuda.get_device_name()}, torch {torch.__version__})")

    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        forward()
        torch.cuda.synchronize()
    kernels = []
    for e in prof.key_averages():
        t = getattr(e, "self_device_time_total", None)
        if t is None:
            t = getattr(e, "self_cuda_time_total", 0)
        if t > 0:
            kernels.append((e.key, t, e.count))
    total = sum(t for _, t, _ in kernels)
    by = {}
    for name, t, n in kernels:
        c = category(name)
        by.setdefault(c, [0.0, 0])
        by[c][0] += t
        by[c][1] += n
    print(f"kernel time of one forward: {total / 1e3:.1f} ms (profiled; wall above is unprofiled)")
    for c, (t, n) in sorted(by.items(), key=lambda kv: -kv[1][0]):
        print(f"  {c:30s} {t / 1e3:8.2f} ms  {100 * t / total:5.1f} %  {n:5d} launches")
    print("top kernels:")
    for name, t, n in sorted(kernels, key=lambda k: -k[1])[: a.top]:
        print(f"  {t / 1e3:8.2f} ms {100 * t / total:5.1f} % x{n:<4d} [{category(name)}] {name[:150]}")


if __name__ == "__main__":
    main()
