package audit

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// clock is a fake time source that moves one second on every reading, so
// events get distinct, known timestamps and their order is deterministic.
type clock struct{ t time.Time }

func (c *clock) now() time.Time {
	c.t = c.t.Add(time.Second)
	return c.t
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newLog(d *db.DB) (*Log, *clock) {
	c := &clock{t: t0}
	l := New(d)
	l.now = c.now
	return l, c
}

func events(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Event)
	}
	return out
}

func TestClientContext(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if ClientIP(ctx) != "" || ClientUserAgent(ctx) != "" {
		t.Fatal("empty context has a client")
	}
	ctx = WithClient(ctx, "203.0.113.7", "curl/8")
	if ClientIP(ctx) != "203.0.113.7" || ClientUserAgent(ctx) != "curl/8" {
		t.Fatalf("got %q %q", ClientIP(ctx), ClientUserAgent(ctx))
	}
	long := strings.Repeat("a", 1000)
	if ua := ClientUserAgent(WithClient(ctx, "::1", long)); ua != long[:300] {
		t.Fatalf("user agent of %d bytes kept, want 300", len(ua))
	}
	if ua := ClientUserAgent(WithClient(ctx, "::1", long[:300])); len(ua) != 300 {
		t.Fatalf("user agent of 300 bytes cut to %d", len(ua))
	}
}

func TestRecordAndRead(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l, _ := newLog(d)
		rec := func(ctx context.Context, e Event) {
			t.Helper()
			if err := l.Record(ctx, nil, e); err != nil {
				t.Fatalf("record %s: %v", e.Event, err)
			}
		}
		alice, bob := "user-alice", "user-bob"
		b1, b2 := "brand-1", "brand-2"
		cctx := WithClient(ctx, "198.51.100.4", "Firefox/130")

		rec(cctx, Event{UserID: alice, Event: Signup, Detail: map[string]any{"method": "password"}}) // 1: alice personal
		rec(ctx, Event{UserID: alice, Event: LoginOK})                                               // 2: alice personal, no client
		rec(cctx, Event{BrandID: b1, UserID: alice, Event: MemberInvited, Detail: map[string]any{    // 3: b1
			"email": "bob@example.com", "role": "editor", "n": 3, "ok": true,
			"nested": map[string]any{"list": []any{"a", 1.5}}}})
		rec(ctx, Event{BrandID: b2, UserID: bob, Event: APIKeyCreated})               // 4: b2
		rec(ctx, Event{UserID: bob, Event: MFAEnabled})                               // 5: bob personal
		rec(ctx, Event{BrandID: b1, UserID: bob, Event: MemberJoined})                // 6: b1
		rec(ctx, Event{Event: LoginFailed, Detail: map[string]any{"email": "x@y.z"}}) // 7: nobody
		rec(ctx, Event{BrandID: b1, Event: BrandUpdated})                             // 8: b1, no user
		rec(cctx, Event{UserID: alice, Event: PasswordChanged})                       // 9: alice personal
		rec(ctx, Event{BrandID: b2, UserID: alice, Event: RoleChanged})               // 10: b2, alice in another brand

		got, err := l.ForBrand(ctx, b1, 0, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{BrandUpdated, MemberJoined, MemberInvited}; !reflect.DeepEqual(events(got), want) {
			t.Fatalf("ForBrand(b1) = %v, want %v (newest first, b1 only)", events(got), want)
		}
		for _, e := range got {
			if e.BrandID != b1 {
				t.Errorf("ForBrand(b1) returned an event of brand %q", e.BrandID)
			}
		}
		// The invitation: every field read back as written.
		inv := got[2]
		if inv.UserID != alice || inv.IP != "198.51.100.4" || inv.UserAgent != "Firefox/130" {
			t.Errorf("invite entry = %+v", inv)
		}
		if !inv.CreatedAt.Equal(t0.Add(3 * time.Second)) {
			t.Errorf("CreatedAt = %v, want %v", inv.CreatedAt, t0.Add(3*time.Second))
		}
		wantDetail := map[string]any{"email": "bob@example.com", "role": "editor", "n": float64(3), "ok": true,
			"nested": map[string]any{"list": []any{"a", 1.5}}}
		if !reflect.DeepEqual(inv.Detail, wantDetail) {
			t.Errorf("Detail = %#v, want %#v", inv.Detail, wantDetail)
		}
		// No user: read back as "", no detail: an empty object, not nil.
		if got[0].UserID != "" || got[0].Detail == nil || len(got[0].Detail) != 0 {
			t.Errorf("brand_updated entry = %+v", got[0])
		}
		if got[0].IP != "" || got[0].UserAgent != "" {
			t.Errorf("event without client has IP %q UA %q", got[0].IP, got[0].UserAgent)
		}

		if got, err := l.ForBrand(ctx, b2, 0, time.Time{}); err != nil {
			t.Fatal(err)
		} else if want := []string{RoleChanged, APIKeyCreated}; !reflect.DeepEqual(events(got), want) {
			t.Fatalf("ForBrand(b2) = %v, want %v", events(got), want)
		}
		if got, err := l.ForBrand(ctx, "brand-none", 0, time.Time{}); err != nil || len(got) != 0 {
			t.Fatalf("ForBrand(unknown) = %v, %v", events(got), err)
		}

		// A user's own events: account-level only, never their brands' events.
		got, err = l.ForUser(ctx, alice, 0, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{PasswordChanged, LoginOK, Signup}; !reflect.DeepEqual(events(got), want) {
			t.Fatalf("ForUser(alice) = %v, want %v", events(got), want)
		}
		for _, e := range got {
			if e.UserID != alice || e.BrandID != "" {
				t.Errorf("ForUser(alice) returned %+v", e)
			}
		}
		if got[2].Detail["method"] != "password" || got[2].IP != "198.51.100.4" {
			t.Errorf("signup entry = %+v", got[2])
		}
		if got, err := l.ForUser(ctx, bob, 0, time.Time{}); err != nil {
			t.Fatal(err)
		} else if want := []string{MFAEnabled}; !reflect.DeepEqual(events(got), want) {
			t.Fatalf("ForUser(bob) = %v, want %v", events(got), want)
		}
		// Empty IDs are stored as NULL, so "" matches nobody's log.
		if got, err := l.ForUser(ctx, "", 0, time.Time{}); err != nil || len(got) != 0 {
			t.Fatalf("ForUser(\"\") = %v, %v", events(got), err)
		}
		if got, err := l.ForBrand(ctx, "", 0, time.Time{}); err != nil || len(got) != 0 {
			t.Fatalf("ForBrand(\"\") = %v, %v", events(got), err)
		}
		var nulls int
		if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_events WHERE brand_id IS NULL AND user_id IS NULL`).Scan(&nulls); err != nil || nulls != 1 {
			t.Fatalf("events with NULL brand and user = %d, %v; want 1", nulls, err)
		}

		// IDs are unique and set.
		var n, distinct int
		if err := d.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT id) FROM audit_events WHERE id <> ''`).Scan(&n, &distinct); err != nil {
			t.Fatal(err)
		}
		if n != 10 || distinct != 10 {
			t.Fatalf("%d events with %d distinct IDs, want 10", n, distinct)
		}
	})
}

