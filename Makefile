# morpheus-ha: every developer and CI command. `make test` is what CI runs.
STACK ?= dev
GO    ?= go

.PHONY: all test vet unit policy-test plan build opsfn opsfn-it fmt clean lint-workflows

all: test

## test: static checks and every unit test, the policy pack's included (CI runs exactly this).
test: vet unit policy-test

vet:
	$(GO) vet ./...

# The ops function's integration tests run verbosely, so a log shows whether
# they ran against MariaDB and RabbitMQ or skipped (and why).
INTEGRATION := ./internal/ops/integration/...
unit:
	$(GO) test $$($(GO) list ./... | grep -v /internal/ops/integration)
	$(GO) test -count=1 -v $(INTEGRATION)

## policy-test: vet and test the policy pack (policy/), its own Go module, which
## the root module's ./... patterns do not reach.
policy-test:
	cd policy && $(GO) vet ./... && $(GO) test ./...

## plan: offline synthesis of STACK (dev|prod) under mocks; no AWS, no Pulumi CLI.
## It builds the ops function first: the program refuses to run without its package.
# The ops function's package is built quietly first (the program refuses to run
# without it); a failure still prints. Only the plan, or the validation error
# of a bad stack file, reaches the terminal.
plan:
	@out=$$($(MAKE) --no-print-directory opsfn 2>&1) || { printf '%s\n' "$$out" >&2; exit 1; }
	@$(GO) build -o build/bin/plan ./cmd/plan
	@build/bin/plan -stack $(STACK)

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
