package design

import (
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
)

// Creator kinds.
const (
	CreatorStaff   = "staff"
	CreatorAPIKey  = "api_key"
	CreatorShopper = "shopper"
)

// Creator is who made a design, a version or an asset: a staff member
// (ID: user ID), an API key (its ID) or a shopper (the ID of the shopper's
// session or customer).
type Creator struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// Actor is who calls the service: the brand it acts for, the Creator it
// records, and for staff and API keys the principal whose permissions are
// checked. Build it with StaffActor or ShopperActor.
type Actor struct {
	BrandID string
	Creator Creator
	// principal is set for staff and API keys; nil for shoppers.
	principal *auth.Principal
}

// StaffActor acts for a staff member's or an API key's brand; reading
// designs needs products:read, changing them products:write.
func StaffActor(p auth.Principal) Actor {
	c := Creator{Kind: CreatorStaff, ID: p.UserID}
	if p.APIKeyID != "" {
		c = Creator{Kind: CreatorAPIKey, ID: p.APIKeyID}
	}
	return Actor{BrandID: p.BrandID, Creator: c, principal: &p}
}

// ShopperActor acts for a shopper of brandID (fixed by the widget
// handshake), identified by shopperID (their session or customer ID). A
// shopper may create designs, save new versions of, read and share (preview
// token) the designs they created, and upload images; nothing else.
func ShopperActor(brandID, shopperID string) Actor {
	return Actor{BrandID: brandID, Creator: Creator{Kind: CreatorShopper, ID: shopperID}}
}

// isShopper reports whether the actor is a shopper.
func (a Actor) isShopper() bool { return a.principal == nil }

// check returns nil when the actor may do what needs action (for staff)
// or what shoppers may do (shopperOK).
func (a Actor) check(action brand.Action, shopperOK bool) error {
	if a.BrandID == "" || a.Creator.ID == "" {
		return apperr.New(apperr.NotFound, "you do not act for a brand")
	}
	if a.isShopper() {
		if a.Creator.Kind != CreatorShopper || !shopperOK {
			return apperr.New(apperr.Forbidden, "shoppers may not do this")
		}
		return nil
	}
	if a.principal.BrandID != a.BrandID {
		return apperr.New(apperr.NotFound, "no such brand")
	}
	return a.principal.Require(action)
}

// canRead and canWrite check design permissions; designs are product
// content, so they use the catalog's actions.
func (a Actor) canRead(shopperOK bool) error  { return a.check(brand.ProductsRead, shopperOK) }
func (a Actor) canWrite(shopperOK bool) error { return a.check(brand.ProductsWrite, shopperOK) }

// owns reports whether the actor may reach a design made by c: staff reach
// all their brand's designs, shoppers only their own.
func (a Actor) owns(c Creator) bool {
	return !a.isShopper() || (c.Kind == CreatorShopper && c.ID == a.Creator.ID)
}
