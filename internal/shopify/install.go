// Package shopify is Luneo's Shopify app: the install flow (OAuth with the
// app's client ID and secret, the store's offline access token sealed at
// rest), the operational webhook subscriptions it registers through the
// Admin GraphQL API, App Bridge session tokens for the embedded app page,
// the installations a brand has, and (webhook*.go) the webhooks Shopify
// sends. HTTP lives in internal/web/api and internal/web/shopifyapp; the
// rules are here. Shopify's wire formats are pinned by a fake server
// (shopifytest) and by vectors the official @shopify/shopify-api library
// produced (tools/shopify-vectors).
package shopify

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/kv"
	"github.com/luneo/luneo/internal/platform/seal"
)

// APIVersion is the Admin API version Luneo speaks, pinned in one place:
// GraphQL calls use it, the webhooks are registered with it, and
// shopify/shopify.app.toml declares it (a test keeps the two equal).
// Shopify supports a stable version for a year; move it forward with the
// app configuration.
const APIVersion = "2025-10"

// DefaultScopes are the access scopes asked for when LUNEO_SHOPIFY_SCOPES
// is unset: the products (mapping Shopify products to Luneo's) and the
// orders (the customized lines to produce).
var DefaultScopes = []string{"read_products", "read_orders"}

// Paths of Luneo's routes that Shopify is given (the app configuration
// lists the same; a test checks it).
const (
	CallbackPath = "/api/shopify/callback"
	WebhookPath  = "/api/shopify/webhooks"
	AppPath      = "/shopify/app"
)

// AdminOrigin is the Shopify admin's origin: it frames the embedded app
// page, and the theme editor there previews the store (with the widget)
// inside a frame.
const AdminOrigin = "https://admin.shopify.com"

// NonceTTL is how long an install may take between Luneo and Shopify's
// consent screen.
const NonceTTL = 10 * time.Minute

// Timestamp window of a signed query: a callback signed more than
// MaxQueryAge ago is refused (the redirect follows the signature at once;
// five minutes covers a slow browser and clock skew, and the single-use
// nonce covers replays within it), and so is one signed more than
// MaxQueryAhead in the future (Shopify's clock may run a little ahead of
// ours, not more).
const (
	MaxQueryAge   = 5 * time.Minute
	MaxQueryAhead = time.Minute
)

// Members tells a user's role in a brand (who may install) and lists the
// members who manage its integrations (who is told of a data request);
// brand.Store does.
type Members interface {
	RoleOf(ctx context.Context, brandID, userID string) (brand.Role, error)
	MembersWho(ctx context.Context, brandID string, action brand.Action) ([]brand.Member, error)
}

// Embed is what an install changes in the widget's settings
// (embed.Service does): the store's origins join the brand's embed
// origins, and the Shopify admin may frame the widget (until the shop is
// disconnected).
type Embed interface {
	AddOriginsTx(ctx context.Context, tx *sql.Tx, brandID string, origins []string) ([]string, error)
	AddFrameOriginsTx(ctx context.Context, tx *sql.Tx, brandID, source string, origins []string) error
	RemoveFrameOriginsTx(ctx context.Context, tx *sql.Tx, brandID, source string) error
}

