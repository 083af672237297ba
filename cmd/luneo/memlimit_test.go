package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestDefaultMemoryLimit checks that dev sets the Go runtime's soft memory
// limit to DefaultMemoryLimit, and leaves it alone when GOMEMLIMIT is set
// (the runtime applied that one at start).
func TestDefaultMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })

	p := start(t, "dev", map[string]string{"LUNEO_ADDR": "127.0.0.1:0", "LUNEO_DATA": t.TempDir()})
	if got := debug.SetMemoryLimit(-1); got != DefaultMemoryLimit {
		t.Errorf("memory limit after dev started: %d, want %d", got, DefaultMemoryLimit)
	}
	p.stop(t)

	debug.SetMemoryLimit(math.MaxInt64)
	p = start(t, "dev", map[string]string{"LUNEO_ADDR": "127.0.0.1:0", "LUNEO_DATA": t.TempDir(), "GOMEMLIMIT": "2GiB"})
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("memory limit with GOMEMLIMIT set: %d, want it left to the runtime", got)
	}
	p.stop(t)
}
