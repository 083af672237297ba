package kv

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// shortTTL is what the expiry tests let run out (see expire), longTTL what
// they keep; waitExpired is how far expire moves the SQL store's clock.
const (
	shortTTL    = 150 * time.Millisecond
	waitExpired = 350 * time.Millisecond
	longTTL     = time.Minute
)

// expire makes shortTTL run out for keys in s, without a sleep that hopes it
// did. The SQL store reads an injectable clock: it moves on by waitExpired,
// so every shortTTL key is past its expiry at once. Redis expires keys on
// its own clock: the test waits until each key is gone, polling for the
// answer it expects, and fails if that never comes.
func expire(t *testing.T, s Store, keys ...string) {
	t.Helper()
	if q, ok := s.(*SQL); ok {
		prev := q.now
		q.now = func() time.Time { return prev().Add(waitExpired) }
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, k := range keys {
		for {
			_, err := s.Get(context.Background(), k)
			if errors.Is(err, ErrNotFound) {
				break
			}
			if err != nil {
				t.Fatalf("Get(%q): %v", k, err)
			}
			if time.Now().After(deadline) {
				t.Fatalf("%q is still there 10 s after its %s ttl", k, shortTTL)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// runConformance checks the Store contract against one backend. newStore must
// return a store in which no key from an earlier call is visible.
func runConformance(t *testing.T, newStore func(t *testing.T) Store) {
	t.Run("SetGet", func(t *testing.T) { testSetGet(t, newStore(t)) })
	t.Run("Expiry", func(t *testing.T) { testExpiry(t, newStore(t)) })
	t.Run("SetNX", func(t *testing.T) { testSetNX(t, newStore(t)) })
	t.Run("Take", func(t *testing.T) { testTake(t, newStore(t)) })
	t.Run("Delete", func(t *testing.T) { testDelete(t, newStore(t)) })
	t.Run("DeleteIf", func(t *testing.T) { testDeleteIf(t, newStore(t)) })
	t.Run("DeleteIfAfterExpiry", func(t *testing.T) { testDeleteIfAfterExpiry(t, newStore(t)) })
	t.Run("Incr", func(t *testing.T) { testIncr(t, newStore(t)) })
	t.Run("IncrWindowReset", func(t *testing.T) { testIncrWindowReset(t, newStore(t)) })
	t.Run("Validation", func(t *testing.T) { testValidation(t, newStore(t)) })
	t.Run("Ping", func(t *testing.T) {
		if err := newStore(t).Ping(context.Background()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})
	t.Run("ConcurrentTake", func(t *testing.T) { testConcurrentTake(t, newStore(t)) })
	t.Run("ConcurrentSetNX", func(t *testing.T) { testConcurrentSetNX(t, newStore(t)) })
	t.Run("ConcurrentIncr", func(t *testing.T) { testConcurrentIncr(t, newStore(t)) })
	t.Run("ConcurrentDeleteIf", func(t *testing.T) { testConcurrentDeleteIf(t, newStore(t)) })
}

func testSetGet(t *testing.T, s Store) {
	ctx := context.Background()
	mustSet(t, s, "a", "one", longTTL)
	wantValue(t, s, "a", "one")

	mustSet(t, s, "a", "two", longTTL)
	wantValue(t, s, "a", "two")
	wantNotFound(t, s, "missing")

	// Values are bytes, not text, and may be empty (or nil, stored as empty).
	bin := []byte{0, 0xff, '\n', 0x80}
	if err := s.Set(ctx, "bin", bin, longTTL); err != nil {
		t.Fatalf("Set binary: %v", err)
	}
	wantValue(t, s, "bin", string(bin))
	for _, v := range [][]byte{{}, nil} {
		if err := s.Set(ctx, "empty", v, longTTL); err != nil {
			t.Fatalf("Set(%#v): %v", v, err)
		}
		wantValue(t, s, "empty", "")
	}

	// The longest allowed key works, and a sub-millisecond ttl is rounded up
	// instead of being refused or stored as already expired.
	long := strings.Repeat("k", MaxKeyLen)
	mustSet(t, s, long, "long", longTTL)
	wantValue(t, s, long, "long")
	if err := s.Set(ctx, "tiny", []byte("x"), time.Nanosecond); err != nil {
		t.Fatalf("Set with 1ns ttl: %v", err)
	}
}

func testExpiry(t *testing.T, s Store) {
	mustSet(t, s, "short", "x", shortTTL)
	mustSet(t, s, "long", "y", longTTL)
	// Overwriting replaces the lifetime too: this one now outlives shortTTL.
	mustSet(t, s, "extended", "old", shortTTL)
	mustSet(t, s, "extended", "new", longTTL)
	// And the other way round: a long-lived key can be shortened.
	mustSet(t, s, "shortened", "old", longTTL)
	mustSet(t, s, "shortened", "new", shortTTL)

	expire(t, s, "short", "shortened")
	wantNotFound(t, s, "short")
	wantNotFound(t, s, "shortened")
	wantValue(t, s, "long", "y")
	wantValue(t, s, "extended", "new")
}

func testSetNX(t *testing.T, s Store) {
	ctx := context.Background()
	setNX := func(key, value string, ttl time.Duration, want bool) {
		t.Helper()
		got, err := s.SetNX(ctx, key, []byte(value), ttl)
		if err != nil {
			t.Fatalf("SetNX(%q, %q): %v", key, value, err)
		}
		if got != want {
			t.Fatalf("SetNX(%q, %q) = %v, want %v", key, value, got, want)
		}
	}

	setNX("k", "first", longTTL, true)
	setNX("k", "second", longTTL, false)
	wantValue(t, s, "k", "first")

	mustSet(t, s, "plain", "set", longTTL)
	setNX("plain", "nx", longTTL, false)
	wantValue(t, s, "plain", "set")

	setNX("exp", "old", shortTTL, true)
	expire(t, s, "exp")
	setNX("exp", "new", longTTL, true)
	wantValue(t, s, "exp", "new")

	mustDelete(t, s, "k")
	setNX("k", "again", longTTL, true)
	wantValue(t, s, "k", "again")
}

func testTake(t *testing.T, s Store) {
	ctx := context.Background()
	mustSet(t, s, "nonce", "v", longTTL)
	got, err := s.Take(ctx, "nonce")
	if err != nil || string(got) != "v" {
		t.Fatalf("Take = %q, %v; want %q", got, err, "v")
	}
	wantNotFound(t, s, "nonce")
	if _, err := s.Take(ctx, "nonce"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Take: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Take(ctx, "never-set"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Take of missing key: err = %v, want ErrNotFound", err)
	}

	mustSet(t, s, "stale", "v", shortTTL)
	expire(t, s, "stale")
	if got, err := s.Take(ctx, "stale"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Take of expired key = %q, %v; want ErrNotFound", got, err)
	}

	// A taken key is free again for SetNX, which is how a nonce is reissued.
	mustSet(t, s, "reuse", "v", longTTL)
	if _, err := s.Take(ctx, "reuse"); err != nil {
		t.Fatalf("Take: %v", err)
	}
	if ok, err := s.SetNX(ctx, "reuse", []byte("w"), longTTL); err != nil || !ok {
		t.Fatalf("SetNX after Take = %v, %v; want true", ok, err)
	}
}

func testDelete(t *testing.T, s Store) {
	mustSet(t, s, "d", "v", longTTL)
	mustSet(t, s, "other", "v", longTTL)
	mustDelete(t, s, "d")
	wantNotFound(t, s, "d")
	wantValue(t, s, "other", "v")
	mustDelete(t, s, "d")
	mustDelete(t, s, "never-set")

	// Deleting a counter resets it (for example after a successful login).
	for range 3 {
		mustIncr(t, s, "c", longTTL)
	}
	mustDelete(t, s, "c")
	if n, _ := mustIncr(t, s, "c", longTTL); n != 1 {
		t.Fatalf("Incr after Delete = %d, want 1", n)
	}
}

// mustSet, mustDelete, mustIncr, wantValue and wantNotFound keep the
// scenarios above readable; each fails the test on any unexpected error.

func mustSet(t *testing.T, s Store, key, value string, ttl time.Duration) {
	t.Helper()
	if err := s.Set(context.Background(), key, []byte(value), ttl); err != nil {
		t.Fatalf("Set(%q): %v", key, err)
	}
}

func mustDelete(t *testing.T, s Store, key string) {
	t.Helper()
	if err := s.Delete(context.Background(), key); err != nil {
		t.Fatalf("Delete(%q): %v", key, err)
	}
}

func mustIncr(t *testing.T, s Store, key string, window time.Duration) (int64, time.Duration) {
	t.Helper()
	n, resetIn, err := s.Incr(context.Background(), key, window)
	if err != nil {
		t.Fatalf("Incr(%q): %v", key, err)
	}
	return n, resetIn
}

func wantValue(t *testing.T, s Store, key, want string) {
	t.Helper()
	got, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get(%q): %v, want %q", key, err, want)
	}
	if !bytes.Equal(got, []byte(want)) {
		t.Fatalf("Get(%q) = %q, want %q", key, got, want)
	}
}

func wantNotFound(t *testing.T, s Store, key string) {
	t.Helper()
	got, err := s.Get(context.Background(), key)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(%q) = %q, %v; want ErrNotFound", key, got, err)
	}
}
