#!/usr/bin/env bash
# Runs every test (the .NET projects and the Node tests of the local emulation layer) and ends with one
# "N passed, N failed" line summed over them, so a reader (or CI) sees at a glance how many tests ran.
set -eu -o pipefail
log=$(mktemp)
node_log=$(mktemp)
trap 'rm -f "$log" "$node_log"' EXIT

status=0
npm run -s test:local 2>&1 | tee "$node_log" || status=$?
node_passed=$(awk '/^# pass / {print $3}' "$node_log")
node_failed=$(awk '/^# fail / {print $3}' "$node_log")

# The packaging tests first and alone: their Native AOT publishes take both cores for minutes, and the drills that
# run beside the other projects wait on the pipeline, which a starved machine slows down.
dotnet test tests/ImagePattern.Packaging.Tests "$@" 2>&1 | tee "$log" || status=$?
for project in tests/*/*.Tests.csproj; do
  case "$project" in */ImagePattern.Packaging.Tests.csproj) continue ;; esac
  dotnet test "$project" "$@" 2>&1 | tee -a "$log" || status=$?
done

# VSTest prints one line per test project: "Passed!  - Failed: 0, Passed: 73, Skipped: 0, Total: 73, ..."
read -r passed failed skipped < <(awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ {
    for (i = 1; i < NF; i++) {
      if ($i ~ /Failed$/) f += $(i+1); if ($i ~ / Passed$/) p += $(i+1); if ($i ~ /Skipped$/) s += $(i+1)
    }
  } END { printf "%d %d %d\n", p, f, s }' "$log")

passed=$((passed + ${node_passed:-0}))
failed=$((failed + ${node_failed:-0}))
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
