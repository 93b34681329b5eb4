#!/usr/bin/env bash
# make validate (and the terraform step of make test): real terraform on every folder of terraform/.
#   1. terraform fmt -check -recursive; the READMEs' generated input/output tables are current
#   2. for the root, every module and every example: init -backend=false, validate, test (mocked providers)
#   3. the first-apply order (bucket sub-resources, destinations' policies before deliveries), from `terraform graph`
# It runs in a temporary copy (no .terraform folders or lock files left in the tree), with providers from the
# registry or, where that does not answer, the filesystem mirror (scripts/terraform-providers.sh says which).
# A failed init stops at once with terraform's own message. Ends with "terraform: N passed, N failed", where
# every fmt/validate check, every `run` of a .tftest.hcl file and every ordering edge counts one.
set -eu -o pipefail
cd "$(dirname "$0")/.."
root=terraform

if ! command -v terraform >/dev/null 2>&1; then
  echo "missing: terraform >= 1.11 (needed by make validate). Install it from https://developer.hashicorp.com/terraform/install." >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. scripts/terraform-providers.sh
tf_providers_setup "$work"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
echo "terraform: $(terraform version | head -n 1), providers from $TF_PROVIDER_SOURCE"

# Copy the code only: the copy gets its own .terraform folders and lock files (a lock pinned elsewhere would
# stop a mirror holding another version; validate is about the code, deploys keep the root's lock).
mkdir -p "$work/$root"
tar -C "$root" --exclude='.terraform' --exclude='.terraform.lock.hcl' --exclude='terraform.tfstate.d' \
  --exclude='*.tfstate' --exclude='*.tfstate.backup' --exclude='*.tfplan' -cf - . | tar -C "$work/$root" -xf -

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }

if terraform fmt -check -recursive -diff -no-color "$root"; then pass; else fail "terraform fmt -check (run make fmt)"; fi

# The READMEs' input/output tables are generated (scripts/terraform-docs.py): fresh ones pass, and a copy with
# one variable added must be reported stale, or the check itself proves nothing.
echo "== module READMEs' tables (scripts/terraform-docs.py --check)"
if ! command -v python3 >/dev/null 2>&1; then
  fail "python3 not found: the READMEs' tables were not checked"
else
  if python3 scripts/terraform-docs.py --check "$work/$root"; then pass; else fail "stale README tables (run python3 scripts/terraform-docs.py)"; fi
  stale="$work/stale-docs"
  cp -R "$work/$root" "$stale"
  printf '\nvariable "undocumented" {\n  type = string\n}\n' >>"$stale/modules/queue/variables.tf"
  if python3 scripts/terraform-docs.py --check "$stale" >/dev/null 2>&1; then
    fail "scripts/terraform-docs.py --check passed a README whose table no longer matches variables.tf"
  else
    echo "  a variable missing from a table is reported stale"
    pass
  fi
  rm -rf "$stale"
fi

dirs=("$root")
for d in "$root"/modules/* "$root"/examples/*; do
  [ -d "$d" ] && dirs+=("$d")
done

for dir in "${dirs[@]}"; do
  copy="$work/$dir"
  echo "== $dir"
  if ! out=$(terraform -chdir="$copy" init -backend=false -input=false -no-color 2>&1); then
    echo "$out" >&2
    echo "terraform init failed in $dir (providers from $TF_PROVIDER_SOURCE); the message above is terraform's own." >&2
    echo "terraform: $passed passed, $((failed + 1)) failed"
    exit 1
  fi
  if terraform -chdir="$copy" validate -no-color; then pass; else fail "terraform validate in $dir"; fi

  log="$work/test.log"
  status=0
  terraform -chdir="$copy" test -no-color 2>&1 | tee "$log" | grep -Ev '^\s*$|\.\.\. (in progress|tearing down)$' || status=$?
  # "Success! 12 passed, 0 failed." / "Failure! 3 passed, 1 failed, 2 skipped."
  read -r p f < <(sed -n 's/.*[!] \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' "$log" | tail -n 1; echo "0 0")
  s=$(sed -n 's/.*, \([0-9]*\) skipped.*/\1/p' "$log" | tail -n 1)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${s:-0}))
  if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then fail "terraform test in $dir"; fi
done

# First apply, in order. A new bucket rejects overlapping writes of its sub-resources ("A conflicting conditional
# operation is currently in progress"), so each waits for the one before it; and S3, SNS and EventBridge must
# find the destination's policy in place before they deliver (S3 sends a test message when a notification is
# saved). `terraform graph` prints "A" -> "B" for "A depends on B"; these are depends_on edges, so each must be
# there directly. Edges are checked in the configuration graph, whatever the trigger chosen.
echo "== first-apply order (terraform graph)"
edges=(
  "modules/buckets|aws_s3_bucket_public_access_block.this|aws_s3_bucket.this"
  "modules/buckets|aws_s3_bucket_policy.this|aws_s3_bucket_public_access_block.this"
  "modules/buckets|aws_s3_bucket_ownership_controls.this|aws_s3_bucket_policy.this"
  "modules/buckets|aws_s3_bucket_server_side_encryption_configuration.this|aws_s3_bucket_ownership_controls.this"
  "modules/buckets|aws_s3_bucket_versioning.source|aws_s3_bucket_server_side_encryption_configuration.this"
  "modules/buckets|aws_s3_bucket_lifecycle_configuration.this|aws_s3_bucket_versioning.source"
  "modules/buckets|aws_s3_bucket_notification.source|aws_s3_bucket_lifecycle_configuration.this"
  ".|module.buckets.aws_s3_bucket_notification.source|module.thumbnails.module.queue.aws_sqs_queue_policy.main"
  ".|module.buckets.aws_s3_bucket_notification.source|module.uploads_topic.aws_sns_topic_policy.this"
  ".|aws_sns_topic_subscription.consumer|module.thumbnails.module.queue.aws_sqs_queue_policy.main"
  ".|aws_sns_topic_subscription.consumer|module.consumer.module.queue.aws_sqs_queue_policy.main"
  ".|aws_cloudwatch_event_target.consumer|module.thumbnails.module.queue.aws_sqs_queue_policy.main"
  ".|aws_cloudwatch_event_target.consumer|module.consumer.module.queue.aws_sqs_queue_policy.main"
)
declare -A graphs
for entry in "${edges[@]}"; do
  IFS='|' read -r dir from to <<<"$entry"
  if [ -z "${graphs[$dir]:-}" ]; then
    graphs[$dir]=$(terraform -chdir="$work/$root/$dir" graph)
  fi
  if grep -qF "\"$from\" -> \"$to\"" <<<"${graphs[$dir]}"; then
    echo "  $from after $to"
    pass
  else
    fail "$from does not wait for $to (no such edge in terraform graph of $root/$dir)"
  fi
done

echo "terraform: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
