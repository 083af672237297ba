// Package web is Luneo's HTTP surface: every route (routes.go), the middleware
// chain, JSON and problem+json responses, the server-rendered dashboard pages
// and the embedded static assets.
package web

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/web/dashboard"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ops"
	"github.com/luneo/luneo/internal/web/ui"
)

// Deps is what the HTTP layer needs, built and wired by hand in cmd/luneo.
type Deps struct {
	Logger  *slog.Logger
	Metrics *obs.Metrics
	Pages   *httpx.Templates
	Assets  *ui.Assets
	// Checks are run by /readyz.
	Checks []ops.Check
	// LocalBlobs, when the blob store is a local folder, serves its signed URLs
	// under /blobs/. Nil with S3 (the store serves its own presigned URLs).
	LocalBlobs *blob.FS
	// MaxBody is the default request body limit in bytes.
	MaxBody int64
	// OpsOnly serves only /healthz, /readyz and /metrics (a worker
	// process, or the ops listener of serve). /metrics is served only
	// with OpsOnly or Dev.
	OpsOnly bool
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
	// OIDC enables the external logins; nil turns them off.
	OIDC *dashboard.OIDC
}

// Server answers HTTP requests.
type Server struct {
	Deps
	kit    *httpx.Kit
	router *httpx.Router
}

// NewServer builds the route table on one router.
func NewServer(d Deps) *Server {
	kit := &httpx.Kit{Logger: d.Logger, Templates: d.Pages, BaseURL: d.BaseURL, SecureCookies: d.SecureCookies,
		Dev: d.Dev, Version: d.Version, RefreshPath: "/api/auth/refresh"}
	if d.Auth != nil {
		kit.Auth = d.Auth
	}
	s := &Server{Deps: d, kit: kit}
	s.router = httpx.NewRouter(kit, httpx.Options{Metrics: d.Metrics, MaxBody: d.MaxBody, MediaOrigins: d.MediaOrigins})
	s.router.Add(s.routes()...)
	return s
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
