package api_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/app"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/order"
	"github.com/luneo/luneo/internal/shopify"
	"github.com/luneo/luneo/internal/shopify/shopifytest"
	"github.com/luneo/luneo/internal/web/webtest"
	"github.com/luneo/luneo/internal/webhook"
)

// The whole Shopify story on both storage setups, every step through the
// routes a merchant, Shopify or a brand's server uses, with the app working
// its jobs for real: install (OAuth against the fake Shopify) → webhooks
// registered → products/create maps the Shopify product by SKU → the
// storefront block resolves it → orders/create with a design line and its
// fee line → an order with the design version locked and the fee checked →
// a production ZIP whose print files are the design's produce renders →
// order.created and order.ready reach the brand's endpoint, signed →
// app/uninstalled (token gone, data kept) → shop/redact removes the shop's
// data.
func TestShopifyFullFlow(t *testing.T) {
	for _, backend := range []struct {
		name string
		env  func(t *testing.T) map[string]string
	}{
		{"sqlite", func(*testing.T) map[string]string { return map[string]string{} }},
		{"postgres-redis-s3", webtest.External},
	} {
		t.Run(backend.name, func(t *testing.T) { shopifyFlow(t, backend.env(t)) })
	}
}

// brandReceiver is a brand's webhook endpoint: it keeps what it is sent.
type brandReceiver struct {
	mu  sync.Mutex
	got []receivedEvent
	srv *httptest.Server
}

type receivedEvent struct {
	header http.Header
	body   []byte
	typ    string
}

func newBrandReceiver(t *testing.T) *brandReceiver {
	r := &brandReceiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		var ev struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(body, &ev)
		r.mu.Lock()
		r.got = append(r.got, receivedEvent{req.Header.Clone(), body, ev.Type})
		r.mu.Unlock()
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *brandReceiver) of(typ string) []receivedEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []receivedEvent
	for _, e := range r.got {
		if e.typ == typ {
			out = append(out, e)
		}
	}
	return out
}

