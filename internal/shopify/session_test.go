package shopify_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/shopify/shopifytest"
)

func strconvFormat(n int64) string { return strconv.FormatInt(n, 10) }

func TestSessionTokens(t *testing.T) {
	now := time.Now()
	const shop = "mug-store.myshopify.com"
	sign := func(alg string, edit func(shopifytest.Claims)) string {
		return shopifytest.SessionToken(apiKey, apiSecret, shop, now, alg, edit)
	}
	s, err := shopify.VerifySessionToken(apiKey, apiSecret, sign("", nil), now)
	if err != nil || s.Shop != shop || s.User != "42" {
		t.Fatalf("genuine token: %+v %v", s, err)
	}
	// Within the leeway.
	late := sign("", func(c shopifytest.Claims) { c["exp"] = now.Add(-shopify.SessionLeeway + time.Second).Unix() })
	if _, err := shopify.VerifySessionToken(apiKey, apiSecret, late, now); err != nil {
		t.Fatalf("a token just expired within the leeway: %v", err)
	}
	bad := map[string]string{
		"wrong aud":     sign("", func(c shopifytest.Claims) { c["aud"] = "another-app" }),
		"aud as a list": sign("", func(c shopifytest.Claims) { c["aud"] = []string{apiKey} }),
		"wrong dest":    sign("", func(c shopifytest.Claims) { c["dest"] = "https://other.myshopify.com" }),
		"dest not a shop": sign("", func(c shopifytest.Claims) {
			c["dest"] = "https://evil.example.com"
			c["iss"] = "https://evil.example.com/admin"
		}),
		"dest over http":      sign("", func(c shopifytest.Claims) { c["dest"] = "http://" + shop; c["iss"] = "http://" + shop + "/admin" }),
		"iss of another shop": sign("", func(c shopifytest.Claims) { c["iss"] = "https://other.myshopify.com/admin" }),
		"expired":             sign("", func(c shopifytest.Claims) { c["exp"] = now.Add(-time.Minute).Unix() }),
		"no exp":              sign("", func(c shopifytest.Claims) { delete(c, "exp") }),
		"not yet valid":       sign("", func(c shopifytest.Claims) { c["nbf"] = now.Add(time.Minute).Unix() }),
		"alg none":            sign("none", nil),
		"alg HS512":           sign("HS512", nil),
		"other secret":        shopifytest.SessionToken(apiKey, "another secret", shop, now, "", nil),
		"garbage":             "not.a.jwt",
		"empty":               "",
	}
	for name, tok := range bad {
		if s, err := shopify.VerifySessionToken(apiKey, apiSecret, tok, now); err == nil {
			t.Errorf("%s: accepted as %+v", name, s)
		}
	}
}
