package main

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/luneo/luneo/internal/shopify/shopifytest"
)

// shop is the shop the deliveries claim to come from. It is not installed,
// so the job that works each delivery later finds no brand: the benchmark
// measures the answer Shopify waits for (verify, record, enqueue), not
// order ingestion.
const shop = "bench-store.myshopify.com"

// delivery is one request to send: the body and headers, signed.
type delivery struct {
	body   []byte
	header http.Header
	replay bool
}

// deliveries builds n deliveries up front (so signing is not timed): a
// share replay of them are replays of the delivery sent replayGap before,
// the rest new orders with fresh webhook ids.
func deliveries(n int, replay float64, secret, shop string) []delivery {
	const replayGap = 5
	out := make([]delivery, n)
	every := 0
	if replay > 0 {
		every = int(1/replay + 0.5)
	}
	for i := range out {
		if every > 0 && i%every == every-1 && i >= replayGap && !out[i-replayGap].replay {
			out[i] = out[i-replayGap]
			out[i].replay = true
			continue
		}
		d := shopifytest.Delivery{Topic: "orders/create", Shop: shop, Secret: secret, Body: orderBody(i)}
		out[i] = delivery{body: d.Body, header: d.Header()}
	}
	return out
}

// orderBody is a realistic orders/create body of about 3 KB: two line
// items, each customized with Luneo (the _luneo_design property), with
// the fields Shopify sends around them (shopifytest's order, plus the
// billing, shipping, client and price detail a real one carries: the size
// matters, since the body is hashed and stored whole).
func orderBody(i int) []byte {
	var o map[string]any
	if err := json.Unmarshal(baseOrder(i), &o); err != nil {
		panic(err) // shopifytest's own JSON
	}
	addr := map[string]any{"first_name": "Jon", "last_name": "Snow", "company": nil, "address1": "1 Wall St", "address2": "Flat 3",
		"city": "Winterfell", "province": "North", "zip": "12345", "country": "United Kingdom", "country_code": "GB",
		"phone": "+440000000000", "name": "Jon Snow", "latitude": 54.5, "longitude": -2.1}
	o["billing_address"] = addr
	o["subtotal_price"], o["total_tax"], o["total_discounts"], o["total_weight"] = "40.00", "8.00", "0.00", 700
	o["taxes_included"], o["buyer_accepts_marketing"], o["confirmed"] = true, false, true
	o["gateway"], o["payment_gateway_names"] = "shopify_payments", []string{"shopify_payments"}
	o["processed_at"], o["source_name"], o["tags"], o["note"] = o["created_at"], "web", "", "Please ship before Friday."
	o["note_attributes"] = []any{map[string]any{"name": "gift", "value": "yes"}}
	o["client_details"] = map[string]any{"browser_ip": "203.0.113.7", "accept_language": "en-GB,en;q=0.9",
		"user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"}
	o["shipping_lines"] = []any{map[string]any{"id": 4_200_000_000_000 + i, "title": "Standard", "code": "Standard", "price": "4.90",
		"source": "shopify", "tax_lines": []any{map[string]any{"title": "VAT", "price": "0.82", "rate": 0.2}}}}
	o["tax_lines"] = []any{map[string]any{"title": "VAT", "price": "8.00", "rate": 0.2}}
	o["landing_site"] = "/products/custom-mug?utm_source=newsletter&utm_medium=email"
	o["referring_site"] = "https://www.google.com/"
	o["order_status_url"] = fmt.Sprintf("https://%s/59347583/orders/%x/authenticate?key=%x", shop, 0xabcdef+i, 0x1234567+i)
	b, err := json.Marshal(o)
	if err != nil {
		panic(err)
	}
	return b
}

// baseOrder is shopifytest's orders/create body for delivery i.
func baseOrder(i int) []byte {
	id := int64(5_100_000_000_000 + i)
	return shopifytest.OrderPayload(shopifytest.Order{ID: id, Number: 1001 + i, CustomerID: 7_000_000_000_000 + int64(i%97),
		Lines: []shopifytest.Line{
			{ID: id*10 + 1, ProductID: 8_800_000_000_001, VariantID: 4_400_000_000_001, SKU: "MUG-WHITE-11OZ", Title: "Custom mug — white, 11 oz",
				Quantity: 1 + i%3, Design: fmt.Sprintf("dsn_%08d:v1", i), Properties: map[string]string{"Gift wrap": "yes"}},
			{ID: id*10 + 2, ProductID: 8_800_000_000_002, VariantID: 4_400_000_000_002, SKU: "MUG-BLACK-15OZ", Title: "Custom mug — black, 15 oz",
				Quantity: 1, Design: fmt.Sprintf("dsn_%08d:v2", i), Properties: map[string]string{"Note": "Happy birthday, Alex! From all of us at the office."}},
		}})
}