func shopifyFlow(t *testing.T, backend map[string]string) {
	const shop = "flow-mugs.myshopify.com"
	fake := shopifytest.New(t, shopifyKey, shopifySecret)
	env := map[string]string{"LUNEO_SHOPIFY_API_KEY": shopifyKey, "LUNEO_SHOPIFY_API_SECRET": shopifySecret,
		"LUNEO_WEBHOOK_ALLOW_PRIVATE": "true"}
	for k, v := range backend {
		env[k] = v
	}
	e := webtest.StartWith(t, webtest.Extra{Env: env, Work: true,
		Options: func(_ string, o *app.Options) { o.ShopifyAdminBase = fake.AdminBase }})
	ctx := t.Context()
	email, password, err := e.App.SeedDemo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	owner := e.Browser()
	owner.Login(email, password)
	var brandID, productID, designID, ownerID, sku string
	if err := e.DB.QueryRowContext(ctx, `SELECT d.brand_id, d.product_id, d.id, m.user_id, p.sku FROM designs d
		JOIN memberships m ON m.brand_id = d.brand_id AND m.role = 'owner' JOIN products p ON p.id = d.product_id`).
		Scan(&brandID, &productID, &designID, &ownerID, &sku); err != nil {
		t.Fatalf("demo design: %v", err)
	}
	principal := auth.Principal{UserID: ownerID, BrandID: brandID, Role: brand.Owner}
	pr, zones, _, err := e.App.Catalog.ProductPricing(ctx, brandID, productID)
	if err != nil {
		t.Fatal(err)
	}
	var rules []catalog.PriceRule
	for _, z := range zones {
		if z.Type == "print" {
			rules = append(rules, catalog.PriceRule{ZoneID: z.ID, Amount: 650}) // 6.50 per customized print zone
		}
	}
	if _, err := e.App.Catalog.SetPriceRules(ctx, principal, productID, rules); err != nil {
		t.Fatal(err)
	}

	// The brand's server subscribes to its order events.
	recv := newBrandReceiver(t)
	p := owner.JSON("POST", "/api/webhooks/endpoints", `{"url":"`+recv.srv.URL+`/hooks","topics":["order.created","order.ready"]}`)
	if p.Status != http.StatusCreated {
		t.Fatalf("webhook endpoint: %d %s", p.Status, p.Body)
	}
	hookSecret := webtest.Find(t, p.Body, `"secret":"([^"]+)"`)

	// Install from the dashboard.
	p = owner.Get("/api/shopify/install?shop=" + shop + "&brandId=" + brandID)
	webtest.WantRedirect(t, owner.Get(consent(t, e, p.Location)), "/app/integrations?installed="+shop)
	subs := fake.Subscriptions(shop)
	if len(subs) != len(shopify.Subscriptions) || subs[0].URI != e.URL+shopify.WebhookPath {
		t.Fatalf("webhook subscriptions %+v", subs)
	}
	deliver := func(topic string, body []byte) {
		t.Helper()
		status, err := shopifytest.Deliver(nil, subs[0].URI, &shopifytest.Delivery{Topic: topic, Shop: shop, Body: body, Secret: shopifySecret})
		if err != nil || status != http.StatusOK {
			t.Fatalf("%s delivery: %d, %v", topic, status, err)
		}
	}

	// products/create: matched by SKU, the storefront block finds it.
	deliver(shopify.TopicProductsCreate, shopifytest.ProductPayload(7001, "Mug", sku))
	waitUntil(t, "the storefront resolves the Shopify product", func() bool {
		p := e.Browser().Get("/api/shopify/storefront/product?shop=" + shop + "&product=7001")
		return p.Status == http.StatusOK && strings.Contains(p.Body, productID)
	})

	// orders/create: the design line (2 mugs) and its fee line (2 × 6.50
	// at 0.01), and a line that is not Luneo's.
	ref := designID + ":v1"
	deliver(shopify.TopicOrdersCreate, shopifytest.OrderPayload(shopifytest.Order{ID: 5001, Number: 1001, CustomerID: 42,
		Currency: pr.Currency, Lines: []shopifytest.Line{
			{ID: 11, ProductID: 7001, VariantID: 1, SKU: sku, Title: "Mug", Quantity: 2, Design: ref, Fee: "650"},
			{ID: 12, ProductID: 9999, VariantID: 2, SKU: "FEE", Title: "Personalization fee", Quantity: 1300, Price: "0.01", Design: ref, FeeFor: "k11"},
			{ID: 13, ProductID: 8888, VariantID: 3, SKU: "SOCKS", Title: "Socks", Quantity: 1},
		}}))
	var orderID string
	waitUntil(t, "the order arrives", func() bool {
		return e.DB.QueryRowContext(ctx, `SELECT id FROM orders WHERE brand_id = $1 AND store = $2 AND external_id = '5001'`,
			brandID, shop).Scan(&orderID) == nil
	})
	var o order.Order
	waitUntil(t, "the order's production ZIP", func() bool {
		p := owner.JSON("GET", "/api/orders/"+orderID, "")
		var got struct{ Order order.Order }
		if p.Status != http.StatusOK || json.Unmarshal([]byte(p.Body), &got) != nil {
			t.Fatalf("order: %d %s", p.Status, p.Body)
		}
		o = got.Order
		if o.Production != nil && o.Production.Error != "" {
			t.Fatalf("production failed: %s", o.Production.Error)
		}
		return o.Status == order.Ready
	})
	if o.Name != "#1001" || o.Customer != "42" || len(o.Lines) != 1 {
		t.Fatalf("order %+v", o)
	}
	l := o.Lines[0]
	if l.DesignID != designID || l.Version != 1 || l.ProductID != productID || l.Quantity != 2 || l.Flag != "" ||
		l.FeeCharged == nil || *l.FeeCharged != 1300 || l.FeeQuoted == nil || *l.FeeQuoted != 1300 || l.PriceIssue != "" {
		t.Fatalf("line %+v", l)
	}
	var lockedBy string
	if err := e.DB.QueryRowContext(ctx, `SELECT locked_by FROM design_versions WHERE design_id = $1 AND version = 1`, designID).
		Scan(&lockedBy); err != nil || lockedBy != "order:"+orderID {
		t.Fatalf("version 1 locked by %q (%v)", lockedBy, err)
	}

	// The ZIP's print files are the design version's produce renders.
	if o.Production.Download == nil {
		t.Fatal("no download link")
	}
	resp, err := http.Get(o.Production.Download.URL) // signed: no session needed
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ZIP download: %d", resp.StatusCode)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := e.App.Renders.List(ctx, brandID, designID)
	if err != nil {
		t.Fatal(err)
	}
	rendered := map[string]bool{}
	for _, r := range rs {
		for _, f := range r.Files {
			if r.Version == 1 {
				rendered[f.SHA256] = true
			}
		}
	}
	prints := 0
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "summary.") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		h := sha256.Sum256(b)
		if !rendered[hex.EncodeToString(h[:])] {
			t.Errorf("%s is not a file rendered from the design", f.Name)
		}
		prints++
	}
	if prints == 0 || prints%2 != 0 {
		t.Fatalf("%d print files (a PNG and a PDF per zone expected)", prints)
	}

	// The brand's endpoint got order.created and order.ready, signed.
	waitUntil(t, "order.ready at the brand's endpoint", func() bool { return len(recv.of(order.EventReady)) > 0 })
	for _, typ := range []string{order.EventCreated, order.EventReady} {
		evs := recv.of(typ)
		if len(evs) != 1 {
			t.Fatalf("%d %s deliveries", len(evs), typ)
		}
		ts, _ := strconv.ParseInt(evs[0].header.Get(webhook.HeaderTimestamp), 10, 64)
		if evs[0].header.Get(webhook.HeaderSignature) != webhook.Sign(hookSecret, ts, evs[0].body) || !bytes.Contains(evs[0].body, []byte(orderID)) {
			t.Errorf("%s delivery not signed with the endpoint's secret or not about the order: %s", typ, evs[0].body)
		}
	}

	// app/uninstalled: the token goes, the installation is marked, the
	// admin may no longer frame the widget; orders and mappings stay.
	deliver(shopify.TopicAppUninstalled, shopifytest.AppUninstalledPayload(shop))
	waitUntil(t, "the installation marked uninstalled", func() bool {
		i, err := e.App.Shopify.Shop(ctx, shop)
		return err == nil && !i.Active()
	})
	if _, err := e.App.Shopify.AccessToken(ctx, shop); err == nil {
		t.Error("the access token survived app/uninstalled")
	}
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := e.DB.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM embed_frame_origins WHERE brand_id = $1`, brandID); n != 0 {
		t.Errorf("%d frame origins after the uninstall", n)
	}
	if count(`SELECT count(*) FROM orders WHERE store = $1`, shop) != 1 || count(`SELECT count(*) FROM shopify_product_map WHERE shop = $1`, shop) != 1 {
		t.Fatal("app/uninstalled removed data that must stay until shop/redact")
	}

	// shop/redact (48 hours later, Shopify's own timing): the shop's data
	// goes; the design stays the brand's.
	deliver(shopify.TopicShopRedact, shopifytest.ShopRedactPayload(shop))
	waitUntil(t, "shop/redact done", func() bool {
		return count(`SELECT count(*) FROM shopify_shops WHERE shop = $1`, shop) == 0
	})
	for _, table := range []string{"orders", "order_lines"} {
		col := "store"
		if table == "order_lines" {
			col = "order_id"
		}
		q := `SELECT count(*) FROM ` + table + ` WHERE ` + col + ` = $1`
		arg := any(shop)
		if col == "order_id" {
			arg = orderID
		}
		if n := count(q, arg); n != 0 {
			t.Errorf("%d rows of %s left after shop/redact", n, table)
		}
	}
	if n := count(`SELECT count(*) FROM shopify_product_map WHERE shop = $1`, shop); n != 0 {
		t.Errorf("%d product mappings left after shop/redact", n)
	}
	if n := count(`SELECT count(*) FROM designs WHERE id = $1`, designID); n != 1 {
		t.Error("shop/redact removed the brand's design")
	}
}

// waitUntil polls cond for up to two minutes (renders and production run
// for real on a loaded machine).
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
