# morpheus-ha: every developer and CI command. `make test` is what CI runs.
STACK ?= dev
GO    ?= go

.PHONY: all test vet unit plan build fmt clean

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

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf build
