package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/housekeeping"
	"github.com/luneo/luneo/internal/mail"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/config"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/kv"
	"github.com/luneo/luneo/internal/platform/membudget"
	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/platform/queue"
	"github.com/luneo/luneo/internal/web"
)

// app holds the opened backends and the modules built on them; it is wired by
// hand here, in one place, so the dependency graph can be read top to bottom.
type app struct {
	cfg     *config.Config
	logger  *slog.Logger
	metrics *obs.Metrics
	db      *db.DB
	kv      kv.Store
	blobs   blob.Store
	queue   *queue.Queue
	brands  *brand.Store
	audit   *audit.Log
	auth    *auth.Service
	catalog *catalog.Service
	ar      *ar.Service
	closers []func() error
}

// openApp connects to every backend and checks it answers before anything is
// written anywhere, so a wrong REDIS_URL leaves no half-migrated database.
func openApp(ctx context.Context, cfg *config.Config, logger *slog.Logger, baseURL string) (_ *app, err error) {
	a := &app{cfg: cfg, logger: logger, metrics: obs.NewMetrics()}
	defer func() {
		if err != nil {
			a.close()
		}
	}()
	a.db, err = db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	a.closers = append(a.closers, a.db.Close)
	var purger housekeeping.ExpiredPurger
	if cfg.RedisURL != "" {
		r, err := kv.OpenRedis(ctx, cfg.RedisURL, cfg.RedisPrefix)
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		a.kv = r
		a.closers = append(a.closers, r.Close)
	} else {
		s := kv.NewSQL(a.db.DB, time.Now)
		a.kv, purger = s, s
	}
	if cfg.Mode == config.Dev && cfg.Secret == "" {
		if cfg.Secret, err = config.DevSecret(cfg.DataDir); err != nil {
			return nil, fmt.Errorf("LUNEO_DATA: %w", err)
		}
	}
	if a.blobs, err = openBlobs(ctx, cfg, baseURL); err != nil {
		return nil, err
	}
	a.blobs = withTestHooks(a.blobs)

	sender, err := mailSender(cfg, logger)
	if err != nil {
		return nil, err
	}
	reg := queue.NewRegistry()
	housekeeping.Register(reg, housekeeping.NewPurgeWorker(purger, a.blobs, 24*time.Hour, logger), 10*time.Minute)
	mail.Register(reg, mail.NewSendWorker(a.db, sender, logger))
	// One pool of image memory for the whole process: mask decodes in
	// requests and the images of conversions all reserve from it.
	images := membudget.New(cfg.MaxTextureMem)
	// And one of model memory: uploads and conversions reserve from it
	// before reading a model, always before any image memory.
	models := membudget.New(cfg.MaxModelMem)
	// The catalog enqueues AR conversions in the transaction of each model
	// upload; the AR service needs the queue, built below, hence the closure.
	a.catalog = catalog.New(a.db, a.blobs, catalog.Config{MaxModelSize: cfg.MaxModelSize,
		MaxTextureMemory: cfg.MaxTextureMem, Images: images, Models: models,
		OnModelStored: func(ctx context.Context, tx *sql.Tx, brandID, productID, sha string) error {
			return a.ar.Enqueue(ctx, tx, brandID, productID, sha)
		}}, logger)
	ar.Register(reg, ar.NewConvertWorker(a.db, a.blobs, a.catalog, ar.Memory{Budget: cfg.MaxTextureMem, Pool: images, Models: models}, logger))
	a.queue, err = queue.New(a.db, reg, queue.Options{
		Work:        cfg.Mode == config.Dev || cfg.Mode == config.Worker,
		Concurrency: cfg.Workers,
		RescueAfter: cfg.JobRescueAfter,
		Queues:      map[string]int{ar.Queue: ar.Workers(images.Size(), cfg.MaxTextureMem)},
		Logger:      logger,
		Metrics:     a.metrics,
	})
	if err != nil {
		return nil, err
	}
	a.metrics.Registry.MustRegister(a.queue.DepthCollector())
	a.ar = ar.New(a.db, a.blobs, a.catalog, a.queue, logger)
	a.brands = brand.NewStore(a.db)
	a.audit = audit.New(a.db)
	a.auth, err = auth.New(auth.Config{Secret: cfg.Secret, BaseURL: baseURL, RequireConfirmedEmail: cfg.RequireEmailConfirmation,
		SignupsPerHour: cfg.SignupsPerHour},
		a.db, a.kv, a.brands, a.audit, mail.NewOutbox(a.db, a.queue), logger)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// mailSender sends through SMTP when configured. Without it, dev writes
// emails (and the links in them) to the log, which is what a developer
// wants; serve and worker drop them with a warning that names no link,
// since the links carry reset, confirmation and invitation tokens.
func mailSender(cfg *config.Config, logger *slog.Logger) (mail.Sender, error) {
	if cfg.SMTPURL == "" {
		if cfg.Mode == config.Dev {
			return mail.NewLogSender(logger), nil
		}
		logger.Warn("LUNEO_SMTP_URL is not set: emails (confirmations, password resets, invitations) are dropped, not sent")
		return mail.NewDropSender(logger), nil
	}
	s, err := mail.NewSMTP(cfg.SMTPURL, cfg.MailFrom)
	if err != nil {
		return nil, fmt.Errorf("LUNEO_SMTP_URL: %w", err)
	}
	return s, nil
}

func openBlobs(ctx context.Context, cfg *config.Config, baseURL string) (blob.Store, error) {
	if bucket, prefix, err := cfg.S3Bucket(); err == nil {
		s, err := blob.NewS3(ctx, blob.S3Config{
			Endpoint: cfg.S3.Endpoint, Region: cfg.S3.Region, Bucket: bucket, Prefix: prefix,
			AccessKey: cfg.S3.AccessKey, SecretKey: cfg.S3.SecretKey, PathStyle: cfg.S3.PathStyle,
		})
		if err != nil {
			return nil, fmt.Errorf("LUNEO_BLOB_URL: %w", err)
		}
		if err := s.Ping(ctx); err != nil {
			return nil, fmt.Errorf("LUNEO_BLOB_URL: %w", err)
		}
		return s, nil
	}
	fs, err := blob.NewFS(cfg.BlobDir(), baseURL, []byte(cfg.Secret))
	if err != nil {
		return nil, fmt.Errorf("LUNEO_BLOB_URL: %w", err)
	}
	return fs, nil
}

// migrate applies Luneo's and River's migrations.
func (a *app) migrate(ctx context.Context) error {
	n, err := a.db.Migrate(ctx)
	if err != nil {
		return err
	}
	m, err := queue.Migrate(ctx, a.db, obs.Quieter(a.logger, slog.LevelWarn))
	if err != nil {
		return err
	}
	a.logger.InfoContext(ctx, "migrations applied", "database", a.db.Dialect, "luneo", n, "queue", m)
	return nil
}

// checkSchema refuses to run serve or worker on a database that `luneo
// migrate` has not brought up to date: failing at start is better than
// failing on the first request that touches a missing column.
func (a *app) checkSchema(ctx context.Context) error {
	migs, err := db.Migrations(a.db.Dialect)
	if err != nil {
		return err
	}
	v, err := a.db.Version(ctx)
	if err == nil && v >= migs[len(migs)-1].Version {
		err = a.queue.Ping(ctx)
	} else if err == nil {
		err = fmt.Errorf("schema version %d, this binary needs %d", v, migs[len(migs)-1].Version)
	}
	if err != nil {
		return fmt.Errorf("the database is not migrated (%v): run luneo migrate first", err)
	}
	return nil
}

// seedDemo creates, on the first dev start, a demo account owning a demo
// brand, with a random password kept in the data folder (0600) so a
// developer can log in at once.
func (a *app) seedDemo(ctx context.Context) (email, password string, err error) {
	path := filepath.Join(a.cfg.DataDir, "demo-login.txt")
	if b, err := os.ReadFile(path); err == nil {
		email, password, _ = strings.Cut(strings.TrimSpace(string(b)), " ")
		return email, password, nil
	}
	n, err := a.brands.Count(ctx)
	if err != nil || n > 0 {
		return "", "", err
	}
	email, password = "demo@luneo.localhost", "demo-"+randomWord()
	u, _, err := a.auth.Register(ctx, auth.RegisterInput{Email: email, Password: password, Name: "Demo User", Brand: "Demo Brand"})
	if err != nil {
		return "", "", fmt.Errorf("seed demo account: %w", err)
	}
	if _, err := a.db.ExecContext(ctx, `UPDATE users SET email_confirmed_at = $2 WHERE id = $1`, u.ID, time.Now().UTC()); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(path, []byte(email+" "+password+"\n"), 0o600); err != nil {
		return "", "", fmt.Errorf("write %s: %w", path, err)
	}
	return email, password, nil
}

func randomWord() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// checks are the readiness probes of every backend.
func (a *app) checks() []web.Check {
	return []web.Check{
		{Name: "database", Ping: a.db.Ping},
		{Name: "kv", Ping: a.kv.Ping},
		{Name: "blob", Ping: a.blobs.Ping},
		{Name: "queue", Ping: a.queue.Ping},
	}
}

func (a *app) close() {
	var errs []error
	for i := len(a.closers) - 1; i >= 0; i-- {
		errs = append(errs, a.closers[i]())
	}
	if err := errors.Join(errs...); err != nil {
		a.logger.Warn("closing backends", "error", err)
	}
}
