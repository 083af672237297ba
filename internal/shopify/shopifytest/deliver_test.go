package shopifytest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The vector is openssl's:
// printf '%s' '{"id":1}' | openssl dgst -sha256 -hmac hush -binary | base64
func TestSignBody(t *testing.T) {
	if got := SignBody("hush", []byte(`{"id":1}`)); got != "VnKUjZsLuN5iZWjn5EntcBVCF9kMN43LglzCE1/GSeY=" {
		t.Fatalf("Sign = %s", got)
	}
}

func TestDeliver(t *testing.T) {
	var got *http.Request
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		body, _ = io.ReadAll(r.Body)
	}))
	defer srv.Close()
	payload := OrderPayload(Order{ID: 1, Number: 1001, CustomerID: 2, Lines: []Line{{ID: 3, ProductID: 4, Quantity: 1, Design: "abc:v1"}}})
	d := &Delivery{Topic: "orders/create", Shop: "x.myshopify.com", Body: payload, Secret: "hush"}
	status, err := Deliver(srv.Client(), srv.URL, d)
	if err != nil || status != http.StatusOK {
		t.Fatalf("status %d err %v", status, err)
	}
	for h, want := range map[string]string{"X-Shopify-Topic": "orders/create", "X-Shopify-Shop-Domain": "x.myshopify.com",
		"X-Shopify-Hmac-Sha256": SignBody("hush", payload), "X-Shopify-Webhook-Id": d.WebhookID, "X-Shopify-API-Version": APIVersion} {
		if got.Header.Get(h) != want || want == "" {
			t.Errorf("%s = %q, want %q", h, got.Header.Get(h), want)
		}
	}
	if got.Header.Get("X-Shopify-Event-Id") == "" || got.Header.Get("X-Shopify-Triggered-At") == "" {
		t.Error("event id or time missing")
	}
	if string(body) != string(payload) {
		t.Fatal("body changed in transit")
	}
	var o struct {
		LineItems []struct {
			Properties []struct{ Name, Value string } `json:"properties"`
		} `json:"line_items"`
	}
	if err := json.Unmarshal(body, &o); err != nil || o.LineItems[0].Properties[0].Name != "_luneo_design" || o.LineItems[0].Properties[0].Value != "abc:v1" {
		t.Fatalf("order payload %s (%v)", body, err)
	}
	// A second send of the same Delivery is a replay: same webhook id.
	id := d.WebhookID
	if _, err := Deliver(srv.Client(), srv.URL, d); err != nil || got.Header.Get("X-Shopify-Webhook-Id") != id {
		t.Fatalf("replay changed the webhook id: %v", err)
	}
}
