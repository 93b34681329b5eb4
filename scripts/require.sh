#!/usr/bin/env bash
# Stops with one line naming a missing prerequisite and how to get it.
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

for what in "$@"; do
  case "$what" in
    dotnet) need_dotnet ;;
    node) need_node ;;
    *) echo "require.sh: unknown prerequisite '$what'" >&2; exit 2 ;;
  esac
done
