# portspec's tasks. `make test` is the one command that runs every test; it
# installs what the tests need first (see scripts/deps.sh), so it works on a
# fresh machine. .ci/run calls it with CI=true.

GO          ?= go
FUZZTIME    ?= 20s
# staticcheck runs at a fixed version through `go run PKG@VERSION`, outside
# this module's requirements (see tools.go).
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
# actionlint (the workflows and action.yml) and goreleaser (release builds,
# .goreleaser.yaml) the same way: goreleaser's module graph is hundreds of
# modules, which a tool line in go.mod would put into the graph of every
# module that requires portspec. The tests read these two lines.
ACTIONLINT  ?= github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
GORELEASER  ?= github.com/goreleaser/goreleaser/v2@v2.15.1

.PHONY: all generate check test unit deps tools fuzz bench e2e vet lint-actions snapshot release

all: generate test

## generate: regenerate generated/ from spec/ (the same as `go generate ./...`)
generate:
	$(GO) generate ./...

## check: fail when generated/ is stale or go generate leaves anything changed
check:
	$(GO) run ./cmd/portspec generate --check
	$(GO) generate ./...
	@test -z "$$(git status --porcelain --untracked-files=all)" || \
		{ git status --porcelain --untracked-files=all; echo "the tree changed after go generate (or has untracked files): run 'go generate ./...' and commit"; exit 1; }

## deps: install the system packages and build the servers the tests use
deps:
	bash scripts/deps.sh

## tools: download and build the tools the tests run with go run (the
## tests run them offline, GOPROXY=off)
tools:
	$(GO) run $(ACTIONLINT) -version >/dev/null
	$(GO) run $(GORELEASER) --version >/dev/null

## vet: go vet, gofmt and staticcheck over the main module
vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: the files above need formatting"; exit 1; }
	$(GO) run $(STATICCHECK) ./...

## unit: the main module's tests (fast, offline; under CI=true also the
## system tests, whose first release snapshot build takes minutes), then
## the targets run at once under the race detector
unit: vet
	$(GO) test -timeout 20m ./...
	$(GO) test -race -run '^TestTargetsRunAtOnce$$' ./gen/targets

## fuzz: run every fuzz target for a short, bounded time
fuzz:
	bash scripts/fuzz.sh $(FUZZTIME)

## e2e: validation against the real Cilium CRDs and a real kube-apiserver,
## then the generated Cilium policies through Cilium's own policy engine
## (e2e/engine, a module of its own; -v shows the flows it still lists as
## known failures)
e2e:
	@if [ -d e2e ]; then cd e2e && $(GO) test ./...; else echo "e2e: no e2e module yet"; fi
	cd e2e/engine && $(GO) vet ./... && $(GO) test -v ./...

## test: every test: deps, tools, unit, fuzz, e2e and the generated-code check
test: deps tools unit fuzz e2e check

## bench: the benchmarks whose figures docs/performance.md reports
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## lint-actions: actionlint over the workflows (and, through them, action.yml)
lint-actions:
	$(GO) run $(ACTIONLINT) .github/workflows/*.yml examples/downstream/.github/workflows/*.yml

## snapshot: the release build of the CLI without publishing (dist/)
snapshot:
	$(GO) run $(GORELEASER) release --snapshot --clean

## release: build and publish a release of the tag checked out (the release
## workflow runs it; needs GITHUB_TOKEN)
release:
	$(GO) run $(GORELEASER) release --clean
