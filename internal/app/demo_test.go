package app

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/config"
	"github.com/luneo/luneo/internal/render"
)

// A first run seeds a demo product that can be customized at once: a mug
// with a print zone and two colour zones, and a sample design that the dev
// process's own worker renders.
func TestSeedDemoRendersTheSampleDesign(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := map[string]string{"LUNEO_DATA": t.TempDir()}
	cfg, err := config.Load(config.Dev, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := Open(ctx, cfg, slog.New(slog.DiscardHandler), "http://localhost", Options{TempDir: t.TempDir(), WeakPasswordHashes: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	if err := a.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Queue.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Queue.Stop(context.Background()) })
	if _, _, err := a.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	var brandID, productID, designID string
	if err := a.DB.QueryRowContext(ctx, `SELECT d.brand_id, d.product_id, d.id FROM designs d`).Scan(&brandID, &productID, &designID); err != nil {
		t.Fatalf("no sample design: %v", err)
	}
	owner := auth.Principal{UserID: "seed-test", BrandID: brandID, Role: brand.Owner}
	zones, err := a.Catalog.ListZones(ctx, owner, productID)
	if err != nil || len(zones) != 3 || zones[0].Type != "print" {
		t.Fatalf("demo zones: %v, %v", zones, err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		rs, err := a.Renders.List(ctx, brandID, designID)
		if err != nil {
			t.Fatal(err)
		}
		// The compose render, then the model render it chains (newest first).
		done, failed := len(rs) == 2, false
		roles := map[string]bool{}
		for _, r := range rs {
			done = done && r.Status == render.Completed
			failed = failed || r.Status == render.Failed
			for _, f := range r.Files {
				roles[f.Role] = true
			}
		}
		if done {
			for _, role := range []string{render.RoleTexture, render.RolePreview, render.RoleGLB, render.RoleUSDZ, render.RoleView} {
				if !roles[role] {
					t.Fatalf("sample design render files lack %s: %+v", role, rs)
				}
			}
			return
		}
		if failed || time.Now().After(deadline) {
			t.Fatalf("sample design renders: %+v", rs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
