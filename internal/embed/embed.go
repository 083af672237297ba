// Package embed is the business side of the widget's secure handshake
// (docs/embed.md): which store origins a brand lets embed it, the
// short-lived embed token and single-use nonce the loader gets for one
// widget session, the nonce's validation, and the token's verification for
// the shopper routes. HTTP lives in internal/web/widget and
// internal/web/api; the rules are here.
package embed

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/kv"
)

// TokenTTL is the lifetime of an embed token and of its nonce: short, so a
// leaked token is worth little; the iframe renews before it ends.
const TokenTTL = 5 * time.Minute

// Audience is the "aud" of every embed token: staff access tokens carry
// another, and are refused by embed routes.
const Audience = "embed"

// Product is what the handshake needs to know of a catalog product.
type Product struct {
	ID       string
	Name     string
	Active   bool
	Variants []string // variant IDs
}

// ProductLookup returns brandID's product productID; a product of another
// brand, or none, is an error (apperr not_found).
type ProductLookup func(ctx context.Context, brandID, productID string) (Product, error)

// Config is what the service is built from.
type Config struct {
	// Secret is LUNEO_SECRET; PreviousSecrets still verify tokens signed
	// before a rotation.
	Secret          string
	PreviousSecrets []string
	// Dev accepts http:// loopback origins (a store on localhost).
	Dev bool
	// Products looks products up in the catalog.
	Products ProductLookup
	// Now is the clock (time.Now when nil), so tests can expire tokens.
	Now func() time.Time
	// Limits are the shopper rate limits (DefaultLimits for zero rates).
	Limits Limits
	// MaxUpload is the largest image a shopper may upload, in bytes
	// (DefaultMaxUpload when <= 0; the design service's own limit applies
	// too).
	MaxUpload int64
}

// DefaultMaxUpload is the largest shopper image upload when Config leaves
// it unset: a phone photo fits, a print-shop TIFF does not.
const DefaultMaxUpload = 15 << 20

// Service issues, validates and verifies embed handshakes.
type Service struct {
	db       *db.DB
	kv       kv.Store
	signer   *auth.Signer
	shoppers shopperKeys
	limiter  *auth.Limiter
	limits   Limits
	maxUp    int64
	products ProductLookup
	dev      bool
	now      func() time.Time
}

// ErrRefused is every handshake failure a caller sees: which check failed
// is logged by the surface, never told to the page that asked (a prober
// learns nothing about brands, products or lists).
var ErrRefused = apperr.New(apperr.Forbidden, "refused")

// New builds the service on the application database and kv store.
func New(d *db.DB, store kv.Store, cfg Config) (*Service, error) {
	if cfg.Products == nil {
		return nil, errors.New("embed: a product lookup is required")
	}
	secrets := append([]string{cfg.Secret}, cfg.PreviousSecrets...)
	signer, err := auth.NewSigner("luneo embed token v1", secrets...)
	if err != nil {
		return nil, fmt.Errorf("embed: %w", err)
	}
	shoppers, err := newShopperKeys(secrets)
	if err != nil {
		return nil, err
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	return &Service{db: d, kv: store, signer: signer, shoppers: shoppers, limiter: auth.NewLimiter(store),
		limits: cfg.Limits.withDefaults(), maxUp: cfg.MaxUpload, products: cfg.Products, dev: cfg.Dev, now: now}, nil
}

// MaxUpload is the largest image a shopper may upload, in bytes.
func (s *Service) MaxUpload() int64 { return s.maxUp }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }
