package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/luneo/luneo/internal/platform/queue"
	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/shopify/shopifytest"
	"github.com/luneo/luneo/internal/web"
	"github.com/luneo/luneo/internal/web/webtest"
)

const webhookAppSecret = "shpss_test_app_secret_0123456789"

// testShops are the installations: shop → brand, all installed.
type testShops struct {
	mu    sync.Mutex
	brand map[string]string
}

func (s *testShops) BrandOf(_ context.Context, shop string) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.brand[shop]
	return b, b != "", nil
}

func (s *testShops) ShopsOf(_ context.Context, brandID string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for shop, b := range s.brand {
		if b == brandID {
			out = append(out, shop)
		}
	}
	return out, nil
}

func (s *testShops) Uninstalled(context.Context, string) error { return nil }
func (s *testShops) Forget(context.Context, string) error      { return nil }

// shopifyWebhookEnv is the whole app with the Shopify webhooks on, and two
// brands, each with a shop and a product.
type shopifyWebhookEnv struct {
	e              *webtest.Env
	w              *shopify.Webhooks
	a, b           map[string]string // bearer headers
	brandA, brandB string
	prodA, prodB   string
}

func startShopifyWebhooks(t *testing.T) *shopifyWebhookEnv {
	t.Helper()
	shops := &testShops{brand: map[string]string{}}
	se := &shopifyWebhookEnv{}
	se.e = webtest.Start(t, func(e *webtest.Env, d *web.Deps) {
		se.w = shopify.NewWebhooks(e.DB, shopify.WebhooksConfig{APISecret: webhookAppSecret, Shops: shops, Members: e.App.Brands})
		reg := queue.NewRegistry()
		shopify.RegisterWebhooks(reg, se.w)
		q, err := queue.New(e.DB, reg, queue.Options{}) // inserts only
		if err != nil {
			t.Fatal(err)
		}
		se.w.SetQueue(q)
		d.ShopifyWebhooks = se.w
	})
	e := se.e
	se.a = webtest.Bearer(e.RegisterAndLogin("shop-a@example.com"))
	se.b = webtest.Bearer(e.RegisterAndLogin("shop-b@example.com"))
	se.brandA = e.API("GET", "/api/brand", nil, se.a).Body["brand"].(map[string]any)["id"].(string)
	se.brandB = e.API("GET", "/api/brand", nil, se.b).Body["brand"].(map[string]any)["id"].(string)
	shops.brand["brand-a.myshopify.com"] = se.brandA
	shops.brand["brand-b.myshopify.com"] = se.brandB
	for _, c := range []struct {
		h   map[string]string
		id  *string
		sku string
	}{{se.a, &se.prodA, "MUG-A"}, {se.b, &se.prodB, "MUG-B"}} {
		r := e.API("POST", "/api/products", map[string]any{"name": "Mug", "sku": c.sku, "price": 900, "currency": "EUR"}, c.h)
		if r.Status != http.StatusCreated {
			t.Fatalf("create product: %d %v", r.Status, r.Body)
		}
		*c.id = r.Body["product"].(map[string]any)["id"].(string)
	}
	// A product is active only with a model; the storefront only cares
	// about the status.
	if _, err := e.DB.Exec(`UPDATE products SET status = 'active'`); err != nil {
		t.Fatal(err)
	}
	return se
}

func (se *shopifyWebhookEnv) deliver(t *testing.T, d *shopifytest.Delivery) int {
	t.Helper()
	if d.Secret == "" {
		d.Secret = webhookAppSecret
	}
	status, err := shopifytest.Deliver(nil, se.e.URL+"/api/shopify/webhooks", d)
	if err != nil {
		t.Fatal(err)
	}
	return status
}

func (se *shopifyWebhookEnv) events(t *testing.T) int {
	t.Helper()
	var n int
	if err := se.e.DB.QueryRow(`SELECT COUNT(*) FROM shopify_webhook_events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The webhook route: 401 for a bad or missing signature with nothing
// stored, 200 for a signed delivery, 200 and nothing new for a replay,
// 413 past the body limit; no cookie, token or Origin is needed.
func TestShopifyWebhookRoute(t *testing.T) {
	t.Parallel()
	se := startShopifyWebhooks(t)
	body := shopifytest.ProductPayload(1, "Mug", "MUG-A")
	if s := se.deliver(t, &shopifytest.Delivery{Topic: "products/update", Shop: "brand-a.myshopify.com", Body: body, Secret: "wrong"}); s != http.StatusUnauthorized {
		t.Fatalf("bad signature: %d", s)
	}
	if s := se.deliver(t, &shopifytest.Delivery{Topic: "products/update", Shop: "brand-a.myshopify.com", Body: body, Unsigned: true}); s != http.StatusUnauthorized {
		t.Fatalf("unsigned: %d", s)
	}
	if n := se.events(t); n != 0 {
		t.Fatalf("%d events after forgeries", n)
	}
	d := &shopifytest.Delivery{Topic: "products/update", Shop: "brand-a.myshopify.com", Body: body}
	for i := range 2 {
		if s := se.deliver(t, d); s != http.StatusOK {
			t.Fatalf("delivery %d: %d", i, s)
		}
	}
	if n := se.events(t); n != 1 {
		t.Fatalf("%d events after a delivery and its replay", n)
	}
	big := &shopifytest.Delivery{Topic: "products/update", Shop: "brand-a.myshopify.com",
		Body: append(append([]byte(`{"id":1,"pad":"`), bytes.Repeat([]byte("x"), shopify.MaxWebhookBody)...), '"', '}')}
	if s := se.deliver(t, big); s != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %d", s)
	}
}

