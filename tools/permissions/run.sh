#!/usr/bin/env bash
# make permissions / the step of make test: render the Terraform's policies for every trigger, then evaluate the
# request log against them (check.mjs). Exits non-zero naming each denied request and each unused grant.
#   run.sh <request log> [docs out]
set -eu -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
requests=$1
docs=${2:-}
if [ ! -d "$here/node_modules/@cloud-copilot/iam-simulate" ]; then
  npm ci --prefix "$here" --no-audit --no-fund >&2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "permissions: rendering the policies of terraform/ for every trigger (terraform test -verbose -json, offline)"
"$here/render.sh" "$work/render.jsonl"
node "$here/check.mjs" --render "$work/render.jsonl" --requests "$requests" --record-name "${PERMISSIONS_RECORD_NAME:-$requests}" ${docs:+--docs "$docs"}
