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
deps: node_modules/.package-lock.json ## Install the node side (libvips binaries, emulators) and restore NuGet packages
	@scripts/require.sh dotnet
	dotnet restore ImagePattern.sln --nologo

.PHONY: build
build: deps ## Build the solution (Release by default; CONFIGURATION=Debug to change)
	dotnet build ImagePattern.sln $(DOTNET_FLAGS) --no-restore

.PHONY: test
test: build ## Run every test: unit, imaging, integration, end to end
	dotnet test ImagePattern.sln $(DOTNET_FLAGS) --no-build

.PHONY: clean
clean: ## Remove build output, bench work files and the local stack's state
	dotnet clean ImagePattern.sln --nologo -v quiet >/dev/null 2>&1 || true
	rm -rf src/*/bin src/*/obj tests/*/bin tests/*/obj bench/*/bin bench/*/obj bench/work artifacts .local
