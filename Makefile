# ImagePattern — every target lists itself in `make help`.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

CONFIGURATION ?= Release
DOTNET_FLAGS := --nologo -c $(CONFIGURATION)
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[1m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# npm writes node_modules/.package-lock.json on every install: a cheap "is it current" stamp.
node_modules/.package-lock.json: package.json package-lock.json
	@scripts/require.sh node
	npm ci --no-audit --no-fund

.PHONY: deps
deps: node_modules/.package-lock.json ## Install the node side (emulators, bench peer) and restore NuGet packages (engines' native libraries included)
	@scripts/require.sh dotnet
	dotnet restore ImagePattern.sln --nologo

.PHONY: build
build: deps ## Build the solution (Release by default; CONFIGURATION=Debug to change)
	dotnet build ImagePattern.sln $(DOTNET_FLAGS) --no-restore

# The packaging tests publish the Native AOT bootstrap for both architectures and start the arm64 one under qemu.
.PHONY: test
test: build ## Run every test: unit, imaging, integration, end to end, drills, packaging, the emulators' Node tests
	@scripts/require.sh python3 aot-x86_64 aot-arm64 qemu-arm64
	scripts/test.sh $(DOTNET_FLAGS) --no-build

# The whole pipeline on this machine: emulators on 127.0.0.1, the packaged bootstrap (the artifact that deploys)
# behind the Runtime API emulator and the local event-source-mapping poller.
# IMAGE_ENGINE=skia|libvips (default skia) reaches the function's environment through the tool.
IMAGE_ENGINE ?= skia
export IMAGE_ENGINE
TOOL := dotnet src/ImagePattern.Tool/bin/$(CONFIGURATION)/net10.0/imagepattern.dll
HOST_ARCH := $(if $(filter aarch64 arm64,$(shell uname -m)),arm64,x86_64)
HOST_PACKAGE := artifacts/function-$(HOST_ARCH).zip
IMAGES ?=
REPORT ?=
EVENT ?=
# s3-notification | sns-fanout | eventbridge: the route uploads take (Terraform's `trigger`); the fan-out modes add the metadata consumer.
TRIGGER ?= s3-notification

.PHONY: local
local: build $(HOST_PACKAGE) ## Run the pipeline end to end locally (TRIGGER=s3-notification|sns-fanout|eventbridge, IMAGE_ENGINE=skia|libvips, IMAGES=<dir>, REPORT=<file>: the report only, the rest stays in .local/); exit 0 only if every upload ends as expected
	@case "$(TRIGGER)" in s3-notification|sns-fanout|eventbridge) ;; *) echo "TRIGGER must be s3-notification, sns-fanout or eventbridge (got '$(TRIGGER)')" >&2; exit 2;; esac
	$(TOOL) local --trigger "$(TRIGGER)" $(if $(IMAGES),--images "$(IMAGES)") $(if $(REPORT),--report "$(REPORT)")

.PHONY: local-up
local-up: build $(HOST_PACKAGE) ## Keep the local stack and poller(s) running for manual uploads (TRIGGER= and IMAGE_ENGINE= as for local; Ctrl-C to stop)
	$(TOOL) local-up --trigger "$(TRIGGER)"

# invoke and status keep stdout for their own answer (invoke's is the handler's JSON): the build talks on stderr.
.PHONY: invoke
invoke: ## Send one SQS event (EVENT=<file>) to the handler against the running local stack
	@if [ -z "$(EVENT)" ]; then echo "usage: make invoke EVENT=<sqs-event.json>" >&2; exit 2; fi
	@$(MAKE) -s build $(HOST_PACKAGE) >&2
	@$(TOOL) invoke --event "$(EVENT)"

.PHONY: status
status: ## Queue depth, in-flight, DLQ depth and task counts of every consumer of the running local stack
	@$(MAKE) -s build >&2
	@$(TOOL) status

# Operating (runbook: docs/operations.md). With QUEUE_URL / DLQ_URL these act on AWS as the standard AWS environment
# describes it (AWS_PROFILE, AWS_REGION, ...); left empty, on the running local stack (make local-up).
# e.g. make backfill BUCKET=$$(terraform -chdir=terraform output -raw source_bucket_name) \
#        QUEUE_URL=$$(terraform -chdir=terraform output -raw queue_url) PREFIX=photos/ DRY_RUN=1
BUCKET ?=
PREFIX ?=
SINCE ?=
QUEUE_URL ?=
DLQ_URL ?=
DRY_RUN ?=
YES ?=
CONSUMER ?=

