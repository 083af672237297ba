package shopify

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/riverqueue/river/rivertype"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/shopify/shopifytest"
)

func TestValidBodyHMAC(t *testing.T) {
	body := []byte(`{"id": 1, "name": "caf\u00e9"}`)
	sig := shopifytest.SignBody(testSecret, body)
	if !ValidBodyHMAC(testSecret, body, sig) {
		t.Fatal("a correct signature did not verify")
	}
	for name, c := range map[string]struct {
		secret, sig string
		body        []byte
	}{
		"other secret":   {secret: "other", sig: sig, body: body},
		"no signature":   {secret: testSecret, sig: "", body: body},
		"not base64":     {secret: testSecret, sig: "%%%", body: body},
		"hex not base64": {secret: testSecret, sig: strings.Repeat("ab", 32), body: body},
		"body changed":   {secret: testSecret, sig: sig, body: []byte(`{"id": 2, "name": "caf\u00e9"}`)},
		"no secret":      {secret: "", sig: shopifytest.SignBody("", body), body: body},
	} {
		if ValidBodyHMAC(c.secret, c.body, c.sig) {
			t.Errorf("%s: verified", name)
		}
	}
}

// The signature is over the bytes as sent: a receiver that parsed and
// re-encoded the JSON (spacing, escapes, key order) before checking would
// verify something else.
func TestWebhookHMACOverRawBody(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		raw := []byte("{\"id\": 1,\n  \"title\":\"Caf\\u00e9 mug\", \"variants\":[{\"sku\":\"MUG-A\"}]}")
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		reencoded, _ := json.Marshal(v)
		// Signed over the re-encoded JSON, sent raw: refused.
		d := &shopifytest.Delivery{Topic: TopicProductsUpdate, Shop: f.shopA, Body: raw, Signature: shopifytest.SignBody(testSecret, reencoded)}
		if _, err := f.deliver(d); apperr.CodeOf(err) != apperr.Unauthorized {
			t.Fatalf("signature over re-encoded JSON: err = %v, want unauthorized", err)
		}
		// Signed over the raw bytes: taken, and the stored payload is the raw body.
		d = &shopifytest.Delivery{Topic: TopicProductsUpdate, Shop: f.shopA, Body: raw}
		if _, err := f.deliver(d); err != nil {
			t.Fatalf("raw signature: %v", err)
		}
		var stored string
		if err := f.d.QueryRow(`SELECT payload FROM shopify_webhook_events WHERE webhook_id = $1`, d.WebhookID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored != string(raw) {
			t.Fatalf("stored payload %q, want the raw body", stored)
		}
	})
}

// A bad or missing signature is refused before anything else: nothing is
// stored, no job is queued, even for a well-formed delivery.
func TestWebhookBadSignatureStoresNothing(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		body := shopifytest.ShopRedactPayload(f.shopA)
		for name, d := range map[string]*shopifytest.Delivery{
			"wrong secret": {Topic: TopicShopRedact, Shop: f.shopA, Body: body, Secret: "not-the-app-secret"},
			"unsigned":     {Topic: TopicShopRedact, Shop: f.shopA, Body: body, Unsigned: true},
			"garbage":      {Topic: TopicShopRedact, Shop: f.shopA, Body: body, Signature: "bm9wZQ=="},
			// A signature is never checked against the headers: a bad shop
			// header with a bad signature is still a 401, not a 400.
			"bad shop too": {Topic: TopicShopRedact, Shop: "evil.example.com", Body: body, Secret: "x"},
		} {
			if _, err := f.deliver(d); apperr.CodeOf(err) != apperr.Unauthorized {
				t.Errorf("%s: err = %v, want unauthorized", name, err)
			}
		}
		if n := f.count(`SELECT COUNT(*) FROM shopify_webhook_events`); n != 0 {
			t.Fatalf("%d events stored after forgeries", n)
		}
		if n := len(f.jobs()); n != 0 {
			t.Fatalf("%d jobs queued after forgeries", n)
		}
		if len(f.shops.forgotten) != 0 {
			t.Fatal("a forged shop/redact forgot a shop")
		}
	})
}

// Headers are checked once the signature is: each bad one is named.
func TestWebhookHeaders(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		body := shopifytest.ShopRedactPayload(f.shopA)
		for name, c := range map[string]struct {
			d    shopifytest.Delivery
			want string
		}{
			"custom domain": {shopifytest.Delivery{Topic: TopicShopRedact, Shop: "shop.example.com"}, HeaderShop},
			"no shop":       {shopifytest.Delivery{Topic: TopicShopRedact}, HeaderShop},
			"no topic":      {shopifytest.Delivery{Shop: f.shopA}, HeaderTopic},
			"bad id":        {shopifytest.Delivery{Topic: TopicShopRedact, Shop: f.shopA, WebhookID: "a b"}, HeaderWebhookID},
		} {
			d := c.d
			d.Body = body
			_, err := f.deliver(&d)
			var ae *apperr.Error
			if apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: err = %v, want invalid naming %s", name, err, c.want)
			} else if !asAppErr(err, &ae) {
				t.Errorf("%s: not an apperr", name)
			}
		}
		if n := f.count(`SELECT COUNT(*) FROM shopify_webhook_events`); n != 0 {
			t.Fatalf("%d events stored after bad headers", n)
		}
	})
}

