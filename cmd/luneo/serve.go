package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/luneo/luneo/internal/app"
	"github.com/luneo/luneo/internal/oidc"
	"github.com/luneo/luneo/internal/platform/config"
	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/web"
	"github.com/luneo/luneo/internal/web/dashboard"
)

// runServer runs dev, serve or worker until ctx is cancelled, then stops
// gracefully: HTTP drains in-flight requests, the worker lets running jobs
// finish, both within LUNEO_SHUTDOWN_TIMEOUT.
func runServer(ctx context.Context, mode config.Mode, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Load(mode, getenv)
	if err != nil {
		return err
	}
	logger := obs.NewLogger(stderr, cfg.LogFormat, cfg.LogLevel)
	addr := cfg.Addr
	if mode == config.Worker {
		addr = cfg.OpsAddr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	defer ln.Close()
	baseURL := cfg.BaseURL
	if baseURL == "" {
		baseURL = localURL(ln.Addr())
	}
	// External logins are checked before any backend is opened; FromEnv does
	// no I/O (discovery waits for the first login).
	providers, err := oidc.FromEnv(ctx, getenv, baseURL, nil)
	if err != nil {
		return err
	}

	a, err := app.Open(ctx, cfg, logger, baseURL, app.Options{BlobHook: withTestHooks})
	if err != nil {
		return err
	}
	defer a.Close()
	var demoEmail, demoPassword string
	if mode == config.Dev {
		if err := a.Migrate(ctx); err != nil {
			return err
		}
		if demoEmail, demoPassword, err = a.SeedDemo(ctx); err != nil {
			return err
		}
	} else if err := a.CheckSchema(ctx); err != nil {
		return err
	}

	deps := web.FromApp(a)
	deps.Dev, deps.OpsOnly, deps.Version = mode == config.Dev, mode == config.Worker, buildVersion()
	deps.BaseURL, deps.SecureCookies = baseURL, mode != config.Dev || strings.HasPrefix(baseURL, "https://")
	deps.MediaOrigins = cfg.MediaOrigins()
	deps.OIDC = &dashboard.OIDC{Providers: providers, KV: a.KV}
	handler, err := web.New(deps)
	if err != nil {
		return err
	}
	srv := web.HTTPServer(addr, handler, logger)
	// serve keeps /metrics off the public listener and answers it, with
	// the health checks, on LUNEO_OPS_ADDR (the worker's only listener).
	var ops *opsListener
	if mode == config.Serve {
		if ops, err = listenOps(cfg.OpsAddr, deps, logger); err != nil {
			return err
		}
		defer ops.ln.Close()
	}

	if err := a.Queue.Start(ctx); err != nil {
		return err
	}
	var wg sync.WaitGroup
	serveErr := make(chan error, 2)
	wg.Go(func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			serveErr <- err
		}
	})
	opsURL := ""
	if ops != nil {
		opsURL = localURL(ops.ln.Addr())
		wg.Go(func() {
			if err := ops.srv.Serve(ops.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				serveErr <- err
			}
		})
	}
	stopStore, storeURL := func(context.Context) {}, ""
	if mode == config.Dev {
		if u, stop := startDemoStore(ctx, a, cfg, baseURL, logger, &wg); u != "" {
			stopStore, storeURL = stop, u
		}
	}
	what := map[config.Mode]string{config.Dev: "Luneo (dev) is running at", config.Serve: "Luneo is serving at", config.Worker: "Luneo worker is running; health and metrics at"}[mode]
	fmt.Fprintf(stdout, "%s %s\n", what, baseURL)
	if demoEmail != "" {
		fmt.Fprintf(stdout, "Log in at %s/login as %s with password %s\n", baseURL, demoEmail, demoPassword)
	}
	if storeURL != "" {
		fmt.Fprintf(stdout, "Demo store (the widget on a web store of another origin): %s\n", storeURL)
	}
	logger.InfoContext(ctx, "started", "mode", mode, "url", baseURL, "ops", opsURL, "database", a.DB.Dialect,
		"kv", kvKind(cfg), "blobs", blobKind(cfg), "version", buildVersion())

	select {
	case <-ctx.Done():
	case err = <-serveErr:
		logger.Error("http server failed", "error", err)
	}
	logger.Info("stopping", "timeout", cfg.ShutdownTimeout)
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	var stopErrs []error
	if e := srv.Shutdown(stopCtx); e != nil {
		stopErrs = append(stopErrs, fmt.Errorf("stop http: %w", e))
	}
	stopStore(stopCtx)
	if ops != nil {
		if e := ops.srv.Shutdown(stopCtx); e != nil {
			stopErrs = append(stopErrs, fmt.Errorf("stop ops http: %w", e))
		}
	}
	if e := a.Queue.Stop(stopCtx); e != nil {
		stopErrs = append(stopErrs, e)
	}
	wg.Wait()
	logger.Info("stopped")
	return errors.Join(append([]error{err}, stopErrs...)...)
}

// opsListener is serve's second listener: health checks and metrics.
type opsListener struct {
	ln  net.Listener
	srv *http.Server
}

// listenOps opens LUNEO_OPS_ADDR with an OpsOnly server over the same
// metrics and checks as the main one.
func listenOps(addr string, deps web.Deps, logger *slog.Logger) (*opsListener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s (LUNEO_OPS_ADDR): %w", addr, err)
	}
	deps.OpsOnly = true
	handler, err := web.New(deps)
	if err != nil {
		ln.Close()
		return nil, err
	}
	return &opsListener{ln: ln, srv: web.HTTPServer(addr, handler, logger)}, nil
}

// runMigrate applies all migrations and exits.
func runMigrate(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := config.Load(config.Migrate, getenv)
	if err != nil {
		return err
	}
	logger := obs.NewLogger(stderr, cfg.LogFormat, cfg.LogLevel)
	if cfg.Secret == "" {
		// Migrations need no secret, but the blob store is opened with one.
		cfg.Secret = strings.Repeat("m", 32)
	}
	a, err := app.Open(ctx, cfg, logger, "http://localhost", app.Options{BlobHook: withTestHooks})
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Migrate(ctx); err != nil {
		return err
	}
	v, _ := a.DB.Version(ctx)
	fmt.Fprintf(stdout, "%s database at schema version %d\n", a.DB.Dialect, v)
	return nil
}

// localURL turns a listener address into a URL a browser on this machine can
// open: an unspecified host (":8080") becomes localhost.
func localURL(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || tcp.IP.IsUnspecified() {
		port := "8080"
		if ok {
			port = fmt.Sprint(tcp.Port)
		}
		return "http://localhost:" + port
	}
	return "http://" + tcp.String()
}

func kvKind(cfg *config.Config) string {
	if cfg.RedisURL != "" {
		return "redis"
	}
	return "database"
}

func blobKind(cfg *config.Config) string {
	if _, _, err := cfg.S3Bucket(); err == nil {
		return "s3"
	}
	return "files"
}