// TestPaging: limit caps a page, and passing the last entry's CreatedAt as
// before returns the next (older) page with no overlap.
func TestPaging(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l, _ := newLog(d)
		const total = 230
		for i := range total {
			e := Event{UserID: "u1", Event: LoginOK, Detail: map[string]any{"i": i}}
			if i%2 == 1 {
				e.BrandID = "b1"
			}
			if err := l.Record(ctx, nil, e); err != nil {
				t.Fatal(err)
			}
		}
		// limit ≤ 0 or > 200 means 50.
		for _, limit := range []int{0, -1, 201, 10000} {
			got, err := l.ForUser(ctx, "u1", limit, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 50 {
				t.Errorf("ForUser limit %d: %d entries, want 50", limit, len(got))
			}
		}
		if got, err := l.ForBrand(ctx, "b1", 200, time.Time{}); err != nil || len(got) != 115 {
			t.Fatalf("ForBrand limit 200: %d entries, %v; want all 115", len(got), err)
		}
		if got, err := l.ForUser(ctx, "u1", 200, time.Time{}); err != nil || len(got) != 115 {
			t.Fatalf("ForUser limit 200: %d entries, %v; want all 115", len(got), err)
		}

		// Walk the brand log 7 at a time: every odd i, newest first, once.
		var seen []int
		before := time.Time{}
		for page := 0; ; page++ {
			if page > 30 {
				t.Fatal("paging does not end")
			}
			got, err := l.ForBrand(ctx, "b1", 7, before)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) > 7 {
				t.Fatalf("page of %d entries, limit 7", len(got))
			}
			if len(got) == 0 {
				break
			}
			for _, e := range got {
				if !e.CreatedAt.Before(before) && !before.IsZero() {
					t.Fatalf("entry at %v not before cursor %v", e.CreatedAt, before)
				}
				seen = append(seen, int(e.Detail["i"].(float64)))
			}
			before = got[len(got)-1].CreatedAt
		}
		if len(seen) != 115 {
			t.Fatalf("paged through %d entries, want 115", len(seen))
		}
		for k, i := range seen {
			if want := total - 1 - 2*k; i != want {
				t.Fatalf("entry %d is i=%d, want %d (newest first, no gap or repeat)", k, i, want)
			}
		}

		// The cursor is exclusive. Event i is recorded at t0+(i+1)s, and u1's
		// personal events are the even i: the newest is i=228 at t0+229s.
		at := func(i int) time.Time { return t0.Add(time.Duration(i+1) * time.Second) }
		for _, c := range []struct {
			before time.Time
			want   int
		}{
			{at(total - 1), 228},
			{at(228).Add(time.Millisecond), 228},
			{at(228), 226},
			{at(1), 0},
		} {
			got, err := l.ForUser(ctx, "u1", 1, c.before)
			if err != nil || len(got) != 1 || got[0].Detail["i"] != float64(c.want) || !got[0].CreatedAt.Equal(at(c.want)) {
				t.Fatalf("ForUser before %v = %+v, %v; want i=%d", c.before, got, err, c.want)
			}
		}
		if got, err := l.ForUser(ctx, "u1", 10, t0); err != nil || len(got) != 0 {
			t.Fatalf("ForUser before the first event = %d entries, %v", len(got), err)
		}
	})
}

