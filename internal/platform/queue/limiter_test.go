package queue

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/kv"
)

type leaseArgs struct{ Brand string }

func (leaseArgs) Kind() string                 { return "test_lease" }
func (a leaseArgs) LimitKey() (string, string) { return "render", a.Brand }

// clock is a settable clock for the SQL kv store: leases run out without sleeping.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func newTestLimiter(t *testing.T, d *db.DB, c *clock, lim Limits) *limiter {
	t.Helper()
	keyOf, ok := limitKeyOf[leaseArgs]()
	if !ok {
		t.Fatal("leaseArgs is not seen as Limited")
	}
	lim, err := lim.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	return &limiter{kv: kv.NewSQL(d.DB, c.Now), limits: lim,
		limited: map[string]limitKeyFunc{"test_lease": keyOf},
		lease:   map[string]time.Duration{"test_lease": 10 * time.Second},
		logger:  slog.New(slog.DiscardHandler)}
}

// TestCrashedHolderSlotFrees plays a worker that took a slot and died: the
// slot stays taken until its lease ends, then frees itself; and the dead
// holder's late release (a process that was only frozen) cannot free the
// slot its successor holds.
func TestCrashedHolderSlotFrees(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := &clock{now: time.Now()}
		l := newTestLimiter(t, d, c, Limits{Total: 2, PerTenant: 1})
		mustTake := func(brand string) *lease {
			t.Helper()
			held, wait, err := l.acquire(ctx, "test_lease", "render", brand)
			if err != nil || held == nil {
				t.Fatalf("acquire for %s refused (wait %s, %v), want a slot", brand, wait, err)
			}
			return held
		}
		mustRefuse := func(brand string) {
			t.Helper()
			held, wait, err := l.acquire(ctx, "test_lease", "render", brand)
			if err != nil || held != nil {
				t.Fatalf("acquire for %s: %+v %v, want refused", brand, held, err)
			}
			if wait < l.limits.Snooze/2 || wait >= l.limits.Snooze*3/2 {
				t.Fatalf("snooze %s outside [%s, %s)", wait, l.limits.Snooze/2, l.limits.Snooze*3/2)
			}
		}

		crashed := mustTake("a") // its process dies: never released
		mustRefuse("a")
		c.Advance(9 * time.Second)
		mustRefuse("a") // still within the 10 s lease
		c.Advance(2 * time.Second)
		successor := mustTake("a")
		// The crashed run wakes up and releases: its tokens match nothing.
		l.release(ctx, crashed)
		mustRefuse("a")
		l.release(ctx, successor)
		mustTake("a")

		// The group's total holds too: a and b fill it, c waits.
		mustTake("b")
		mustRefuse("c")
	})
}

// TestLimiterSnoozesOverLimitJobs checks the middleware's answers: an
// over-limit job gets River's snooze (which gives the attempt back), a job
// within the limits runs and frees its slots, and kinds that are not
// Limited pass untouched.
func TestLimiterSnoozesOverLimitJobs(t *testing.T) {
	t.Parallel()
	d := dbtest.SQLite(t)
	ctx := context.Background()
	l := newTestLimiter(t, d, &clock{now: time.Now()}, Limits{Total: 1})
	row := &rivertype.JobRow{Kind: "test_lease", EncodedArgs: []byte(`{"Brand":"a"}`)}
	ran := 0
	work := func(context.Context) error { ran++; return nil }

	held, _, err := l.acquire(ctx, "test_lease", "render", "b")
	if err != nil || held == nil {
		t.Fatal("first slot refused", err)
	}
	err = l.Work(ctx, row, work)
	var snooze *rivertype.JobSnoozeError
	if !errors.As(err, &snooze) || ran != 0 {
		t.Fatalf("over-limit job: %v (ran %d), want a snooze and no run", err, ran)
	}
	l.release(ctx, held)
	if err := l.Work(ctx, row, work); err != nil || ran != 1 {
		t.Fatalf("job within limits: %v (ran %d)", err, ran)
	}
	// Its slot was given back: the next job runs too.
	if err := l.Work(ctx, row, work); err != nil || ran != 2 {
		t.Fatalf("second job: %v (ran %d), want its predecessor's slot free", err, ran)
	}
	other := &rivertype.JobRow{Kind: "test_other", EncodedArgs: []byte(`{}`)}
	held, _, _ = l.acquire(ctx, "test_lease", "render", "b")
	if err := l.Work(ctx, other, work); err != nil || ran != 3 {
		t.Fatalf("unlimited kind with the group full: %v (ran %d), want it run", err, ran)
	}
	l.release(ctx, held)
}

func TestRetryPolicy(t *testing.T) {
	t.Parallel()
	keyOf, _ := limitKeyOf[leaseArgs]()
	p := &retryPolicy{limited: map[string]limitKeyFunc{"test_lease": keyOf}, base: time.Second,
		def: &river.DefaultClientRetryPolicy{}}
	for _, tc := range []struct {
		kind   string
		errors int
		want   time.Duration
	}{
		{"test_lease", 0, time.Second},
		{"test_lease", 1, 2 * time.Second},
		{"test_lease", 2, 4 * time.Second},
		{"other", 2, 81 * time.Second}, // River's attempt⁴
	} {
		job := &rivertype.JobRow{Kind: tc.kind, Errors: make([]rivertype.AttemptError, tc.errors)}
		got := time.Until(p.NextRetry(job))
		if got < tc.want*9/10-time.Second/10 || got > tc.want*11/10 {
			t.Errorf("%s after %d errors: retry in %s, want %s ±10 %%", tc.kind, tc.errors, got, tc.want)
		}
	}
}

func TestLimitsDefaults(t *testing.T) {
	t.Parallel()
	got, err := Limits{Total: 2}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultLimits()
	want.Total, want.PerTenant = 2, 2 // a tenant cannot hold more than the group
	if got != want {
		t.Fatalf("withDefaults = %+v, want %+v", got, want)
	}
	if _, err := (Limits{Starts: -1}).withDefaults(); err == nil {
		t.Fatal("a negative limit was accepted")
	}
}
