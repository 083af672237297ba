package httpx

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/obs"
)

// Options configure a Router.
type Options struct {
	Metrics *obs.Metrics
	// MaxBody is the default request body limit in bytes.
	MaxBody int64
	// MediaOrigins are other origins pages may load models and images from
	// (the S3 endpoint behind presigned URLs); added to the default CSP.
	MediaOrigins []string
}

// Router is the one mux of a listener and the one middleware chain around
// it. Outermost first: request ID and client info change the request for
// everyone, the default security headers apply even to requests no route
// matches, observe records the pattern the mux matched (it passes the very
// request the mux gets), recovery turns a panic into a logged 500. Each
// route then gets its own chain from its policy: headers, body limit, CSRF
// check, authentication.
type Router struct {
	kit        *Kit
	opts       Options
	csp        string
	mux        *http.ServeMux
	handler    http.Handler
	routes     []Route
	preflights map[string]*preflight
}

// NewRouter makes an empty router.
func NewRouter(kit *Kit, opts Options) *Router {
	rt := &Router{kit: kit, opts: opts, csp: defaultCSP(opts.MediaOrigins), mux: http.NewServeMux(), preflights: map[string]*preflight{}}
	full, _ := withFrameAncestors(rt.csp, nil)
	h := kit.recoverPanics(rt.mux)
	h = observe(kit.Logger, opts.Metrics, h)
	h = baseHeaders(full, h)
	h = clientInfo(h)
	rt.handler = requestID(h)
	return rt
}

// ServeHTTP implements http.Handler.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) { rt.handler.ServeHTTP(w, r) }

// Add registers routes. A route without an auth kind, or a pattern the mux
// refuses, is a programming error and panics, as http.ServeMux does.
func (rt *Router) Add(routes ...Route) {
	for _, r := range routes {
		if err := r.validate(); err != nil {
			panic("httpx: " + err.Error())
		}
		rt.mux.Handle(r.Pattern(), rt.chain(r))
		rt.routes = append(rt.routes, r)
		if r.Policy.CORS != nil && r.Method != "" && r.Method != http.MethodOptions {
			rt.addPreflight(r)
		}
	}
}

// Routes returns the route table in registration order, for the OpenAPI
// document, the README's policy table and tests.
func (rt *Router) Routes() []Route { return slices.Clone(rt.routes) }

// addPreflight answers OPTIONS for a CORS route's path, once per path.
func (rt *Router) addPreflight(r Route) {
	if p, ok := rt.preflights[r.Path]; ok {
		p.methods = append(p.methods, r.Method)
		return
	}
	p := &preflight{cors: r.Policy.CORS, methods: []string{r.Method, http.MethodOptions}}
	rt.preflights[r.Path] = p
	rt.mux.Handle(http.MethodOptions+" "+r.Path, p)
}

// chain wraps a route's handler in its policy.
func (rt *Router) chain(r Route) http.Handler {
	h := rt.authenticate(r.Policy.Auth, r.Handler)
	if r.Policy.CSRF == CSRFSameOrigin {
		h = rt.kit.checkOrigin(h)
	}
	limit := r.MaxBody
	if limit == 0 {
		limit = rt.opts.MaxBody
	}
	h = rt.limitBody(limit, h)
	return routeHeaders(r.Policy, rt.csp, h)
}

// limitBody caps the request body; reading past it fails with
// *http.MaxBytesError, which the error writer answers with 413. A declared
// length over the limit is refused before the body is touched.
func (rt *Router) limitBody(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > limit {
			rt.kit.Error(w, r, apperr.New(apperr.TooLarge, "the request body is %d bytes; the limit is %d", r.ContentLength, limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// authenticate enforces the route's auth kind and stores the principal in
// the request context for the handler (Kit.Principal, PrincipalFrom).
func (rt *Router) authenticate(kind AuthKind, next http.Handler) http.Handler {
	if kind == AuthPublic || kind == AuthHMAC {
		return next
	}
	k := rt.kit
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := k.Principal(r)
		if kind == AuthSession && apperr.CodeOf(err) == apperr.Unauthorized {
			// A page without a valid access cookie goes through the
			// refresh route, which renews it and comes back, or goes on
			// to the login page.
			http.Redirect(w, r, k.RefreshPath+"?return="+url.QueryEscape(ReturnPath(r)), http.StatusSeeOther)
			return
		}
		if err == nil && kind != AuthBrand {
			err = UserOnly(p)
		}
		if err != nil {
			k.Error(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
	})
}

// String describes a route and its policy, for logs and test failures.
func (r Route) String() string {
	return fmt.Sprintf("%s [%s]", r.Pattern(), r.Policy.Auth)
}
