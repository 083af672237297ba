// Package app wires Luneo's backends and modules from configuration: the one
// place the dependency graph is built, used by cmd/luneo and by test harnesses.
package app

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/housekeeping"
	"github.com/luneo/luneo/internal/mail"
	"github.com/luneo/luneo/internal/order"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/config"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/kv"
	"github.com/luneo/luneo/internal/platform/membudget"
	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/platform/queue"
	"github.com/luneo/luneo/internal/platform/seal"
	"github.com/luneo/luneo/internal/render"
	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/webhook"
)

// App holds the opened backends and the modules built on them; it is wired by
// hand here, in one place, so the dependency graph can be read top to bottom.
// Callers read the fields to build what they serve (HTTP handlers, the
// worker) and must not replace them.
type App struct {
	Config  *config.Config
	Logger  *slog.Logger
	Metrics *obs.Metrics
	DB      *db.DB
	KV      kv.Store
	Blobs   blob.Store
	Queue   *queue.Queue
	Brands  *brand.Store
	Audit   *audit.Log
	Auth    *auth.Service
	Catalog *catalog.Service
	AR      *ar.Service
	Designs *design.Service
	Renders *render.Service
	Embed   *embed.Service
	// Orders are store orders and their production.
	Orders *order.Service
	// Seal encrypts secrets at rest (third-party tokens, webhook secrets).
	Seal *seal.Ring
	// Webhooks are the brand's webhook endpoints and their deliveries.
	Webhooks *webhook.Service
	// Shopify is the Shopify app; nil when it is not configured
	// (LUNEO_SHOPIFY_API_KEY unset).
	Shopify *shopify.Service
	// ShopifyWebhooks receives and works Shopify's webhooks; nil when the
	// Shopify app is not configured.
	ShopifyWebhooks *shopify.Webhooks

	closers []func() error
}

// Options are the seams tests need into an app otherwise built from
// configuration alone; the zero value is what the binary runs with.
type Options struct {
	// Now is the auth service's clock (time.Now when nil), so tests can move
	// time forward instead of sleeping.
	Now func() time.Time
	// TempDir holds catalog uploads while they are validated ("" = the
	// system's temp folder), so tests keep their files in their own folder.
	TempDir string
	// Mail sends emails instead of the sender the configuration picks.
	Mail mail.Sender
	// BlobHook, when set, wraps the blob store before anything uses it: the
	// crash test's binary holds a worker mid-job through it.
	BlobHook func(blob.Store) blob.Store
	// WeakPasswordHashes hashes new passwords at a token cost (see
	// auth.Config.WeakPasswordHashesForTests): for harnesses that test the
	// web layer with many accounts, never for anything that keeps them.
	WeakPasswordHashes bool
	// ShopifyAdminBase maps a shop to its Admin API origin instead of
	// https://{shop}: tests point it at a fake Shopify. Never set from
	// the environment.
	ShopifyAdminBase func(shop string) string
}

