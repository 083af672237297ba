// Package widget is the surface shoppers reach through a brand's store: the
// loader script brands paste (/embed/luneo.js), the iframe page the loader
// opens (/embed/frame) and the shopper routes under /api/embed/ (token,
// validate, session). The handshake's rules live in internal/embed; this
// package decides who may call, frame and read each route. See
// docs/embed.md.
package widget

import (
	"net/http"
	"strings"

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

// Routes declares the surface's routes. None of them reads a staff session:
// the token and validate routes are answered to the brand's store origins
// only (CORS decided per request), the session route takes the embed token
// as bearer and checks it itself, and the frame may be framed only by the
// brand's own origins.
func (s *Widget) Routes() []httpx.Route {
	shopper := httpx.Policy{Auth: httpx.AuthPublic, CSRF: httpx.CSRFNone}
	token, validate := shopper, shopper
	token.CORS = &httpx.CORS{OriginsFor: s.brandOrigin, Methods: []string{"GET"}}
	validate.CORS = &httpx.CORS{OriginsFor: s.anyBrandOrigin, Methods: []string{"POST"}}
	frame := httpx.Policy{Auth: httpx.AuthPublic, CSP: frameCSP, FrameAncestorsFor: s.frameAncestors}
	return []httpx.Route{
		httpx.Handle("GET", "/embed/luneo.js", httpx.Public, s.loader),
		httpx.Handle("GET", "/embed/frame", frame, s.Kit.Handler(s.frame)),
		httpx.Handle("GET", "/api/embed/token", token, s.Kit.Handler(s.token)).
			Documented("Widget", "A widget session's embed token and single-use nonce, for a store origin on the brand's list"),
		httpx.Handle("POST", "/api/embed/validate", validate, s.validate).
			Documented("Widget", "Consume a handshake nonce from the origin it is bound to"),
		httpx.Handle("GET", "/api/embed/session", shopper, s.Kit.Handler(s.session)).
			Documented("Widget", "The brand and product of the embed token sent as bearer"),
	}
}

// frameCSP is the iframe page's policy: our own scripts, styles and API
// only; frame-ancestors is added per request.
const frameCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"

// brandOrigin lets the brand named in the query read token answers from
// its own store origins.
func (s *Widget) brandOrigin(r *http.Request, origin string) bool {
	ok, err := s.Embed.Allowed(r.Context(), r.URL.Query().Get("brand"), origin)
	return err == nil && ok
}

// anyBrandOrigin lets a store origin on some brand's list read the
// validate answer; which brand is the nonce's business, checked by the
// handler (the nonce cannot be read without consuming it).
func (s *Widget) anyBrandOrigin(r *http.Request, origin string) bool {
	ok, err := s.Embed.AllowedAnywhere(r.Context(), origin)
	return err == nil && ok
}

// frameAncestors is exactly the brand's list: no other page may frame its
// widget (an unknown brand gets 'none').
func (s *Widget) frameAncestors(r *http.Request) []string {
	list, err := s.Embed.Origins(r.Context(), r.URL.Query().Get("brand"))
	if err != nil {
		return nil
	}
	return list
}

// bearer returns the Authorization header's bearer token, or "".
func bearer(r *http.Request) string {
	scheme, rest, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(rest)
}
