#!/usr/bin/env bash
# make permissions-record: runs the end-to-end tests and the drills (and, when the package is built, the packaged
# bootstrap's pipeline tests) with the emulators' request log on, and keeps the requests of the functions and
# pollers as fixtures/requests.jsonl (compact.mjs: the tooling's own requests and repeats dropped). The 1000-upload soak
# is left out: it makes only the requests the other runs make, a thousand times.
set -eu -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export IMAGEPATTERN_REQUEST_LOG=$log
cd "$repo"
dotnet test tests/ImagePattern.Tool.Tests -c "${CONFIGURATION:-Release}" --no-build --nologo \
  --filter "(FullyQualifiedName~EndToEnd&FullyQualifiedName!~Soak)|Category=Drill"
if ls artifacts/function-*.zip >/dev/null 2>&1; then
  dotnet test tests/ImagePattern.Packaging.Tests -c "${CONFIGURATION:-Release}" --no-build --nologo --filter "FullyQualifiedName~PackagedLocalPipeline"
fi
node "$here/compact.mjs" <"$log" >"$here/fixtures/requests.jsonl"
echo "permissions: $(wc -l <"$here/fixtures/requests.jsonl") distinct request lines in tools/permissions/fixtures/requests.jsonl"
