//go:build !luneotest

package main

import "github.com/luneo/luneo/internal/platform/blob"

// withTestHooks returns blobs unchanged: the hooks that let the crash test
// stop a worker at a chosen point exist only in binaries built with
// -tags luneotest (testhook_luneotest.go), never in a release.
func withTestHooks(blobs blob.Store) blob.Store { return blobs }
