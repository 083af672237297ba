package webhook

import (
	"crypto/rand"
	"encoding/base64"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/luneo/luneo/internal/apperr"
)

// Limits of what an endpoint may hold.
const (
	MaxURLLength         = 2048
	MaxDescriptionLength = 500
	// MaxEndpoints bounds a brand's endpoints, and so the deliveries one
	// event fans out to.
	MaxEndpoints = 20
)

// SecretPrefix starts every signing secret, so a leaked one is recognisable.
const SecretPrefix = "whsec_"

// newSecret returns a signing secret: the prefix and 32 random bytes,
// base64url without padding. The whole string, prefix included, is the
// HMAC key (docs/webhooks.md).
func newSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return SecretPrefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// checkURL validates an endpoint URL: absolute https (http only when the
// deployment allows it), a host, no credentials (they would be stored and
// shown in clear), no fragment, at most MaxURLLength bytes, and not a literal
// internal address. Names are checked again, on the resolved address, at
// every connection (guard.go); this is the early, clear refusal.
func (s *Service) checkURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", fieldErr("url", "is required")
	}
	if len(raw) > MaxURLLength {
		return "", fieldErr("url", "is longer than 2048 characters")
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Opaque != "" {
		return "", fieldErr("url", "is not an absolute URL")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !s.cfg.AllowHTTP {
			return "", fieldErr("url", "must use https")
		}
	default:
		return "", fieldErr("url", "must use https")
	}
	if u.User != nil {
		return "", fieldErr("url", "must not contain a user name or password; authenticate deliveries with the signature")
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return "", fieldErr("url", "must not contain a fragment (#…)")
	}
	host := u.Hostname()
	if host == "" {
		return "", fieldErr("url", "has no host")
	}
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil && !s.cfg.AllowPrivate && Blocked(ip) {
		return "", &apperr.Error{Code: apperr.Unprocessable,
			Message: "the URL's host is a private, loopback or link-local address; webhooks go to public addresses only",
			Fields:  map[string]string{"url": "is a private, loopback or link-local address"}}
	}
	return u.String(), nil
}

// checkTopics validates and normalises a topic list: known topics only, at
// least one, duplicates dropped, in the order of Topics.
func checkTopics(topics []string) ([]string, error) {
	if len(topics) == 0 {
		return nil, fieldErr("topics", "must list at least one topic ("+strings.Join(Topics, ", ")+")")
	}
	for _, t := range topics {
		if !KnownTopic(t) {
			return nil, fieldErr("topics", "has an unknown topic "+quote(t)+"; known: "+strings.Join(Topics, ", "))
		}
	}
	var out []string
	for _, t := range Topics {
		if slices.Contains(topics, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// checkDescription trims and bounds a description.
func checkDescription(d string) (string, error) {
	d = strings.TrimSpace(d)
	if !utf8.ValidString(d) || strings.ContainsRune(d, 0) {
		return "", fieldErr("description", "is not valid text")
	}
	if utf8.RuneCountInString(d) > MaxDescriptionLength {
		return "", fieldErr("description", "is longer than 500 characters")
	}
	return d, nil
}

// fieldErr is a 400 naming the field that is wrong.
func fieldErr(field, problem string) error {
	return &apperr.Error{Code: apperr.Invalid, Message: field + " " + problem, Fields: map[string]string{field: problem}}
}

// quote shows a client's value in a message, cut short.
func quote(v string) string {
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return `"` + strings.ToValidUTF8(v, "?") + `"`
}
