package kv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"
)

// redisEnv is the variable holding a Redis URL for tests.
const redisEnv = "LUNEO_TEST_REDIS"

// newTestRedis connects to the test Redis under a random prefix, so parallel
// test runs sharing one Redis never see each other's keys, and deletes that
// prefix's keys when the test ends.
func newTestRedis(t *testing.T) *Redis {
	t.Helper()
	rawURL := os.Getenv(redisEnv)
	if rawURL == "" {
		t.Skipf("Redis tests skipped: set %s=redis://… to run them", redisEnv)
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	prefix := "luneo-test:" + hex.EncodeToString(b[:]) + ":"
	r, err := OpenRedis(context.Background(), rawURL, prefix)
	if err != nil {
		t.Fatalf("open %s: %v", redisEnv, err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		iter := r.client.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			r.client.Del(ctx, iter.Val())
		}
		if err := iter.Err(); err != nil {
			t.Errorf("clean up test keys: %v", err)
		}
		_ = r.Close()
	})
	return r
}

func TestRedisConformance(t *testing.T) {
	t.Parallel()
	if os.Getenv(redisEnv) == "" {
		t.Skipf("Redis tests skipped: set %s=redis://… to run them", redisEnv)
	}
	runConformance(t, func(t *testing.T) Store { return newTestRedis(t) })
}

// TestRedisKeysExpire checks what the conformance suite cannot see: the keys
// really carry the prefix, and a counter always has an expiry, even one that
// was left without (as an INCR followed by a crash before PEXPIRE would).
func TestRedisKeysExpire(t *testing.T) {
	t.Parallel()
	r := newTestRedis(t)
	ctx := context.Background()
	mustSet(t, r, "v", "x", time.Minute)
	if got, err := r.client.Get(ctx, r.prefix+"v").Result(); err != nil || got != "x" {
		t.Fatalf("raw GET of prefixed key = %q, %v; want %q", got, err, "x")
	}
	if err := r.client.Set(ctx, r.prefix+"c", 5, 0).Err(); err != nil {
		t.Fatalf("raw SET: %v", err)
	}
	n, resetIn := mustIncr(t, r, "c", time.Minute)
	if n != 6 || resetIn <= 0 || resetIn > time.Minute {
		t.Fatalf("Incr of counter without expiry = %d, resetIn %v; want 6 and resetIn in (0, 1m]", n, resetIn)
	}
	if ttl, err := r.client.PTTL(ctx, r.prefix+"c").Result(); err != nil || ttl <= 0 {
		t.Fatalf("PTTL after Incr = %v, %v; want > 0", ttl, err)
	}
}

func TestOpenRedisErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if _, err := OpenRedis(ctx, "http://example.com", ""); err == nil {
		t.Error("OpenRedis of an http URL: no error")
	}
	_, err := OpenRedis(ctx, "redis://user:s3cret@local host:6379/0", "")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("OpenRedis of a malformed URL: err = %v, want an error without the password", err)
	}
	// Port 1 on loopback refuses connections, so this fails fast.
	_, err = OpenRedis(ctx, "redis://127.0.0.1:1/0", "")
	if err == nil || !strings.Contains(err.Error(), "Redis at 127.0.0.1:1 is unreachable") {
		t.Errorf("OpenRedis of a closed port: err = %v, want it to name the unreachable address", err)
	}
}
