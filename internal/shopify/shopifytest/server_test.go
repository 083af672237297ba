package shopifytest

import (
	"bytes"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// TestSign: the fake signs Shopify's documented example as Shopify does.
func TestSignQuery(t *testing.T) {
	q, _ := url.ParseQuery("code=0907a61c0c8d55e99db179b68161bc00&shop=some-shop.myshopify.com&state=0.6784241404160823&timestamp=1337178173")
	if got := SignQuery("hush", q); got != "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf" {
		t.Fatalf("hmac %s", got)
	}
}

// TestCodeSingleUse: an authorization code is exchanged once, by the app
// that holds the secret, for the shop it was issued to.
func TestCodeSingleUse(t *testing.T) {
	s := New(t, "key", "secret")
	shop := "a.myshopify.com"
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(s.AdminBase(shop) + "/admin/oauth/authorize?client_id=key&scope=read_products&redirect_uri=https://app.example/cb&state=s1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	cb := loc.Query()
	if cb.Get("hmac") != SignQuery("secret", cb) || cb.Get("state") != "s1" || cb.Get("shop") != shop {
		t.Fatalf("callback %v", cb)
	}
	exchange := func(secret, on string) int {
		body := `{"client_id":"key","client_secret":"` + secret + `","code":"` + cb.Get("code") + `"}`
		resp, err := c.Post(s.AdminBase(on)+"/admin/oauth/access_token", "application/json", bytes.NewBufferString(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := exchange("wrong", shop); got != http.StatusUnauthorized {
		t.Fatalf("wrong secret: %d", got)
	}
	if got := exchange("secret", shop); got != http.StatusOK || s.TokenOf(shop) == "" {
		t.Fatalf("exchange: %d", got)
	}
	if got := exchange("secret", shop); got != http.StatusBadRequest {
		t.Fatalf("second exchange: %d", got)
	}
}