// Config is the app's registration and Luneo's own address.
type Config struct {
	// APIKey and APISecret are the app's client ID and secret.
	APIKey, APISecret string
	// Scopes are asked for at install (DefaultScopes when empty).
	Scopes []string
	// BaseURL is Luneo's public origin: the callback and webhook URLs
	// Shopify is given are under it.
	BaseURL string
	// AdminBase maps a shop to the origin of its admin API
	// ("https://"+shop when nil). Only tests set it, to reach the fake
	// Shopify; nothing in the environment can.
	AdminBase func(shop string) string
	// Client calls Shopify (a client with timeouts when nil).
	Client *http.Client
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Service runs the Shopify app.
type Service struct {
	db      *db.DB
	kv      kv.Store
	ring    *seal.Ring
	members Members
	embed   Embed
	cfg     Config
	log     *slog.Logger
}

// New builds the service; the app must be configured (key and secret).
func New(d *db.DB, store kv.Store, ring *seal.Ring, members Members, emb Embed, cfg Config, logger *slog.Logger) (*Service, error) {
	if cfg.APIKey == "" || cfg.APISecret == "" {
		return nil, errors.New("shopify: the app's API key and secret are required")
	}
	if ring == nil || members == nil || emb == nil {
		return nil, errors.New("shopify: a seal ring, brand members and embed settings are required")
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultScopes
	}
	if cfg.AdminBase == nil {
		cfg.AdminBase = func(shop string) string { return "https://" + shop }
	}
	if cfg.Client == nil {
		// Shopify answers in well under a second; these bound a hung
		// connection so a browser's callback never waits for minutes.
		cfg.Client = &http.Client{Timeout: 15 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Service{db: d, kv: store, ring: ring, members: members, embed: emb, cfg: cfg, log: logger}, nil
}

// APIKey is the app's client ID (the embedded page hands it to App Bridge).
func (s *Service) APIKey() string { return s.cfg.APIKey }

// Scopes are the access scopes the app asks for.
func (s *Service) Scopes() []string { return s.cfg.Scopes }

// installState is what an install's nonce names in the kv store until the
// callback takes it.
type installState struct {
	BrandID string `json:"brand"`
	UserID  string `json:"user"`
	Shop    string `json:"shop"`
	// Binding is the hash of the browser's install cookie (BrowserBinding).
	Binding string `json:"binding"`
}

const noncePrefix = "shopify:install:"

// BrowserBinding is what an install nonce is bound to: the hash of a random
// value the install route puts in an HttpOnly cookie. The kv store never
// holds the cookie's value, only its hash.
func BrowserBinding(cookieValue string) string {
	if cookieValue == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("luneo shopify install binding\x00" + cookieValue))
	return hex.EncodeToString(sum[:])
}

// NormalizeShop turns what a person types into a shop domain: trimmed,
// lower-case, "my-store" completed to my-store.myshopify.com. The result
// still has to pass ValidShop.
func NormalizeShop(in string) string {
	s := strings.ToLower(strings.TrimSpace(in))
	if s != "" && !strings.Contains(s, ".") {
		s += ".myshopify.com"
	}
	return s
}

// Install starts installing the app on shop for brandID: the caller
// (userID) must be an owner or admin of the brand (anyone else gets 404,
// as if the brand did not exist), the shop must be a myshopify.com domain
// (400), and binding (BrowserBinding of the install cookie) ties the
// flow to this browser. It returns the URL of Shopify's consent screen.
func (s *Service) Install(ctx context.Context, brandID, userID, shop, binding string) (string, error) {
	if err := s.requireManager(ctx, brandID, userID); err != nil {
		return "", err
	}
	if !ValidShop(shop) {
		return "", apperr.New(apperr.Invalid, "shop %q is not a Shopify store domain (like my-store.myshopify.com)", trim(shop))
	}
	if binding == "" {
		return "", apperr.New(apperr.Invalid, "the install must be started from a browser (no binding cookie)")
	}
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	nonce := hex.EncodeToString(raw[:])
	state, err := json.Marshal(installState{BrandID: brandID, UserID: userID, Shop: shop, Binding: binding})
	if err != nil {
		return "", err
	}
	ok, err := s.kv.SetNX(ctx, noncePrefix+nonce, state, NonceTTL)
	if err != nil {
		return "", fmt.Errorf("store install nonce: %w", err)
	}
	if !ok {
		return "", errors.New("store install nonce: random nonce collided")
	}
	q := url.Values{
		"client_id":    {s.cfg.APIKey},
		"scope":        {strings.Join(s.cfg.Scopes, ",")},
		"redirect_uri": {s.cfg.BaseURL + CallbackPath},
		"state":        {nonce},
	}
	return s.cfg.AdminBase(shop) + "/admin/oauth/authorize?" + q.Encode(), nil
}

// requireManager refuses with 404 anyone who is not an owner or admin of
// brandID: a brand's integrations are not even acknowledged to others.
func (s *Service) requireManager(ctx context.Context, brandID, userID string) error {
	notFound := apperr.New(apperr.NotFound, "no such brand")
	if brandID == "" || userID == "" {
		return notFound
	}
	role, err := s.members.RoleOf(ctx, brandID, userID)
	switch {
	case apperr.CodeOf(err) == apperr.NotFound:
		return notFound
	case err != nil:
		return err
	case !brand.Can(role, brand.IntegrationsManage):
		return notFound
	}
	return nil
}

// trim keeps an echoed input short in messages.
func trim(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
