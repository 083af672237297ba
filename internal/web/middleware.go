package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/obs"
)

// middleware wraps the router, outermost first: request ID, security headers
// and body limit change the request or response for everyone; observe then
// records the route pattern the router matched (it must see the very request
// the router gets); recovery turns a panicking handler into a logged 500.
func (s *Server) middleware(router http.Handler) http.Handler {
	h := s.recoverPanics(router)
	h = s.observe(h)
	h = s.checkOrigin(h)
	h = s.limitRouteBody(router, h)
	h = s.securityHeaders(h)
	h = clientInfo(h)
	return s.requestID(h)
}

// requestID accepts a sane incoming X-Request-ID (from a proxy) or makes one,
// puts it in the context (so every log line carries it) and returns it.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !saneRequestID(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(obs.WithRequestID(r.Context(), id)))
	})
}

// saneRequestID accepts 8 to 128 characters of [A-Za-z0-9._-]: enough for
// UUIDs and proxy IDs, nothing that could forge log lines or headers.
func saneRequestID(id string) bool {
	if len(id) < 8 || len(id) > 128 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// contentSecurityPolicy is the default policy: same-origin everything, no
// inline script or style, with four exceptions that <model-viewer> (the 3D
// viewer, web/src/viewer.ts) cannot work without, each as narrow as the
// browser allows and each shown necessary by cmd/luneo's TestBrowserViewer:
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
// Deps.MediaOrigins (the S3 endpoint, whose presigned URLs the viewer
// fetches models and textures from) are added to connect-src and img-src.
func contentSecurityPolicy(mediaOrigins []string) string {
	media := ""
	for _, o := range mediaOrigins {
		media += " " + o
	}
	return "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; " +
		"style-src 'self' '" + modelViewerStyleHash + "'; img-src 'self' data: blob:" + media + "; connect-src 'self' blob:" + media + "; " +
		"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
}

// modelViewerStyleHash is the CSP hash of the <style> of <model-viewer>'s
// shadow root (the text of its lib/template.js between <style> and </style>).
const modelViewerStyleHash = "sha256-PXtZZkJMMyc18o/DN1ZEFOJ2qEGq95IQbVaJFMOXOb0="

// securityHeaders sets the defaults every response gets; routes that need
// other rules (the embeddable widget, blob downloads) override them.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	csp := contentSecurityPolicy(s.MediaOrigins)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
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

// limitBody caps every request body at MaxBody; reading past it fails with
// *http.MaxBytesError, which the error mapper answers with 413.
func (s *Server) limitBody(next http.Handler) http.Handler { return s.limitRouteBody(nil, next) }

// limitRouteBody is limitBody for the routes of router: a route registered
// with bodyLimit (an upload) gets its own limit instead of MaxBody. The route
// is looked up before the body is touched, so both the early check of the
// declared length and the cap on what is read use the route's limit.
func (s *Server) limitRouteBody(router http.Handler, next http.Handler) http.Handler {
	mux, _ := router.(*http.ServeMux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.MaxBody
		if mux != nil {
			if h, _ := mux.Handler(r); h != nil {
				if rl, ok := h.(routeLimit); ok {
					limit = rl.max
				}
			}
		}
		if r.ContentLength > limit {
			s.writeError(w, r, apperr.New(apperr.TooLarge, "the request body is %d bytes; the limit is %d", r.ContentLength, limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// routeLimit is a route handler with a body limit of its own (see bodyLimit).
type routeLimit struct {
	max int64
	http.HandlerFunc
}

// bodyLimit registers h as a route accepting request bodies of up to max
// bytes instead of MaxBody: model and image uploads.
func bodyLimit(max int64, h http.HandlerFunc) http.Handler {
	return routeLimit{max: max, HandlerFunc: h}
}

// statusRecorder remembers the status and size of a response.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer (flush, deadlines).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// observe writes the access log line and the request metrics, labelled by
// route pattern (never the raw path, which would explode label cardinality).
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.Metrics.HTTPInFlight.Inc()
		defer s.Metrics.HTTPInFlight.Dec()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		s.Metrics.HTTPRequests.WithLabelValues(route, r.Method, strconv.Itoa(rec.status)).Inc()
		s.Metrics.HTTPDuration.WithLabelValues(route, r.Method).Observe(elapsed.Seconds())
		if strings.HasPrefix(r.URL.Path, "/healthz") || r.URL.Path == "/metrics" {
			return // probes every few seconds would drown the log
		}
		s.Logger.InfoContext(r.Context(), "http request", "method", r.Method, "path", r.URL.Path,
			"route", route, "status", rec.status, "bytes", rec.bytes,
			"duration_ms", float64(elapsed.Microseconds())/1000, "remote", r.RemoteAddr)
	})
}

// recoverPanics turns a panic into a logged 500 with the stack; the client
// only sees the request ID.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Logger.ErrorContext(r.Context(), "panic serving request", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.writeError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
