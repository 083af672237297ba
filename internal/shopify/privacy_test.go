package shopify

import (
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/shopify/shopifytest"
)

// customers/data_request records what is held (the customer's orders) and
// emails the owners and admins, once however often the job runs.
func TestDataRequest(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.mapSKU(f.shopA, 7001, "MUG-A")
		f.send(TopicOrdersCreate, f.shopA, shopifytest.OrderPayload(shopifytest.Order{ID: 100, Number: 1100, CustomerID: 555,
			Lines: []shopifytest.Line{{ID: 1, ProductID: 7001, Quantity: 1, Design: f.designA + ":v1"}}}))
		body := shopifytest.DataRequestPayload(f.shopA, 555, 100)
		d := f.send(TopicCustomersDataRequest, f.shopA, body)
		// The work runs again (a worker died before recording it done):
		// still one row, two emails.
		if err := f.w.handle(f.ctx, event{ID: d.WebhookID, Shop: f.shopA, Topic: TopicCustomersDataRequest, Payload: body}); err != nil {
			t.Fatal(err)
		}
		list, err := f.w.DataRequests(f.ctx, principal(f.a, brand.Viewer))
		if err != nil || len(list) != 1 {
			t.Fatalf("requests %+v %v", list, err)
		}
		r := list[0]
		if r.Customer != "555" || len(r.Held) != 1 || r.Held[0].ExternalID != "100" || len(r.OrdersRequested) != 1 || r.OrdersRequested[0] != "100" {
			t.Fatalf("request %+v", r)
		}
		rows, err := f.d.Query(`SELECT to_addr, body_text FROM email_outbox ORDER BY to_addr`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var to []string
		for rows.Next() {
			var addr, body string
			if err := rows.Scan(&addr, &body); err != nil {
				t.Fatal(err)
			}
			to = append(to, addr)
			if !strings.Contains(body, "555") || !strings.Contains(body, "#1100") || strings.Contains(body, "jon@example.com") {
				t.Errorf("email body %q", body)
			}
		}
		if strings.Join(to, ",") != "admin-"+f.a+"@example.com,owner-"+f.a+"@example.com" {
			t.Fatalf("emailed %v, want the owner and the admin once each", to)
		}
		// Another brand sees none of it.
		if other, _ := f.w.DataRequests(f.ctx, principal(f.b, brand.Owner)); len(other) != 0 {
			t.Fatalf("brand B sees %+v", other)
		}
	})
}

// customers/redact blanks the customer's reference and drops their data
// requests.
func TestCustomerRedact(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.mapSKU(f.shopA, 7001, "MUG-A")
		f.send(TopicOrdersCreate, f.shopA, shopifytest.OrderPayload(shopifytest.Order{ID: 100, Number: 1, CustomerID: 555,
			Lines: []shopifytest.Line{{ID: 1, ProductID: 7001, Quantity: 1, Design: f.designA + ":v1"}}}))
		f.send(TopicCustomersDataRequest, f.shopA, shopifytest.DataRequestPayload(f.shopA, 555))
		f.send(TopicCustomersRedact, f.shopA, shopifytest.CustomerRedactPayload(f.shopA, 555, 100))
		if o := f.orders.get(f.a, f.shopA, "100"); o == nil || o.in.Customer != "" {
			t.Fatalf("order after redaction: %+v", o)
		}
		if n := f.count(`SELECT COUNT(*) FROM shopify_data_requests`); n != 0 {
			t.Fatalf("%d data requests kept", n)
		}
	})
}

// shop/redact removes everything of the shop and the installation, and
// nothing of another shop; its own event stays, so a replay is a replay.
func TestShopRedact(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.mapSKU(f.shopA, 7001, "MUG-A")
		f.mapSKU(f.shopB, 8001, "CAP-B")
		f.send(TopicOrdersCreate, f.shopA, shopifytest.OrderPayload(shopifytest.Order{ID: 100, Number: 1, CustomerID: 555,
			Lines: []shopifytest.Line{{ID: 1, ProductID: 7001, Quantity: 1, Design: f.designA + ":v1"}}}))
		f.send(TopicCustomersDataRequest, f.shopA, shopifytest.DataRequestPayload(f.shopA, 555))
		f.send(TopicAppUninstalled, f.shopA, shopifytest.AppUninstalledPayload(f.shopA))
		d := f.send(TopicShopRedact, f.shopA, shopifytest.ShopRedactPayload(f.shopA))
		if len(f.orders.orders) != 0 || len(f.orders.forgotten) != 1 {
			t.Fatalf("orders left %d", len(f.orders.orders))
		}
		for table, want := range map[string]int{"shopify_product_map": 0, "shopify_data_requests": 0, "shopify_webhook_events": 1} {
			if n := f.count(`SELECT COUNT(*) FROM `+table+` WHERE shop = $1`, f.shopA); n != want {
				t.Errorf("%s: %d rows of the redacted shop, want %d", table, n, want)
			}
		}
		if p, _ := f.mapping(f.shopB, 8001); p != f.capB {
			t.Fatal("another shop's mapping went")
		}
		if len(f.shops.forgotten) != 1 {
			t.Fatal("the installation was not forgotten")
		}
		if r, err := f.deliver(d); err != nil || !r.Duplicate {
			t.Fatalf("replay of shop/redact: %+v %v", r, err)
		}
	})
}

// A correctly signed privacy webhook for a shop Luneo does not know (never
// installed, or already redacted) is taken and does what it can.
func TestPrivacyForUnknownShop(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		shop := "gone.myshopify.com"
		for topic, body := range map[string][]byte{
			TopicCustomersDataRequest: shopifytest.DataRequestPayload(shop, 1, 2),
			TopicCustomersRedact:      shopifytest.CustomerRedactPayload(shop, 1),
			TopicShopRedact:           shopifytest.ShopRedactPayload(shop),
		} {
			d := &shopifytest.Delivery{Topic: topic, Shop: shop, Body: body}
			if _, err := f.deliver(d); err != nil {
				t.Fatalf("%s: %v", topic, err)
			}
			if err := f.w.work(f.ctx, d.WebhookID); err != nil {
				t.Fatalf("%s job: %v", topic, err)
			}
		}
		if n := f.count(`SELECT COUNT(*) FROM shopify_webhook_events WHERE shop = $1 AND processed_at IS NOT NULL`, shop); n < 1 {
			t.Fatal("privacy webhooks of an unknown shop not processed")
		}
		if n := f.count(`SELECT COUNT(*) FROM email_outbox`); n != 0 {
			t.Fatalf("%d emails for a shop of no brand", n)
		}
	})
}
