package shopify

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/luneo/luneo/internal/mail"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/queue"
)

// Webhooks receives Shopify's webhooks and works them: the route checks the
// signature and records each delivery with its job in one transaction
// (webhook_receive.go), and the job does what the topic asks (topics*.go,
// mapping*.go, privacy*.go). It also resolves a storefront's Shopify product
// to a Luneo product (storefront.go) and serves the brand's product
// mappings (mapping_api.go).
//
// It leans on three things other modules own, each behind a small interface
// so it can be built and tested before they are wired: the installations
// (Shops, internal/shopify's install side), the orders (Orders,
// internal/order) and the brand's owners and admins with the mail outbox.
type Webhooks struct {
	db      *db.DB
	secret  string
	shops   Shops
	orders  Orders
	mail    Mailer
	members Members
	q       inserter
	logger  *slog.Logger
	now     func() time.Time
	// baseURL is our origin, for links in the privacy emails.
	baseURL string
}

// Shops is what the webhooks need of the installations.
type Shops interface {
	// BrandOf returns the brand shop is (or was) installed for, and
	// whether it is installed now; brandID is "" for a shop Luneo does
	// not know (never installed, or forgotten by shop/redact).
	BrandOf(ctx context.Context, shop string) (brandID string, installed bool, err error)
	// ShopsOf lists the shops installed (or uninstalled but not yet
	// redacted) for a brand, for the mapping page.
	ShopsOf(ctx context.Context, brandID string) ([]string, error)
	// Uninstalled drops the shop's access token and marks the
	// installation uninstalled; its data stays until shop/redact.
	Uninstalled(ctx context.Context, shop string) error
	// Forget removes the installation entirely (shop/redact).
	Forget(ctx context.Context, shop string) error
}

// Orders is what the webhooks need of the orders module (internal/order):
// the same operations as its Service, with this package's own types so it
// builds without it; the app wires an adapter.
type Orders interface {
	// Ingest records an order idempotently by (brand, source, store,
	// external id). A line with Flag set is recorded without a design and
	// never produced.
	Ingest(ctx context.Context, brandID string, in OrderInput) (orderID string, created bool, err error)
	// CancelExternal cancels the order a store cancelled.
	CancelExternal(ctx context.Context, brandID, source, store, externalID string) error
	// ForgetStore deletes a store's orders (shop/redact).
	ForgetStore(ctx context.Context, brandID, store string) (int, error)
	// ForgetCustomer blanks one customer's reference on a store's orders
	// (customers/redact).
	ForgetCustomer(ctx context.Context, brandID, store, customer string) (int, error)
	// CustomerOrders lists what is held about a customer
	// (customers/data_request).
	CustomerOrders(ctx context.Context, brandID, store, customer string) ([]HeldOrder, error)
}

// OrderInput is an order as the orders module records it (order.Input).
type OrderInput struct {
	Source     string // always SourceShopify here
	Store      string // the shop domain
	ExternalID string // Shopify's numeric order id, as text
	Name       string // "#1001"
	Customer   string // Shopify's customer id; never a name or address
	Lines      []OrderLine
}

// OrderLine is one customized line of an order (order.LineInput, plus
// Flag).
type OrderLine struct {
	DesignID       string
	Version        int
	Quantity       int
	SKU            string
	ExternalLineID string
	// ProductID is the Luneo product the line's Shopify product maps to;
	// the design must be of it.
	ProductID string
	// Flag, when set, says why the line must not be produced (its
	// _luneo_design names a design of another brand or product, cannot be
	// read, or its Shopify product maps to no Luneo product); DesignID and
	// Version are then empty: the line is recorded without a design.
	Flag string
	// Fee is what the order charged for the line's personalization (its
	// whole quantity); the orders module checks it against its quote.
	Fee *Fee
}

// Fee is an amount in minor units of a currency.
type Fee struct {
	Amount   int64
	Currency string
}

// HeldOrder is what Luneo holds about one order of a customer.
type HeldOrder struct {
	ID         string    `json:"id"`
	ExternalID string    `json:"external_id"`
	Name       string    `json:"name"`
	Status     string    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`
}

// SourceShopify is the orders' source of Shopify orders.
const SourceShopify = "shopify"

// Mailer queues an email in a caller's transaction (mail.Outbox).
type Mailer interface {
	SendTx(ctx context.Context, tx *sql.Tx, m mail.Message) (string, error)
}

// inserter enqueues a job in a caller's transaction (queue.Queue).
type inserter interface {
	InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (int64, error)
}

// WebhooksConfig is what NewWebhooks needs besides the database.
type WebhooksConfig struct {
	// APISecret is the app's client secret: Shopify signs webhooks with it.
	APISecret string
	// Shops are the installations (Service), Orders the orders module
	// (the app's adapter over order.Service).
	Shops  Shops
	Orders Orders
	// Mail is the outbox (nil: the queue's, set by SetQueue).
	Mail    Mailer
	Members Members
	// BaseURL is our origin, for links in emails.
	BaseURL string
	Logger  *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// NewWebhooks builds the service; SetQueue must be called before the
// route receives anything (the queue is built after the job kinds are
// registered, as for the other modules).
func NewWebhooks(d *db.DB, cfg WebhooksConfig) *Webhooks {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Webhooks{db: d, secret: cfg.APISecret, shops: cfg.Shops, orders: cfg.Orders,
		mail: cfg.Mail, members: cfg.Members, logger: cfg.Logger, now: cfg.Now, baseURL: cfg.BaseURL}
}

// SetQueue sets the queue the route enqueues jobs on, and the mail outbox
// on it unless WebhooksConfig.Mail set another.
func (w *Webhooks) SetQueue(q *queue.Queue) {
	w.q = q
	if w.mail == nil {
		w.mail = mail.NewOutbox(w.db, q)
	}
}

// stamp is the current time as stored.
func (w *Webhooks) stamp() time.Time { return db.Time(w.now()) }
