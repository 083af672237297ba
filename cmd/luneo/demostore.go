package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"

	"github.com/luneo/luneo/internal/app"
	"github.com/luneo/luneo/internal/platform/config"
	"github.com/luneo/luneo/internal/web"
	"github.com/luneo/luneo/internal/web/demostore"
)

// startDemoStore runs dev's demo web store (internal/web/demostore) on
// LUNEO_DEMO_STORE_ADDR, after making sure its origins may embed the demo
// brand, and returns its URL and the function that stops it. A store that
// cannot start (the port is taken, no demo product) is logged and skipped:
// it is a convenience, never a reason for dev not to start.
func startDemoStore(ctx context.Context, a *app.App, cfg *config.Config, luneo string, logger *slog.Logger, wg *sync.WaitGroup) (string, func(context.Context)) {
	if cfg.DemoStoreAddr == "off" {
		return "", nil
	}
	ln, err := net.Listen("tcp", cfg.DemoStoreAddr)
	if err != nil {
		logger.WarnContext(ctx, "demo store not started", "addr", cfg.DemoStoreAddr, "error", err)
		return "", nil
	}
	url := localURL(ln.Addr())
	origins := []string{url}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		// Opened as localhost or 127.0.0.1: both are origins a browser sends.
		origins = append(origins, fmt.Sprintf("http://127.0.0.1:%d", tcp.Port))
	}
	p, ok, err := a.DemoStore(ctx, origins)
	if err != nil || !ok {
		ln.Close()
		logger.WarnContext(ctx, "demo store not started: no demo product", "error", err)
		return "", nil
	}
	srv := web.HTTPServer(cfg.DemoStoreAddr, demostore.Store{Luneo: luneo, Brand: p.BrandID, Product: p.ProductID}, logger)
	wg.Go(func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("demo store stopped", "error", err)
		}
	})
	return url, func(ctx context.Context) { _ = srv.Shutdown(ctx) }
}
