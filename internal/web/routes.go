package web

import (
	"net/http"

	"github.com/luneo/luneo/internal/platform/obs"
	"github.com/luneo/luneo/internal/web/api"
	"github.com/luneo/luneo/internal/web/dashboard"
	"github.com/luneo/luneo/internal/web/devtools"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ops"
	"github.com/luneo/luneo/internal/web/public"
)

// routes is the one place every route is declared, with its policy (see
// httpx.Policy): the table the router applies and the OpenAPI document and
// its test read.
func (s *Server) routes() []httpx.Route {
	// Operations (internal/web/ops).
	od := ops.Deps{Kit: s.kit, Checks: s.Checks}
	// Metrics name routes, job kinds and volumes: an operator's business,
	// not the public's. serve answers them on its ops listener only
	// (LUNEO_OPS_ADDR, an OpsOnly server); dev keeps them here.
	if s.OpsOnly || s.Dev {
		od.Metrics = s.Metrics
	}
	rs := ops.New(od).Routes()
	if s.OpsOnly {
		return append(rs, httpx.Handle("", "/", httpx.Public, s.kit.NotFound))
	}

	// What anyone may open: home, static files, AR pages, shared files
	// (internal/web/public).
	rs = append(rs, public.New(public.Deps{Kit: s.kit, Assets: s.Assets, AR: s.AR, LocalBlobs: s.LocalBlobs}).Routes()...)
	// The JSON API (internal/web/api).
	rs = append(rs, api.New(api.Deps{Kit: s.kit, Auth: s.Auth, Brands: s.Brands, Audit: s.Audit, Catalog: s.Catalog, AR: s.AR}).Routes()...)

	// Development-only pages (internal/web/devtools).
	if s.Dev {
		rs = append(rs, devtools.New(devtools.Deps{Kit: s.kit, LocalBlobs: s.LocalBlobs}).Routes()...)
	}

	// The dashboard's pages and external logins.
	rs = append(rs, dashboard.New(dashboard.Deps{Kit: s.kit, Auth: s.Auth, Brands: s.Brands, Audit: s.Audit,
		Catalog: s.Catalog, AR: s.AR, OIDC: s.OIDC, LocalBlobs: s.LocalBlobs != nil}).Routes()...)

	// Anything else: a 404 in the right format (page or problem+json).
	return append(rs, httpx.Handle("", "/", httpx.Public, s.kit.NotFound))
}

// render renders a page with the fields every page shares filled in.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data PageData) {
	data.RequestID, data.Dev, data.Version = obs.RequestID(r.Context()), s.Dev, s.Version
	if err := s.Pages.Render(w, status, name, data); err != nil {
		s.kit.Error(w, r, err)
	}
}
