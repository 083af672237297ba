// Package web mounts Luneo's HTTP surfaces on one router: ops (health and
// metrics), public (home, static files, AR pages, signed files), api (the
// JSON API), dashboard (staff pages and logins) and, in dev, devtools. Each
// surface is a package under internal/web that declares its routes with
// their policies; the kernel, internal/web/httpx, applies them. See
// docs/web.md for where a new route goes.
package web

import (
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/luneo/luneo/internal/app"
	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/order"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/render"
	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/web/api"
	"github.com/luneo/luneo/internal/web/dashboard"
	"github.com/luneo/luneo/internal/web/devtools"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ops"
	"github.com/luneo/luneo/internal/web/public"
	"github.com/luneo/luneo/internal/web/shopifyapp"
	"github.com/luneo/luneo/internal/web/ui"
	"github.com/luneo/luneo/internal/web/widget"
	"github.com/luneo/luneo/internal/webhook"
)

// Deps is what the HTTP layer needs, built and wired by hand in cmd/luneo
// (and by webtest, from the same internal/app).
type Deps struct {
	Logger  *slog.Logger
	Metrics *obs.Metrics
	// Checks are run by /readyz.
	Checks []obs.Check
	// LocalBlobs, when the blob store is a local folder, serves its signed URLs
	// under /blobs/. Nil with S3 (the store serves its own presigned URLs).
	LocalBlobs *blob.FS
	// MaxBody is the default request body limit in bytes.
	MaxBody int64
	// OpsOnly serves only /healthz, /readyz and /metrics (a worker
	// process, or the ops listener of serve). /metrics is served only
	// with OpsOnly or Dev.
	OpsOnly bool
	// Dev adds the development tools and /metrics, and shows the
	// development ribbon on pages.
	Dev     bool
	Version string

	// BaseURL is our own origin, for CSRF checks and links.
	BaseURL string
	// SecureCookies marks cookies Secure (everywhere but dev over http).
	SecureCookies bool
	// MediaOrigins are other origins pages may load models and images from
	// (the S3 endpoint behind presigned URLs); added to the CSP.
	MediaOrigins []string

	Auth   *auth.Service
	Brands *brand.Store
	Audit  *audit.Log
	// Catalog is the product catalog (products, models, zones).
	Catalog *catalog.Service
	// AR serves the AR files and public AR pages; nil turns them off.
	AR *ar.Service
	// Designs are the design module; nil turns its API off.
	Designs *design.Service
	// Renders are the design renders; set with Designs.
	Renders *render.Service
	// Embed is the widget handshake; nil turns the widget and its
	// settings off.
	Embed *embed.Service
	// Orders are store orders and their production; nil turns
	// their routes off.
	Orders *order.Service
	// OIDC enables the external logins; nil turns them off.
	OIDC *dashboard.OIDC
	// Webhooks are the brand's webhook endpoints (webhooks
	// out); nil turns their API and pages off.
	Webhooks *webhook.Service
	// Shopify is the Shopify app; nil (not configured) leaves its API
	// routes out, and its pages say it is off.
	Shopify *shopify.Service
	// ShopifyWebhooks serves Shopify's webhooks, the storefront product
	// resolution and the product mappings; nil turns them off.
	ShopifyWebhooks *shopify.Webhooks
}

// Server answers HTTP requests: one router holding every surface's routes.
type Server struct {
	Deps
	kit    *httpx.Kit
	router *httpx.Router
}

// New builds the templates and static files embedded in the binary, the
// Kit every surface shares and the router, and mounts the surfaces.
func New(d Deps) (*Server, error) {
	assets, err := ui.NewAssets(ui.StaticFS())
	if err != nil {
		return nil, fmt.Errorf("load static assets: %w", err)
	}
	// An ops-only server renders no surface's pages, only the error page.
	var surfaces []fs.FS
	if !d.OpsOnly {
		surfaces = []fs.FS{public.Templates(), devtools.Templates(), dashboard.Templates()}
	}
	pages, err := ui.NewTemplates(assets, surfaces...)
	if err != nil {
		return nil, fmt.Errorf("load templates: %w", err)
	}
	kit := &httpx.Kit{Logger: d.Logger, Templates: pages, BaseURL: d.BaseURL, SecureCookies: d.SecureCookies,
		Dev: d.Dev, Version: d.Version, RefreshPath: "/api/auth/refresh"}
	if d.Auth != nil {
		kit.Auth = d.Auth
	}
	s := &Server{Deps: d, kit: kit}
	s.router = httpx.NewRouter(kit, httpx.Options{Metrics: d.Metrics, MaxBody: d.MaxBody, MediaOrigins: d.MediaOrigins})
	s.mount(assets)
	return s, nil
}

