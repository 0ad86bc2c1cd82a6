#!/usr/bin/env bash
# ctest packaging_mime: the MIME package compiles with the system's shared-mime-info database,
# and every type the .desktop file claims is a type (or alias) that database then knows, so a
# typo in MimeType= cannot silently drop "Open with StemDeck" for a format.
# Usage: check_mime.sh DESKTOP_FILE MIME_XML WORK_DIR
set -euo pipefail
desktop=$1 mime_xml=$2 work=$3

rm -rf "$work"
mkdir -p "$work/packages"
cp /usr/share/mime/packages/freedesktop.org.xml "$work/packages/"
cp "$mime_xml" "$work/packages/stemdeck.xml"
# update-mime-database only warns about a bad package file; treat any output as a failure.
# (XDG_DATA_DIRS names the work folder only to silence the note that it is not searched.)
out=$(XDG_DATA_DIRS="$(dirname "$work")" update-mime-database "$work" 2>&1)
if [ -n "$out" ]; then
  echo "update-mime-database complained about $mime_xml:" >&2
  echo "$out" >&2
  exit 1
fi

known=$(cut -d' ' -f1 "$work/aliases"; cat "$work/types")
status=0
IFS=';' read -ra claimed <<<"$(sed -n 's/^MimeType=//p' "$desktop")"
[ "${#claimed[@]}" -gt 0 ] || { echo "$desktop: no MimeType= line" >&2; exit 1; }
for t in "${claimed[@]}"; do
  [ -n "$t" ] || continue
  if ! grep -qxF "$t" <<<"$known"; then
    echo "$desktop: MimeType $t is not a type or alias shared-mime-info knows" >&2
    status=1
  fi
done
# The types StemDeck adds must be defined by its own package, with their globs.
for ext in w64 rf64 caf; do
  grep -q "^audio/x-$ext:\*\.$ext$" "$work/globs" || { echo "no glob *.$ext -> audio/x-$ext" >&2; status=1; }
done
[ "$status" -eq 0 ] && echo "MIME: ${#claimed[@]} types claimed, all known"
exit "$status"