.PHONY: backfill
backfill: build ## Re-enqueue existing objects as S3 notifications (BUCKET, QUEUE_URL, PREFIX, SINCE, DRY_RUN=1, CONSUMER local); idempotent
	$(TOOL) backfill $(if $(QUEUE_URL),--queue-url "$(QUEUE_URL)",--local) $(if $(BUCKET),--bucket "$(BUCKET)") $(if $(CONSUMER),--consumer "$(CONSUMER)") \
	  $(if $(PREFIX),--prefix "$(PREFIX)") $(if $(SINCE),--since "$(SINCE)") $(if $(DRY_RUN),--dry-run)

.PHONY: redrive
redrive: build ## Move dead-lettered messages back to the queue after a count and a prompt (DLQ_URL, QUEUE_URL, YES=1, CONSUMER local)
	$(TOOL) redrive $(if $(DLQ_URL),--dlq-url "$(DLQ_URL)",--local) $(if $(QUEUE_URL),--queue-url "$(QUEUE_URL)") $(if $(CONSUMER),--consumer "$(CONSUMER)") $(if $(YES),--yes)

# Least privilege, proven (docs/permissions.md): the requests the functions and pollers made in recorded local runs,
# evaluated against the policies the Terraform renders. Its npm packages (@cloud-copilot/iam-simulate) are
# AGPL-3.0-or-later and live in tools/permissions only; to drop the check, delete that folder, this block and the
# permissions step of scripts/test.sh (docs/licences.md).
PERMISSIONS_LOG ?= tools/permissions/fixtures/requests.jsonl

.PHONY: permissions
permissions: ## Evaluate the recorded requests (PERMISSIONS_LOG) against the Terraform's policies for every trigger -> docs/permissions.md; fails naming each denied request and unused grant
	@scripts/require.sh node
	PERMISSIONS_RECORD_NAME=$(PERMISSIONS_LOG) tools/permissions/run.sh $(PERMISSIONS_LOG) docs/permissions.md

.PHONY: permissions-record
permissions-record: build $(HOST_PACKAGE) ## Re-record tools/permissions/fixtures/requests.jsonl from the end-to-end tests, the drills and make local's packaged bootstrap for each trigger, then make permissions
	tools/permissions/record.sh
	$(MAKE) permissions

.PHONY: drills
drills: build $(HOST_PACKAGE) ## Failure drills on the local stack; regenerates docs/reliability.md and the cost section of docs/operations.md
	IMAGEPATTERN_WRITE_DOCS=1 dotnet test tests/ImagePattern.Tool.Tests $(DOTNET_FLAGS) --no-build --filter "Category=Drill"

# Benchmarks
# Debian's python3 has Pillow (python3-pil) for the pillow peer and the PSNR scoring; a pyenv python3 may not.
BENCH_PYTHON := $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)
# Suites: thumbnails, cold-start, handler-overhead, end-to-end, poller-overhead; "pipeline" = the last four.
# e.g. make bench BENCH_SUITES=pipeline, or BENCH_ARGS="--inputs jpeg-24mp --tools imagepattern,sharp"
BENCH_SUITES ?= all
BENCH_ARGS ?=

.PHONY: bench
bench: deps $(HOST_PACKAGE) ## Benchmarks (IMAGE_ENGINE picks the pipeline suites' engine): both engines vs peers, cold start, handler/poller overhead, metadata, local end to end -> bench/latest.{json,md}, docs/benchmarks.md, the README summary
	@bench/install-peers.sh
	$(BENCH_PYTHON) bench/run.py --suites $(BENCH_SUITES) $(BENCH_ARGS)
	@$(BENCH_PYTHON) bench/splice-readme.py

.PHONY: clean
clean: ## Remove build output, bench work files and the local stack's state
	dotnet clean ImagePattern.sln --nologo -v quiet >/dev/null 2>&1 || true
	rm -rf src/*/bin src/*/obj tests/*/bin tests/*/obj bench/*/bin bench/*/obj bench/work artifacts .local

