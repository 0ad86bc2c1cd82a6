#!/usr/bin/python3
"""Experiment: redistribute the mix over the separated stems by soft masks (a Wiener-style
post-filter), and score it against ground truth, before it is built into the engine.

For each seed it renders a loop from the held-out validation kits with its ground-truth stems
(`stemdeck-cli demo --render`), separates it with the bundled model (`stemdeck-cli separate`,
stems summing to the mix as written), then for every STFT size and mask power p computes

    stem_i = iSTFT( |S_i|^p / sum_j |S_j|^p * X )

where S_i is the STFT of separated stem i and X that of the mix. The masks add up to one, so the
stems still add up to the mix. It prints each stem's SDR (the whole-signal SDR of dsp::sdr and
`stemdeck-cli eval`) averaged over the loops, for the written stems ("base") and each setting.

    /usr/bin/python3 bench/python/softmask_postfilter.py --cli build/app/cli/stemdeck-cli \\
        --seeds 11-22 --seconds 12 --work /tmp/softmask

Needs Debian's python3-numpy, python3-scipy and python3-soundfile. Results: the model card,
docs/models/drumsep-compact.md ("What limits it, and what to try next").
"""

import argparse
import os
import subprocess
import sys

import numpy as np
import soundfile as sf
from scipy.signal import istft, stft

STEMS = ["kick", "snare", "toms", "hh", "cymbals"]


def sdr(ref, est):
    return 10 * np.log10((ref ** 2).sum() / (((ref - est) ** 2).sum() + 1e-12) + 1e-12)


def seeds_of(text):
    if "-" in text:
        lo, hi = text.split("-", 1)
        return list(range(int(lo), int(hi) + 1))
    return [int(s) for s in text.split(",")]


def prepare(cli, seed, seconds, work):
    truth, est = os.path.join(work, f"truth{seed}"), os.path.join(work, f"est{seed}")
    if not os.path.isdir(truth):
        subprocess.run([cli, "demo", "--render", truth, "--seed", str(seed), "--seconds", str(seconds)],
                       check=True, stdout=subprocess.DEVNULL)
    if not os.path.isdir(est):
        subprocess.run([cli, "separate", os.path.join(truth, "demo-loop.flac"), "-o", est],
                       check=True, stdout=subprocess.DEVNULL)
    mix = sf.read(os.path.join(truth, "demo-loop.flac"))[0]
    refs = [sf.read(os.path.join(truth, "stems", f"{s}.wav"))[0] for s in STEMS]
    ests = [sf.read(os.path.join(est, "demo-loop", f"{s}.flac"))[0] for s in STEMS]
    n = min(len(mix), *(len(e) for e in ests))
    return mix[:n], [r[:n] for r in refs], [e[:n] for e in ests]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cli", required=True, help="path of stemdeck-cli")
    ap.add_argument("--seeds", default="11-22", help="e.g. 11-22 or 3,5,8")
    ap.add_argument("--seconds", type=float, default=12.0)
    ap.add_argument("--work", default="/tmp/softmask")
    ap.add_argument("--fft", default="2048,4096")
    ap.add_argument("--powers", default="1,2,3")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    ffts = [int(v) for v in a.fft.split(",")]
    powers = [float(v) for v in a.powers.split(",")]
    scores = {}
    for seed in seeds_of(a.seeds):
        mix, refs, ests = prepare(a.cli, seed, a.seconds, a.work)
        n = len(mix)
        scores.setdefault("base", []).append([sdr(r, e) for r, e in zip(refs, ests)])
        for nf in ffts:
            kw = dict(nperseg=nf, noverlap=nf * 3 // 4)
            X = stft(mix.T, **kw)[2]
            mags = [np.abs(stft(e.T, **kw)[2]) for e in ests]
            for p in powers:
                weights = [m ** p for m in mags]
                total = sum(weights) + 1e-12
                row = []
                for w, r in zip(weights, refs):
                    y = istft(w / total * X, **kw)[1].T[:n]
                    row.append(sdr(r, y))
                scores.setdefault(f"n_fft {nf} p {p:g}", []).append(row)
    base = np.array(scores["base"]).mean(1)
    print(f"{len(base)} loops of {a.seconds:g} s; SDR (dB): " + " ".join(STEMS))
    for name, rows in scores.items():
        v = np.array(rows)
        m = v.mean(0)
        better = int((v.mean(1) > base).sum())
        print(f"{name:16s} " + " ".join(f"{x:6.2f}" for x in m) + f" | mean {m.mean():5.2f}  better than base in {better}/{len(v)} loops")
    return 0


if __name__ == "__main__":
    sys.exit(main())
