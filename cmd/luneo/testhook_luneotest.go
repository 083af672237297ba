//go:build luneotest

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/luneo/luneo/internal/platform/blob"
)

// withTestHooks is compiled only into the binary the crash test builds
// (go build -tags luneotest). With LUNEO_TEST_HOLD_PUT set to a key prefix
// and LUNEO_TEST_HOLD_FILE to a path, the first Put of a key under that
// prefix writes the key into the file and then waits for its context to
// end, storing nothing: the worker is held mid-job, its work done but not
// yet stored, where the test can see it and kill it. These variables are
// read here rather than in config because no release binary reads them.
func withTestHooks(blobs blob.Store) blob.Store {
	prefix, file := os.Getenv("LUNEO_TEST_HOLD_PUT"), os.Getenv("LUNEO_TEST_HOLD_FILE")
	if prefix == "" || file == "" {
		return blobs
	}
	return &holdingStore{Store: blobs, prefix: prefix, file: file}
}

// holdingStore is a blob.Store whose Puts under prefix never complete.
type holdingStore struct {
	blob.Store
	prefix, file string
}

// Put holds (see withTestHooks) or passes the call on.
func (h *holdingStore) Put(ctx context.Context, key string, r io.Reader, opts blob.PutOptions) (blob.Info, error) {
	if !strings.HasPrefix(key, h.prefix) {
		return h.Store.Put(ctx, key, r, opts)
	}
	if err := os.WriteFile(h.file, []byte(key), 0o600); err != nil {
		return blob.Info{}, fmt.Errorf("test hook: %w", err)
	}
	<-ctx.Done()
	return blob.Info{}, fmt.Errorf("test hook held %s: %w", key, ctx.Err())
}
