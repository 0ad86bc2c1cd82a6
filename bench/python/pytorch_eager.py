#!/usr/bin/python3
"""Plain PyTorch (eager) baseline of StemDeck's separation, for speed comparisons.

The same computation as StemDeck, written independently from the public MDX23C (TFC-TDF v3)
description: MSST YAML config, STFT front end, the network, iSTFT back end, and the chunked
overlap-add of docs/ARCHITECTURE.md ("Overlap-add semantics": first/last decided per chunk,
num_overlap 1 without fades). Weights come from the same files StemDeck reads (.safetensors via
the small reader below, .ckpt/.pth via torch.load with weights_only).

Commands:
  separate  separate one WAV into DIR/<stem>.wav (float32) and print the timing as JSON
  parity    run the shared reference vectors (forward and demix) and print max abs errors
  compare   max abs difference between two folders of stems (e.g. this script vs stemdeck-cli)

Use Debian's interpreter (/usr/bin/python3 with python3-torch, python3-yaml, python3-numpy).
"""

import argparse
import json
import os
import pickle
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import yaml


# ---- config ------------------------------------------------------------------------------


class _ConfigLoader(yaml.SafeLoader):
    """SafeLoader that also reads the tags MSST configs carry (!!python/tuple) and ignores others."""


def _construct_tuple(loader, node):
    return list(loader.construct_sequence(node))


def _construct_unknown(loader, tag_suffix, node):
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    return loader.construct_scalar(node)


_ConfigLoader.add_constructor("tag:yaml.org,2002:python/tuple", _construct_tuple)
_ConfigLoader.add_multi_constructor("", _construct_unknown)


class Config:
    def __init__(self, path):
        with open(path, "r", encoding="utf-8") as f:
            raw = yaml.load(f, Loader=_ConfigLoader)
        audio, model = raw["audio"], raw["model"]
        training = raw.get("training", {}) or {}
        inference = raw.get("inference", {}) or {}
        self.n_fft = int(audio["n_fft"])
        self.hop = int(audio["hop_length"])
        self.dim_f = int(audio["dim_f"])
        self.channels = int(audio.get("num_channels", 2))
        self.sample_rate = int(audio.get("sample_rate", 44100))
        self.chunk = int(inference.get("chunk_size") or audio["chunk_size"])
        self.num_overlap = int(inference.get("num_overlap", 4))
        self.batch_size = int(inference.get("batch_size", 1))
        self.norm = str(model["norm"])
        self.act = str(model["act"])
        self.num_subbands = int(model["num_subbands"])
        self.num_scales = int(model["num_scales"])
        self.scale = [int(s) for s in model["scale"]]
        self.blocks = int(model["num_blocks_per_scale"])
        self.num_channels = int(model["num_channels"])
        self.growth = int(model["growth"])
        self.bottleneck = int(model["bottleneck_factor"])
        target = training.get("target_instrument")
        self.stems = [str(target)] if target else [str(s) for s in training["instruments"]]


# ---- network -----------------------------------------------------------------------------


def make_norm(kind, c):
    if kind == "BatchNorm":
        return nn.BatchNorm2d(c)
    if kind == "InstanceNorm":
        return nn.InstanceNorm2d(c, affine=True)
    if "GroupNorm" in kind:
        return nn.GroupNorm(num_groups=int(kind.replace("GroupNorm", "")), num_channels=c)
    return nn.Identity()


def make_act(kind):
    if kind == "gelu":
        return nn.GELU()
    if kind == "relu":
        return nn.ReLU()
    if kind.startswith("elu"):
        return nn.ELU(float(kind[3:] or 1.0))
    raise ValueError(f"unknown activation '{kind}'")