// A replayed delivery (same webhook id) is answered but does nothing new:
// one event, one job, one order.
func TestWebhookReplay(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.mapSKU(f.shopA, 7001, "MUG-A-RED")
		body := shopifytest.OrderPayload(shopifytest.Order{ID: 820982911946154508, Number: 1001, CustomerID: 115310627314723954,
			Lines: []shopifytest.Line{{ID: 1, ProductID: 7001, VariantID: 2, SKU: "MUG-A-RED", Quantity: 2, Design: f.designA + ":v2"}}})
		d := &shopifytest.Delivery{Topic: TopicOrdersCreate, Shop: f.shopA, Body: body}
		jobsBefore := len(f.jobs())
		for i := range 3 {
			r, err := f.deliver(d)
			if err != nil {
				t.Fatalf("delivery %d: %v", i, err)
			}
			if r.Duplicate != (i > 0) {
				t.Fatalf("delivery %d: duplicate = %v", i, r.Duplicate)
			}
			f.workAll()
		}
		if n := len(f.jobs()) - jobsBefore; n != 1 {
			t.Fatalf("%d jobs for one webhook id, want 1", n)
		}
		if f.orders.ingests != 1 || len(f.orders.orders) != 1 {
			t.Fatalf("ingests = %d, orders = %d; want 1 and 1", f.orders.ingests, len(f.orders.orders))
		}
		// Working the job again (River runs a job at least once) does nothing.
		if err := f.w.work(f.ctx, d.WebhookID); err != nil {
			t.Fatal(err)
		}
		if f.orders.ingests != 1 {
			t.Fatalf("a second run of the job ingested again")
		}
	})
}

// Unknown topics are answered and dropped.
func TestWebhookUnknownTopic(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		r, err := f.deliver(&shopifytest.Delivery{Topic: "carts/update", Shop: f.shopA, Body: []byte(`{"id":1}`)})
		if err != nil || !r.Ignored {
			t.Fatalf("receipt %+v, err %v", r, err)
		}
		if n := f.count(`SELECT COUNT(*) FROM shopify_webhook_events`); n != 0 {
			t.Fatalf("%d events stored for an unknown topic", n)
		}
	})
}

// The route does no parsing beyond headers: a signed body that is not JSON
// is recorded; the job refuses it, records why, does not retry, and drops
// the payload it will never read again.
func TestWebhookBadPayloadIsTheJobs(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		d := &shopifytest.Delivery{Topic: TopicOrdersCreate, Shop: f.shopA, Body: []byte(`not json`)}
		if _, err := f.deliver(d); err != nil {
			t.Fatalf("receive parsed the body: %v", err)
		}
		err := f.w.work(f.ctx, d.WebhookID)
		var cancel *rivertype.JobCancelError
		if !errors.As(err, &cancel) {
			t.Fatalf("work: %v, want a cancelled job (no retry)", err)
		}
		var msg, payload string
		var attempts int
		if err := f.d.QueryRow(`SELECT error, attempts, payload FROM shopify_webhook_events WHERE webhook_id = $1`, d.WebhookID).
			Scan(&msg, &attempts, &payload); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(msg, "not the JSON") || attempts != 1 {
			t.Fatalf("error %q attempts %d", msg, attempts)
		}
		if payload != "" {
			t.Fatal("a refused payload (never retried) was kept")
		}
	})
}

// A failing module is recorded on the event and retried.
func TestWebhookJobRecordsErrors(t *testing.T) {
	eachDB(t, func(t *testing.T, f *fixture) {
		f.mapSKU(f.shopA, 7001, "MUG-A")
		f.orders.fail = apperr.New(apperr.Unavailable, "orders are down")
		d := &shopifytest.Delivery{Topic: TopicOrdersCreate, Shop: f.shopA, Body: shopifytest.OrderPayload(shopifytest.Order{ID: 5, Number: 1,
			Lines: []shopifytest.Line{{ID: 1, ProductID: 7001, Quantity: 1, Design: f.designA + ":v1"}}})}
		if _, err := f.deliver(d); err != nil {
			t.Fatal(err)
		}
		if err := f.w.work(f.ctx, d.WebhookID); err == nil {
			t.Fatal("a failing ingestion was not an error (River would not retry)")
		}
		var msg string
		if err := f.d.QueryRow(`SELECT error FROM shopify_webhook_events WHERE webhook_id = $1 AND processed_at IS NULL`, d.WebhookID).Scan(&msg); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(msg, "orders are down") {
			t.Fatalf("recorded error %q", msg)
		}
		f.orders.fail = nil
		if err := f.w.work(f.ctx, d.WebhookID); err != nil {
			t.Fatalf("retry: %v", err)
		}
		if f.orders.get(f.a, f.shopA, "5") == nil {
			t.Fatal("the retry did not ingest the order")
		}
		var payload string
		if err := f.d.QueryRow(`SELECT payload FROM shopify_webhook_events WHERE webhook_id = $1 AND processed_at IS NOT NULL AND error = ''`,
			d.WebhookID).Scan(&payload); err != nil {
			t.Fatal(err)
		}
		if payload != "" {
			t.Fatal("a processed order's payload (customer data) was kept")
		}
	})
}

func asAppErr(err error, target **apperr.Error) bool {
	e, ok := err.(*apperr.Error)
	if ok {
		*target = e
	}
	return ok
}
