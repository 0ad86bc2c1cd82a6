#!/usr/bin/env python3
"""Per-kit means of a `stemdeck-train validate --per-loop` listing.

Each validation loop names the held-out kits it drew on ("kits: ..."); most draw on one. This
prints, per listing, each stem's mean SDR over all loops and over the loops of each single kit,
so one 96-loop run gives the per-kit figures without three more validation runs. Loops that mix
kits count in "all" only.

    python3 scripts/validation-by-kit.py val/hc20-96.txt [more listings...]

With --by-level STEM it prints instead that stem's mean SDR by its level in the loop (dB under
the mix, in 8 dB bands; the listing gives each stem's energy relative to the mix), which shows
where a quiet stem is lost:

    python3 scripts/validation-by-kit.py --by-level hh val/hcc-96.txt
"""
import re
import sys
from collections import defaultdict

STEMS = ["kick", "snare", "toms", "hh", "cymbals"]
LOOP = re.compile(r"^loop \d+:")
SDR = re.compile(r" (-?\d+(?:\.\d+)?) dB \(")
LEVEL = re.compile(r"hits, (-?\d+(?:\.\d+)?) dB\)")
BAND_DB = 8


def by_kit(path):
    groups = defaultdict(list)  # name -> list of per-loop stem SDR lists
    current = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if LOOP.match(line):
                current = [float(v) for v in SDR.findall(line)]
                if len(current) != len(STEMS):
                    sys.exit(f"{path}: cannot read the stems of: {line.strip()}")
                groups["all"].append(current)
            elif line.strip().startswith("kits:") and current is not None:
                kits = line.split(":", 1)[1].split()
                if len(kits) == 1:
                    groups[kits[0]].append(current)
                current = None
    if not groups:
        sys.exit(f"{path}: no loops (was it written with --per-loop?)")
    return groups


def by_level(path, stem):
    index = STEMS.index(stem)
    bands = defaultdict(list)  # band number (0: 0-8 dB under the mix) -> the stem's SDRs
    with open(path, encoding="utf-8") as f:
        for line in f:
            if LOOP.match(line):
                sdrs, levels = SDR.findall(line), LEVEL.findall(line)
                if len(sdrs) != len(STEMS) or len(levels) != len(STEMS):
                    sys.exit(f"{path}: cannot read the stems of: {line.strip()}")
                band = int(max(0.0, -float(levels[index])) // BAND_DB)
                bands[band].append(float(sdrs[index]))
    if not bands:
        sys.exit(f"{path}: no loops (was it written with --per-loop?)")
    return bands


def main(args):
    if len(args) >= 2 and args[0] == "--by-level":
        stem, paths = args[1], args[2:]
        if stem not in STEMS or not paths:
            sys.exit(__doc__.strip())
        for path in paths:
            print(f"{path}: {stem} by its level under the mix")
            for band, sdrs in sorted(by_level(path, stem).items()):
                lo, hi = band * BAND_DB, (band + 1) * BAND_DB
                print(f"  {lo:2d}-{hi:2d} dB under  {len(sdrs):3d} loops  mean SDR {sum(sdrs) / len(sdrs):6.2f}")
        return
    paths = args
    if not paths:
        sys.exit(__doc__.strip())
    for path in paths:
        print(path)
        groups = by_kit(path)
        for name in ["all"] + sorted(k for k in groups if k != "all"):
            loops = groups[name]
            means = [sum(l[s] for l in loops) / len(loops) for s in range(len(STEMS))]
            cells = " ".join(f"{s} {m:6.2f}" for s, m in zip(STEMS, means))
            print(f"  {name[:24]:24s} {len(loops):3d} loops  {cells} | mean {sum(means) / len(means):5.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
