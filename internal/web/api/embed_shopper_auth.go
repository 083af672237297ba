package api

import (
	"context"
	"net/http"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/embed"
)

// Who calls the customizer's routes (docs/embed.md, "the customizer"): a
// widget session (the embed token as bearer) of a shopper (the shopper key
// in X-Luneo-Shopper, bound to the token's brand). A shopper reaches only
// the designs it made, of the token's product, or one whose design link
// it presents.

// shopperHeader carries the shopper key on every customizer route; the
// session route answers it.
const shopperHeader = "X-Luneo-Shopper"

// shopperCall is an authenticated customizer call.
type shopperCall struct {
	embed.Claims
	// ShopperID is the shopper key's ID: the Creator ID of its designs.
	ShopperID string
}

// actor is the shopper as the design service knows it.
func (c shopperCall) actor() design.Actor { return design.ShopperActor(c.Brand, c.ShopperID) }

// shopperCall authenticates a customizer route: a valid embed token and a
// shopper key of the token's brand (a missing, forged or other brand's key
// is a bare 403, the reason logged).
func (s *API) shopperCall(r *http.Request) (shopperCall, error) {
	c, err := s.embedClaims(r)
	if err != nil {
		return shopperCall{}, err
	}
	id, reason, err := s.Embed.VerifyShopper(c.Brand, r.Header.Get(shopperHeader))
	if err != nil {
		s.embedRefused(r, "shopper key", reason)
		return shopperCall{}, err
	}
	return shopperCall{Claims: c, ShopperID: id}, nil
}

// allow counts one costly action of the call against the session's and the
// client address's rate limits (429 with Retry-After past either).
func (s *API) allow(ctx context.Context, c shopperCall, act embed.Action) error {
	return s.Embed.Allow(ctx, act, c.SessionID, audit.ClientIP(ctx))
}

// errNoDesign is every design the call may not reach: another shopper's,
// another brand's or product's, a wrong or revoked link.
var errNoDesign = apperr.New(apperr.NotFound, "no such design")

// designActor returns who may act on design id in this call: the shopper
// itself, or, when link is given, the design's own shopper, provided the
// link names that very design of the token's brand.
func (s *API) designActor(ctx context.Context, c shopperCall, id, link string) (design.Actor, error) {
	if link == "" {
		return c.actor(), nil
	}
	l, err := s.Designs.ResolveEdit(ctx, link)
	if err != nil {
		return design.Actor{}, err
	}
	if l.BrandID != c.Brand || l.DesignID != id {
		return design.Actor{}, errNoDesign
	}
	return l.Actor(), nil
}

// linkActor resolves a design link alone (reopening by link): the design
// it names and who acts on it; another brand's link is not found.
func (s *API) linkActor(ctx context.Context, c shopperCall, link string) (string, design.Actor, error) {
	l, err := s.Designs.ResolveEdit(ctx, link)
	if err != nil {
		return "", design.Actor{}, err
	}
	if l.BrandID != c.Brand {
		return "", design.Actor{}, errNoDesign
	}
	return l.DesignID, l.Actor(), nil
}

// shopperDesign reads the latest version of a design the actor reaches; a
// design of another product than the token's is not found either (the
// customizer edits its own product only).
func (s *API) shopperDesign(ctx context.Context, c shopperCall, a design.Actor, id string) (design.Got, error) {
	got, err := s.Designs.Get(ctx, a, id, 0)
	if err != nil {
		return design.Got{}, err
	}
	if got.Design.ProductID != c.Product {
		return design.Got{}, errNoDesign
	}
	return got, nil
}
