package webhook

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/queue"
	"github.com/luneo/luneo/internal/platform/seal"
)

// fixture is the webhook service on a migrated database with an insert-only
// queue, a clock the test moves, and two brands.
type fixture struct {
	svc    *Service
	db     *db.DB
	ring   *seal.Ring
	ctx    context.Context
	clock  *clock
	owner  auth.Principal // brand A
	admin  auth.Principal // brand A
	editor auth.Principal // brand A
	key    auth.Principal // an API key of brand A with every scope
	other  auth.Principal // owner of brand B
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newFixture builds the fixture; cfg's Now and Jitter are set here (no
// jitter, so retry times are exact).
func newFixture(t *testing.T, d *db.DB, cfg Config) *fixture {
	t.Helper()
	ctx := context.Background()
	if _, err := queue.Migrate(ctx, d, nil); err != nil {
		t.Fatal(err)
	}
	ring, err := seal.New("a test secret of at least thirty-two characters", "")
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	cfg.Now = c.now
	cfg.Jitter = func(d time.Duration) time.Duration { return d }
	s := New(d, ring, cfg, nil)
	reg := queue.NewRegistry()
	Register(reg, s)
	q, err := queue.New(d, reg, queue.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.SetQueue(q)
	brands := brand.NewStore(d)
	a, err := brands.Create(ctx, "brand-a", "Brand A")
	if err != nil {
		t.Fatal(err)
	}
	b, err := brands.Create(ctx, "brand-b", "Brand B")
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{svc: s, db: d, ring: ring, ctx: ctx, clock: c,
		owner:  auth.Principal{UserID: "u-owner", BrandID: a.ID, Role: brand.Owner},
		admin:  auth.Principal{UserID: "u-admin", BrandID: a.ID, Role: brand.Admin},
		editor: auth.Principal{UserID: "u-editor", BrandID: a.ID, Role: brand.Editor},
		key:    auth.Principal{APIKeyID: "k", BrandID: a.ID, Scopes: brand.Scopes},
		other:  auth.Principal{UserID: "u-other", BrandID: b.ID, Role: brand.Owner},
	}
}

// endpoint creates an endpoint of brand A for topics at url.
func (f *fixture) endpoint(t *testing.T, url string, topics ...string) (Endpoint, string) {
	t.Helper()
	e, secret, err := f.svc.CreateEndpoint(f.ctx, f.owner, EndpointSpec{URL: url, Topics: topics})
	if err != nil {
		t.Fatalf("create endpoint %s: %v", url, err)
	}
	return e, secret
}

// job is a webhook_deliver job waiting in the queue.
type job struct {
	id          int64
	args        DeliverArgs
	scheduledAt time.Time
}

// jobs lists the webhook_deliver jobs not yet worked, oldest first.
func (f *fixture) jobs(t *testing.T) []job {
	t.Helper()
	// River keeps args as binary JSONB on SQLite.
	args := "args"
	if f.db.Dialect == db.SQLite {
		args = "json(args)"
	}
	rows, err := f.db.QueryContext(f.ctx, `SELECT id, `+args+`, scheduled_at FROM river_job
		WHERE kind = 'webhook_deliver' AND state IN ('available', 'scheduled') ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []job
	for rows.Next() {
		var j job
		var args []byte
		if err := rows.Scan(&j.id, &args, &j.scheduledAt); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(args, &j.args); err != nil {
			t.Fatal(err)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// work runs every waiting delivery job once, as a worker would (whatever
// its scheduled time: the test moves the clock itself), marks it
// completed, and returns how many ran.
func (f *fixture) work(t *testing.T) int {
	t.Helper()
	js := f.jobs(t)
	for _, j := range js {
		if err := f.svc.Deliver(f.ctx, j.args); err != nil {
			t.Fatalf("deliver %+v: %v", j.args, err)
		}
		if _, err := f.db.ExecContext(f.ctx, `UPDATE river_job SET state = 'completed', finalized_at = $2 WHERE id = $1`, j.id, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
	}
	return len(js)
}

// deliveries lists every delivery of brand A's endpoint.
func (f *fixture) deliveries(t *testing.T, endpointID string) []Delivery {
	t.Helper()
	page, err := f.svc.ListDeliveries(f.ctx, f.owner, endpointID, "", MaxPageSize)
	if err != nil {
		t.Fatal(err)
	}
	return page.Deliveries
}

// receiver is an HTTP server recording what it is sent and answering with
// the status its answer function gives.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	requests []received
	answer   func(n int) (int, string)
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, answer func(n int) (int, string)) *receiver {
	t.Helper()
	r := &receiver{answer: answer}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.requests = append(r.requests, received{header: req.Header.Clone(), body: body})
		n := len(r.requests)
		r.mu.Unlock()
		status, text := r.answer(n)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, text)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) got() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.requests...)
}

// always answers every request with status.
func always(status int) func(int) (int, string) {
	return func(int) (int, string) { return status, "ok" }
}
