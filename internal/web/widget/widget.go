// Package widget is the surface shoppers reach through a brand's store: the
// loader script brands paste (/embed/luneo.js) and the iframe page the
// loader opens (/embed/frame); the shopper JSON routes under /api/embed/
// are in internal/web/api. The handshake's rules live in internal/embed; this
// package decides who may call, frame and read each route. See
// docs/embed.md.
package widget

import (
	"net/http"

	"github.com/luneo/luneo/internal/embed"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ui"
)

// Deps is what the surface needs.
type Deps struct {
	Kit    *httpx.Kit
	Embed  *embed.Service
	Assets *ui.Assets
}

// Widget serves the widget routes.
type Widget struct{ Deps }

// New builds the surface.
func New(d Deps) *Widget { return &Widget{Deps: d} }

// LoaderAsset is the static file name of the loader bundle (web/src/luneo.ts).
const LoaderAsset = "dist/luneo.js"

// FrameAsset is the static file name of the iframe page's script
// (web/src/embed-frame.ts).
const FrameAsset = "dist/embed-frame.js"

// loaderCacheControl: the loader's URL is stable (brands paste it), so
// caches keep it only five minutes and a new version reaches every store
// soon after a deploy; what it loads has hashed URLs cached a year.
const loaderCacheControl = "public, max-age=300"

// Routes declares the surface's routes: the loader, which any page may
// load, and the iframe page, which only the brand's own origins may frame.
// The shopper JSON routes under /api/embed/ are the api surface's.
func (s *Widget) Routes() []httpx.Route {
	frame := httpx.Policy{Auth: httpx.AuthPublic, CSP: frameCSP, FrameAncestorsFor: s.frameAncestors}
	return []httpx.Route{
		httpx.Handle("GET", "/embed/luneo.js", httpx.Public, s.loader),
		httpx.Handle("GET", "/embed/frame", frame, s.Kit.Handler(s.frame)),
	}
}

// frameCSP is the iframe page's policy: our own scripts, styles and API
// only; frame-ancestors is added per request.
const frameCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"

// frameAncestors is exactly the brand's list: no other page may frame its
// widget (an unknown brand gets 'none').
func (s *Widget) frameAncestors(r *http.Request) []string {
	list, err := s.Embed.Origins(r.Context(), r.URL.Query().Get("brand"))
	if err != nil {
		return nil
	}
	return list
}
