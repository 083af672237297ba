package shopify_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/shopify"
)

func TestValidShop(t *testing.T) {
	for _, ok := range []string{"a.myshopify.com", "mug-store.myshopify.com", "0-9.myshopify.com"} {
		if !shopify.ValidShop(ok) {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", ".myshopify.com", "-a.myshopify.com", "a_b.myshopify.com", "A.myshopify.com",
		"a.myshopify.com.", "a.myshopify.com:443", "a.myshopify.com/x", "a.b.myshopify.com", "a.myshopify.co",
		"amyshopify.com", "a.shopify.com", "https://a.myshopify.com", strings.Repeat("a", 242) + ".myshopify.com"} {
		if shopify.ValidShop(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestQueryMessage(t *testing.T) {
	// Shopify's documented example.
	q, _ := url.ParseQuery("code=0907a61c0c8d55e99db179b68161bc00&hmac=700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173")
	if got, want := shopify.QueryMessage(q), "code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173"; got != want {
		t.Fatalf("message %q", got)
	}
	if !shopify.ValidQueryHMAC("hush", q) {
		t.Fatal("Shopify's documented example does not verify")
	}
	// Repeated parameters, as Shopify documents for bulk-action links;
	// special characters form-encoded; signature dropped too.
	q, _ = url.ParseQuery("shop=a.myshopify.com&ids[]=2&ids[]=1&timestamp=1&signature=x&note=a%26b%3Dc+d")
	if got, want := shopify.QueryMessage(q), `ids=["2", "1"]&note=a%26b%3Dc+d&shop=a.myshopify.com&timestamp=1`; got != want {
		t.Fatalf("message %q, want %q", got, want)
	}
	// Two hmac parameters are refused.
	q.Set("hmac", shopify.SignQuery("s", q))
	if !shopify.ValidQueryHMAC("s", q) {
		t.Fatal("own signature refused")
	}
	q.Add("hmac", q.Get("hmac"))
	if shopify.ValidQueryHMAC("s", q) {
		t.Fatal("two hmac parameters accepted")
	}
}

func TestBodyHMAC(t *testing.T) {
	body := []byte(`{"id":1}`)
	m := hmac.New(sha256.New, []byte("s"))
	m.Write(body)
	sig := base64.StdEncoding.EncodeToString(m.Sum(nil))
	if !shopify.ValidBodyHMAC("s", body, sig) {
		t.Fatal("genuine body refused")
	}
	if shopify.ValidBodyHMAC("s", []byte(`{"id":2}`), sig) || shopify.ValidBodyHMAC("s", body, "") || shopify.ValidBodyHMAC("", body, sig) {
		t.Fatal("forged body accepted")
	}
}
