#!/usr/bin/env bash
# Installs the benchmark's Debian peers when they are missing. Never fails the bench:
# a peer that cannot be installed is reported as "missing" by bench/run.py instead.
set -u -o pipefail

# tool -> how to tell it is there, and the Debian package that provides it
declare -A probe=(
  [pillow]="/usr/bin/python3 -c 'import PIL'"
  [imagemagick]="test -x /usr/bin/convert"
  [vipsthumbnail]="test -x /usr/bin/vipsthumbnail"
  [djpeg]="test -x /usr/bin/djpeg"
)
declare -A package=(
  [pillow]=python3-pil
  [imagemagick]=imagemagick
  [vipsthumbnail]=libvips-tools
  [djpeg]=libjpeg-turbo-progs
)

missing=()
for tool in pillow imagemagick vipsthumbnail djpeg; do
  bash -c "${probe[$tool]}" >/dev/null 2>&1 || missing+=("${package[$tool]}")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "bench: peers present (python3-pil, imagemagick, libvips-tools, libjpeg-turbo-progs)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "bench: no apt-get here; these peers will be reported missing: ${missing[*]}" >&2
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "bench: not root, cannot apt-get install ${missing[*]}; run 'sudo apt-get install ${missing[*]}' or they are reported missing" >&2
  exit 0
fi

echo "bench: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || echo "bench: apt-get update failed; trying the install anyway" >&2
# One package at a time so that one unavailable package does not block the others.
for pkg in "${missing[@]}"; do
  apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null \
    || echo "bench: could not install $pkg; its peer will be reported missing" >&2
done
exit 0
