package httpx

import (
	"net/http"
	"slices"
	"strings"
)

// defaultCSP is the default policy without its frame-ancestors directive:
// same-origin everything, no inline script or style, with four exceptions
// that <model-viewer> (the 3D viewer, web/src/viewer.ts) cannot work
// without, each as narrow as the browser allows and each shown necessary by
// cmd/luneo's TestBrowserViewer:
//
//   - script-src 'wasm-unsafe-eval': its meshopt, Draco and KTX2 decoders
//     are WebAssembly, which a browser compiles only with this keyword (it
//     allows WebAssembly, not JavaScript eval; the KTX2 transcoder would
//     also need 'unsafe-eval', which is not granted, so KTX2 textures do
//     not load: Luneo does not accept them, see web/README.md);
//   - worker-src blob: three.js starts the Draco and KTX2 decoder workers
//     from blob: URLs built from our /static/dist/decoders/ files;
//   - connect-src blob: three.js fetches the textures embedded in a GLB
//     from the blob: URLs it makes for them;
//   - style-src with the hash of model-viewer's own stylesheet, the one
//     inline <style> it renders into its shadow root. The hash is of
//     @google/model-viewer 4.4.0 (web/package.json); TestModelViewerStyleHash
//     recomputes it from web/node_modules and names the new value after an
//     upgrade.
//
// mediaOrigins (the S3 endpoint, whose presigned URLs the viewer fetches
// models and textures from) are added to connect-src and img-src.
func defaultCSP(mediaOrigins []string) string {
	media := ""
	for _, o := range mediaOrigins {
		media += " " + o
	}
	return "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; " +
		"style-src 'self' '" + ModelViewerStyleHash + "'; img-src 'self' data: blob:" + media + "; connect-src 'self' blob:" + media + "; " +
		"object-src 'none'; base-uri 'self'; form-action 'self'"
}

// ModelViewerStyleHash is the CSP hash of the <style> of <model-viewer>'s
// shadow root (the text of its lib/template.js between <style> and </style>).
const ModelViewerStyleHash = "sha256-PXtZZkJMMyc18o/DN1ZEFOJ2qEGq95IQbVaJFMOXOb0="

// baseHeaders sets what every response gets, matched route or not, with the
// default policy's CSP; a route's own policy then overrides (routeHeaders).
func baseHeaders(defaultPolicy string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", defaultPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// withFrameAncestors completes a CSP with the route's framing rule and says
// whether X-Frame-Options: DENY still applies.
func withFrameAncestors(csp string, ancestors []string) (string, bool) {
	switch {
	case len(ancestors) == 0:
		return csp + "; frame-ancestors 'none'", true
	case slices.Contains(ancestors, "*"):
		return csp, false
	}
	return csp + "; frame-ancestors " + strings.Join(ancestors, " "), false
}

// routeHeaders applies a route's CSP, framing and CORS rules.
func routeHeaders(p Policy, defaultCSP string, next http.Handler) http.Handler {
	base := p.CSP
	if base == "" {
		base = defaultCSP
	}
	static, deny := withFrameAncestors(base, p.FrameAncestors)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		csp, xfo := static, deny
		if p.FrameAncestorsFor != nil {
			csp, xfo = withFrameAncestors(base, p.FrameAncestorsFor(r))
		}
		h.Set("Content-Security-Policy", csp)
		if xfo {
			h.Set("X-Frame-Options", "DENY")
		} else {
			h.Del("X-Frame-Options")
		}
		if p.CORS != nil {
			allowOrigin(h, r, p.CORS)
		}
		next.ServeHTTP(w, r)
	})
}

// allowOrigin answers the CORS headers of a request from an allowed origin.
func allowOrigin(h http.Header, r *http.Request, c *CORS) {
	if c.OriginsFor != nil {
		h.Add("Vary", "Origin")
		if origin := r.Header.Get("Origin"); origin != "" && origin != "null" && c.OriginsFor(r, origin) {
			h.Set("Access-Control-Allow-Origin", origin)
		}
		return
	}
	if slices.Contains(c.Origins, "*") {
		h.Set("Access-Control-Allow-Origin", "*")
		return
	}
	h.Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if origin == "" || !slices.Contains(c.Origins, origin) {
		return
	}
	h.Set("Access-Control-Allow-Origin", origin)
	if c.Credentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
}

// preflight answers a CORS preflight (OPTIONS) for the routes of one path.
type preflight struct {
	cors    *CORS
	methods []string
}

func (p *preflight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	allowOrigin(h, r, p.cors)
	if h.Get("Access-Control-Allow-Origin") != "" {
		methods := append(slices.Clone(p.methods), p.cors.Methods...)
		slices.Sort(methods)
		h.Set("Access-Control-Allow-Methods", strings.Join(slices.Compact(methods), ", "))
		if len(p.cors.Headers) > 0 {
			h.Set("Access-Control-Allow-Headers", strings.Join(p.cors.Headers, ", "))
		}
		h.Set("Access-Control-Max-Age", "600")
	}
	w.WriteHeader(http.StatusNoContent)
}
