// Package webhook sends a brand's events (orders created, ready, updated,
// cancelled) to the HTTPS endpoints the brand registers: one delivery row per
// event per subscribed endpoint, written in the transaction of the change
// that caused it, worked by a job that POSTs the signed JSON body, records
// the answer and retries with backoff until the endpoint answers 2xx or the
// schedule runs out.
//
// Endpoints are managed by a brand's owners and admins (brand.WebhooksManage);
// every query filters by the caller's brand, so another brand's IDs are
// simply not found. Each endpoint has its own signing secret, shown once and
// kept sealed (internal/platform/seal) because every delivery must read it to
// sign. Outbound connections go through a dialer that refuses private,
// loopback and link-local addresses at dial time (guard.go), unless the
// deployment allows them (LUNEO_WEBHOOK_ALLOW_PRIVATE).
package webhook

import (
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/queue"
	"github.com/luneo/luneo/internal/platform/seal"
)

// The topics an endpoint may subscribe to. Ping is what "send test ping"
// sends; the order topics are emitted by internal/order.
const (
	TopicOrderCreated   = "order.created"
	TopicOrderUpdated   = "order.updated"
	TopicOrderReady     = "order.ready"
	TopicOrderCancelled = "order.cancelled"
	TopicPing           = "ping"
)

// Topics lists every known topic, in the order the dashboard shows them.
var Topics = []string{TopicOrderCreated, TopicOrderUpdated, TopicOrderReady, TopicOrderCancelled, TopicPing}

// KnownTopic reports whether t is a topic endpoints may subscribe to.
func KnownTopic(t string) bool { return slices.Contains(Topics, t) }

// Config tunes a Service.
type Config struct {
	// AllowPrivate lets endpoints resolve to private, loopback, link-local
	// and other internal addresses (LUNEO_WEBHOOK_ALLOW_PRIVATE; tests).
	AllowPrivate bool
	// AllowHTTP accepts http:// endpoint URLs (development); AllowPrivate
	// implies it, since internal servers rarely have certificates.
	AllowHTTP bool
	// Now is the clock (time.Now when nil): tests move it instead of sleeping.
	Now func() time.Time
	// Client sends the deliveries; nil builds the guarded client (guard.go).
	// Tests leave it nil so the guard is what they exercise.
	Client *http.Client
	// Jitter spreads a retry delay (nil: ±10 % at random), so endpoints
	// that failed together are not retried in one burst.
	Jitter func(time.Duration) time.Duration
}

// Service manages endpoints, records events and delivers them.
type Service struct {
	db     *db.DB
	seal   *seal.Ring
	q      *queue.Queue
	cfg    Config
	client *http.Client
	logger *slog.Logger
}

// New returns the webhook service. The queue is set with SetQueue once
// built, since the queue's registry needs this service's worker first.
func New(d *db.DB, ring *seal.Ring, cfg Config, logger *slog.Logger) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.AllowPrivate {
		cfg.AllowHTTP = true
	}
	if cfg.Jitter == nil {
		cfg.Jitter = jitter
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := cfg.Client
	if c == nil {
		c = NewClient(cfg.AllowPrivate)
	}
	return &Service{db: d, seal: ring, cfg: cfg, client: c, logger: logger}
}

// SetQueue sets the queue deliveries are enqueued on.
func (s *Service) SetQueue(q *queue.Queue) { s.q = q }

// now is the current time as stored (db.Time).
func (s *Service) now() time.Time { return db.Time(s.cfg.Now()) }

// canManage checks the principal may read and change the brand's webhooks.
func canManage(p auth.Principal) error { return p.Require(brand.WebhooksManage) }

// secretContext binds a sealed secret to its endpoint: a sealed value
// copied to another endpoint's row does not open there.
func secretContext(endpointID string) string { return "webhook secret:" + endpointID }
