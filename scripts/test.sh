#!/usr/bin/env bash
# Runs every test (the .NET projects, the Node tests of the local emulation layer, the Terraform checks of
# scripts/terraform-validate.sh and the README line check) and ends with one "N passed, N failed" line summed over
# them, so a reader (or CI) sees at a glance how many tests ran.
set -eu -o pipefail
log=$(mktemp)
node_log=$(mktemp)
tf_log=$(mktemp)
coverage=$(mktemp -d)
trap 'rm -rf "$log" "$node_log" "$tf_log" "$coverage"' EXIT

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

# The README stays a page one reads: no line over 200 characters outside code and generated blocks. Counts as one
# test, which also proves the check can fail (a copy with one long line must be refused).
readme_passed=0
readme_failed=0
if command -v python3 >/dev/null 2>&1; then
  long_copy=$(mktemp)
  { cat README.md; printf '%0201d\n' 0; } >"$long_copy"
  if python3 scripts/check-readme-lines.py README.md && ! python3 scripts/check-readme-lines.py "$long_copy" >/dev/null; then
    readme_passed=1
  else
    echo "README line check failed (or passed a copy with a 201-character line)"
    readme_failed=1
    status=1
  fi
  rm -f "$long_copy"
else
  echo "python3 not found: the README line check did not run"
fi

# coverlet.collector (every test project) writes one Cobertura file per project run.
# The packaging tests first and alone: their Native AOT publishes take both cores for minutes, and the drills that
# run beside the other projects wait on the pipeline, which a starved machine slows down.
collect=(--collect:"XPlat Code Coverage" --results-directory "$coverage")
# Every request the emulators answer in these runs is logged, and the least-privilege check (tools/permissions)
# evaluates the functions' and pollers' ones against the Terraform's policies after the tests.
requests=$(mktemp)
trap 'rm -rf "$log" "$node_log" "$tf_log" "$coverage" "$requests"' EXIT
export IMAGEPATTERN_REQUEST_LOG=$requests
dotnet test tests/ImagePattern.Packaging.Tests "${collect[@]}" "$@" 2>&1 | tee "$log" || status=$?
for project in tests/*/*.Tests.csproj; do
  case "$project" in */ImagePattern.Packaging.Tests.csproj) continue ;; esac
  dotnet test "$project" "${collect[@]}" "$@" 2>&1 | tee -a "$log" || status=$?
done

unset IMAGEPATTERN_REQUEST_LOG

# Least privilege: every recorded request of the three triggers allowed, every grant used (or a listed exception),
# every must-never request denied. Counts as one test. Without terraform it cannot render the policies.
perm_passed=0
perm_failed=0
if command -v terraform >/dev/null 2>&1; then
  if PERMISSIONS_RECORD_NAME="the requests of this make test run" tools/permissions/run.sh "$requests" && node --test tools/permissions/test/; then perm_passed=1; else perm_failed=1; status=1; fi
else
  echo "terraform is not installed: the least-privilege check (tools/permissions) did not run"
fi

# VSTest prints one line per test project: "Passed!  - Failed: 0, Passed: 73, Skipped: 0, Total: 73, ..."
read -r passed failed skipped < <(awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ {
    for (i = 1; i < NF; i++) {
      if ($i ~ /Failed$/) f += $(i+1); if ($i ~ / Passed$/) p += $(i+1); if ($i ~ /Skipped$/) s += $(i+1)
    }
  } END { printf "%d %d %d\n", p, f, s }' "$log")

passed=$((passed + ${node_passed:-0} + ${tf_passed:-0} + perm_passed + readme_passed))
failed=$((failed + ${node_failed:-0} + ${tf_failed:-0} + perm_failed + readme_failed))
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
# Line coverage per source project, a figure and not a gate; the closing line stays last for CI's reader.
if command -v python3 >/dev/null 2>&1; then
  python3 "$(dirname "$0")/coverage.py" "$coverage" || true
else
  echo "coverage (lines): not summed (python3 not found)"
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
