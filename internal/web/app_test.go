package web

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/mail"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/kv"
	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/platform/queue"
)

// testApp is the whole web server over the real services on SQLite, wired as
// cmd/luneo wires them, on an httptest listener that has not started yet (so
// tests can adjust Deps, which need the listener's URL, before serving).
type testApp struct {
	ts    *httptest.Server
	base  string
	deps  Deps
	db    *db.DB
	kv    kv.Store
	clock *testClock
}

// testClock is the auth service's clock: real time moved forward by the
// test, so time-based rules are tested without sleeping.
type testClock struct {
	mu  sync.Mutex
	off time.Duration
}

// Now is the real time plus what the test added.
func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

// Advance moves the clock forward by d.
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

func newTestApp(t *testing.T) *testApp {
	t.Helper()
	ctx := context.Background()
	d := dbtest.SQLite(t)
	if _, err := queue.Migrate(ctx, d, nil); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	ts := httptest.NewUnstartedServer(nil)
	t.Cleanup(ts.Close)
	base := "http://" + ts.Listener.Addr().String() // what ts.URL will be
	secret := strings.Repeat("test secret ", 4)
	blobs, err := blob.NewFS(t.TempDir(), base, []byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	reg := queue.NewRegistry()
	mail.Register(reg, mail.NewSendWorker(d, mail.NewLogSender(logger), logger))
	q, err := queue.New(d, reg, queue.Options{Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	store := kv.NewSQL(d.DB, time.Now)
	brands, log := brand.NewStore(d), audit.New(d)
	clock := &testClock{}
	svc, err := auth.New(auth.Config{Secret: secret, BaseURL: base, Now: clock.Now}, d, store, brands, log, mail.NewOutbox(d, q), logger)
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.New(d, blobs, catalog.Config{TempDir: t.TempDir()}, logger)
	pages, assets := newTestPages(t)
	return &testApp{ts: ts, base: base, db: d, kv: store, clock: clock, deps: Deps{Logger: logger, Metrics: obs.NewMetrics(),
		Pages: pages, Assets: assets, LocalBlobs: blobs, MaxBody: 1 << 20, Version: "test", BaseURL: base,
		Auth: svc, Brands: brands, Audit: log, Catalog: cat}}
}

// start serves the app with its (possibly adjusted) Deps.
func (a *testApp) start() {
	a.ts.Config.Handler = NewServer(a.deps)
	a.ts.Start()
}