// mount adds every surface's routes, each tagged with its surface, and the
// catch-all last. Who may call a route is the route's policy, declared in
// its surface's routes.go; this is only which surfaces a server has.
func (s *Server) mount(assets *ui.Assets) {
	add := func(surface string, routes []httpx.Route) {
		for i := range routes {
			routes[i].Surface = surface
		}
		s.router.Add(routes...)
	}
	// Metrics name routes, job kinds and volumes: an operator's business,
	// not the public's. serve answers them on its ops listener only
	// (LUNEO_OPS_ADDR, an OpsOnly server); dev keeps them here.
	od := ops.Deps{Kit: s.kit, Checks: s.Checks}
	if s.OpsOnly || s.Dev {
		od.Metrics = s.Metrics
	}
	add("ops", ops.New(od).Routes())
	if !s.OpsOnly {
		add("public", public.New(public.Deps{Kit: s.kit, Assets: assets, AR: s.AR, LocalBlobs: s.LocalBlobs,
			Designs: s.Designs, Renders: s.Renders}).Routes())
		ad := api.Deps{Kit: s.kit, Auth: s.Auth, Brands: s.Brands, Audit: s.Audit, Catalog: s.Catalog, AR: s.AR,
			Designs: s.Designs, Renders: s.Renders, Embed: s.Embed,
			Webhooks: s.Webhooks, Orders: s.Orders, Shopify: s.Shopify, ShopifyWebhooks: s.ShopifyWebhooks}
		dd := dashboard.Deps{Kit: s.kit, Auth: s.Auth, Brands: s.Brands, Audit: s.Audit,
			Catalog: s.Catalog, AR: s.AR, Designs: s.Designs, Renders: s.Renders, OIDC: s.OIDC, LocalBlobs: s.LocalBlobs != nil,
			Embed: s.Embed, Webhooks: s.Webhooks, Orders: s.Orders, Shopify: s.Shopify, ShopifyWebhooks: s.ShopifyWebhooks}
		add("api", api.New(ad).Routes())
		add("dashboard", dashboard.New(dd).Routes())
		// The Shopify app's page inside the Shopify admin.
		add("shopifyapp", shopifyapp.New(shopifyapp.Deps{Kit: s.kit, Shopify: s.Shopify, Assets: assets}).Routes())
		if s.Embed != nil {
			add("widget", widget.New(widget.Deps{Kit: s.kit, Embed: s.Embed, Assets: assets, MediaOrigins: s.MediaOrigins}).Routes())
		}
		if s.Dev {
			add("devtools", devtools.New(devtools.Deps{Kit: s.kit, LocalBlobs: s.LocalBlobs}).Routes())
		}
	}
	// Anything else: a 404 in the right format (page or problem+json).
	add("root", []httpx.Route{httpx.Handle("", "/", httpx.Public, s.kit.NotFound)})
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// Routes is the route table, for the OpenAPI document and tests.
func (s *Server) Routes() []httpx.Route { return s.router.Routes() }

// HTTPServer wraps h in an http.Server with timeouts that protect against slow
// clients without cutting off large model uploads and downloads: headers must
// arrive within 10 s; whole requests and responses get 10 minutes.
func HTTPServer(addr string, h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute,
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// FromApp fills in what every server takes from the built app (logger,
// metrics, readiness checks, modules, the local blob store); the caller
// adds what depends on how it serves (mode, base URL, cookies, limits).
// cmd/luneo and webtest both start from it, so tests serve what luneo
// serves.
func FromApp(a *app.App) Deps {
	localBlobs, _ := a.Blobs.(*blob.FS)
	return Deps{Logger: a.Logger, Metrics: a.Metrics, Checks: a.Checks(), LocalBlobs: localBlobs, MaxBody: a.Config.MaxBody,
		Auth: a.Auth, Brands: a.Brands, Audit: a.Audit, Catalog: a.Catalog, AR: a.AR, Designs: a.Designs, Renders: a.Renders, Embed: a.Embed,
		Webhooks: a.Webhooks, Orders: a.Orders, Shopify: a.Shopify, ShopifyWebhooks: a.ShopifyWebhooks}
}
