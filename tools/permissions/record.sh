#!/usr/bin/env bash
# make permissions-record: runs the end-to-end tests, the drills and `imagepattern local` for each trigger (the
# packaged bootstrap, when artifacts/ has the zip) with the emulators' request log on, and keeps the requests of the functions and
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
# The packaged bootstrap (the Native AOT zip that deploys) behind the Runtime API emulator, once per trigger.
package=$(python3 -c 'import platform; print("arm64" if platform.machine() in ("aarch64", "arm64") else "x86_64")')
if [ -f "artifacts/function-$package.zip" ]; then
  for trigger in s3-notification sns-fanout eventbridge; do
    dotnet "src/ImagePattern.Tool/bin/${CONFIGURATION:-Release}/net10.0/imagepattern.dll" local --trigger "$trigger"
  done
else
  echo "permissions: artifacts/function-$package.zip is missing (make package): the packaged bootstrap was not recorded" >&2
fi
node "$here/compact.mjs" <"$log" >"$here/fixtures/requests.jsonl"
echo "permissions: $(wc -l <"$here/fixtures/requests.jsonl") distinct request lines in tools/permissions/fixtures/requests.jsonl"
