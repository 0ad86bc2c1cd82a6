#!/usr/bin/env python3
"""Per-kit means of a `stemdeck-train validate --per-loop` listing.

Each validation loop names the held-out kits it drew on ("kits: ..."); most draw on one. This
prints, per listing, each stem's mean SDR over all loops and over the loops of each single kit,
so one 96-loop run gives the per-kit figures without three more validation runs. Loops that mix
kits count in "all" only.

    python3 scripts/validation-by-kit.py val/hc20-96.txt [more listings...]
"""
import re
import sys
from collections import defaultdict

STEMS = ["kick", "snare", "toms", "hh", "cymbals"]
LOOP = re.compile(r"^loop \d+:")
SDR = re.compile(r" (-?\d+(?:\.\d+)?) dB \(")


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


def main(paths):
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
