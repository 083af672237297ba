package web

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// defaultReturn is where a login goes when no (acceptable) return is given.
const defaultReturn = "/app"

// maxReturn bounds a return path: anything longer is not one of our pages.
const maxReturn = 2048

// safeReturn is the one check of every "return=" a login, sign-up, second
// factor, refresh or external login redirects to. It accepts only a path on
// this site: it parses as a URL with no scheme, host or user, starts with one
// "/" (raw and decoded), and holds no control character, backslash or dot
// segment, raw or percent-decoded. Browsers drop tabs and newlines from URLs
// and read "\" as "/", which is how "/\t/evil.example" or "/\evil.example"
// become "//evil.example", another site. Anything else gives the dashboard
// home and false.
func safeReturn(raw string) (string, bool) {
	if raw == "" || len(raw) > maxReturn || !utf8.ValidString(raw) || !localShape(raw) {
		return defaultReturn, false
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return defaultReturn, false
	}
	if !localShape(u.Path) || hasDotSegment(u.Path) {
		return defaultReturn, false
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

// returnTo is safeReturn for callers that only need the path.
func returnTo(raw string) string {
	p, _ := safeReturn(raw)
	return p
}
