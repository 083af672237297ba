package shopify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
)

// SessionLeeway is the clock skew allowed on a session token's exp and nbf.
// App Bridge mints a token per request with a one-minute life, so a few
// seconds cover the skew between Shopify's clock and ours without keeping
// an expired token useful.
const SessionLeeway = 5 * time.Second

// Session is who an App Bridge session token speaks for: the shop whose
// admin runs the embedded app page and the staff member (sub, a Shopify
// user id) using it.
type Session struct {
	Shop string
	User string
}

// sessionClaims are the claims of a session token that Luneo checks
// (https://shopify.dev/docs/apps/build/authentication-authorization/session-tokens).
type sessionClaims struct {
	Iss  string          `json:"iss"`
	Dest string          `json:"dest"`
	Aud  json.RawMessage `json:"aud"`
	Sub  string          `json:"sub"`
	Exp  *json.Number    `json:"exp"`
	Nbf  *json.Number    `json:"nbf"`
}

// VerifySessionToken checks an App Bridge session token, a JWT signed with
// the app's secret, and returns its shop and user. Every rule refuses with
// 401: the header's alg must be HS256 (none or any other is refused, so the
// token's own header never picks the check), the signature must verify in
// constant time, aud must be our API key, dest https://{shop} with a valid
// shop domain, iss https://{shop}/admin for that same shop, and exp and nbf
// must hold within SessionLeeway.
func VerifySessionToken(apiKey, secret, token string, now time.Time) (Session, error) {
	bad := func(why string) (Session, error) {
		return Session{}, apperr.New(apperr.Unauthorized, "invalid Shopify session token: %s", why)
	}
	if apiKey == "" || secret == "" {
		return bad("the Shopify app is off")
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return bad("not a JWT")
	}
	head, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return bad("bad header encoding")
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if err := json.Unmarshal(head, &h); err != nil || h.Alg != "HS256" {
		return bad("alg must be HS256")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return bad("bad signature encoding")
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(parts[0] + "." + parts[1]))
	if !hmac.Equal(sig, m.Sum(nil)) {
		return bad("bad signature")
	}
	body, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return bad("bad payload encoding")
	}
	var c sessionClaims
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil {
		return bad("bad payload")
	}
	if !audienceIs(c.Aud, apiKey) {
		return bad("aud is not this app's API key")
	}
	shop, ok := strings.CutPrefix(c.Dest, "https://")
	if !ok || !ValidShop(shop) {
		return bad("dest is not a shop")
	}
	if c.Iss != "https://"+shop+"/admin" {
		return bad("iss is not the shop's admin")
	}
	if c.Exp == nil {
		return bad("no exp")
	}
	exp, err := c.Exp.Int64()
	if err != nil || now.After(time.Unix(exp, 0).Add(SessionLeeway)) {
		return bad("expired")
	}
	if c.Nbf != nil {
		nbf, err := c.Nbf.Int64()
		if err != nil || now.Add(SessionLeeway).Before(time.Unix(nbf, 0)) {
			return bad("not valid yet")
		}
	}
	return Session{Shop: shop, User: c.Sub}, nil
}

// audienceIs accepts aud only as the one string Shopify sends (as
// @shopify/shopify-api does: a list, even one holding the key, is refused).
func audienceIs(raw json.RawMessage, key string) bool {
	var one string
	return json.Unmarshal(raw, &one) == nil && one == key
}

// String is for logs: the shop and user, never the token.
func (s Session) String() string { return fmt.Sprintf("%s user %s", s.Shop, s.User) }

// VerifySession checks an App Bridge session token against this app's key
// and secret at the service's time (VerifySessionToken).
func (s *Service) VerifySession(token string) (Session, error) {
	return VerifySessionToken(s.cfg.APIKey, s.cfg.APISecret, token, s.cfg.Now())
}

// VerifyLaunch checks the signed query Shopify opens the embedded app page
// with (VerifyQuery: HMAC, then timestamp) and returns its shop, which must
// be a valid shop domain.
func (s *Service) VerifyLaunch(q url.Values) (string, error) {
	if err := VerifyQuery(s.cfg.APISecret, q, s.cfg.Now()); err != nil {
		return "", err
	}
	shop := q.Get("shop")
	if !ValidShop(shop) {
		return "", apperr.New(apperr.Invalid, "shop %q is not a Shopify store domain", trim(shop))
	}
	return shop, nil
}
