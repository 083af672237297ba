package httpx

import (
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultReturn is where a login goes when no (acceptable) return is given.
const DefaultReturn = "/app"

// maxReturn bounds a return path: anything longer is not one of our pages.
const maxReturn = 2048

// SafeReturn is the one check of every "return=" a login, sign-up, second
// factor, refresh or external login redirects to. It accepts only a path on
// this site: it parses as a URL with no scheme, host or user, starts with one
// "/" (raw and decoded), and holds no control character, backslash or dot
// segment, raw or percent-decoded. Browsers drop tabs and newlines from URLs
// and read "\" as "/", which is how "/\t/evil.example" or "/\evil.example"
// become "//evil.example", another site. Anything else gives the dashboard
// home and false.
func SafeReturn(raw string) (string, bool) {
	if raw == "" || len(raw) > maxReturn || !utf8.ValidString(raw) || !localShape(raw) {
		return DefaultReturn, false
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return DefaultReturn, false
	}
	if !localShape(u.Path) || hasDotSegment(u.Path) {
		return DefaultReturn, false
	}
	return raw, true
}

// localShape reports whether s starts with exactly one slash and holds no
// control character or backslash.
func localShape(s string) bool {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return r == '\\' || unicode.IsControl(r) || r == utf8.RuneError })
}

// hasDotSegment reports "." or ".." path segments, which no page of ours
// has and which resolve differently in different clients.
func hasDotSegment(p string) bool {
	for seg := range strings.SplitSeq(p, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// ReturnTo is SafeReturn for callers that only need the path.
func ReturnTo(raw string) string {
	p, _ := SafeReturn(raw)
	return p
}

// ReturnPath is where to come back to after logging in: the page itself for
// a GET, and for a form post (which cannot be replayed by a redirect) the
// page the form was on.
func ReturnPath(r *http.Request) string {
	if r.Method == http.MethodGet {
		return ReturnTo(r.URL.RequestURI())
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Path != "" && OriginOf(r.Referer()) != "" {
		return ReturnTo(ref.RequestURI())
	}
	return DefaultReturn
}
