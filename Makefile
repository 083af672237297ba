# Luneo: `make run` starts the platform on embedded defaults, `make test` runs
# every test. Go downloads the modules it needs on first use; the browser
# bundles (`make web`, which run, build and test do first) also need Node.js
# and npm, which install web/'s packages on first use. Plain `go build` and
# `go test` work without them: pages then say the 3D preview is unavailable.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run build test test-race lint bench clean web

## web: bundle web/src (TypeScript: 3D viewer, zone editor) and the 3D decoders
## into internal/web/static/dist, which the binary embeds (npm ci on first use)
web:
	$(GO) run ./cmd/webbuild

## run: start Luneo at http://localhost:8080 (SQLite and files under ./data)
run: web
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/luneo dev

## build: build the luneo binary into bin/
build: web
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/luneo ./cmd/luneo

## test: run the whole test suite (external backends when LUNEO_TEST_* are set);
## the web bundles are type-checked and built first, for the browser tests
test:
	$(GO) run ./cmd/webbuild -typecheck
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

## test-race: the same with the race detector (slow first build)
test-race: web
	$(GO) test -race -count=1 -timeout 30m ./...

## lint: formatting, vet and the TypeScript type check
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) run ./cmd/webbuild -typecheck

## bench: Go benchmarks plus the start-up/memory script
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	./bench/startup.sh

clean:
	rm -rf bin internal/web/static/dist
