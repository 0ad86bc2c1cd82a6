#!/usr/bin/env bash
# Builds StemDeck's Debian package, installs it on this machine, checks the installed programs
# (stemdeck-cli --version, the demo separated by the installed binary, the GUI started offscreen,
# the desktop integration registered), then removes the package again. Exits non-zero on the
# first failure; the package is removed on every exit path. Safe to run again and again.
#
#   scripts/package-check.sh [BUILD_DIR]     (default: $STEMDECK_BUILD_DIR or ./build)
#
# Needs root (or sudo) for apt-get, a configured build folder (scripts/build.sh), and the
# packages scripts/setup.sh lists (dpkg-dev for dpkg-shlibdeps). Any stemdeck package installed
# before the check is replaced by the one built here and removed at the end.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-${STEMDECK_BUILD_DIR:-$root/build}}" 2>/dev/null && pwd) ||
  { echo "package-check: build folder ${1:-${STEMDECK_BUILD_DIR:-$root/build}} does not exist (run scripts/build.sh)" >&2; exit 2; }
[ -f "$build/CMakeCache.txt" ] || { echo "package-check: $build is not a configured CMake build folder" >&2; exit 2; }

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
apt_env=(env DEBIAN_FRONTEND=noninteractive)

step() { printf '\n== %s\n' "$*"; }
fail() { echo "package-check: FAIL: $*" >&2; exit 1; }

work=$(mktemp -d /tmp/stemdeck-package-check.XXXXXX)
installed=0
cleanup() {
  local rc=$?
  if [ "$installed" -eq 1 ]; then
    step "removing the package"
    "${sudo_cmd[@]}" "${apt_env[@]}" apt-get purge -y -q stemdeck >/dev/null || rc=1
    if [ -e /usr/bin/stemdeck-cli ] || [ -e /usr/bin/stemdeck ]; then
      echo "package-check: FAIL: /usr/bin/stemdeck* still there after removal" >&2
      rc=1
    else
      echo "removed"
    fi
  fi
  rm -rf "$work"
  [ "$rc" -eq 0 ] && echo "package-check: OK" || echo "package-check: FAILED ($rc)" >&2
  exit "$rc"
}
trap cleanup EXIT

# ---- build and package --------------------------------------------------------------------------
step "building stemdeck, stemdeck-cli and the icons in $build"
targets=(stemdeck-cli)
ui=$(sed -n 's/^STEMDECK_BUILD_UI:BOOL=//p' "$build/CMakeCache.txt")
[ "$ui" = ON ] && targets+=(stemdeck)
# The PNG icons exist as a target only where rsvg-convert was found (else: SVG only, and the
# PNG checks below fail).
help=$(cmake --build "$build" --target help 2>/dev/null || true)
grep -q '^stemdeck_icons' <<<"$help" && targets+=(stemdeck_icons)
# app/train installs stemdeck-train too when it is built (STEMDECK_BUILD_TRAIN), so cpack needs it.
[ "$(sed -n 's/^STEMDECK_BUILD_TRAIN:BOOL=//p' "$build/CMakeCache.txt")" = ON ] && targets+=(stemdeck-train)
cmake --build "$build" --target "${targets[@]}"

