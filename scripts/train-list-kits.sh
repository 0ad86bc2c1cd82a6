#!/usr/bin/env bash
# Lists every installed Hydrogen kit's instruments (kit, instrument name, layer count, first
# sample) as TSV: the starting point for curating resources/training/kit-map.tsv by hand.
# Usage: scripts/train-list-kits.sh [drumkits-dir]   (default /usr/share/hydrogen/data/drumkits)
set -euo pipefail
root="${1:-/usr/share/hydrogen/data/drumkits}"
python3 - "$root" <<'PY'
import sys, pathlib, xml.etree.ElementTree as ET
root = pathlib.Path(sys.argv[1])
for xmlpath in sorted(root.glob("*/drumkit.xml")):
    tree = ET.parse(xmlpath)
    strip = lambda t: t.split("}", 1)[-1]
    kit = next((e.text for e in tree.getroot() if strip(e.tag) == "name"), xmlpath.parent.name)
    lic = next((e.text for e in tree.getroot() if strip(e.tag) == "license"), "")
    for inst in tree.getroot().iter():
        if strip(inst.tag) != "instrument":
            continue
        name = next((e.text for e in inst if strip(e.tag) == "name"), "")
        files = [e.text for e in inst.iter() if strip(e.tag) == "filename"]
        hh = next((e.text for e in inst if strip(e.tag) == "isHihat"), "")
        print(f"{xmlpath.parent.name}\t{kit}\t{name}\t{len(files)}\t{files[0] if files else ''}\thihat={hh}\t{lic}")
PY