// TestRecordInTransaction: an event recorded in the caller's transaction
// exists exactly when the transaction commits.
func TestRecordInTransaction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := WithClient(context.Background(), "192.0.2.1", "ua")
		l, _ := newLog(d)
		errAbort := errors.New("abort")
		err := d.InTx(ctx, func(tx *sql.Tx) error {
			if err := l.Record(ctx, tx, Event{UserID: "u", Event: MFADisabled}); err != nil {
				return err
			}
			return errAbort
		})
		if !errors.Is(err, errAbort) {
			t.Fatalf("InTx = %v", err)
		}
		if got, err := l.ForUser(ctx, "u", 0, time.Time{}); err != nil || len(got) != 0 {
			t.Fatalf("after rollback: %v, %v; want no event", events(got), err)
		}
		if err := d.InTx(ctx, func(tx *sql.Tx) error {
			return l.Record(ctx, tx, Event{UserID: "u", Event: MFAEnabled})
		}); err != nil {
			t.Fatal(err)
		}
		got, err := l.ForUser(ctx, "u", 0, time.Time{})
		if err != nil || !reflect.DeepEqual(events(got), []string{MFAEnabled}) {
			t.Fatalf("after commit: %v, %v", events(got), err)
		}
		if got[0].IP != "192.0.2.1" || got[0].UserAgent != "ua" {
			t.Fatalf("client not recorded in transaction: %+v", got[0])
		}
	})
}

func TestRecordErrors(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l, _ := newLog(d)
		// A detail that is not JSON is refused before anything is written.
		err := l.Record(ctx, nil, Event{UserID: "u", Event: LoginOK, Detail: map[string]any{"f": func() {}}})
		if err == nil || !strings.Contains(err.Error(), "audit detail") {
			t.Fatalf("unmarshalable detail: err = %v", err)
		}
		if got, err := l.ForUser(ctx, "u", 0, time.Time{}); err != nil || len(got) != 0 {
			t.Fatalf("after refused detail: %v, %v", events(got), err)
		}
		// A failing write is reported with the event's name.
		ex := failExec{}
		err = l.Record(ctx, ex, Event{UserID: "u", Event: Logout})
		if err == nil || !strings.Contains(err.Error(), Logout) || !errors.Is(err, errExec) {
			t.Fatalf("failed insert: err = %v", err)
		}
	})
}

var errExec = errors.New("exec failed")

// failExec fails every statement; only ExecContext is ever called, the
// embedded (nil) Querier completes the interface.
type failExec struct{ db.Querier }

func (failExec) ExecContext(context.Context, string, ...any) (sql.Result, error) {
	return nil, errExec
}
