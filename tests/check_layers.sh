#!/usr/bin/env bash
# Fails when a file includes a header its layer must not see (docs/architecture.md):
# LibTorch only in core/dsp, core/model, core/device, core/engine, app/train (and their tests);
# Qt never in those four core layers.
set -u
root=${1:-.}
cd "$root" || exit 2
status=0
torch_re='#\s*include\s*[<"](torch/|ATen/|c10/|caffe2/)'
qt_re='#\s*include\s*[<"](Q[A-Z][A-Za-z]*|Qt[A-Za-z]*/)'
for dir in ui core/jobs core/audio core/common app/gui app/cli; do
  [ -d "$dir" ] || continue
  if hits=$(grep -rEn "$torch_re" "$dir"); then
    echo "LibTorch header outside the engine boundary:"; echo "$hits"; status=1
  fi
done
for dir in core/dsp core/model core/device core/engine core/audio core/common; do
  [ -d "$dir" ] || continue
  if hits=$(grep -rEn "$qt_re" "$dir"); then
    echo "Qt header inside a plain C++ core layer:"; echo "$hits"; status=1
  fi
done
[ $status -eq 0 ] && echo "layer rules hold"
exit $status
