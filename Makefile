# Luneo: `make run` starts the platform on embedded defaults, `make test` runs
# every test. Go downloads the modules it needs on first use; nothing else is
# required for the embedded backends.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: run build test test-race lint bench clean

## run: start Luneo at http://localhost:8080 (SQLite and files under ./data)
run:
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/luneo dev

## build: build the luneo binary into bin/
build:
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/luneo ./cmd/luneo

## test: run the whole test suite (external backends when LUNEO_TEST_* are set)
test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 20m ./...

## test-race: the same with the race detector (slow first build)
test-race:
	$(GO) test -race -count=1 -timeout 30m ./...

## lint: formatting and vet
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

## bench: Go benchmarks plus the start-up/memory script
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	./bench/startup.sh

clean:
	rm -rf bin
