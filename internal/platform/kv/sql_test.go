package kv

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

func TestSQLConformance(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		runConformance(t, func(t *testing.T) Store {
			// One database per dialect serves every scenario (a fresh one each
			// would mean a schema and a migration per scenario); emptying the
			// table gives each scenario the clean store it expects.
			if _, err := d.ExecContext(context.Background(), `DELETE FROM kv`); err != nil {
				t.Fatalf("empty kv table: %v", err)
			}
			return NewSQL(d.DB, nil)
		})
	})
}

// fakeClock is a settable clock for the SQL backend, so expiry edges can be
// tested exactly and without sleeping.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newClock() *fakeClock {
	return &fakeClock{now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func TestSQLPurge(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clock := newClock()
		s := NewSQL(d.DB, clock.Now)
		mustSet(t, s, "old1", "v", time.Second)
		mustSet(t, s, "old2", "v", time.Second)
		mustSet(t, s, "fresh", "v", time.Hour)
		mustIncr(t, s, "counter", time.Second)

		if n, err := s.Purge(ctx); err != nil || n != 0 {
			t.Fatalf("Purge before expiry = %d, %v; want 0", n, err)
		}
		clock.Advance(2 * time.Second)
		if n, err := s.Purge(ctx); err != nil || n != 3 {
			t.Fatalf("Purge = %d, %v; want 3 (two values and a counter)", n, err)
		}
		wantValue(t, s, "fresh", "v")
		var rows int
		if err := d.QueryRowContext(ctx, `SELECT count(*) FROM kv`).Scan(&rows); err != nil || rows != 1 {
			t.Fatalf("rows left after Purge = %d, %v; want 1", rows, err)
		}
		if n, err := s.Purge(ctx); err != nil || n != 0 {
			t.Fatalf("second Purge = %d, %v; want 0", n, err)
		}
	})
}

// TestSQLExpiryEdges pins the boundary: a key is live strictly before
// now+ttl, and expired from that millisecond on, for every operation.
func TestSQLExpiryEdges(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		clock := newClock()
		s := NewSQL(d.DB, clock.Now)
		mustSet(t, s, "k", "v", time.Second)
		mustSet(t, s, "t", "v", time.Second)
		clock.Advance(time.Second - time.Millisecond)
		wantValue(t, s, "k", "v")
		if ok, err := s.SetNX(ctx, "k", []byte("w"), time.Second); err != nil || ok {
			t.Fatalf("SetNX of a live key = %v, %v; want false", ok, err)
		}
		clock.Advance(time.Millisecond)
		wantNotFound(t, s, "k")
		if _, err := s.Take(ctx, "t"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Take at expiry: err = %v, want ErrNotFound", err)
		}
		if ok, err := s.SetNX(ctx, "k", []byte("w"), time.Second); err != nil || !ok {
			t.Fatalf("SetNX at expiry = %v, %v; want true", ok, err)
		}
		wantValue(t, s, "k", "w")
	})
}

// TestSQLIncrWindow checks exact counts and resetIn across a window's end.
func TestSQLIncrWindow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clock := newClock()
		s := NewSQL(d.DB, clock.Now)
		steps := []struct {
			advance   time.Duration
			wantN     int64
			wantReset time.Duration
		}{
			{0, 1, 10 * time.Second},
			{4 * time.Second, 2, 6 * time.Second},
			{5999 * time.Millisecond, 3, time.Millisecond},
			{time.Millisecond, 1, 10 * time.Second}, // the window ended: start over
			{time.Second, 2, 9 * time.Second},
		}
		for i, st := range steps {
			clock.Advance(st.advance)
			n, resetIn := mustIncr(t, s, "rate", 10*time.Second)
			if n != st.wantN || resetIn != st.wantReset {
				t.Fatalf("step %d: Incr = %d, resetIn %v; want %d, %v", i, n, resetIn, st.wantN, st.wantReset)
			}
		}
	})
}