// Open connects to every backend and checks it answers before anything is
// written anywhere, so a wrong REDIS_URL leaves no half-migrated database.
// baseURL is the public URL used in links and signed blob URLs (serve derives
// it from its listener when LUNEO_BASE_URL is empty). In dev, an empty
// cfg.Secret is replaced by the one kept in the data folder.
func Open(ctx context.Context, cfg *config.Config, logger *slog.Logger, baseURL string, opts Options) (_ *App, err error) {
	a := &App{Config: cfg, Logger: logger, Metrics: obs.NewMetrics()}
	defer func() {
		if err != nil {
			a.Close()
		}
	}()
	a.DB, err = db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	a.closers = append(a.closers, a.DB.Close)
	var purger housekeeping.ExpiredPurger
	if cfg.RedisURL != "" {
		r, err := kv.OpenRedis(ctx, cfg.RedisURL, cfg.RedisPrefix)
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		a.KV = r
		a.closers = append(a.closers, r.Close)
	} else {
		s := kv.NewSQL(a.DB.DB, time.Now)
		a.KV, purger = s, s
	}
	if cfg.Mode == config.Dev && cfg.Secret == "" {
		if cfg.Secret, err = config.DevSecret(cfg.DataDir); err != nil {
			return nil, fmt.Errorf("LUNEO_DATA: %w", err)
		}
	}
	if a.Seal, err = seal.New(cfg.Secret, cfg.SecretPrevious); err != nil {
		return nil, fmt.Errorf("LUNEO_SECRET: %w", err)
	}
	if a.Blobs, err = openBlobs(ctx, cfg, baseURL); err != nil {
		return nil, err
	}
	if opts.BlobHook != nil {
		a.Blobs = opts.BlobHook(a.Blobs)
	}

	sender := opts.Mail
	if sender == nil {
		if sender, err = mailSender(cfg, logger); err != nil {
			return nil, err
		}
	}
	reg := queue.NewRegistry()
	housekeeping.Register(reg, housekeeping.NewPurgeWorker(purger, a.Blobs, 24*time.Hour, logger), 10*time.Minute)
	mail.Register(reg, mail.NewSendWorker(a.DB, sender, logger))
	// One pool of image memory for the whole process: mask decodes in
	// requests and the images of conversions all reserve from it.
	images := membudget.New(cfg.MaxTextureMem)
	// And one of model memory: uploads and conversions reserve from it
	// before reading a model, always before any image memory.
	models := membudget.New(cfg.MaxModelMem)
	// The catalog enqueues AR conversions in the transaction of each model
	// upload; the AR service needs the queue, built below, hence the closure.
	a.Catalog = catalog.New(a.DB, a.Blobs, catalog.Config{MaxModelSize: cfg.MaxModelSize,
		MaxTextureMemory: cfg.MaxTextureMem, Images: images, Models: models, TempDir: opts.TempDir,
		OnModelStored: func(ctx context.Context, tx *sql.Tx, brandID, productID, sha string) error {
			return a.AR.Enqueue(ctx, tx, brandID, productID, sha)
		}}, logger)
	// Designs: checked against the catalog's zones and the renderer's
	// fonts; saving a version enqueues its renders in the same transaction
	// (the render service needs the queue, built below: SetQueue).
	a.Designs = design.New(a.DB, a.Blobs, a.Catalog, design.Config{Retention: cfg.DesignRetention,
		MaxImageUpload: cfg.MaxImageUpload, MaxFontUpload: cfg.MaxFontUpload, Images: images,
		PreviewKey: previewKey(cfg.Secret),
		Fonts:      func(ctx context.Context, brandID string) ([]string, error) { return a.Renders.Families(ctx, brandID) },
		OnVersionSaved: func(ctx context.Context, tx *sql.Tx, v design.VersionRef) error {
			return a.Renders.Enqueue(ctx, tx, render.TargetOf(v), v.Produce)
		}}, logger)
	design.RegisterRetention(reg, a.Designs, time.Hour)
	if a.Renders, err = render.New(a.DB, a.Blobs, a.Catalog, a.Designs, render.Config{MaxTexture: cfg.MaxDesignTexture,
		FontDir: cfg.FontDir, TempDir: opts.TempDir, Images: images, Cache: a.KV}, logger); err != nil {
		return nil, err
	}
	render.Register(reg, a.Renders)
	// Webhooks out: deliveries are jobs; the service enqueues them on the queue built
	// below (SetQueue). http:// endpoints only in dev or with private
	// addresses allowed.
	a.Webhooks = webhook.New(a.DB, a.Seal, webhook.Config{AllowPrivate: cfg.WebhookAllowPrivate,
		AllowHTTP: cfg.Mode == config.Dev}, logger)
	webhook.Register(reg, a.Webhooks)
	// Orders: orders lock design versions and a production job per order
	// builds its ZIP from the produce renders; their lifecycle events go
	// out as brand webhooks, recorded in the transaction of each change.
	a.Brands = brand.NewStore(a.DB)
	a.Orders = order.New(a.DB, a.Blobs, a.Designs, a.Catalog, a.Renders, a.Brands, order.Config{BaseURL: baseURL, Events: a.Webhooks}, logger)
	order.Register(reg, a.Orders)
	// The widget handshake: store origins per brand, tokens and nonces.
	// Shopper rate limits: the per-IP ones scale for shared addresses.
	a.Embed, err = embed.New(a.DB, a.KV, embed.Config{Secret: cfg.Secret, Dev: cfg.Mode == config.Dev, Now: opts.Now,
		Limits: embed.DefaultLimits().ScaleIP(cfg.EmbedIPLimitFactor),
		Products: func(ctx context.Context, brandID, productID string) (embed.Product, error) {
			p, err := a.Catalog.ProductOf(ctx, brandID, productID)
			if err != nil {
				return embed.Product{}, err
			}
			ids := make([]string, len(p.Variants))
			for i, v := range p.Variants {
				ids[i] = v.ID
			}
			return embed.Product{ID: p.ID, Name: p.Name, Active: p.Status == catalog.Active, Variants: ids}, nil
		}})
	if err != nil {
		return nil, err
	}
	// The Shopify app, when its API key and secret are set.
	if cfg.Shopify.Enabled() {
		a.Shopify, err = shopify.New(a.DB, a.KV, a.Seal, a.Brands, a.Embed, shopify.Config{APIKey: cfg.Shopify.APIKey,
			APISecret: cfg.Shopify.APISecret, Scopes: cfg.Shopify.Scopes, BaseURL: baseURL,
			AdminBase: opts.ShopifyAdminBase, Now: opts.Now}, logger)
		if err != nil {
			return nil, err
		}
	}
	// Shopify's webhooks: recorded by the route, worked by a job against
	// the installations and the orders.
	if a.Shopify != nil {
		a.ShopifyWebhooks = shopify.NewWebhooks(a.DB, shopify.WebhooksConfig{APISecret: cfg.Shopify.APISecret,
			Shops: a.Shopify, Orders: shopifyOrders{a.Orders}, Members: a.Brands, BaseURL: baseURL, Logger: logger})
		shopify.RegisterWebhooks(reg, a.ShopifyWebhooks)
	}
	ar.Register(reg, ar.NewConvertWorker(a.DB, a.Blobs, a.Catalog, ar.Memory{Budget: cfg.MaxTextureMem, Pool: images, Models: models}, logger))
	a.Queue, err = queue.New(a.DB, reg, queue.Options{
		Work:        cfg.Mode == config.Dev || cfg.Mode == config.Worker,
		Concurrency: cfg.Workers,
		RescueAfter: cfg.JobRescueAfter,
		Queues: map[string]int{ar.Queue: ar.Workers(images.Size(), cfg.MaxTextureMem),
			render.Queue: render.Workers, order.Queue: order.Workers},
		Logger:      logger,
		Metrics:     a.Metrics,
		KV:          a.KV,
		DatabaseURL: cfg.DatabaseURL,
	})
	if err != nil {
		return nil, err
	}
	a.Metrics.Registry.MustRegister(a.Queue.DepthCollector())
	a.AR = ar.New(a.DB, a.Blobs, a.Catalog, a.Queue, logger)
	a.Renders.SetProductAR(a.AR)
	a.Renders.SetQueue(a.Queue)
	a.Webhooks.SetQueue(a.Queue) // webhooks out
	a.Orders.SetQueue(a.Queue)   // orders
	if a.ShopifyWebhooks != nil {
		a.ShopifyWebhooks.SetQueue(a.Queue)
	}
	a.Audit = audit.New(a.DB)
	var previous []string
	if cfg.SecretPrevious != "" {
		previous = []string{cfg.SecretPrevious}
	}
	a.Auth, err = auth.New(auth.Config{Secret: cfg.Secret, PreviousSecrets: previous, Seal: a.Seal, BaseURL: baseURL, RequireConfirmedEmail: cfg.RequireEmailConfirmation,
		SignupsPerHour: cfg.SignupsPerHour, Now: opts.Now, WeakPasswordHashesForTests: opts.WeakPasswordHashes},
		a.DB, a.KV, a.Brands, a.Audit, mail.NewOutbox(a.DB, a.Queue), logger)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// previewKey derives the key of design preview tokens from the secret, so
// tokens stay the same across restarts and processes.
func previewKey(secret string) []byte {
	key, err := hkdf.Key(sha256.New, []byte(secret), nil, "luneo design preview v1", 32)
	if err != nil {
		return nil // only for lengths hkdf refuses; 32 is not one
	}
	return key
}

// Checks are the readiness probes of every backend.
func (a *App) Checks() []obs.Check {
	return []obs.Check{
		{Name: "database", Ping: a.DB.Ping},
		{Name: "kv", Ping: a.KV.Ping},
		{Name: "blob", Ping: a.Blobs.Ping},
		{Name: "queue", Ping: a.Queue.Ping},
	}
}

// Close closes the backends in the reverse order of opening, logging rather
// than returning failures: by then there is nothing left to do about them.
// It is safe to call more than once (later calls do nothing), so a test can
// both defer it and register it as a cleanup.
func (a *App) Close() {
	var errs []error
	for i := len(a.closers) - 1; i >= 0; i-- {
		errs = append(errs, a.closers[i]())
	}
	a.closers = nil
	if err := errors.Join(errs...); err != nil {
		a.Logger.Warn("closing backends", "error", err)
	}
}
