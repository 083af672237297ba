package web

import (
	"net/http"

	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/web/api"
	"github.com/luneo/luneo/internal/web/httpx"
)

// routes is the one place every route is declared, with its policy (see
// httpx.Policy): the table the router applies and the OpenAPI document and
// its test read.
func (s *Server) routes() []httpx.Route {
	// Operations.
	rs := []httpx.Route{
		httpx.Handle("GET", "/healthz", httpx.Public, s.healthz),
		httpx.Handle("GET", "/readyz", httpx.Public, s.readyz),
	}
	// Metrics name routes, job kinds and volumes: an operator's business,
	// not the public's. serve answers them on its ops listener only
	// (LUNEO_OPS_ADDR, an OpsOnly server); dev keeps them here.
	if s.OpsOnly || s.Dev {
		rs = append(rs, httpx.Route{Method: "GET", Path: "/metrics", Policy: httpx.Public, Handler: s.Metrics.Handler()})
	}
	if s.OpsOnly {
		return append(rs, httpx.Handle("", "/", httpx.Public, s.kit.NotFound))
	}

	rs = append(rs,
		// Dashboard.
		httpx.Handle("GET", "/{$}", httpx.Public, s.home),
		httpx.Route{Path: "/static/", Policy: httpx.Public, Handler: s.Assets},
		httpx.Handle("GET", "/favicon.ico", httpx.Public, s.favicon),
	)
	// The JSON API (internal/web/api) and external logins (oidc.go).
	rs = append(rs, api.New(api.Deps{Kit: s.kit, Auth: s.Auth, Brands: s.Brands, Audit: s.Audit, Catalog: s.Catalog, AR: s.AR}).Routes()...)
	rs = append(rs, s.oidcRoutes()...)
	// The public AR page (ar_page.go), when AR is wired.
	if s.AR != nil {
		rs = append(rs,
			httpx.Handle("GET", "/ar/{productID}", httpx.Public, s.arPage),
			httpx.Handle("POST", "/ar/{productID}/events", httpx.Public, s.arEvent).WithBody(1<<10),
		)
	}

	// Development-only pages (viewer_page.go).
	if s.Dev {
		rs = append(rs, s.viewerRoutes()...)
	}

	// Dashboard pages (pages_routes.go).
	rs = append(rs, s.pageRoutes()...)

	// Files of the local blob store, behind signed URLs.
	if s.LocalBlobs != nil {
		rs = append(rs, httpx.Handle("GET", "/blobs/{key...}", httpx.SharedFile(), s.serveBlob))
	}

	// Anything else: a 404 in the right format (page or problem+json).
	return append(rs, httpx.Handle("", "/", httpx.Public, s.kit.NotFound))
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", PageData{Title: "3D and AR product customization"})
}

func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, s.Assets.Path("favicon.svg"), http.StatusMovedPermanently)
}

// render renders a page with the fields every page shares filled in.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data PageData) {
	data.RequestID, data.Dev, data.Version = obs.RequestID(r.Context()), s.Dev, s.Version
	if err := s.Pages.Render(w, status, name, data); err != nil {
		s.kit.Error(w, r, err)
	}
}
