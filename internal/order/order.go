// Package order records the orders of customized products (from Shopify or
// from POST /api/orders) and produces them: every order line locks the
// design version it names (design.Service.Lock, in the order's
// transaction), and a production job makes sure every line's print files
// exist (produce renders), then streams one ZIP per order to the blob store
// with every print PNG and PDF named by the brand's pattern and a JSON/CSV
// summary, marks the order ready, emails the brand's owners and admins a
// signed download link and calls Config.OnReady once.
//
// Statuses: received → producing → ready (the job), and fulfilled or
// cancelled (the brand, or the store cancelling). Every query filters by
// brand, so another brand's order IDs are simply not found. The customer is
// an opaque reference, never a name, email or address.
package order

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/mail"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/queue"
	"github.com/luneo/luneo/internal/render"
)

// Status is where an order stands.
type Status string

// The statuses.
const (
	Received  Status = "received"
	Producing Status = "producing"
	Ready     Status = "ready"
	Fulfilled Status = "fulfilled"
	Cancelled Status = "cancelled"
)

// Statuses lists every status, in lifecycle order.
var Statuses = []Status{Received, Producing, Ready, Fulfilled, Cancelled}

// Sources of orders.
const (
	SourceAPI     = "api"
	SourceShopify = "shopify"
)

// Order is one store order.
type Order struct {
	ID         string    `json:"id"`
	Source     string    `json:"source"`
	Store      string    `json:"store,omitempty"`
	ExternalID string    `json:"external_id"`
	Name       string    `json:"name"`
	Customer   string    `json:"customer,omitempty"`
	Status     Status    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	// Lines are filled by Get and Ingest, not by List.
	Lines []Line `json:"lines,omitempty"`
	// Production is the state of the order's ZIP (Get only).
	Production *Production `json:"production,omitempty"`
	brandID    string
}

// BrandID is the brand the order belongs to.
func (o Order) BrandID() string { return o.brandID }

// Line is one order line. A line whose Flag is set was refused (its design
// is not the brand's, or not of the ordered product) and is never produced.
type Line struct {
	No             int    `json:"line"`
	DesignID       string `json:"design_id,omitempty"`
	Version        int    `json:"version,omitempty"`
	ProductID      string `json:"product_id,omitempty"`
	VariantID      string `json:"variant_id,omitempty"`
	SKU            string `json:"sku,omitempty"`
	Quantity       int    `json:"quantity"`
	ExternalLineID string `json:"external_line_id,omitempty"`
	Flag           string `json:"flag,omitempty"`
	// The fee check of a store order's line (fee.go): what the store
	// charged for the personalization of the whole line and what Luneo's
	// quote says, in minor units of FeeCurrency; PriceIssue says what is
	// wrong (a short fee, another currency). Production goes on: the
	// merchant decides before fulfilling.
	FeeCharged  *int64 `json:"fee_charged,omitempty"`
	FeeQuoted   *int64 `json:"fee_quoted,omitempty"`
	FeeCurrency string `json:"fee_currency,omitempty"`
	PriceIssue  string `json:"price_issue,omitempty"`
	// PreviewURL is a signed URL of the locked version's preview (Get
	// only, when one was rendered).
	PreviewURL string `json:"preview_url,omitempty"`
}

// Production is the state of an order's production ZIP.
type Production struct {
	Ready   bool       `json:"ready"`
	ReadyAt *time.Time `json:"ready_at,omitempty"`
	Size    int64      `json:"size,omitempty"`
	SHA256  string     `json:"sha256,omitempty"`
	Files   int        `json:"files,omitempty"`
	// Error is why production stopped (a failed render); retry with
	// POST /api/orders/{id}/production/retry.
	Error string `json:"error,omitempty"`
	// Download is a fresh signed link to the ZIP, once ready.
	Download *DownloadLink `json:"download,omitempty"`
	key      string
}

// DownloadLink is a signed, short-lived link to a production ZIP.
type DownloadLink struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
}

// Defaults of Config.
const (
	// DefaultLinkTTL is how long a download link works.
	DefaultLinkTTL = 15 * time.Minute
	// EmailLinkTTL is how long the emailed link works: longer than the
	// page's, since email is read later; the dashboard gives fresh ones.
	EmailLinkTTL = 24 * time.Hour
	// DefaultMaxZip is the largest production ZIP in bytes.
	DefaultMaxZip = 4 << 30
	// IdempotencyTTL is how long an Idempotency-Key answer is kept.
	IdempotencyTTL = 24 * time.Hour
	// MaxLines is the most lines an order may have.
	MaxLines = 500
	// MaxQuantity is the largest quantity of one line.
	MaxQuantity = 100000
)

// Config tunes a Service.
type Config struct {
	// Events receives the orders' lifecycle events (events.go); nil sends
	// none.
	Events Events
	// BaseURL is the dashboard's public URL, for links in emails.
	BaseURL string
	// LinkTTL is how long download links work (DefaultLinkTTL when 0).
	LinkTTL time.Duration
	// MaxZip is the largest production ZIP (DefaultMaxZip when 0).
	MaxZip int64
	// Snooze is how long the production job waits for pending renders
	// before it looks again (5 s when 0).
	Snooze time.Duration
}

// Renders is what production needs of the render pipeline
// (render.Service).
type Renders interface {
	List(ctx context.Context, brandID, designID string) ([]render.Render, error)
	Enqueue(ctx context.Context, tx *sql.Tx, t render.Target, produce bool) error
}

// Service is the order module.
type Service struct {
	db      *db.DB
	blobs   blob.Store
	designs *design.Service
	catalog *catalog.Service
	renders Renders
	members *brand.Store
	queue   *queue.Queue
	outbox  *mail.Outbox
	cfg     Config
	logger  *slog.Logger
	now     func() time.Time
}

// New returns the order service. The queue is set later with SetQueue
// (the production worker is registered before the queue exists).
func New(d *db.DB, blobs blob.Store, designs *design.Service, cat *catalog.Service, renders Renders, members *brand.Store, cfg Config, logger *slog.Logger) *Service {
	if cfg.LinkTTL <= 0 {
		cfg.LinkTTL = DefaultLinkTTL
	}
	if cfg.MaxZip <= 0 {
		cfg.MaxZip = DefaultMaxZip
	}
	if cfg.Snooze <= 0 {
		cfg.Snooze = 5 * time.Second
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Service{db: d, blobs: blobs, designs: designs, catalog: cat, renders: renders, members: members,
		cfg: cfg, logger: logger, now: time.Now}
}

// SetQueue gives the service the queue production jobs and emails go to.
func (s *Service) SetQueue(q *queue.Queue) {
	s.queue = q
	s.outbox = mail.NewOutbox(s.db, q)
}

// SetEvents replaces Config.Events (tests record them).
func (s *Service) SetEvents(e Events) { s.cfg.Events = e }

// SetClock replaces the service's clock (tests of the Idempotency-Key
// expiry).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// stamp is the current time as stored.
func (s *Service) stamp() time.Time { return db.Time(s.now()) }
