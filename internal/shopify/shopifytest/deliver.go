// Package shopifytest fakes Shopify for tests: its server side (OAuth, Admin
// GraphQL; server*.go) and its webhook deliveries (deliver*.go), both built
// to Shopify's documented wire format.
package shopifytest

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// APIVersion is the Admin API version the fake deliveries claim: the one
// internal/shopify pins (a test there keeps them equal; this package cannot
// import it, its tests import this one).
const APIVersion = "2025-10"

// Delivery is one webhook delivery as Shopify makes it: a POST of the JSON
// payload with the topic, shop, ids and the HMAC of the raw body in headers.
type Delivery struct {
	Topic string
	Shop  string
	Body  []byte
	// Secret is the app's client secret the body is signed with.
	Secret string
	// WebhookID is the delivery's id (X-Shopify-Webhook-Id); a random one
	// when empty. Shopify keeps it across its retries of one delivery.
	WebhookID string
	// EventID is the event's id (X-Shopify-Event-Id); random when empty.
	EventID string
	// Signature replaces the computed X-Shopify-Hmac-Sha256 when set (for
	// forgeries); Unsigned sends none.
	Signature string
	Unsigned  bool
	// TriggeredAt is when the event happened (now when zero).
	TriggeredAt time.Time
}

// SignBody is Shopify's webhook signature: base64 of HMAC-SHA256(secret, raw
// body).
func SignBody(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// RandomID returns a random delivery id in Shopify's form (a UUID).
func RandomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// Fill sets the random ids and time a delivery leaves empty, so the same
// Delivery can be sent twice (a replay) with the same webhook id.
func (d *Delivery) Fill() {
	if d.WebhookID == "" {
		d.WebhookID = RandomID()
	}
	if d.EventID == "" {
		var b [6]byte
		_, _ = rand.Read(b[:])
		n := uint64(b[0])<<40 | uint64(b[1])<<32 | uint64(b[2])<<24 | uint64(b[3])<<16 | uint64(b[4])<<8 | uint64(b[5])
		d.EventID = strconv.FormatUint(n, 10)
	}
	if d.TriggeredAt.IsZero() {
		d.TriggeredAt = time.Now().UTC()
	}
}

// Header returns the delivery's headers (after Fill).
func (d *Delivery) Header() http.Header {
	d.Fill()
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("X-Shopify-Topic", d.Topic)
	h.Set("X-Shopify-Shop-Domain", d.Shop)
	h.Set("X-Shopify-Webhook-Id", d.WebhookID)
	h.Set("X-Shopify-Event-Id", d.EventID)
	h.Set("X-Shopify-API-Version", APIVersion)
	h.Set("X-Shopify-Triggered-At", d.TriggeredAt.Format(time.RFC3339Nano))
	switch {
	case d.Unsigned:
	case d.Signature != "":
		h.Set("X-Shopify-Hmac-Sha256", d.Signature)
	default:
		h.Set("X-Shopify-Hmac-Sha256", SignBody(d.Secret, d.Body))
	}
	return h
}

// Request builds the POST to url (the app's webhook route).
func (d *Delivery) Request(url string) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(d.Body))
	if err != nil {
		return nil, err
	}
	req.Header = d.Header()
	return req, nil
}

// Deliver sends the delivery to url with client (http.DefaultClient when
// nil) and returns the answer's status. Shopify counts any 2xx as received.
func Deliver(client *http.Client, url string, d *Delivery) (int, error) {
	if client == nil {
		client = http.DefaultClient
	}
	req, err := d.Request(url)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}
