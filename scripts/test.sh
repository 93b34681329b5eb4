#!/usr/bin/env bash
# Runs every test project and ends with one "N passed, N failed" line summed over them, so a reader
# (or CI) sees at a glance how many tests ran.
set -eu -o pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
dotnet test ImagePattern.sln "$@" 2>&1 | tee "$log" || status=$?

# VSTest prints one line per test project: "Passed!  - Failed: 0, Passed: 73, Skipped: 0, Total: 73, ..."
read -r passed failed skipped < <(awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ {
    for (i = 1; i < NF; i++) {
      if ($i ~ /Failed$/) f += $(i+1); if ($i ~ / Passed$/) p += $(i+1); if ($i ~ /Skipped$/) s += $(i+1)
    }
  } END { printf "%d %d %d\n", p, f, s }' "$log")

if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