# =============================================================================================
# Terraform and packaging
# =============================================================================================
# ENV selects terraform/environments/$(ENV).tfvars, a Terraform workspace of the same name (so
# environments never share state) and, when present, environments/$(ENV).s3.tfbackend for
# remote state (see terraform/README.md). ARCH defaults to the `architecture` set in that tfvars
# file, else x86_64; plan/deploy pass it to Terraform, so the zip and the function always agree.
ENV ?= dev
TF_DIR := terraform
TF_VARS_FILE := environments/$(ENV).tfvars
TF_BACKEND_FILE := environments/$(ENV).s3.tfbackend
ARCH ?= $(or $(shell sed -n 's/^[[:space:]]*architecture[[:space:]]*=[[:space:]]*"\([a-z0-9_]*\)".*/\1/p' $(TF_DIR)/$(TF_VARS_FILE) 2>/dev/null),x86_64)
PACKAGE = artifacts/function-$(ARCH).zip
TF_ARGS = -input=false -var-file=$(TF_VARS_FILE) -var=architecture=$(ARCH)
# AUTO_APPROVE=1 applies or destroys without the interactive prompt (CI).
AUTO_APPROVE ?=
# terraform through scripts/terraform.sh: providers from the registry, or from the filesystem mirror where the
# registry does not answer (scripts/terraform-providers.sh).
TF := scripts/terraform.sh
# Offline 6.x schema checks (CI runs them after make test); the stand-in for make validate without terraform.
TFCHECK ?= ../shared/tfcheck/run
HAVE_TERRAFORM := $(shell command -v terraform >/dev/null 2>&1 && echo yes)

.PHONY: package
package: $(PACKAGE) ## Build the Lambda zip artifacts/function-<ARCH>.zip (ARCH=x86_64|arm64): Native AOT bootstrap, reproducible to the byte

# Rebuilt only when what goes into the bootstrap changed (a Native AOT publish takes a minute or two).
PACKAGE_SOURCES := $(shell find src/ImagePattern.Function src/ImagePattern.Imaging \( -name '*.cs' -o -name '*.csproj' -o -name '*.targets' -o -name '*.Substitutions.xml' \) -not -path '*/obj/*' -not -path '*/bin/*') \
  Directory.Build.props Directory.Packages.props global.json scripts/package.py
artifacts/function-%.zip: $(PACKAGE_SOURCES)
	@scripts/require.sh dotnet python3 aot-$*
	python3 scripts/package.py --arch $* --output $@

# Internal steps (no help line). tf-require runs first and stops within seconds, before any packaging, with one
# line naming what is missing: terraform, the tfvars file, the AWS provider, AWS credentials or a region.
.PHONY: tf-require tf-init
tf-require:
	@scripts/terraform-preflight.sh $(TF_VARS_FILE)

tf-init: tf-require
	$(TF) -chdir=$(TF_DIR) init -input=false $(if $(wildcard $(TF_DIR)/$(TF_BACKEND_FILE)),-reconfigure -backend-config=$(TF_BACKEND_FILE))
	$(TF) -chdir=$(TF_DIR) workspace select -or-create $(ENV)

.PHONY: plan
plan: tf-require package tf-init ## Check terraform, provider and credentials, package, then plan ENV (default dev) into terraform/<ENV>.tfplan
	$(TF) -chdir=$(TF_DIR) plan $(TF_ARGS) -out=$(ENV).tfplan

.PHONY: deploy
deploy: tf-require package tf-init ## Check, package, then apply the stack of ENV (asks first; AUTO_APPROVE=1 does not)
	$(TF) -chdir=$(TF_DIR) apply $(TF_ARGS) $(if $(AUTO_APPROVE),-auto-approve)

# Even a destroy plan hashes the package, so build it if it is not there.
.PHONY: destroy
destroy: tf-require tf-init ## Destroy the stack of ENV (asks first; AUTO_APPROVE=1 does not)
	@test -f $(PACKAGE) || $(MAKE) package ARCH=$(ARCH)
	$(TF) -chdir=$(TF_DIR) destroy $(TF_ARGS) $(if $(AUTO_APPROVE),-auto-approve)

.PHONY: fmt
fmt: ## Format the Terraform files with terraform fmt; without terraform, report what the offline checker would change
ifeq ($(HAVE_TERRAFORM),yes)
	@echo "fmt: terraform fmt -recursive $(TF_DIR)"
	@terraform fmt -recursive $(TF_DIR)
else
	@test -x $(TFCHECK) || { echo "fmt: neither terraform nor $(TFCHECK) is available. Install terraform >= 1.11." >&2; exit 1; }
	@echo "fmt: terraform is not installed; running the offline checks ($(TFCHECK)), which report formatting but do not rewrite"
	@$(TFCHECK) $(TF_DIR)
endif

.PHONY: validate
validate: ## Real terraform on every folder: fmt -check, init/validate/test (mocked), the bucket apply order; else the offline checks
ifeq ($(HAVE_TERRAFORM),yes)
	@scripts/terraform-validate.sh
else
	@test -x $(TFCHECK) || { echo "validate: neither terraform nor $(TFCHECK) is available. Install terraform >= 1.11." >&2; exit 1; }
	@echo "validate: terraform is not installed; running the offline checks ($(TFCHECK)): fmt, provider schema, references, IAM, workflows"
	@$(TFCHECK) $(TF_DIR)
endif
