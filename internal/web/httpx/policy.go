package httpx

import "net/http"

// AuthKind says how a route's caller proves who they are. The zero value is
// not a kind: every route must choose one, so none is public by accident.
type AuthKind int

const (
	// AuthPublic routes need no credentials. A handler may still look up
	// a session (Kit.Principal) to personalise the page.
	AuthPublic AuthKind = iota + 1
	// AuthSession routes are dashboard pages for a logged-in person: the
	// session cookie (or a bearer access token). A browser without a valid
	// session is sent through the refresh route and back; API keys are
	// refused (they act for a brand, not a person).
	AuthSession
	// AuthUser routes are JSON account routes for a person: a bearer
	// access token or the session cookie; API keys get 403.
	AuthUser
	// AuthBrand routes are JSON routes acting for the caller's brand: a
	// bearer access token, an API key, or the session cookie.
	AuthBrand
	// AuthHMAC routes are called by another server that signs the raw
	// body (webhooks); the handler verifies the signature before anything
	// else. No cookie or bearer token is read.
	AuthHMAC
)

// String names the kind as the README's policy table does.
func (k AuthKind) String() string {
	switch k {
	case AuthPublic:
		return "public"
	case AuthSession:
		return "session cookie (pages)"
	case AuthUser:
		return "bearer token or session cookie; no API keys"
	case AuthBrand:
		return "bearer token, API key or session cookie"
	case AuthHMAC:
		return "HMAC signature over the raw body"
	}
	return "unset"
}

// CSRFMode says how a state-changing request is checked for having been
// sent by another site on its own. The zero value is the safe default.
type CSRFMode int

const (
	// CSRFSameOrigin: a POST, PUT, PATCH or DELETE without an
	// Authorization header must come from our own origin when it says
	// where it comes from, and must say so when it carries our cookies.
	CSRFSameOrigin CSRFMode = iota
	// CSRFNone: no origin check, for routes that carry no ambient
	// credentials (HMAC webhooks, public endpoints other sites post to).
	CSRFNone
)

// Policy is a route's security policy, applied by the Router before the
// handler runs. The zero value of each field other than Auth is the
// strictest choice.
type Policy struct {
	Auth AuthKind
	CSRF CSRFMode
	// CSP replaces the default Content-Security-Policy (same-origin
	// everything plus what the 3D viewer needs); frame-ancestors is added
	// from FrameAncestors either way.
	CSP string
	// FrameAncestors lists the origins that may frame the route's pages.
	// Empty means none (and X-Frame-Options: DENY); "*" means anyone (no
	// frame-ancestors directive at all: stored files).
	FrameAncestors []string
	// FrameAncestorsFor, when set, decides the list per request (a brand's
	// own storefront origins) and wins over FrameAncestors.
	FrameAncestorsFor func(r *http.Request) []string
	// CORS lets other origins read the responses; nil lets none.
	CORS *CORS
}

// CORS is a route's cross-origin resource sharing rule.
type CORS struct {
	// Origins may read responses; "*" is any origin (then Credentials
	// must be false).
	Origins []string
	// Methods and Headers are announced to preflight requests.
	Methods []string
	Headers []string
	// Credentials lets the named origins send cookies.
	Credentials bool
	// OriginsFor, when set, decides per request whether the request's
	// origin may read the response (a brand's own storefront origins)
	// and wins over Origins; it never answers with "*". Such routes send
	// no credentials.
	OriginsFor func(r *http.Request, origin string) bool
}

// The policies the surfaces use; a new route starts from one of these.
var (
	// Public pages and JSON anyone may call from our own origin.
	Public = Policy{Auth: AuthPublic}
	// Page is a dashboard page for a logged-in person.
	Page = Policy{Auth: AuthSession}
	// UserAPI is a JSON route for a person (account, sessions, 2FA).
	UserAPI = Policy{Auth: AuthUser}
	// BrandAPI is a JSON route acting for the caller's brand.
	BrandAPI = Policy{Auth: AuthBrand}
)

// SharedFile is the policy of a stored file behind a signed URL: any origin
// may read and frame it, and it is sandboxed so it can never run script on
// our origin (an uploaded HTML or SVG file stays data).
func SharedFile() Policy {
	return Policy{Auth: AuthPublic, CSP: "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
		FrameAncestors: []string{"*"}, CORS: &CORS{Origins: []string{"*"}}}
}

// OpenDocument is the policy of public JSON any origin may read (the
// OpenAPI document, for API explorers on other origins).
func OpenDocument() Policy {
	return Policy{Auth: AuthPublic, CORS: &CORS{Origins: []string{"*"}}}
}
