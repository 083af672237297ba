package order_test

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/app"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/mail"
	"github.com/luneo/luneo/internal/platform/config"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/web/webtest"
)

// env is the real app (internal/app, as the binary wires it) with the
// demo brand seeded: its owner, the demo mug with its wrap-around print
// zone and the sample design (an image and text in three scripts), and a
// second brand. With work, the process works jobs like `luneo dev`, so
// renders and production run for real.
type env struct {
	a       *app.App
	ctx     context.Context
	clock   *clock
	owner   auth.Principal // owner of the demo brand
	viewer  auth.Principal // a viewer of the demo brand
	other   auth.Principal // owner of another brand
	brand   string
	product string
	design  string
	zone    string
}

// clock is a movable clock for the order service.
type clock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return time.Now().Add(c.off) }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

// eachBackend runs fn on SQLite with local files, and on PostgreSQL, Redis
// and S3 when the LUNEO_TEST_* variables are set (webtest.External).
func eachBackend(t *testing.T, fn func(t *testing.T, vars map[string]string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, map[string]string{"DATABASE_URL": dbtest.SQLiteURL(t)}) })
	t.Run("postgres-redis-s3", func(t *testing.T) { fn(t, webtest.External(t)) })
}

func newEnv(t *testing.T, vars map[string]string, work bool) *env {
	t.Helper()
	ctx := context.Background()
	mode := config.Serve
	if work {
		mode = config.Dev
	}
	all := map[string]string{"LUNEO_DATA": t.TempDir(), "LUNEO_SECRET": strings.Repeat("s", 40),
		"LUNEO_REQUIRE_EMAIL_CONFIRMATION": "false"}
	for k, v := range vars {
		all[k] = v
	}
	cfg, err := config.Load(mode, func(k string) string { return all[k] })
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	a, err := app.Open(ctx, cfg, logger, "http://localhost:8080", app.Options{TempDir: t.TempDir(), Mail: mail.NewLogSender(logger), WeakPasswordHashes: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if work {
		if err := a.Queue.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = a.Queue.Stop(context.Background()) })
	}
	if _, _, err := a.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	e := &env{a: a, ctx: ctx, clock: &clock{}}
	a.Orders.SetClock(e.clock.now)
	var ownerID string
	if err := a.DB.QueryRowContext(ctx, `SELECT d.brand_id, d.product_id, d.id, m.user_id FROM designs d
		JOIN memberships m ON m.brand_id = d.brand_id AND m.role = 'owner'`).Scan(&e.brand, &e.product, &e.design, &ownerID); err != nil {
		t.Fatalf("demo design: %v", err)
	}
	if err := a.DB.QueryRowContext(ctx, `SELECT id FROM product_zones WHERE product_id = $1 AND type = 'print'`, e.product).Scan(&e.zone); err != nil {
		t.Fatal(err)
	}
	e.owner = auth.Principal{UserID: ownerID, BrandID: e.brand, Role: brand.Owner}
	e.viewer = auth.Principal{UserID: "viewer", BrandID: e.brand, Role: brand.Viewer}
	u, b, err := a.Auth.Register(ctx, auth.RegisterInput{Email: "other@example.com", Password: "correct horse battery", Name: "O", Brand: "Other"})
	if err != nil {
		t.Fatal(err)
	}
	e.other = auth.Principal{UserID: u.ID, BrandID: b.ID, Role: brand.Owner}
	return e
}