step "cpack -G DEB"
rm -rf "$build/package"
# Only what the package holds is built above; the install step must not wait for the whole tree
# (tests included) when this folder was configured with CMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON.
(cd "$build" && cpack -G DEB -B "$build/package" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$build"/package/stemdeck_*.deb 2>/dev/null | head -n1)
[ -n "$deb" ] || fail "cpack wrote no stemdeck_*.deb into $build/package"
echo "$deb"
dpkg-deb --field "$deb" Package Version Architecture Depends
depends=$(dpkg-deb --field "$deb" Depends)
# dpkg-shlibdeps must have run: LibTorch, Qt and libsndfile come from the ELF files, not by hand.
for lib in libtorch libqt6core6 libsndfile1 libsoxr0; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib (did dpkg-shlibdeps run?)"
done
# The Japanese interface needs a CJK font, which a Debian desktop may not have.
dpkg-deb --field "$deb" Recommends | grep -q fonts-noto-cjk || fail "Recommends lacks fonts-noto-cjk (the Japanese interface's glyphs)"

# ---- install ------------------------------------------------------------------------------------
step "installing $deb"
if dpkg-query -W -f='${Status}' stemdeck 2>/dev/null | grep -q "install ok installed"; then
  echo "a stemdeck package is already installed: removing it first"
  "${sudo_cmd[@]}" "${apt_env[@]}" apt-get purge -y -q stemdeck >/dev/null
fi
installed=1
"${sudo_cmd[@]}" "${apt_env[@]}" apt-get install -y -q --no-install-recommends "$deb" >"$work/apt.log" 2>&1 ||
  { cat "$work/apt.log" >&2; fail "apt-get install $deb failed"; }
dpkg -L stemdeck >"$work/files"

expect_file() { grep -qxF "$1" "$work/files" || fail "the package does not install $1"; }
expect_file /usr/bin/stemdeck-cli
expect_file /usr/share/doc/stemdeck/copyright
if [ "$ui" = ON ]; then
  app_id=io.github.stemdeck.StemDeck
  expect_file /usr/bin/stemdeck
  expect_file "/usr/share/applications/$app_id.desktop"
  expect_file "/usr/share/metainfo/$app_id.metainfo.xml"
  expect_file "/usr/share/mime/packages/$app_id.xml"
  expect_file "/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
  for size in 16 22 24 32 48 64 128 256 512; do
    png=/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png
    expect_file "$png"
    # PNG header: width and height are the big-endian words at bytes 16 and 20.
    dims=$(od -An -tu1 -j16 -N8 "$png" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}')
    [ "$dims" = "${size}x${size}" ] || fail "$png is $dims, not ${size}x${size}"
  done
fi

# Run the installed programs as a user would: no build tree anywhere on their library path.
clean_env=(env -i PATH=/usr/bin:/bin HOME="$work/home" XDG_RUNTIME_DIR="$work/run" LANG=C.UTF-8)
mkdir -p "$work/home" "$work/run" && chmod 700 "$work/run"

step "shared libraries of the installed programs"
for exe in /usr/bin/stemdeck-cli $([ "$ui" = ON ] && echo /usr/bin/stemdeck); do
  "${clean_env[@]}" ldd "$exe" >"$work/ldd" || fail "ldd $exe failed"
  if grep -q "not found" "$work/ldd"; then grep "not found" "$work/ldd" >&2; fail "$exe has unresolved libraries"; fi
  if grep -qF -e "$build" -e "$root/" "$work/ldd"; then
    grep -F -e "$build" -e "$root/" "$work/ldd" >&2
    fail "$exe resolves libraries inside the source or build tree"
  fi
  if readelf -d "$exe" | grep -E "RPATH|RUNPATH" | grep -qF -e "$build" -e "$root"; then
    fail "$exe carries an RPATH into the build tree"
  fi
  echo "$exe: $(wc -l <"$work/ldd") libraries, none from the build tree"
done

step "stemdeck-cli --version"
(cd "$work" && "${clean_env[@]}" /usr/bin/stemdeck-cli --version) | tee "$work/version"
grep -qF "$(dpkg-deb --field "$deb" Version)" "$work/version" || fail "--version does not print the package version"

# ---- the demo, separated by the installed binary ------------------------------------------------
demo=/usr/share/stemdeck/demo/demo-loop.flac
model=/usr/share/stemdeck/models/drumsep-compact
if [ -f "$demo" ] && [ -d "$model" ]; then
  step "separating the demo with the installed stemdeck-cli (stemdeck-cli demo: default model, SDR)"
  (cd "$work" && "${clean_env[@]}" /usr/bin/stemdeck-cli demo -o "$work/stems") > "$work/demo.txt" 2>&1 ||
    { cat "$work/demo.txt"; fail "stemdeck-cli demo with the installed files failed"; }
  cat "$work/demo.txt"
  count=$(find "$work/stems" -type f -size +1k | wc -l)
  [ "$count" -eq 5 ] || fail "the demo separation wrote $count stem file(s), not 5"
  grep -q '^mean ' "$work/demo.txt" || fail "stemdeck-cli demo printed no SDR (ground truth not rendered)"
else
  step "demo separation NOT RUN: the package has no demo loop ($demo) or no bundled model ($model)"
  echo "(they are installed once resources/demo/demo-loop.flac and resources/models/drumsep-compact exist)"
fi

# ---- the GUI, offscreen -------------------------------------------------------------------------
if [ "$ui" = ON ]; then
  step "starting the installed GUI offscreen for 10 s"
  set +e
  (cd "$work" && "${clean_env[@]}" QT_QPA_PLATFORM=offscreen timeout 10 /usr/bin/stemdeck) >"$work/gui.log" 2>&1
  rc=$?
  set -e
  cat "$work/gui.log"
  # 124: still running when timeout stopped it (the window stayed up); 0: it quit cleanly.
  [ "$rc" -eq 124 ] || [ "$rc" -eq 0 ] || fail "stemdeck exited with $rc within 10 s"
  # QML import failures leave a window-less process running, so look at what it said too.
  if grep -Ei "is not installed|module .* not found|Cannot load library|failed to load component|qrc:.*Error" "$work/gui.log"; then
    fail "the GUI reported QML or plugin errors (a qml6-module-* package missing from Depends?)"
  fi
  echo "the GUI stayed up (exit $rc)"

  step "desktop integration registered by the dpkg triggers"
  if [ -f /usr/share/applications/mimeinfo.cache ]; then
    for t in audio/flac audio/x-wav audio/mpeg audio/x-w64; do
      grep -E "^$t=.*$app_id.desktop" /usr/share/applications/mimeinfo.cache >/dev/null ||
        fail "mimeinfo.cache does not offer StemDeck for $t"
    done
    echo "mimeinfo.cache offers StemDeck for WAV, FLAC, MP3 and Wave64"
  fi
  [ -f /usr/share/mime/audio/x-w64.xml ] || fail "shared-mime-info did not register audio/x-w64"
  echo "audio/x-w64, audio/x-rf64 and audio/x-caf are registered MIME types"
fi
