#!/usr/bin/env bash
# make plan/deploy/destroy, before any packaging: stop with one line naming what is missing.
#   scripts/terraform-preflight.sh <tfvars file relative to terraform/>
# Checks, all local and quick (a registry probe of at most 3 s, an instance-metadata probe of at most 1 s):
# the terraform binary, the tfvars file, a source for the AWS provider, AWS credentials and a region.
# It does not prove the credentials are valid (that needs a network call to AWS, which plan makes anyway).
set -eu -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
vars_file=${1:?usage: terraform-preflight.sh <tfvars file>}
tf_dir="$here/../terraform"

missing() { echo "missing: $*" >&2; exit 1; }

command -v terraform >/dev/null 2>&1 ||
  missing "terraform >= 1.11, needed by make plan/deploy/destroy. Install it from https://developer.hashicorp.com/terraform/install (make validate works without AWS)."

[ -f "$tf_dir/$vars_file" ] ||
  missing "terraform/$vars_file. Copy terraform/environments/dev.tfvars to it, or pick another ENV."

# The provider: already installed by an earlier init, from a filesystem mirror, or from a registry that answers.
. "$here/terraform-providers.sh"
if ! compgen -G "$tf_dir/.terraform/providers/*/hashicorp/aws/*" >/dev/null && ! tf_find_mirror >/dev/null && ! tf_registry_answers; then
  missing "the hashicorp/aws provider: the registry did not answer within 3 s and no filesystem mirror was found (set TF_PROVIDER_MIRROR to one, or go online)."
fi

# Credentials, in the order the AWS SDKs and the provider look for them (no network call but the last).
config=${AWS_CONFIG_FILE:-$HOME/.aws/config}
credentials=${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}
profile=${AWS_PROFILE:-${AWS_DEFAULT_PROFILE:-}}
has_profile() { # <name>
  { [ -f "$credentials" ] && grep -Eq "^\[[[:space:]]*$1[[:space:]]*\]" "$credentials"; } ||
    { [ -f "$config" ] && grep -Eq "^\[[[:space:]]*(profile[[:space:]]+)?$1[[:space:]]*\]" "$config"; }
}
if [ -n "${AWS_ACCESS_KEY_ID:-}" ] && [ -n "${AWS_SECRET_ACCESS_KEY:-}" ]; then
  :
elif [ -n "$profile" ]; then
  has_profile "$profile" || missing "AWS credentials: AWS_PROFILE=$profile is not in $credentials or $config."
elif [ -n "${AWS_WEB_IDENTITY_TOKEN_FILE:-}" ] && [ -n "${AWS_ROLE_ARN:-}" ]; then
  :
elif [ -n "${AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:-}${AWS_CONTAINER_CREDENTIALS_FULL_URI:-}" ]; then
  :
elif has_profile default; then
  :
elif curl -fsS -m 1 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 10' -o /dev/null http://169.254.169.254/latest/api/token 2>/dev/null; then
  : # instance credentials
else
  missing "AWS credentials (no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, default profile in $credentials or $config, web identity, container or instance role). Run 'aws configure' or 'aws sso login', or set AWS_PROFILE."
fi

# A region: from the tfvars file, the environment or the profile.
if ! grep -Eq '^[[:space:]]*region[[:space:]]*=[[:space:]]*"[a-z]' "$tf_dir/$vars_file" &&
  [ -z "${AWS_REGION:-${AWS_DEFAULT_REGION:-}}" ] &&
  ! { [ -f "$config" ] && grep -Eq '^[[:space:]]*region[[:space:]]*=' "$config"; }; then
  missing "an AWS region: set region in terraform/$vars_file, or AWS_REGION."
fi
