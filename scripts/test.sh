#!/usr/bin/env bash
# Runs every test (the .NET projects, the Node tests of the local emulation layer and the Terraform checks of
# scripts/terraform-validate.sh) and ends with one "N passed, N failed" line summed over them, so a reader (or CI)
# sees at a glance how many tests ran.
set -eu -o pipefail
log=$(mktemp)
node_log=$(mktemp)
tf_log=$(mktemp)
trap 'rm -f "$log" "$node_log" "$tf_log"' EXIT

status=0
npm run -s test:local 2>&1 | tee "$node_log" || status=$?
node_passed=$(awk '/^# pass / {print $3}' "$node_log")
node_failed=$(awk '/^# fail / {print $3}' "$node_log")

# Real terraform fmt/validate/test on every folder (make validate); it ends with "terraform: N passed, N failed".
if command -v terraform >/dev/null 2>&1; then
  scripts/terraform-validate.sh 2>&1 | tee "$tf_log" || status=$?
else
  echo "terraform is not installed: the Terraform checks did not run (make validate falls back to the offline checks)"
fi
tf_passed=$(sed -n 's/^terraform: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$tf_log" | tail -n 1)
tf_failed=$(sed -n 's/^terraform: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$tf_log" | tail -n 1)

dotnet test ImagePattern.sln "$@" 2>&1 | tee "$log" || status=$?

# VSTest prints one line per test project: "Passed!  - Failed: 0, Passed: 73, Skipped: 0, Total: 73, ..."
read -r passed failed skipped < <(awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ {
    for (i = 1; i < NF; i++) {
      if ($i ~ /Failed$/) f += $(i+1); if ($i ~ / Passed$/) p += $(i+1); if ($i ~ /Skipped$/) s += $(i+1)
    }
  } END { printf "%d %d %d\n", p, f, s }' "$log")

passed=$((passed + ${node_passed:-0} + ${tf_passed:-0}))
failed=$((failed + ${node_failed:-0} + ${tf_failed:-0}))
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
