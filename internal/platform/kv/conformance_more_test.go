package kv

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// racers is how many goroutines hit one key at once in the concurrency tests:
// more than PostgreSQL's pool in tests, so some of them queue for connections.
const racers = 50

func testIncr(t *testing.T, s Store) {
	n, first := mustIncr(t, s, "c", longTTL)
	if n != 1 || first <= 0 || first > longTTL {
		t.Fatalf("first Incr = %d, resetIn %v; want 1 and resetIn in (0, %v]", n, first, longTTL)
	}
	for want := int64(2); want <= 3; want++ {
		n, resetIn := mustIncr(t, s, "c", longTTL)
		if n != want {
			t.Fatalf("Incr = %d, want %d", n, want)
		}
		if resetIn <= 0 || resetIn > first {
			t.Fatalf("Incr #%d resetIn = %v, want in (0, %v]: the window must not move", want, resetIn, first)
		}
	}
	// A later call's window does not stretch the running one.
	n, resetIn := mustIncr(t, s, "c", 24*time.Hour)
	if n != 4 || resetIn > first {
		t.Fatalf("Incr with a longer window = %d, resetIn %v; want 4 and resetIn <= %v", n, resetIn, first)
	}
	if n, _ := mustIncr(t, s, "other", longTTL); n != 1 {
		t.Fatalf("Incr of another key = %d, want 1", n)
	}
}

func testIncrWindowReset(t *testing.T, s Store) {
	n, resetIn := mustIncr(t, s, "w", shortTTL)
	if n != 1 || resetIn <= 0 || resetIn > shortTTL {
		t.Fatalf("Incr = %d, resetIn %v; want 1 and resetIn in (0, %v]", n, resetIn, shortTTL)
	}
	expire(t, s, "w")
	// The next call starts a new window with its own length.
	n, resetIn = mustIncr(t, s, "w", longTTL)
	if n != 1 || resetIn <= shortTTL || resetIn > longTTL {
		t.Fatalf("Incr after the window = %d, resetIn %v; want 1 and resetIn in (%v, %v]", n, resetIn, shortTTL, longTTL)
	}
}

func testValidation(t *testing.T, s Store) {
	ctx := context.Background()
	v := []byte("v")
	ops := map[string]func(key string, ttl time.Duration) error{
		"Set": func(k string, ttl time.Duration) error { return s.Set(ctx, k, v, ttl) },
		"SetNX": func(k string, ttl time.Duration) error {
			_, err := s.SetNX(ctx, k, v, ttl)
			return err
		},
		"Get": func(k string, _ time.Duration) error {
			_, err := s.Get(ctx, k)
			return err
		},
		"Take": func(k string, _ time.Duration) error {
			_, err := s.Take(ctx, k)
			return err
		},
		"Delete": func(k string, _ time.Duration) error { return s.Delete(ctx, k) },
		"Incr": func(k string, ttl time.Duration) error {
			_, _, err := s.Incr(ctx, k, ttl)
			return err
		},
	}
	badKeys := []string{"", strings.Repeat("k", MaxKeyLen+1), "a\x00b", "bad\xffutf8"}
	for name, op := range ops {
		for _, key := range badKeys {
			if err := op(key, longTTL); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("%s(key of %d bytes %.12q…): err = %v, want ErrInvalidKey", name, len(key), key, err)
			}
		}
	}
	for _, name := range []string{"Set", "SetNX", "Incr"} {
		for _, ttl := range []time.Duration{0, -time.Second} {
			if err := ops[name]("k", ttl); !errors.Is(err, ErrInvalidTTL) {
				t.Errorf("%s(ttl %v): err = %v, want ErrInvalidTTL", name, ttl, err)
			}
		}
	}
	// A refused call leaves nothing behind.
	wantNotFound(t, s, "k")
	if n, _ := mustIncr(t, s, "k", longTTL); n != 1 {
		t.Errorf("Incr after refused Incr calls = %d, want 1", n)
	}
}

// race runs fn(i) in racers goroutines released together, so they really
// contend for the same key instead of running one after another.
func race(fn func(i int)) {
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() {
			<-start
			fn(i)
		})
	}
	close(start)
	wg.Wait()
}

func testConcurrentTake(t *testing.T, s Store) {
	mustSet(t, s, "nonce", "secret", longTTL)
	var mu sync.Mutex
	winners := 0
	race(func(int) {
		v, err := s.Take(context.Background(), "nonce")
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			t.Errorf("Take: %v", err)
		case string(v) != "secret":
			t.Errorf("Take = %q, want %q", v, "secret")
		default:
			mu.Lock()
			winners++
			mu.Unlock()
		}
	})
	if winners != 1 {
		t.Fatalf("%d of %d concurrent Takes got the value, want exactly 1", winners, racers)
	}
	wantNotFound(t, s, "nonce")
}

func testConcurrentSetNX(t *testing.T, s Store) {
	var mu sync.Mutex
	var winners []int
	race(func(i int) {
		ok, err := s.SetNX(context.Background(), "lock", []byte(fmt.Sprint(i)), longTTL)
		if err != nil {
			t.Errorf("SetNX #%d: %v", i, err)
			return
		}
		if ok {
			mu.Lock()
			winners = append(winners, i)
			mu.Unlock()
		}
	})
	if len(winners) != 1 {
		t.Fatalf("concurrent SetNX winners = %v, want exactly 1", winners)
	}
	// The stored value is the winner's, not overwritten by a loser.
	wantValue(t, s, "lock", fmt.Sprint(winners[0]))
}

func testConcurrentIncr(t *testing.T, s Store) {
	const perRacer = 10
	var mu sync.Mutex
	seen := make(map[int64]int)
	race(func(int) {
		for range perRacer {
			n, _, err := s.Incr(context.Background(), "hits", longTTL)
			if err != nil {
				t.Errorf("Incr: %v", err)
				return
			}
			mu.Lock()
			seen[n]++
			mu.Unlock()
		}
	})
	// Every count from 1 to the total was handed out exactly once: no lost
	// update and no two callers told the same number.
	const total = racers * perRacer
	for n := int64(1); n <= total; n++ {
		if seen[n] != 1 {
			t.Fatalf("count %d returned %d times, want once (%d distinct counts seen)", n, seen[n], len(seen))
		}
	}
	if n, _ := mustIncr(t, s, "hits", longTTL); n != total+1 {
		t.Fatalf("count after %d concurrent Incr = %d, want %d", total, n-1, total)
	}
}
