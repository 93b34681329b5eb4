#!/usr/bin/env bash
# Renders the policies of the real Terraform root for every trigger into one JSON lines file (terraform test
# -verbose -json): a temporary copy of terraform/ (so no .terraform or lock file lands in the tree) with
# render/permissions.tftest.hcl as its only test. Providers as make validate gets them (scripts/terraform-providers.sh).
#   render.sh <out.jsonl>        (PERMISSIONS_TERRAFORM_DIR renders another copy of terraform/, e.g. a mutated one)
set -eu -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$repo/scripts/terraform-providers.sh"
tf_providers_setup "$work"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
tar -C "${PERMISSIONS_TERRAFORM_DIR:-$repo/terraform}" --exclude='.terraform' --exclude='.terraform.lock.hcl' --exclude='terraform.tfstate.d' \
  --exclude='*.tfstate' --exclude='*.tfstate.backup' --exclude='*.tfplan' --exclude='tests/*.tftest.hcl' -cf - . | tar -C "$work" -xf -
cp "$here/render/permissions.tftest.hcl" "$work/tests/"
terraform -chdir="$work" init -backend=false -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log" >&2; exit 1; }
status=0
terraform -chdir="$work" test -verbose -json -no-color >"$out" 2>"$work/test.err" || status=$?
if [ "$status" -ne 0 ]; then
  cat "$work/test.err" >&2
  grep -h '"@level":"error"' "$out" >&2 || true
  echo "render: terraform test failed (exit $status)" >&2
  exit "$status"
fi
