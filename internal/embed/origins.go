package embed

import (
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
)

// MaxOrigins bounds a brand's list: every origin is written into the
// frame-ancestors header of each iframe response, and a store has a few
// domains, not hundreds.
const MaxOrigins = 50

// maxOriginLen bounds one entry (a hostname is at most 253 bytes).
const maxOriginLen = 300

// NormalizeOrigins checks a brand's list of store origins and returns it in
// canonical form, deduplicated and sorted: scheme and host lower-case, no
// path, query, fragment or user info, default ports dropped. Only https is
// accepted, except http for loopback hosts (localhost, 127.0.0.1, [::1])
// when dev is true: a shopper's browser must not fetch tokens over a
// network that can read them. The error names the first bad entry.
func NormalizeOrigins(list []string, dev bool) ([]string, error) {
	if len(list) > MaxOrigins {
		return nil, apperr.New(apperr.Unprocessable, "allowed_origins has %d entries; at most %d are allowed", len(list), MaxOrigins)
	}
	out := make([]string, 0, len(list))
	for _, raw := range list {
		o, err := normalizeOrigin(raw, dev)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// normalizeOrigin returns raw as an exact origin or says what is wrong.
func normalizeOrigin(raw string, dev bool) (string, error) {
	bad := func(why string) error {
		return apperr.New(apperr.Unprocessable, "allowed origin %q: %s", trimForMessage(raw), why)
	}
	s := strings.TrimSpace(raw)
	if s == "" || len(s) > maxOriginLen {
		return "", bad("must be https://host[:port], at most 300 characters")
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", bad("must be https://host[:port]")
	}
	if u.User != nil {
		return "", bad("must not contain user info")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#") {
		return "", bad("must be an origin only, without a path, query or fragment")
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if host == "" || strings.ContainsAny(host, "*%") {
		return "", bad("needs a host name (no wildcards)")
	}
	switch scheme {
	case "https":
	case "http":
		if !dev || !isLoopback(host) {
			return "", bad("must use https (http is accepted only for localhost, 127.0.0.1 or [::1] in dev mode)")
		}
	default:
		return "", bad("must use https")
	}
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		return scheme + "://" + host + ":" + port, nil
	}
	return scheme + "://" + host, nil
}

// isLoopback reports whether host is one of the loopback names a browser
// treats as a secure context.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback() && (ip.Equal(net.IPv4(127, 0, 0, 1)) || ip.Equal(net.IPv6loopback))
}

// trimForMessage keeps an error message short whatever the input.
func trimForMessage(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
