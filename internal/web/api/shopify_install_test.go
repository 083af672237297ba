package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/app"
	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/shopify/shopifytest"
	"github.com/luneo/luneo/internal/web/webtest"
)

const (
	shopifyKey    = "luneo-test-app"
	shopifySecret = "shpss_luneo_test_secret"
)

// shopifyEnv is the app with the Shopify app configured against a fake
// Shopify.
func shopifyEnv(t *testing.T) (*webtest.Env, *shopifytest.Server) {
	fake := shopifytest.New(t, shopifyKey, shopifySecret)
	e := webtest.StartWith(t, webtest.Extra{
		Env:     map[string]string{"LUNEO_SHOPIFY_API_KEY": shopifyKey, "LUNEO_SHOPIFY_API_SECRET": shopifySecret},
		Options: func(_ string, o *app.Options) { o.ShopifyAdminBase = fake.AdminBase },
	})
	return e, fake
}

// consent follows Shopify's consent screen (the fake approves at once) and
// returns the path of the callback it redirects to.
func consent(t *testing.T, e *webtest.Env, location string) string {
	t.Helper()
	c := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(location)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cb := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(cb, e.URL+"/api/shopify/callback?") {
		t.Fatalf("consent: %d to %q", resp.StatusCode, cb)
	}
	return strings.TrimPrefix(cb, e.URL)
}

func TestShopifyInstallRoutes(t *testing.T) {
	e, fake := shopifyEnv(t)
	const shop = "mug-store.myshopify.com"
	owner := e.Browser()
	owner.Signup("owner@mugs.example", "Owner", "Mugs")
	brandID := webtest.Find(t, owner.Get("/app/integrations").Body, `name="brandId" value="([^"]+)"`)

	// Install: a 303 to the store's consent screen and the binding cookie.
	p := owner.Get("/api/shopify/install?shop=" + shop + "&brandId=" + brandID)
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, fake.AdminBase(shop)+"/admin/oauth/authorize?") {
		t.Fatalf("install: %d %q %s", p.Status, p.Location, p.Body)
	}
	set := p.Header.Get("Set-Cookie")
	for _, want := range []string{"luneo_shopify_install=", "Path=/api/shopify/callback", "HttpOnly", "SameSite=Lax"} {
		if !strings.Contains(set, want) {
			t.Errorf("install cookie %q lacks %s", set, want)
		}
	}
	cb := consent(t, e, p.Location)

	// The callback without the cookie (another browser) is an error page.
	stranger := e.Browser()
	webtest.Want(t, stranger.Get(cb), http.StatusForbidden, "another browser")

	// The nonce is spent: even the right browser cannot use it now.
	webtest.Want(t, owner.Get(cb), http.StatusUnauthorized, "expired or was already used")

	// A whole install in the owner's browser.
	p = owner.Get("/api/shopify/install?shop=" + shop + "&brandId=" + brandID)
	cb = consent(t, e, p.Location)
	webtest.WantRedirect(t, owner.Get(cb), "/app/integrations?installed="+shop)
	webtest.Want(t, owner.Get("/app/integrations?installed="+shop), http.StatusOK, "Luneo is installed on", shop, "read_products")
	if n := len(fake.Subscriptions(shop)); n != len(shopify.Subscriptions) {
		t.Fatalf("%d webhook subscriptions", n)
	}

	// A bad shop is a 400; a brand the caller does not manage is a 404.
	webtest.Want(t, owner.Get("/api/shopify/install?shop=evil.example.com&brandId="+brandID), http.StatusBadRequest, "not a Shopify store")
	other := e.Browser()
	other.Signup("other@example.com", "Other", "Other brand")
	webtest.Want(t, other.Get("/api/shopify/install?shop="+shop+"&brandId="+brandID), http.StatusNotFound)
	// Without a session: 401.
	if p := e.Browser().Get("/api/shopify/install?shop=" + shop + "&brandId=" + brandID); p.Status != http.StatusUnauthorized {
		t.Fatalf("install without a session: %d", p.Status)
	}

	// The embedded app's status, for a session token of that shop.
	now := time.Now()
	tok := shopifytest.SessionToken(shopifyKey, shopifySecret, shop, now, "", nil)
	r := e.API("GET", "/api/shopify/app/status", nil, map[string]string{"Authorization": "Bearer " + tok})
	if r.Status != 200 || r.Body["installed"] != true || r.Body["brand"].(map[string]any)["name"] != "Mugs" {
		t.Fatalf("status: %d %v", r.Status, r.Body)
	}
	tok = shopifytest.SessionToken(shopifyKey, shopifySecret, "new-store.myshopify.com", now, "", nil)
	r = e.API("GET", "/api/shopify/app/status", nil, map[string]string{"Authorization": "Bearer " + tok})
	if r.Status != 200 || r.Body["installed"] != false || !strings.HasSuffix(r.Body["install_url"].(string), "/app/integrations?shop=new-store.myshopify.com") {
		t.Fatalf("status of a new store: %d %v", r.Status, r.Body)
	}
	for name, bad := range map[string]string{
		"wrong aud":  shopifytest.SessionToken("another-app", shopifySecret, shop, now, "", nil),
		"wrong dest": shopifytest.SessionToken(shopifyKey, shopifySecret, shop, now, "", func(c shopifytest.Claims) { c["dest"] = "https://other.myshopify.com" }),
		"alg none":   shopifytest.SessionToken(shopifyKey, shopifySecret, shop, now, "none", nil),
	} {
		if r := e.API("GET", "/api/shopify/app/status", nil, map[string]string{"Authorization": "Bearer " + bad}); r.Status != http.StatusUnauthorized {
			t.Errorf("%s: %d", name, r.Status)
		}
	}
	if r := e.API("GET", "/api/shopify/app/status", nil, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("no token: %d", r.Status)
	}

	// The brand's stores, then a disconnect.
	if p := owner.JSON("GET", "/api/shopify/shops", ""); p.Status != 200 || !strings.Contains(p.Body, `"shop":"`+shop+`"`) {
		t.Fatalf("shops: %d %s", p.Status, p.Body)
	}
	if p := other.JSON("DELETE", "/api/shopify/shops/"+shop, ""); p.Status != http.StatusNotFound {
		t.Fatalf("another brand's disconnect: %d", p.Status)
	}
	if p := owner.JSON("DELETE", "/api/shopify/shops/"+shop, ""); p.Status != http.StatusNoContent {
		t.Fatalf("disconnect: %d %s", p.Status, p.Body)
	}
	r = e.API("GET", "/api/shopify/app/status", nil, map[string]string{"Authorization": "Bearer " +
		shopifytest.SessionToken(shopifyKey, shopifySecret, shop, now, "", nil)})
	if r.Body["installed"] != false {
		t.Fatalf("status after disconnect: %v", r.Body)
	}
}

func TestShopifyOff(t *testing.T) {
	e := webtest.StartWith(t, webtest.ShopifyOff())
	b := e.Browser()
	b.Signup("owner@off.example", "Owner", "Off")
	webtest.Want(t, b.Get("/app/integrations"), http.StatusOK, "The Shopify app is off")
	if p := b.Get("/api/shopify/install?shop=x.myshopify.com"); p.Status != http.StatusNotFound {
		t.Fatalf("install with the app off: %d", p.Status)
	}
}
