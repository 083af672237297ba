package web

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/app"
	"github.com/luneo/luneo/internal/mail"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/config"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/kv"
	"github.com/luneo/luneo/internal/web/ops"
)

// testApp is the whole web server over the real services on SQLite, built by
// the same builder as cmd/luneo (internal/app), on an httptest listener that
// has not started yet (so tests can adjust Deps, which need the listener's
// URL, before serving).
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

// newTestApp builds the app through app.Open, as cmd/luneo does for serve,
// on SQLite and local blob files in a temp folder with the SQL key-value
// store. Three things differ from serve's defaults, as they did when this
// harness wired the services by hand: logins do not wait for a confirmed
// email, emails go to the (discarded) log, and auth runs on the test clock.
func newTestApp(t *testing.T) *testApp {
	t.Helper()
	ctx := context.Background()
	logger := slog.New(slog.DiscardHandler)
	ts := httptest.NewUnstartedServer(nil)
	t.Cleanup(ts.Close)
	base := "http://" + ts.Listener.Addr().String() // what ts.URL will be
	env := map[string]string{
		"LUNEO_DATA":                       t.TempDir(),
		"LUNEO_SECRET":                     strings.Repeat("test secret ", 4),
		"LUNEO_BASE_URL":                   base,
		"LUNEO_REQUIRE_EMAIL_CONFIRMATION": "false",
	}
	cfg, err := config.Load(config.Serve, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{}
	a, err := app.Open(ctx, cfg, logger, base, app.Options{Now: clock.Now, TempDir: t.TempDir(), Mail: mail.NewLogSender(logger)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	checks := make([]ops.Check, 0, len(a.Checks()))
	for _, c := range a.Checks() {
		checks = append(checks, ops.Check(c))
	}
	localBlobs, _ := a.Blobs.(*blob.FS)
	pages, assets := newTestPages(t)
	return &testApp{ts: ts, base: base, db: a.DB, kv: a.KV, clock: clock, deps: Deps{Logger: logger, Metrics: a.Metrics,
		Pages: pages, Assets: assets, Checks: checks, LocalBlobs: localBlobs, MaxBody: cfg.MaxBody, Version: "test", BaseURL: base,
		Auth: a.Auth, Brands: a.Brands, Audit: a.Audit, Catalog: a.Catalog, AR: a.AR}}
}

// start serves the app with its (possibly adjusted) Deps.
func (a *testApp) start() {
	a.ts.Config.Handler = NewServer(a.deps)
	a.ts.Start()
}