// The storefront route answers the mapped product of an installed shop,
// 404 otherwise, and only the shop's brand's embed origins may read it.
func TestShopifyStorefrontRoute(t *testing.T) {
	t.Parallel()
	se := startShopifyWebhooks(t)
	e := se.e
	if r := e.API("PUT", "/api/brand/embed", map[string]any{"allowed_origins": []string{"https://brand-a.myshopify.com"}}, se.a); r.Status != http.StatusOK {
		t.Fatalf("set origins: %d %v", r.Status, r.Body)
	}
	if r := e.API("PUT", "/api/shopify/products/brand-a.myshopify.com/7001", map[string]any{"product_id": se.prodA}, se.a); r.Status != http.StatusOK {
		t.Fatalf("map: %d %v", r.Status, r.Body)
	}
	get := func(query, origin string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", e.URL+"/api/shopify/storefront/product?"+query, nil)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := get("shop=brand-a.myshopify.com&product=7001", "https://brand-a.myshopify.com")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"product":"`+se.prodA+`"`) || !strings.Contains(body, `"brand":"`+se.brandA+`"`) {
		t.Fatalf("resolve: %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "https://brand-a.myshopify.com" || !strings.Contains(resp.Header.Get("Cache-Control"), "max-age=60") {
		t.Fatalf("headers %v", resp.Header)
	}
	// Another origin gets the answer but may not read it.
	resp, _ = get("shop=brand-a.myshopify.com&product=7001", "https://evil.example")
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("a foreign origin may read the storefront answer")
	}
	// Brand B's origin may not read brand A's shop's answers.
	if r := e.API("PUT", "/api/brand/embed", map[string]any{"allowed_origins": []string{"https://brand-b.myshopify.com"}}, se.b); r.Status != http.StatusOK {
		t.Fatal(r.Body)
	}
	resp, _ = get("shop=brand-a.myshopify.com&product=7001", "https://brand-b.myshopify.com")
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("another brand's origin may read the storefront answer")
	}
	for _, q := range []string{"shop=brand-a.myshopify.com&product=7002", "shop=brand-b.myshopify.com&product=7001", "shop=nobody.myshopify.com&product=7001"} {
		if resp, body := get(q, ""); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d %s", q, resp.StatusCode, body)
		}
	}
	if resp, _ := get("shop=evil.example.com&product=7001", ""); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad shop: %d", resp.StatusCode)
	}
}

// Tenancy of the mapping API: a brand sees and changes only its own
// shops' mappings, to its own products.
func TestShopifyMappingAPITenancy(t *testing.T) {
	t.Parallel()
	se := startShopifyWebhooks(t)
	e := se.e
	path := func(shop string, id int) string { return fmt.Sprintf("/api/shopify/products/%s/%d", shop, id) }
	if r := e.API("PUT", path("brand-a.myshopify.com", 1), map[string]any{"product_id": se.prodA}, se.a); r.Status != http.StatusOK || r.Body["matched_by"] != "manual" {
		t.Fatalf("map: %d %v", r.Status, r.Body)
	}
	for name, c := range map[string]struct {
		method, path string
		body         any
		h            map[string]string
		want         int
	}{
		"B maps A's shop":        {"PUT", path("brand-a.myshopify.com", 1), map[string]any{"product_id": se.prodB}, se.b, http.StatusNotFound},
		"A maps to B's product":  {"PUT", path("brand-a.myshopify.com", 2), map[string]any{"product_id": se.prodB}, se.a, http.StatusUnprocessableEntity},
		"B clears A's mapping":   {"DELETE", path("brand-a.myshopify.com", 1), nil, se.b, http.StatusNotFound},
		"no credentials":         {"PUT", path("brand-a.myshopify.com", 1), map[string]any{"product_id": se.prodA}, nil, http.StatusUnauthorized},
		"unknown field":          {"PUT", path("brand-a.myshopify.com", 3), map[string]any{"product": se.prodA}, se.a, http.StatusBadRequest},
		"non-numeric product id": {"PUT", "/api/shopify/products/brand-a.myshopify.com/abc", map[string]any{"product_id": se.prodA}, se.a, http.StatusBadRequest},
	} {
		if r := e.API(c.method, c.path, c.body, c.h); r.Status != c.want {
			t.Errorf("%s: %d %v, want %d", name, r.Status, r.Body, c.want)
		}
	}
	rb := e.API("GET", "/api/shopify/products", nil, se.b)
	if rb.Status != http.StatusOK || len(rb.Body["mappings"].([]any)) != 0 || len(rb.Body["shops"].([]any)) != 1 {
		t.Fatalf("B's list: %d %v", rb.Status, rb.Body)
	}
	ra := e.API("GET", "/api/shopify/products", nil, se.a)
	if ms := ra.Body["mappings"].([]any); len(ms) != 1 || ms[0].(map[string]any)["product_id"] != se.prodA {
		t.Fatalf("A's list: %v", ra.Body)
	}
	if r := e.API("DELETE", path("brand-a.myshopify.com", 1), nil, se.a); r.Status != http.StatusNoContent {
		t.Fatalf("clear: %d %v", r.Status, r.Body)
	}
}
