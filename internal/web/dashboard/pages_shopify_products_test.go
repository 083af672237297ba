package dashboard_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/queue"
	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/web"
	"github.com/luneo/luneo/internal/web/webtest"
)

// pageShops installs one shop per brand name, resolved lazily by brand
// name so the test can sign up first.
type pageShops struct{ byShop map[string]string }

func (s *pageShops) BrandOf(_ context.Context, shop string) (string, bool, error) {
	b := s.byShop[shop]
	return b, b != "", nil
}

func (s *pageShops) ShopsOf(_ context.Context, brandID string) ([]string, error) {
	var out []string
	for shop, b := range s.byShop {
		if b == brandID {
			out = append(out, shop)
		}
	}
	return out, nil
}

func (s *pageShops) Uninstalled(context.Context, string) error { return nil }
func (s *pageShops) Forget(context.Context, string) error      { return nil }

// TestShopifyProductsPage: the page maps a Shopify product of the brand's
// shop to one of its products by hand, clears it, lists data requests,
// and refuses another brand's shop.
func TestShopifyProductsPage(t *testing.T) {
	t.Parallel()
	shops := &pageShops{byShop: map[string]string{}}
	e := webtest.Start(t, func(e *webtest.Env, d *web.Deps) {
		w := shopify.NewWebhooks(e.DB, shopify.WebhooksConfig{APISecret: "s", Shops: shops, Members: e.App.Brands})
		reg := queue.NewRegistry()
		shopify.RegisterWebhooks(reg, w)
		q, err := queue.New(e.DB, reg, queue.Options{})
		if err != nil {
			t.Fatal(err)
		}
		w.SetQueue(q)
		d.ShopifyWebhooks = w
	})
	ctx := t.Context()
	a := e.Browser()
	a.Signup("shopa@example.com", "Ann", "Shop A Co")
	b := e.Browser()
	b.Signup("shopb@example.com", "Bob", "Shop B Co")
	var brandA, brandB string
	if err := e.DB.QueryRowContext(ctx, `SELECT id FROM brands WHERE name = 'Shop A Co'`).Scan(&brandA); err != nil {
		t.Fatal(err)
	}
	if err := e.DB.QueryRowContext(ctx, `SELECT id FROM brands WHERE name = 'Shop B Co'`).Scan(&brandB); err != nil {
		t.Fatal(err)
	}
	shops.byShop["shop-a.myshopify.com"] = brandA
	shops.byShop["shop-b.myshopify.com"] = brandB
	now := time.Now().UTC()
	if _, err := e.DB.ExecContext(ctx, `INSERT INTO products (id, brand_id, name, sku, description, status, price, currency, created_at, updated_at)
		VALUES ('prod-a', $1, 'Cup of A', 'CUP-A', '', 'draft', 900, 'EUR', $2, $2)`, brandA, now); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.ExecContext(ctx, `INSERT INTO shopify_data_requests (id, brand_id, shop, customer, orders_requested, held, received_at, status)
		VALUES ('req-1', $1, 'shop-a.myshopify.com', '555111', '[]', '[]', $2, 'notified')`, brandA, now); err != nil {
		t.Fatal(err)
	}

	page := a.Get("/app/shopify/products")
	webtest.Want(t, page, http.StatusOK, "Shopify products", "No Shopify product is mapped yet.", "shop-a.myshopify.com", "Cup of A", "555111")
	if strings.Contains(page.Body, "shop-b.myshopify.com") {
		t.Fatal("brand A's page offers brand B's shop")
	}
	p := a.Post("/app/shopify/products", "shop", "shop-a.myshopify.com", "shopify_product_id", "7001", "product_id", "prod-a")
	webtest.WantRedirect(t, p, "/app/shopify/products")
	page = a.Follow(p)
	webtest.Want(t, page, http.StatusOK, "by hand", "<code>7001</code>", "Cup of A")

	// Brand B can neither map brand A's shop nor see brand A's mappings.
	page = b.Post("/app/shopify/products", "shop", "shop-a.myshopify.com", "shopify_product_id", "7002", "product_id", "prod-a")
	webtest.Want(t, page, http.StatusNotFound)
	if body := b.Get("/app/shopify/products").Body; strings.Contains(body, "7001") || strings.Contains(body, "555111") {
		t.Fatal("brand B sees brand A's mappings or data requests")
	}
	if page := b.Post("/app/shopify/products/shop-a.myshopify.com/7001/clear"); page.Status != http.StatusNotFound {
		t.Fatalf("brand B cleared brand A's mapping: %d", page.Status)
	}

	p = a.Post("/app/shopify/products/shop-a.myshopify.com/7001/clear")
	webtest.WantRedirect(t, p, "/app/shopify/products")
	webtest.Want(t, a.Follow(p), http.StatusOK, "No Shopify product is mapped yet.")
}
