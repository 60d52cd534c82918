# morpheus-ha: every developer and CI command. `make test` is what CI runs.
STACK ?= dev
GO    ?= go

.PHONY: all test fmt-check vet staticcheck unit docs plan build opsfn opsfn-it fmt clean lint-workflows bench policy-test

all: test

## test: static checks and every unit test, the policy pack's included (CI runs exactly this).
test: fmt-check vet staticcheck unit policy-test

## fmt-check: fails, listing them, when tracked Go files are not gofmt-formatted.
fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')) || exit 1; \
	if [ -n "$$out" ]; then printf 'gofmt: these files need formatting (run make fmt):\n%s\n' "$$out" >&2; exit 1; fi

vet:
	$(GO) vet ./...

## staticcheck: honnef.co/go/tools at an exact version (checks in staticcheck.conf).
# Run like actionlint below: `go run mod@version` with the module cache listed
# first as a proxy, so nothing needs preinstalling and a warm cache needs no
# network. It runs after vet, on a warm build cache, and peaks far below the
# compiler (measurements in docs/decisions.md).
STATICCHECK_VERSION ?= v0.8.2
STATICCHECK ?= GOPROXY="file://$$($(GO) env GOMODCACHE)/cache/download,$$($(GO) env GOPROXY)" \
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
staticcheck:
	$(STATICCHECK) ./...

# The ops function's integration tests run verbosely, so a log shows whether
# they ran against MariaDB and RabbitMQ or skipped (and why).
INTEGRATION := ./internal/ops/integration/...
# -ldflags=-w: test binaries without DWARF link about a third faster and
# 0.25 GB smaller each (56 of them, most linking the Pulumi SDK); stack traces
# and testify's error traces come from the symbol table, which stays.
TEST_FLAGS ?= -ldflags=-w
unit:
	$(GO) test $(TEST_FLAGS) $$($(GO) list ./... | grep -v /internal/ops/integration)
	$(GO) test $(TEST_FLAGS) -count=1 -v $(INTEGRATION)

## docs: regenerate the README configuration table and Pulumi.yaml's key
## descriptions (from internal/config) and docs/monitoring.md's alarm table
## (from internal/alarmcatalog); the same tests fail in `make test` when stale.
docs:
	$(GO) test -count=1 ./internal/configdoc ./internal/alarmcatalog \
		-run 'TestREADMETableIsGenerated|TestPulumiYAMLDescriptionsAreGenerated|TestDocsTableMatchesCatalog' -update

## policy-test: vet and test the policy pack (policy/), its own Go module, which
## the root module's ./... patterns do not reach.
policy-test:
	cd policy && $(GO) vet ./... && $(GO) test $(TEST_FLAGS) ./...

## plan: offline synthesis of STACK (dev|staging|prod|dr) under mocks; no AWS, no Pulumi CLI.
## It builds the ops function first: the program refuses to run without its package.
# The ops function's package is built quietly first (the program refuses to run
# without it); a failure still prints. Only the plan, or the validation error
# of a bad stack file, reaches the terminal.
plan:
	@out=$$($(MAKE) --no-print-directory opsfn 2>&1) || { printf '%s\n' "$$out" >&2; exit 1; }
	@$(GO) build -o build/bin/plan ./cmd/plan
	@build/bin/plan -stack $(STACK)

## bench: this machine's cold and warm `make test` (time, peak RSS), warm `make plan STACK=prod`,
## and the dev and prod deploy time estimates. BENCH_COLD=0 skips the cold run (minutes of all cores).
bench:
	@MAKE="$(MAKE)" GO="$(GO)" bash scripts/bench.sh

## build: the program binary Pulumi runs (Pulumi.yaml's buildTarget).
build:
	$(GO) build -o build/bin/morpheus-ha .

## lint-workflows: actionlint (with shellcheck on run: scripts) over .github/workflows.
# Runs actionlint by exact version with `go run`, so nothing needs preinstalling.
# The module cache is listed first as a proxy: plain `go run mod@version` asks the
# proxy about the module even when it is cached, so without this the target would
# need the network every time; on a cold cache the lookup falls through to GOPROXY.
# A preinstalled binary works too: make lint-workflows ACTIONLINT=actionlint
ACTIONLINT_VERSION ?= v1.7.12
ACTIONLINT ?= GOPROXY="file://$$($(GO) env GOMODCACHE)/cache/download,$$($(GO) env GOPROXY)" \
	$(GO) run github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
lint-workflows:
	@command -v shellcheck >/dev/null || { echo "lint-workflows: shellcheck not found; without it run: scripts go unchecked (apt-get install -y shellcheck)" >&2; exit 1; }
	$(ACTIONLINT)

## opsfn: the ops Lambda function (provided.al2023, arm64) as build/opsfn/opsfn.zip, byte-for-byte
## reproducible. OPSFN_CA=<pem> packages that RDS CA bundle as rds-ca.pem (the function's default path).
OPSFN_DIR := build/opsfn
OPSFN_CA  ?=
opsfn:
	mkdir -p $(OPSFN_DIR)
	GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -trimpath -tags lambda.norpc -ldflags='-s -w' \
		-o $(OPSFN_DIR)/bootstrap ./cmd/opsfn
	$(GO) run ./cmd/zipit -o $(OPSFN_DIR)/opsfn.zip $(OPSFN_DIR)/bootstrap $(if $(OPSFN_CA),rds-ca.pem=$(OPSFN_CA))
	$(if $(OPSFN_CA),,@echo "opsfn: OPSFN_CA not set: the package has no RDS CA bundle, so the function's MySQL work fails closed unless OPS_MYSQL_CA_FILE names one")

## opsfn-it: the ops function's tests against real MariaDB and RabbitMQ (as root; installs and starts them).
opsfn-it:
	bash .ci/services.sh build/ci-services.env
	set -a && . ./build/ci-services.env && set +a && $(GO) test -count=1 ./internal/ops/...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf build
