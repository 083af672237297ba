// Package httpx is the HTTP kernel every web surface stands on: a route is
// declared once, with its policy (who may call it, how it may be framed,
// whether other origins may read it, how big its body may be), and one
// Router applies those policies with one middleware chain on one mux, so
// body limits and metric labels work the same for every surface.
//
// It also holds what surfaces share to answer a request: problem+json
// errors, JSON in and out, the caller's principal and session cookies,
// uploads, the page template engine, safe return paths and OAuth state.
// It imports no surface; surfaces import it.
package httpx

import (
	"fmt"
	"net/http"
)

// Route is one entry of the route table: what the Router registers, what the
// OpenAPI document and the README's policy table are built from.
type Route struct {
	// Method is the HTTP method ("GET", "POST", …); "" matches any method
	// (the catch-all and static file trees).
	Method string
	// Path is the http.ServeMux path pattern: "/api/products/{id}".
	Path string
	// Handler answers the request once the policy let it through.
	Handler http.Handler
	// Policy says who may call the route and how it is framed and shared.
	Policy Policy
	// MaxBody is the request body limit in bytes; 0 takes the Router's
	// default. Uploads set their own.
	MaxBody int64
	// Doc describes the route in the OpenAPI document; routes with an
	// empty Summary are not part of the public API.
	Doc Doc
	// Surface names the package that declared the route ("api",
	// "dashboard", …), set when the root mounts it, for the policy table.
	Surface string
}

// Pattern is the ServeMux pattern of the route: "GET /api/brand".
func (r Route) Pattern() string {
	if r.Method == "" {
		return r.Path
	}
	return r.Method + " " + r.Path
}

// Doc is what the OpenAPI document says about a route.
type Doc struct {
	// Summary is the one-line description.
	Summary string
	// Tag groups routes ("auth", "brand", "catalog", "zones", "ar").
	Tag string
}

// Handle is a Route for an http.HandlerFunc, the common case.
func Handle(method, path string, policy Policy, h http.HandlerFunc) Route {
	return Route{Method: method, Path: path, Policy: policy, Handler: h}
}

// WithBody returns the route with its own request body limit.
func (r Route) WithBody(max int64) Route {
	r.MaxBody = max
	return r
}

// Documented returns the route with its OpenAPI description.
func (r Route) Documented(tag, summary string) Route {
	r.Doc = Doc{Tag: tag, Summary: summary}
	return r
}

func (r Route) validate() error {
	if r.Handler == nil {
		return fmt.Errorf("route %s: no handler", r.Pattern())
	}
	if r.Policy.Auth == 0 || r.Policy.Auth > AuthHMAC {
		return fmt.Errorf("route %s: the policy names no auth kind (Public, Session, User, Brand or HMAC)", r.Pattern())
	}
	if r.Policy.Auth == AuthHMAC && r.Policy.CSRF != CSRFNone {
		return fmt.Errorf("route %s: an HMAC-signed route is called by servers, so its CSRF mode must be CSRFNone", r.Pattern())
	}
	if c := r.Policy.CORS; c != nil && c.Credentials && len(c.Origins) == 1 && c.Origins[0] == "*" {
		return fmt.Errorf("route %s: CORS with credentials must name its origins, not *", r.Pattern())
	}
	if c := r.Policy.CORS; c != nil && c.OriginsFor != nil && c.Credentials {
		return fmt.Errorf("route %s: CORS decided per request never carries credentials", r.Pattern())
	}
	return nil
}
