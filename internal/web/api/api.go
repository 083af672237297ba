// Package api is Luneo's JSON API under /api/: accounts (sign-up, login,
// tokens, sessions, MFA, linked logins), the caller's brand (settings, team,
// invitations, API keys, audit log), the product catalog, AR files and the
// OpenAPI document that describes it all.
//
// Programs call it with a bearer access token or a brand API key; the
// dashboard's browsers with the session cookies. Every route declares its
// policy in routes.go (Public, UserAPI for the person's own account, which
// refuses API keys, BrandAPI for what the caller's brand owns) and the
// httpx Router enforces it before a handler runs; handlers only translate
// HTTP to the modules, which check permissions and scope every query to the
// caller's brand. The OpenAPI document is built from the same route table
// (openapi.go). Tests are in package api_test, end to end over webtest.
package api

import (
	"net/http"

	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/order"
	"github.com/luneo/luneo/internal/render"
	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/webhook"
)

// Deps is what the API needs, handed over by the root web server.
type Deps struct {
	Kit    *httpx.Kit
	Auth   *auth.Service
	Brands *brand.Store
	Audit  *audit.Log
	// Catalog is the product catalog; nil leaves its routes out.
	Catalog *catalog.Service
	// AR makes a product's AR files; nil leaves its route out.
	AR *ar.Service
	// Designs are the designs, their assets and fonts; nil leaves their
	// routes out.
	Designs *design.Service
	// Renders are the design renders; set with Designs.
	Renders *render.Service
	// Embed holds the widget's embed settings; nil leaves their routes out.
	Embed *embed.Service
	// Webhooks are the brand's webhook endpoints and deliveries; nil
	// leaves their routes out (webhooks.go).
	Webhooks *webhook.Service
	// Orders are store orders and their production; nil leaves
	// their routes out.
	Orders *order.Service
	// Shopify is the Shopify app; nil (not configured) leaves its routes
	// out.
	Shopify *shopify.Service
	// ShopifyWebhooks receives Shopify's webhooks, resolves storefront
	// products and holds the product mappings; nil (no Shopify app) leaves
	// their routes out.
	ShopifyWebhooks *shopify.Webhooks
}

// API answers the /api/ routes.
type API struct {
	Deps
	// doc is the OpenAPI document, built once from the route table; docErr
	// says why it could not be (a test keeps that from ever shipping).
	doc    []byte
	docErr error
}

// New builds the API and its OpenAPI document.
func New(d Deps) *API {
	s := &API{Deps: d}
	s.doc, s.docErr = buildDocument(s.table(true), openAPIParts)
	return s
}

// noContent answers 204 unless err.
func noContent(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	httpx.NoContent(w)
	return nil
}

// accepted answers 202 unless err.
func accepted(w http.ResponseWriter, err error) error {
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusAccepted, map[string]string{"status": "accepted"})
	return nil
}

// nonNil makes empty lists encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
