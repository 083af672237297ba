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
	// MediaOrigins are the origins of presigned blob URLs (the S3
	// endpoint): the customizer fetches the product's model, textures and
	// masks from them.
	MediaOrigins []string
}

// Widget serves the widget routes.
type Widget struct{ Deps }

// New builds the surface.
func New(d Deps) *Widget { return &Widget{Deps: d} }

// LoaderAsset is the static file name of the loader bundle (web/src/luneo.ts).
const LoaderAsset = "dist/luneo.js"

// ViewerAsset is the 3D viewer bundle (web/src/viewer.ts: <model-viewer>
// with our decoders), which the iframe page loads beside its own script so
// the handshake and the editor never wait for the 3D code.
const ViewerAsset = "dist/viewer.js"

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
	frame := httpx.Policy{Auth: httpx.AuthPublic, CSP: frameCSP(s.MediaOrigins), FrameAncestorsFor: s.frameAncestors}
	return []httpx.Route{
		httpx.Handle("GET", "/embed/luneo.js", httpx.Public, s.loader),
		httpx.Handle("GET", "/embed/frame", frame, s.Kit.Handler(s.frame)),
	}
}

// frameCSP is the iframe page's policy: nothing by default, then our own
// scripts, styles and API, and what the customizer's 3D view needs, each
// exception the one the dashboard's default policy makes for
// <model-viewer> (internal/web/httpx defaultCSP):
//
//   - script-src 'wasm-unsafe-eval': the Draco and meshopt decoders are
//     WebAssembly (WebAssembly only, never JavaScript eval);
//   - worker-src 'self' blob: three.js starts its decoder workers from
//     blob: URLs;
//   - style-src with model-viewer's stylesheet hash: the one inline <style>
//     of its shadow root (the customizer's own styles are widget.css);
//   - img-src and connect-src blob: and the media origins: the model,
//     textures and masks come from presigned URLs on the blob store, the
//     composed texture and the shopper's images are local blob: URLs, and
//     the AR QR code is a data: URL.
//
// Fonts are loaded from bytes (new FontFace), so there is no font-src;
// frame-ancestors is added per request.
func frameCSP(mediaOrigins []string) string {
	media := ""
	for _, o := range mediaOrigins {
		media += " " + o
	}
	return "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; " +
		"style-src 'self' '" + httpx.ModelViewerStyleHash + "'; img-src 'self' data: blob:" + media + "; " +
		"connect-src 'self' blob:" + media + "; base-uri 'none'; form-action 'self'; object-src 'none'"
}

// frameAncestors is exactly the brand's list and its frame-only origins
// (https://admin.shopify.com once a Shopify store is installed, for the
// theme editor): no other page may frame its widget (an unknown brand gets
// 'none').
func (s *Widget) frameAncestors(r *http.Request) []string {
	list, err := s.Embed.FrameAncestors(r.Context(), r.URL.Query().Get("brand"))
	if err != nil {
		return nil
	}
	return list
}
