package shopifyapp_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/app"
	"github.com/luneo/luneo/internal/shopify/shopifytest"
	"github.com/luneo/luneo/internal/web/webtest"
)

const (
	key    = "luneo-test-app"
	secret = "shpss_luneo_test_secret"
	shop   = "mug-store.myshopify.com"
)

func TestEmbeddedAppPage(t *testing.T) {
	fake := shopifytest.New(t, key, secret)
	e := webtest.StartWith(t, webtest.Extra{
		Env:     map[string]string{"LUNEO_SHOPIFY_API_KEY": key, "LUNEO_SHOPIFY_API_SECRET": secret},
		Options: func(_ string, o *app.Options) { o.ShopifyAdminBase = fake.AdminBase },
	})
	b := e.Browser()
	q := shopifytest.LaunchQuery(secret, shop, time.Now())
	p := b.Get("/shopify/app?" + q.Encode())
	webtest.Want(t, p, http.StatusOK, `<meta name="shopify-api-key" content="`+key+`">`,
		`<script src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>`, `src="/shopify/app.js"`, shop)
	csp := p.Header.Get("Content-Security-Policy")
	if !strings.HasSuffix(csp, "; frame-ancestors https://"+shop+" https://admin.shopify.com") ||
		!strings.Contains(csp, "script-src 'self' https://cdn.shopify.com") || p.Header.Get("X-Frame-Options") != "" {
		t.Fatalf("CSP %q, X-Frame-Options %q", csp, p.Header.Get("X-Frame-Options"))
	}
	// App Bridge must come first, before any other script.
	if strings.Index(p.Body, "app-bridge.js") > strings.Index(p.Body, "/shopify/app.js") {
		t.Fatal("App Bridge is not the first script")
	}
	if st, ctype, body := b.Fetch("/shopify/app.js"); st != 200 || !strings.HasPrefix(ctype, "text/javascript") ||
		!strings.Contains(string(body), "shopify.idToken()") || !strings.Contains(string(body), "/api/shopify/app/status") {
		t.Fatalf("script: %d %s", st, ctype)
	}

	// A launch query that does not verify: 401, framed by nobody.
	for name, mutate := range map[string]func(){
		"tampered shop": func() { q.Set("shop", "other.myshopify.com") },
		"no hmac":       func() { q.Del("hmac") },
		"stale":         func() { q = shopifytest.LaunchQuery(secret, shop, time.Now().Add(-time.Hour)) },
		"not a shop": func() {
			q = shopifytest.LaunchQuery(secret, "evil.example.com", time.Now())
		},
	} {
		q = shopifytest.LaunchQuery(secret, shop, time.Now())
		mutate()
		p := b.Get("/shopify/app?" + q.Encode())
		if p.Status < 400 || p.Status >= 500 || strings.Contains(p.Body, "app-bridge.js") ||
			!strings.Contains(p.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s: %d, CSP %q", name, p.Status, p.Header.Get("Content-Security-Policy"))
		}
	}
}

func TestEmbeddedAppPageOff(t *testing.T) {
	e := webtest.StartWith(t, webtest.ShopifyOff())
	p := e.Browser().Get("/shopify/app?shop=" + shop)
	webtest.Want(t, p, http.StatusOK, "The Shopify app is off")
	if strings.Contains(p.Body, "app-bridge.js") {
		t.Fatal("the off page loads App Bridge")
	}
}
