# Luneo: `make run` starts the platform on embedded defaults, `make test` runs
# every test. Go downloads the modules it needs on first use; the browser
# bundles (`make web`, which run, build and test do first) also need Node.js
# and npm, which install web/'s packages on first use. Plain `go build` and
# `go test` work without them: pages then say the 3D preview is unavailable.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

# staticcheck is pinned so every machine reports the same findings; `make lint`
# installs it into bin/tools (git-ignored) when it is missing or another version.
STATICCHECK_VERSION := v0.8.2
STATICCHECK         := $(CURDIR)/bin/tools/staticcheck

.PHONY: run build test test-race lint staticcheck-install bench clean web

## web: bundle web/src (TypeScript: 3D viewer, zone editor) and the 3D decoders
## into internal/web/ui/static/dist, which the binary embeds (npm ci on first use)
web:
	$(GO) run ./cmd/webbuild

## run: start Luneo at http://localhost:8080 (SQLite and files under ./data)
run: web
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/luneo dev

## build: build the luneo binary into bin/
build: web
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/luneo ./cmd/luneo

## test: run the whole test suite (external backends when LUNEO_TEST_* are set);
## the web bundles are type-checked and built first, for the browser tests; the
## pure libraries' concurrency tests run again under the race detector
test:
	$(GO) run ./cmd/webbuild -typecheck
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...
	$(GO) test -race -count=1 -run 'Concurrent' ./gltf/... ./raster/... ./usdz/...

## test-race: the same with the race detector (slow first build)
test-race: web
	$(GO) test -race -count=1 -timeout 30m ./...

## lint: formatting, vet, staticcheck and the TypeScript type check
lint: staticcheck-install
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	"$(STATICCHECK)" ./...
	$(GO) run ./cmd/webbuild -typecheck

## staticcheck-install: install staticcheck $(STATICCHECK_VERSION) into bin/tools
## unless that version is already there
staticcheck-install:
	@if ! "$(STATICCHECK)" -version 2>/dev/null | grep -qF "($(STATICCHECK_VERSION:v%=%))"; then \
		echo "installing staticcheck $(STATICCHECK_VERSION) into bin/tools"; \
		GOBIN="$(CURDIR)/bin/tools" $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION); \
	fi

## bench: Go benchmarks plus the start-up/memory script
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	./bench/startup.sh

clean:
	rm -rf bin internal/web/ui/static/dist
