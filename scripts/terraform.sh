#!/usr/bin/env bash
# terraform with the provider source of scripts/terraform-providers.sh (registry, or the filesystem mirror where
# the registry does not answer). make plan/deploy/destroy run terraform through this. The generated CLI
# configuration lives in terraform/.terraform/ (ignored by git) so every step of one make run agrees.
set -eu -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
state="$here/../terraform/.terraform"
mkdir -p "$state"
. "$here/terraform-providers.sh"
tf_providers_setup "$state"
exec terraform "$@"
