#!/usr/bin/env bash
# Checks the prerequisites named as arguments. On a Debian-family machine run as root (CI, a fresh container) it
# installs the missing Debian packages with apt-get; otherwise it stops with one line naming what is missing and
# how to get it.
#   dotnet, node, python3     toolchains
#   aot-x86_64, aot-arm64     what a Native AOT publish of the bootstrap needs for that Lambda architecture
#   qemu-arm64                what runs an arm64 bootstrap on another CPU (the packaging tests start it)
set -eu -o pipefail

need_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "missing: .NET 10 SDK (dotnet). Install it from https://dot.net/download or your package manager." >&2; exit 1
  fi
  if ! dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
    echo "missing: .NET 10 SDK (found: $(dotnet --list-sdks | awk '{print $1}' | paste -sd, -)). Install 10.0.x from https://dot.net/download." >&2; exit 1
  fi
}

need_node() {
  if ! command -v node >/dev/null 2>&1; then
    echo "missing: Node.js >= 20 (node). Install it from https://nodejs.org or your package manager." >&2; exit 1
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt 20 ]; then
    echo "missing: Node.js >= 20 (found $(node --version)). Upgrade from https://nodejs.org." >&2; exit 1
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "missing: npm (ships with Node.js). Reinstall Node.js from https://nodejs.org." >&2; exit 1
  fi
}

need_python3() {
  if ! command -v python3 >/dev/null 2>&1; then
    echo "missing: python3 (3.9+, standard library only) for scripts/package.py. Install it with your package manager." >&2; exit 1
  fi
}

host_arch() {
  case "$(uname -m)" in
    x86_64 | amd64) echo x86_64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) uname -m ;;
  esac
}

# Debian packages to install, and the files whose presence proves each need is met (one "package:file" a line).
aot_needs() {
  local arch=$1
  echo "clang:/usr/bin/clang"
  echo "zlib1g-dev:/usr/include/zlib.h"
  if [ "$arch" != "$(host_arch)" ]; then
    case "$arch" in
      arm64)
        echo "lld:/usr/bin/ld.lld"
        echo "binutils-aarch64-linux-gnu:/usr/bin/aarch64-linux-gnu-objcopy"
        echo "gcc-aarch64-linux-gnu:/usr/bin/aarch64-linux-gnu-gcc"
        echo "libc6-dev-arm64-cross:/usr/aarch64-linux-gnu/lib/libc.so.6"
        ;;
      x86_64)
        echo "lld:/usr/bin/ld.lld"
        echo "binutils-x86-64-linux-gnu:/usr/bin/x86_64-linux-gnu-objcopy"
        echo "gcc-x86-64-linux-gnu:/usr/bin/x86_64-linux-gnu-gcc"
        echo "libc6-dev-amd64-cross:/usr/x86_64-linux-gnu/lib/libc.so.6"
        ;;
    esac
  fi
}

# The arm64 bootstrap under qemu loads the arm64 system libraries its ELF files need, from Debian's arm64 packages
# (multiarch): glibc, OpenSSL (.NET's cryptography and TLS) and the C++ runtime (libvips) — what Amazon Linux 2023
# provides on Lambda.
qemu_needs() {
  if [ "$(host_arch)" != arm64 ]; then
    echo "qemu-user-static:/usr/bin/qemu-aarch64-static"
    echo "libc6:arm64:/lib/ld-linux-aarch64.so.1"
    echo "libssl3:arm64:/usr/lib/aarch64-linux-gnu/libssl.so.3"
    echo "libstdc++6:arm64:/usr/lib/aarch64-linux-gnu/libstdc++.so.6"
  fi
}

# Installs (as root, with apt-get) or names the packages whose proof file is missing.
ensure() {
  local why=$1; shift
  local missing=() entry
  for entry in "$@"; do
    [ -e "${entry##*:}" ] || missing+=("${entry%:*}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "require: installing ${missing[*]} ($why)" >&2
    # Packages of another architecture (name:arch) need that architecture enabled, and fresh lists for it.
    local foreign
    for foreign in $(printf '%s\n' "${missing[@]}" | sed -n 's/^[^:]*:\([a-z0-9]*\)$/\1/p' | sort -u); do
      if ! dpkg --print-foreign-architectures | grep -qx "$foreign"; then
        dpkg --add-architecture "$foreign"
        unset REQUIRE_APT_UPDATED
      fi
    done
    if [ -z "${REQUIRE_APT_UPDATED:-}" ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
      export REQUIRE_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    for entry in "$@"; do
      [ -e "${entry##*:}" ] || { echo "missing: ${entry##*:} after installing ${entry%:*} ($why)." >&2; exit 1; }
    done
    return 0
  fi
  echo "missing: ${missing[*]} ($why). On Debian/Ubuntu (dpkg --add-architecture for name:arch packages): sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
}

for what in "$@"; do
  case "$what" in
    dotnet) need_dotnet ;;
    node) need_node ;;
    python3) need_python3 ;;
    aot-x86_64 | aot-arm64)
      arch=${what#aot-}
      mapfile -t needs < <(aot_needs "$arch")
      ensure "Native AOT publish of the $arch bootstrap" "${needs[@]}"
      ;;
    qemu-arm64)
      mapfile -t needs < <(qemu_needs)
      [ ${#needs[@]} -eq 0 ] || ensure "running the arm64 bootstrap under qemu" "${needs[@]}"
      ;;
    *) echo "require.sh: unknown prerequisite '$what'" >&2; exit 2 ;;
  esac
done
