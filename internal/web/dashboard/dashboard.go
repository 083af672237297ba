// Package dashboard is the staff dashboard: signing up and in (with a
// password, a second factor or an external OpenID Connect login), the
// account, the brand's settings, team, API keys and audit log, the
// product pages with their 3D models and zones, and the designs with their
// renders. People call it from a
// browser; its pages under /app and /invitations/accept have the
// httpx.Page policy (session cookie, no API keys), the sign-up, login,
// reset and confirmation pages and the OIDC routes are httpx.Public.
// The pages are plain HTML forms (internal/web/form) that work without
// JavaScript. Its tests are in this folder, package dashboard_test, on
// the whole app started by internal/web/webtest.
package dashboard

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
	embedding "github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/order"
	"github.com/luneo/luneo/internal/render"
	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/web/form"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/webhook"
)

// Deps is what the dashboard needs, wired by the root of internal/web.
type Deps struct {
	Kit    *httpx.Kit
	Auth   *auth.Service
	Brands *brand.Store
	Audit  *audit.Log
	// Catalog is the product catalog; nil leaves out the product pages.
	Catalog *catalog.Service
	// AR fills in the AR card of the product page; nil leaves it out.
	AR *ar.Service
	// Designs and Renders are the design module and its renders, set
	// together; a nil Designs (or Catalog) leaves out the design pages.
	Designs *design.Service
	Renders *render.Service
	// OIDC enables the external logins; nil turns them off.
	OIDC *OIDC
	// Embed holds the widget's embed settings; nil leaves out their page.
	Embed *embedding.Service
	// Webhooks are the brand's webhook endpoints (webhooks
	// out); nil leaves out their pages.
	Webhooks *webhook.Service
	// Orders are store orders; nil leaves out their pages.
	Orders *order.Service
	// Shopify is the Shopify app; nil (not configured): the integrations
	// page says it is off.
	Shopify *shopify.Service
	// ShopifyWebhooks holds the Shopify product mappings and data
	// requests; nil leaves out their page.
	ShopifyWebhooks *shopify.Webhooks
	// LocalBlobs says the blob store is a local folder served by our own
	// /blobs/ route, so model URLs are made relative for the page's CSP.
	LocalBlobs bool
}

// Dashboard answers the dashboard's pages and external logins.
type Dashboard struct {
	Deps
	flash form.Flash
	// states keeps each external login's state between start and callback;
	// nil without OIDC.
	states *httpx.OAuthStates
}

// New builds the dashboard.
func New(d Deps) *Dashboard {
	s := &Dashboard{Deps: d, flash: form.Flash{Kit: d.Kit}}
	if d.OIDC != nil {
		s.states = &httpx.OAuthStates{Kit: d.Kit, KV: d.OIDC.KV, Prefix: "oidc:", Cookie: oidcStateCookie,
			Path: oidcCookiePath, TTL: oidcStateTTL, Noun: "login"}
	}
	return s
}

// files holds the dashboard's page templates inside the binary. It is the
// one kind of package-level variable we allow: an embed.FS is fixed at
// build time.
//
//go:embed templates
var files embed.FS

// Templates returns the dashboard's pages and their partials/, for
// ui.NewTemplates.
func Templates() fs.FS {
	sub, err := fs.Sub(files, "templates")
	if err != nil {
		// fs.Sub fails only for an invalid path, and the path is a constant
		// that go:embed has already checked: a programming error.
		panic(fmt.Sprintf("dashboard: embedded templates: %v", err))
	}
	return sub
}
