#!/usr/bin/env bash
# Installs, on Debian 12, every system package StemDeck needs to build, test and run.
# The one list of apt packages: ./run.sh and ./test.sh both call this. Only what is
# missing is installed, so a second run costs a dpkg query and nothing else.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache clang lld time
  dpkg-dev librsvg2-bin appstream desktop-file-utils shared-mime-info # packaging (scripts/package-check.sh)
  # core libraries
  libtorch-dev libopenblas0-pthread
  libsndfile1-dev libsoxr-dev libyaml-cpp-dev libzip-dev nlohmann-json3-dev libssl-dev
  # Qt 6: core, tests, QML front end, multimedia, translations
  qt6-base-dev qt6-declarative-dev qt6-multimedia-dev qt6-tools-dev qt6-tools-dev-tools
  qt6-l10n-tools linguist-qt6 qt6-qpa-plugins
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtqml-workerscript qml6-module-qtquick-templates
  qml6-module-qtquick-dialogs qml6-module-qttest qml6-module-qtmultimedia
  qml6-module-qtquick-shapes
  # headless GUI tests, audio device for the mixer test
  xvfb xauth pulseaudio
  # real drum samples (training data of the bundled model)
  hydrogen-drumkits hydrogen-data
  # drum one-shots from other sources: the bundled model's independent evaluation set
  # (resources/evaluation/eval-sounds.tsv; training never reads them)
  sonic-pi-samples lmms-common
  python3-torch python3-yaml python3-numpy # bench/python/pytorch_eager.py (CPU baseline) and its parity ctest
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} missing package(s): ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup: all ${#packages[@]} packages present"
fi
