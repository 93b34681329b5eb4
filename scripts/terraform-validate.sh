#!/usr/bin/env bash
# make validate (and the terraform step of make test): real terraform on every folder of terraform/.
#   1. terraform fmt -check -recursive
#   2. for the root, every module and every example: init -backend=false, validate, test (mocked providers)
#   3. the source bucket's first-apply order, read from `terraform graph` of the buckets module
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

# A new bucket rejects overlapping writes of its sub-resources ("A conflicting conditional operation is
# currently in progress"), so each waits for the one before it. `terraform graph` prints "A" -> "B" for
# "A depends on B"; the chain is made of depends_on edges, so each must be there directly.
echo "== apply order of the bucket sub-resources (terraform graph of $root/modules/buckets)"
graph=$(terraform -chdir="$work/$root/modules/buckets" graph)
chain=(
  aws_s3_bucket.this
  aws_s3_bucket_public_access_block.this
  aws_s3_bucket_policy.this
  aws_s3_bucket_ownership_controls.this
  aws_s3_bucket_server_side_encryption_configuration.this
  aws_s3_bucket_versioning.source
  aws_s3_bucket_lifecycle_configuration.this
  aws_s3_bucket_notification.source
)
for ((i = 1; i < ${#chain[@]}; i++)); do
  edge="\"${chain[i]}\" -> \"${chain[i - 1]}\""
  if grep -qF "$edge" <<<"$graph"; then
    echo "  ${chain[i]} after ${chain[i - 1]}"
    pass
  else
    fail "${chain[i]} does not wait for ${chain[i - 1]} (no $edge in terraform graph)"
  fi
done

echo "terraform: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
