package embed

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/luneo/luneo/internal/platform/kv"
)

// Request is what the loader asks a token for: the store page's origin as
// the loader says it (the origin query parameter) and as the browser says
// it (the Origin header), which must agree.
type Request struct {
	Brand, Product, Variant string
	// Origin is the origin parameter; RequestOrigin the Origin header.
	Origin, RequestOrigin string
}

// Grant is one widget session's credentials: the token goes to the iframe
// only by postMessage, the nonce in the iframe's URL.
type Grant struct {
	Token     string `json:"token"`
	Nonce     string `json:"nonce"`
	ExpiresIn int    `json:"expiresIn"` // seconds
	SessionID string `json:"-"`
}

// Claims are what an embed token says.
type Claims struct {
	Audience  string `json:"aud"`
	Brand     string `json:"brand"`
	Product   string `json:"product"`
	Variant   string `json:"variant,omitempty"`
	Origin    string `json:"origin"`
	SessionID string `json:"sid"`
	IssuedAt  int64  `json:"iat"`
	ExpiresAt int64  `json:"exp"`
}

// Binding is what a validated nonce was bound to.
type Binding struct {
	Brand   string `json:"brand"`
	Origin  string `json:"origin"`
	Product string `json:"product"`
	Session string `json:"sid"`
}

// nonceKey is the kv key of a nonce: its hash, so the store (a SQL table,
// a Redis dump) never holds a usable nonce.
func nonceKey(nonce string) string {
	sum := sha256.Sum256([]byte(nonce))
	return "embed:nonce:" + hex.EncodeToString(sum[:])
}

// random returns n random bytes, base64url.
func random(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("embed: random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Issue checks a token request and answers a token and a nonce: the
// Origin header equals the origin parameter and is on the brand's list,
// and the product is the brand's and active (a variant, if named, is one
// of its variants). Every refusal is ErrRefused; reason says which check
// failed, for the server's log only.
func (s *Service) Issue(ctx context.Context, req Request) (g Grant, reason string, err error) {
	if req.Brand == "" || req.Product == "" || req.Origin == "" || req.RequestOrigin != req.Origin {
		return g, "origin header and parameter differ, or a parameter is missing", ErrRefused
	}
	ok, err := s.Allowed(ctx, req.Brand, req.Origin)
	if err != nil {
		return g, "", err
	}
	if !ok {
		return g, "origin not on the brand's list", ErrRefused
	}
	p, err := s.products(ctx, req.Brand, req.Product)
	if err != nil || !p.Active {
		return g, "product not found for this brand, or not active", ErrRefused
	}
	if req.Variant != "" && !slices.Contains(p.Variants, req.Variant) {
		return g, "variant not of this product", ErrRefused
	}
	sid, err := random(16)
	if err != nil {
		return g, "", err
	}
	nonce, err := random(24) // 192 bits
	if err != nil {
		return g, "", err
	}
	now := s.now()
	token, err := s.signer.Sign(Claims{Audience: Audience, Brand: req.Brand, Product: req.Product, Variant: req.Variant,
		Origin: req.Origin, SessionID: sid, IssuedAt: now.Unix(), ExpiresAt: now.Add(TokenTTL).Unix()})
	if err != nil {
		return g, "", fmt.Errorf("embed: sign: %w", err)
	}
	bound, _ := json.Marshal(Binding{Brand: req.Brand, Origin: req.Origin, Product: req.Product, Session: sid})
	if err := s.kv.Set(ctx, nonceKey(nonce), bound, TokenTTL); err != nil {
		return g, "", fmt.Errorf("embed: store nonce: %w", err)
	}
	return Grant{Token: token, Nonce: nonce, ExpiresIn: int(TokenTTL.Seconds()), SessionID: sid}, "", nil
}

// Validate consumes nonce (kv Take: among concurrent callers exactly one
// gets it) and checks the caller's Origin header is the origin it was
// bound to and still on the brand's list. A nonce presented from the wrong
// origin is consumed all the same: whoever tried it cannot try again.
func (s *Service) Validate(ctx context.Context, nonce, requestOrigin string) (b Binding, reason string, err error) {
	if nonce == "" || len(nonce) > 128 {
		return b, "missing or oversized nonce", ErrRefused
	}
	raw, err := s.kv.Take(ctx, nonceKey(nonce))
	if errors.Is(err, kv.ErrNotFound) {
		return b, "unknown, expired or used nonce", ErrRefused
	}
	if err != nil {
		return b, "", fmt.Errorf("embed: take nonce: %w", err)
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		return Binding{}, "", fmt.Errorf("embed: nonce binding: %w", err)
	}
	if requestOrigin == "" || requestOrigin != b.Origin {
		return Binding{}, "nonce used from another origin", ErrRefused
	}
	ok, err := s.Allowed(ctx, b.Brand, b.Origin)
	if err != nil {
		return Binding{}, "", err
	}
	if !ok {
		return Binding{}, "origin removed from the brand's list", ErrRefused
	}
	return b, "", nil
}

// Verify checks an embed token (signature, audience, expiry) and returns
// its claims; every failure is ErrRefused with the reason for the log.
func (s *Service) Verify(token string) (c Claims, reason string, err error) {
	if err := s.signer.Verify(token, &c); err != nil {
		return Claims{}, err.Error(), ErrRefused
	}
	switch {
	case c.Audience != Audience:
		return Claims{}, "not an embed token", ErrRefused
	case c.Brand == "" || c.Product == "" || c.Origin == "" || c.SessionID == "":
		return Claims{}, "incomplete claims", ErrRefused
	case s.now().Unix() >= c.ExpiresAt:
		return Claims{}, "expired", ErrRefused
	}
	return c, "", nil
}

// Product returns the product a token is for, for the shopper routes.
func (s *Service) Product(ctx context.Context, c Claims) (Product, error) {
	p, err := s.products(ctx, c.Brand, c.Product)
	if err != nil || !p.Active {
		return Product{}, ErrRefused
	}
	return p, nil
}