class Stft:
    def __init__(self, n_fft, hop, dim_f):
        self.n_fft, self.hop, self.dim_f = n_fft, hop, dim_f
        self.window = torch.hann_window(n_fft, periodic=True)

    def forward(self, x):  # [B, C, T] -> [B, C*2, dim_f, frames]
        b, c, t = x.shape
        spec = torch.stft(x.reshape(-1, t), n_fft=self.n_fft, hop_length=self.hop, window=self.window,
                          center=True, return_complex=True)
        spec = torch.view_as_real(spec).permute(0, 3, 1, 2)  # [B*C, 2, F, frames]
        return spec.reshape(b, c * 2, -1, spec.shape[-1])[..., : self.dim_f, :]

    def inverse(self, x, length):  # [B, S, C*2, f, frames] -> [B, S, C, length]
        lead = x.shape[:-3]
        c2, f, frames = x.shape[-3:]
        bins = self.n_fft // 2 + 1
        x = torch.cat([x, x.new_zeros(*lead, c2, bins - f, frames)], -2)
        x = x.reshape(-1, 2, bins, frames).permute(0, 2, 3, 1)
        x = torch.complex(x[..., 0].contiguous(), x[..., 1].contiguous())
        wave = torch.istft(x, n_fft=self.n_fft, hop_length=self.hop, window=self.window, center=True,
                           length=length)
        return wave.reshape(*lead, c2 // 2, -1)


class Unit(nn.Module):
    def __init__(self, cfg, in_c, c, f):
        super().__init__()
        norm, act = cfg.norm, cfg.act
        self.tfc1 = nn.Sequential(make_norm(norm, in_c), make_act(act), nn.Conv2d(in_c, c, 3, 1, 1, bias=False))
        self.tdf = nn.Sequential(make_norm(norm, c), make_act(act), nn.Linear(f, f // cfg.bottleneck, bias=False),
                                 make_norm(norm, c), make_act(act), nn.Linear(f // cfg.bottleneck, f, bias=False))
        self.tfc2 = nn.Sequential(make_norm(norm, c), make_act(act), nn.Conv2d(c, c, 3, 1, 1, bias=False))
        self.shortcut = nn.Conv2d(in_c, c, 1, 1, 0, bias=False)

    def forward(self, x):
        s = self.shortcut(x)
        x = self.tfc1(x)
        x = x + self.tdf(x)
        x = self.tfc2(x)
        return x + s


class TfcTdf(nn.Module):
    def __init__(self, cfg, in_c, c, f):
        super().__init__()
        self.blocks = nn.ModuleList()
        for _ in range(cfg.blocks):
            self.blocks.append(Unit(cfg, in_c, c, f))
            in_c = c

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return x


class Scale(nn.Module):
    def __init__(self, cfg, in_c, out_c, up):
        super().__init__()
        conv = nn.ConvTranspose2d if up else nn.Conv2d
        self.conv = nn.Sequential(make_norm(cfg.norm, in_c), make_act(cfg.act),
                                  conv(in_c, out_c, kernel_size=cfg.scale, stride=cfg.scale, bias=False))

    def forward(self, x):
        return self.conv(x)


class Net(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        k = cfg.num_subbands
        dim_c = k * cfg.channels * 2
        c, g, f = cfg.num_channels, cfg.growth, cfg.dim_f // k
        self.first_conv = nn.Conv2d(dim_c, c, 1, 1, 0, bias=False)
        self.encoder_blocks = nn.ModuleList()
        for _ in range(cfg.num_scales):
            block = nn.Module()
            block.tfc_tdf = TfcTdf(cfg, c, c, f)
            block.downscale = Scale(cfg, c, c + g, up=False)
            f //= cfg.scale[1]
            c += g
            self.encoder_blocks.append(block)
        self.bottleneck_block = TfcTdf(cfg, c, c, f)
        self.decoder_blocks = nn.ModuleList()
        for _ in range(cfg.num_scales):
            block = nn.Module()
            block.upscale = Scale(cfg, c, c - g, up=True)
            f *= cfg.scale[1]
            c -= g
            block.tfc_tdf = TfcTdf(cfg, 2 * c, c, f)
            self.decoder_blocks.append(block)
        self.final_conv = nn.Sequential(nn.Conv2d(c + dim_c, c, 1, 1, 0, bias=False), make_act(cfg.act),
                                        nn.Conv2d(c, len(cfg.stems) * dim_c, 1, 1, 0, bias=False))
        self.stft = Stft(cfg.n_fft, cfg.hop, cfg.dim_f)

    def forward(self, mix):  # [B, C, T] -> [B, S, C, T]
        k = self.cfg.num_subbands
        length = mix.shape[-1]
        x = self.stft.forward(mix)
        b, c, f, t = x.shape
        sub = x.reshape(b, c * k, f // k, t)
        first = self.first_conv(sub)
        x = first.transpose(-1, -2)
        skips = []
        for block in self.encoder_blocks:
            x = block.tfc_tdf(x)
            skips.append(x)
            x = block.downscale(x)
        x = self.bottleneck_block(x)
        for block in self.decoder_blocks:
            x = block.upscale(x)
            x = torch.cat([x, skips.pop()], 1)
            x = block.tfc_tdf(x)
        x = x.transpose(-1, -2) * first
        x = self.final_conv(torch.cat([sub, x], 1))
        b, c, f, t = x.shape
        x = x.reshape(b, c // k, f * k, t).reshape(b, len(self.cfg.stems), -1, f * k, t)
        return self.stft.inverse(x, length)


# ---- weights -----------------------------------------------------------------------------

_ST_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64}


def read_safetensors(path):
    """The .safetensors layout: u64 little-endian header size, JSON header, raw tensor bytes."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    body = memoryview(data)[8 + n :]
    state = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in _ST_DTYPES:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {info['dtype']}")
        start, end = info["data_offsets"]
        raw = bytearray(body[start:end])
        t = torch.frombuffer(raw, dtype=_ST_DTYPES[info["dtype"]]) if raw else torch.empty(0)
        state[name] = t.reshape(info["shape"]).clone()
    return state


def read_weights(path, trust_pickle=False):
    if str(path).endswith(".safetensors"):
        state = read_safetensors(path)
    else:
        try:
            state = torch.load(path, map_location="cpu", weights_only=True)
        except pickle.UnpicklingError:
            # 1.13's weights-only unpickler refuses plain floats (Lightning's hyper_parameters).
            # Only files the caller vouches for (the shared vectors) get the full unpickler.
            if not trust_pickle:
                raise
            state = torch.load(path, map_location="cpu")
        if isinstance(state, dict) and "state_dict" in state:
            state = state["state_dict"]
    out = {}
    for key, value in state.items():
        for prefix in ("model.", "module."):
            if key.startswith(prefix):
                key = key[len(prefix) :]
        out[key] = value
    return out


def load_model(config_path, weights_path, trust_pickle=False):
    cfg = Config(config_path)
    net = Net(cfg)
    state = read_weights(weights_path, trust_pickle)
    own = net.state_dict()
    converted = {k: v.to(own[k].dtype) if k in own else v for k, v in state.items()}
    net.load_state_dict(converted, strict=True)
    net.eval()
    return cfg, net


# ---- overlap-add (docs/ARCHITECTURE.md) --------------------------------------------------


def demix(net, cfg, mix, overlap=None, batch=None):
    """mix: float32 [C, N]. Returns [S, C, N]."""
    C = cfg.chunk
    n_overlap = overlap or cfg.num_overlap
    batch = batch or cfg.batch_size
    step = C // n_overlap
    border = C - step
    fade = 0 if n_overlap == 1 else C // 10
    frames = mix.shape[-1]
    pad = border if (frames > 2 * border and border > 0) else 0
    if pad:
        mix = nn.functional.pad(mix[None], (pad, pad), mode="reflect")[0]
    padded = mix.shape[-1]
    starts = list(range(0, padded, step))
    fade_in = torch.linspace(0, 1, fade)
    fade_out = torch.linspace(1, 0, fade)
    stems = len(cfg.stems)
    result = torch.zeros(stems, cfg.channels, padded)
    weight = torch.zeros(padded)
    for b0 in range(0, len(starts), batch):
        parts = []
        for start in starts[b0 : b0 + batch]:
            part = mix[:, start : start + C]
            n = part.shape[-1]
            if n < C:
                mode = "reflect" if n > C // 2 else "constant"
                part = nn.functional.pad(part[None], (0, C - n), mode=mode)[0]
            parts.append(part)
        out = net(torch.stack(parts))
        for j, start in enumerate(starts[b0 : b0 + batch]):
            index = b0 + j
            n = min(C, padded - start)
            w = torch.ones(C)
            if fade:
                if index != len(starts) - 1:
                    w[-fade:] = fade_out
                if index != 0:
                    w[:fade] = fade_in
            result[..., start : start + n] += out[j][..., :n] * w[:n]
            weight[start : start + n] += w[:n]
    out = torch.where(weight > 0, result / torch.where(weight > 0, weight, torch.ones_like(weight)),
                      torch.zeros_like(result))
    return out[..., pad : pad + frames]


# ---- WAV I/O (numpy, no extra packages) --------------------------------------------------


def read_wav(path):
    """Returns (float32 [C, N], rate). PCM 16/24/32-bit and IEEE float 32/64, incl. EXTENSIBLE."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError(f"{path}: not a RIFF/WAVE file")
    pos, fmt, payload = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = data[pos + 8 : pos + 8 + size]
        if cid == b"fmt ":
            tag, ch, rate = struct.unpack("<HHI", body[:8])
            bits = struct.unpack("<H", body[14:16])[0]
            if tag == 0xFFFE:
                tag = struct.unpack("<H", body[24:26])[0]
            fmt = (tag, ch, rate, bits)
        elif cid == b"data":
            payload = body
        pos += 8 + size + (size & 1)
    if fmt is None or payload is None:
        raise ValueError(f"{path}: no fmt or data chunk")
    tag, ch, rate, bits = fmt
    if tag == 3:
        x = np.frombuffer(payload, dtype="<f4" if bits == 32 else "<f8").astype(np.float32)
    elif tag == 1 and bits == 16:
        x = np.frombuffer(payload, dtype="<i2").astype(np.float32) / 32768.0
    elif tag == 1 and bits == 32:
        x = (np.frombuffer(payload, dtype="<i4").astype(np.float64) / 2147483648.0).astype(np.float32)
    elif tag == 1 and bits == 24:
        b = np.frombuffer(payload[: len(payload) // 3 * 3], dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        v = np.where(v >= 1 << 23, v - (1 << 24), v)
        x = (v / 8388608.0).astype(np.float32)
    else:
        raise ValueError(f"{path}: unsupported WAV format tag {tag} with {bits} bits")
    return np.ascontiguousarray(x[: len(x) // ch * ch].reshape(-1, ch).T), rate


def write_wav(path, audio, rate):
    """float32 [C, N] -> IEEE float WAV."""
    audio = np.ascontiguousarray(np.asarray(audio, dtype="<f4").T)
    ch = audio.shape[1]
    payload = audio.tobytes()
    fmt = struct.pack("<HHIIHH", 3, ch, rate, rate * ch * 4, ch * 4, 32)
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(payload)) + b"WAVE")
        f.write(b"fmt " + struct.pack("<I", len(fmt)) + fmt)
        f.write(b"data" + struct.pack("<I", len(payload)) + payload)


# ---- commands ----------------------------------------------------------------------------


def cmd_separate(args):
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    cfg, net = load_model(args.config, args.checkpoint)
    t_load = time.perf_counter() - t0
    mix, rate = read_wav(args.input)
    if rate != cfg.sample_rate or mix.shape[0] != cfg.channels:
        sys.exit(f"{args.input}: need {cfg.channels} channels at {cfg.sample_rate} Hz, got {mix.shape[0]} at {rate}")
    x = torch.from_numpy(mix)
    runs = []
    with torch.inference_mode():
        if args.warmup:
            net(torch.zeros(args.batch or cfg.batch_size, cfg.channels, cfg.chunk))
        for _ in range(max(1, args.repeat)):
            t1 = time.perf_counter()
            out = demix(net, cfg, x, args.overlap, args.batch)
            runs.append(time.perf_counter() - t1)
    if args.output:
        os.makedirs(args.output, exist_ok=True)
        for s, name in enumerate(cfg.stems):
            write_wav(os.path.join(args.output, name + ".wav"), out[s].numpy(), rate)
    seconds = mix.shape[1] / rate
    best = min(runs)
    print(json.dumps({"input_seconds": seconds, "load_seconds": round(t_load, 4),
                      "separate_seconds": [round(r, 3) for r in runs], "best_x_realtime": round(seconds / best, 3),
                      "threads": torch.get_num_threads(), "overlap": args.overlap or cfg.num_overlap,
                      "batch": args.batch or cfg.batch_size, "torch": torch.__version__,
                      "loadavg": os.getloadavg()[0]}))


def max_abs(a, b):
    if a.shape != b.shape:
        return float("inf")
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)))) if a.size else 0.0


def cmd_parity(args):
    torch.set_num_threads(max(1, args.threads))
    worst = 0.0
    sets = sorted(d for d in os.listdir(args.vectors) if os.path.isfile(os.path.join(args.vectors, d, "vectors.json")))
    if not sets:
        sys.exit(f"{args.vectors}: no vector sets (folders with vectors.json)")
    for name in sets:
        d = os.path.join(args.vectors, name)
        mix, _ = read_wav(os.path.join(d, "mix.wav"))
        cfg, net = load_model(os.path.join(d, "config.yaml"), os.path.join(d, "model.ckpt"))
        with torch.inference_mode():
            head = np.zeros((cfg.channels, cfg.chunk), dtype=np.float32)
            n = min(cfg.chunk, mix.shape[1])
            head[:, :n] = mix[:, :n]
            fwd = net(torch.from_numpy(head)[None])[0].numpy()
            dem = demix(net, cfg, torch.from_numpy(mix), batch=1).numpy()
        for s, stem in enumerate(cfg.stems):
            ref_f, _ = read_wav(os.path.join(d, "forward", stem + ".wav"))
            ref_d, _ = read_wav(os.path.join(d, "demix", stem + ".wav"))
            ef, ed = max_abs(fwd[s], ref_f), max_abs(dem[s], ref_d)
            worst = max(worst, ef, ed)
            print(f"{name:24s} {stem:8s} forward max|diff| {ef:.3e}  demix max|diff| {ed:.3e}")
        # The other files of a set hold the same weights: they must load to the same tensors
        # (Lightning wrapper with "model." prefixes, safetensors), so the outputs are the above.
        base = net.state_dict()
        for w in ("model.lightning.ckpt", "model.safetensors"):
            if not os.path.exists(os.path.join(d, w)):
                continue
            _, other = load_model(os.path.join(d, "config.yaml"), os.path.join(d, w), trust_pickle=True)
            e = max(max_abs(v.numpy(), base[k].numpy()) for k, v in other.state_dict().items())
            worst = max(worst, e)
            print(f"{name:24s} {w:22s} weights vs model.ckpt max|diff| {e:.3e}")
    print(f"worst max|diff| {worst:.3e} (tolerance {args.tolerance:.0e})")
    return 0 if worst <= args.tolerance else 1


def cmd_compare(args):
    worst = 0.0
    names = sorted(f for f in os.listdir(args.a) if f.endswith(".wav"))
    if not names:
        sys.exit(f"{args.a}: no .wav files")
    for f in names:
        pb = os.path.join(args.b, f)
        if not os.path.exists(pb):
            sys.exit(f"{pb}: missing (stem {f} is in {args.a})")
        a, ra = read_wav(os.path.join(args.a, f))
        b, rb = read_wav(pb)
        e = max_abs(a, b) if ra == rb else float("inf")
        peak = float(np.max(np.abs(a))) if a.size else 0.0
        worst = max(worst, e)
        print(f"{f:16s} max|diff| {e:.3e}  (peak {peak:.3f}, {a.shape[1]} frames)")
    print(f"worst max|diff| {worst:.3e} (tolerance {args.tolerance:.0e})")
    return 0 if worst <= args.tolerance else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("separate", help="separate a WAV, print timing JSON")
    s.add_argument("--config", required=True)
    s.add_argument("--checkpoint", required=True)
    s.add_argument("--input", required=True)
    s.add_argument("--output", help="folder for <stem>.wav (float32); omitted: timing only")
    s.add_argument("--overlap", type=int, default=0, help="default: the config's inference.num_overlap")
    s.add_argument("--batch", type=int, default=0, help="default: the config's inference.batch_size")
    s.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                   help="intra-op threads (default: all cores, as StemDeck sets them)")
    s.add_argument("--repeat", type=int, default=1, help="separate this many times, report each")
    s.add_argument("--warmup", action="store_true", help="one model call on zeros first (untimed)")
    s.set_defaults(fn=cmd_separate)
    q = sub.add_parser("parity", help="compare against the shared reference vectors")
    q.add_argument("vectors", help="folder of vector sets (shared/testdata/mdx23c)")
    q.add_argument("--tolerance", type=float, default=1e-4)
    q.add_argument("--threads", type=int, default=1)
    q.set_defaults(fn=cmd_parity)
    c = sub.add_parser("compare", help="max abs difference between two stem folders")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--tolerance", type=float, default=1e-4)
    c.set_defaults(fn=cmd_compare)
    args = p.parse_args()
    sys.exit(args.fn(args) or 0)


if __name__ == "__main__":
    main()
