# morpheus-ha: every developer and CI command. `make test` is what CI runs.
STACK ?= dev
GO    ?= go

.PHONY: all test vet unit plan build fmt clean lint-workflows

all: test

## test: static checks and every unit test (CI runs exactly this).
test: vet unit

vet:
	$(GO) vet ./...

unit:
	$(GO) test ./...

## plan: offline synthesis of STACK (dev|prod) under mocks; no AWS, no Pulumi CLI.
plan:
	$(GO) run ./cmd/plan -stack $(STACK)

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

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf build
