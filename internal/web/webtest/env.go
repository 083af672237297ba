// Package webtest starts the whole web server for tests: the app built by
// internal/app (the builder cmd/luneo uses) on SQLite and local files in a
// temp folder, served on a local port, with clients that speak to it as a
// browser or a program would. Surface tests (package api_test,
// dashboard_test, …) share it, so each tests its routes end to end.
package webtest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/app"
	"github.com/luneo/luneo/internal/mail"
	"github.com/luneo/luneo/internal/platform/config"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/kv"
	"github.com/luneo/luneo/internal/web"
)

// Secret is the server secret of every test app (tests that sign tokens
// themselves derive keys from it).
const Secret = "test secret test secret test secret test secret "

// Env is one running test app.
type Env struct {
	T *testing.T
	// URL is the server's origin, http://127.0.0.1:port.
	URL   string
	App   *app.App
	DB    *db.DB
	KV    kv.Store
	Clock *Clock
	// Server is the web server; Server.Routes() is its route table.
	Server *web.Server
	// Deps are what the server was built from.
	Deps web.Deps
}

// Clock is the auth service's clock: real time moved forward by the test,
// so time-based rules are tested without sleeping.
type Clock struct {
	mu  sync.Mutex
	off time.Duration
}

// Now is the real time plus what the test added.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

// Start builds the app through app.Open, as cmd/luneo does for serve, on
// SQLite and local blob files in a temp folder with the SQL key-value
// store, and serves it. Four things differ from serve's defaults: logins
// do not wait for a confirmed email, emails go to the outbox table only
// (read them with Mailed), auth runs on the test Clock, and new passwords
// are hashed at a token cost (the hash itself is tested in internal/auth). adjust may
// change the web server's Deps (it gets the Env, whose URL is known)
// before it is built.
func Start(t *testing.T, adjust ...func(*Env, *web.Deps)) *Env {
	t.Helper()
	return StartWith(t, Extra{}, adjust...)
}

// Extra is what a test adds to the app Start builds: configuration
// variables (LUNEO_SHOPIFY_API_KEY, …) and app.Options seams (a fake
// Shopify's address).
type Extra struct {
	Env     map[string]string
	Options func(base string, o *app.Options)
	// Work makes the app work its jobs as `luneo dev` does (renders,
	// production, deliveries), for flows that need their results.
	Work bool
}

// ShopifyOff is the app without the Shopify app (its variables unset).
func ShopifyOff() Extra {
	return Extra{Env: map[string]string{"LUNEO_SHOPIFY_API_KEY": "", "LUNEO_SHOPIFY_API_SECRET": ""}}
}

// StartWith is Start with extra configuration and app options.
func StartWith(t *testing.T, extra Extra, adjust ...func(*Env, *web.Deps)) *Env {
	t.Helper()
	ctx := context.Background()
	logger := slog.New(slog.DiscardHandler)
	ts := httptest.NewUnstartedServer(nil)
	t.Cleanup(ts.Close)
	base := "http://" + ts.Listener.Addr().String() // what ts.URL will be
	env := map[string]string{
		"LUNEO_DATA":                       t.TempDir(),
		"LUNEO_SECRET":                     Secret,
		"LUNEO_BASE_URL":                   base,
		"LUNEO_REQUIRE_EMAIL_CONFIRMATION": "false",
		// The Shopify app is on, as every other feature is, so
		// its routes are served (and described by the OpenAPI document).
		"LUNEO_SHOPIFY_API_KEY":    "test-shopify-client-id",
		"LUNEO_SHOPIFY_API_SECRET": "test-shopify-client-secret",
	}
	for k, v := range extra.Env {
		env[k] = v
	}
	mode := config.Serve
	if extra.Work {
		mode = config.Dev
	}
	cfg, err := config.Load(mode, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	clock := &Clock{}
	opts := app.Options{Now: clock.Now, TempDir: t.TempDir(), Mail: mail.NewLogSender(logger), WeakPasswordHashes: true}
	if extra.Options != nil {
		extra.Options(base, &opts)
	}
	a, err := app.Open(ctx, cfg, logger, base, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if extra.Work {
		if err := a.Queue.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = a.Queue.Stop(context.Background()) })
	}
	e := &Env{T: t, URL: base, App: a, DB: a.DB, KV: a.KV, Clock: clock}
	e.Deps = web.FromApp(a)
	e.Deps.Version, e.Deps.BaseURL = "test", base
	for _, f := range adjust {
		f(e, &e.Deps)
	}
	if e.Server, err = web.New(e.Deps); err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = e.Server
	ts.Start()
	return e
}

// client is every test client's base: a deadline, so a server that stops
// answering fails the test instead of hanging the suite, and redirects
// shown rather than followed.
func client(jar http.CookieJar) *http.Client {
	return &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
