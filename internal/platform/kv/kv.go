// Package kv is the small key-value store with expiry that holds Luneo's
// short-lived state: single-use nonces, refresh tokens, caches and rate-limit
// counters. Two backends implement Store: Redis for production deployments
// that run one, and the application's SQL database (SQLite or PostgreSQL) so
// the embedded setup needs no extra service.
//
// A key holds either a plain value (Set, SetNX, Get, Take) or a counter (Incr),
// never both: callers keep the two uses in separate key spaces, and reading a
// counter with Get, or counting on a plain value, gives unspecified results.
// Delete works on both, which is how a caller resets a counter early.
package kv

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxKeyLen is the longest accepted key in bytes. Keys are identifiers such as
// "nonce:" plus a token hash, so anything longer is a caller bug, not data.
const MaxKeyLen = 512

// Errors every backend returns (possibly wrapped) so callers can branch with errors.Is.
var (
	// ErrNotFound means the key holds no live value: it was never set, was
	// deleted or taken, or has expired.
	ErrNotFound = errors.New("kv: not found")
	// ErrInvalidKey means the key is empty, longer than MaxKeyLen, or not text.
	ErrInvalidKey = errors.New("kv: invalid key")
	// ErrInvalidTTL means a ttl or window is not positive.
	ErrInvalidTTL = errors.New("kv: invalid ttl")
)

// Store is what every kv backend provides. All operations are safe for
// concurrent use, and each one is atomic on its own. Durations have millisecond
// resolution in every backend; shorter positive ones are rounded up.
type Store interface {
	// Set stores value under key for ttl (ttl must be > 0), replacing any value
	// and any remaining lifetime.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// SetNX stores value for ttl only if key holds no live value, and reports
	// whether it stored. Among concurrent callers on the same key at most one
	// gets true.
	SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error)
	// Get returns the live value under key, or ErrNotFound.
	Get(ctx context.Context, key string) ([]byte, error)
	// Take returns the live value under key and deletes it in one atomic step,
	// so among concurrent callers exactly one gets it and the others get
	// ErrNotFound. This is what makes nonces and refresh tokens single-use.
	Take(ctx context.Context, key string) ([]byte, error)
	// Delete removes key, value or counter; a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// DeleteIf removes key only if it holds the live value value, and reports
	// whether it did, in one atomic step. This is how the holder of a lease
	// (a SetNX with a token of its own) gives it back: once the lease expired
	// and someone else took the key, the old holder's DeleteIf finds another
	// token and leaves the new lease alone.
	DeleteIf(ctx context.Context, key string, value []byte) (bool, error)
	// Incr adds 1 to the counter at key and returns the new count. The first
	// call (or the first after the window ended) starts the counter at 1 and a
	// window that ends window later; later calls in that window neither extend
	// it nor change its length, whatever window they pass. This is fixed-window
	// rate limiting, and resetIn, the time left until the window ends, is what
	// a Retry-After header needs.
	Incr(ctx context.Context, key string, window time.Duration) (count int64, resetIn time.Duration, err error)
	// Ping reports whether the backend is reachable.
	Ping(ctx context.Context) error
}

// validateKey rejects keys that no backend can store the same way. Text-only
// keys matter because PostgreSQL's TEXT refuses NUL bytes and invalid UTF-8
// while SQLite and Redis accept them, and the backends must behave alike.
func validateKey(key string) error {
	switch {
	case key == "":
		return fmt.Errorf("%w: empty", ErrInvalidKey)
	case len(key) > MaxKeyLen:
		return fmt.Errorf("%w: %d bytes, at most %d allowed", ErrInvalidKey, len(key), MaxKeyLen)
	case !utf8.ValidString(key):
		return fmt.Errorf("%w: not valid UTF-8", ErrInvalidKey)
	case strings.IndexByte(key, 0) >= 0:
		return fmt.Errorf("%w: contains a NUL byte", ErrInvalidKey)
	}
	return nil
}

// validateTTL rejects a lifetime that would store something already expired
// (or, in Redis, forever).
func validateTTL(what string, d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("%w: %s %v, must be > 0", ErrInvalidTTL, what, d)
	}
	return nil
}

// millis converts d to whole milliseconds, rounding up, so that a tiny
// positive ttl still lives for 1ms instead of becoming 0 (expired in SQL,
// an error in Redis).
func millis(d time.Duration) int64 {
	ms := int64(d / time.Millisecond)
	if d%time.Millisecond != 0 {
		ms++
	}
	return ms
}
