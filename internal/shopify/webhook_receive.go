package shopify

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"regexp"
	"unicode/utf8"

	"github.com/luneo/luneo/internal/apperr"
)

// The headers Shopify sends with every webhook delivery.
const (
	HeaderTopic       = "X-Shopify-Topic"
	HeaderHMAC        = "X-Shopify-Hmac-Sha256"
	HeaderShop        = "X-Shopify-Shop-Domain"
	HeaderWebhookID   = "X-Shopify-Webhook-Id"
	HeaderAPIVersion  = "X-Shopify-API-Version"
	HeaderTriggeredAt = "X-Shopify-Triggered-At"
	HeaderEventID     = "X-Shopify-Event-Id"
)

// MaxWebhookBody is the webhook route's body limit. Shopify's largest
// payloads (an order of many lines with their tax and discount detail) stay
// well under it; the events table keeps at most this much per delivery.
const MaxWebhookBody = 4 << 20

// headerToken is the form of a webhook id, topic and API version: short,
// printable, no spaces (they are keys and labels, not text).
var headerToken = regexp.MustCompile(`^[A-Za-z0-9._:/@-]{1,200}$`)

// Receipt says what became of a delivery.
type Receipt struct {
	// Duplicate: the webhook id was seen before; nothing new was done.
	Duplicate bool
	// Ignored: a topic Luneo does not handle; nothing was stored.
	Ignored bool
}

// Receive takes one delivery: the signature over the raw body first (401
// when missing or wrong, before anything else is read), then the headers
// (400 naming the bad one); then the delivery is recorded, keyed by its
// webhook id, with the job that works it, in one transaction. A webhook id
// already recorded is a replay (Shopify retries, or someone resends a
// captured delivery): it is answered as received and nothing is done. The
// body is not parsed here: that is the job's work, so Shopify gets its
// answer at once.
func (w *Webhooks) Receive(ctx context.Context, h http.Header, body []byte) (Receipt, error) {
	if !ValidBodyHMAC(w.secret, body, h.Get(HeaderHMAC)) {
		return Receipt{}, apperr.New(apperr.Unauthorized, "the webhook signature (%s) is missing or wrong", HeaderHMAC)
	}
	shop, topic, id, version := h.Get(HeaderShop), h.Get(HeaderTopic), h.Get(HeaderWebhookID), h.Get(HeaderAPIVersion)
	switch {
	case !ValidShop(shop):
		return Receipt{}, apperr.New(apperr.Invalid, "%s must be a shop's myshopify.com domain", HeaderShop)
	case !headerToken.MatchString(topic):
		return Receipt{}, apperr.New(apperr.Invalid, "%s is missing or malformed", HeaderTopic)
	case !headerToken.MatchString(id):
		return Receipt{}, apperr.New(apperr.Invalid, "%s is missing or malformed", HeaderWebhookID)
	case version != "" && !headerToken.MatchString(version):
		return Receipt{}, apperr.New(apperr.Invalid, "%s is malformed", HeaderAPIVersion)
	case !utf8.Valid(body) || bytes.IndexByte(body, 0) >= 0:
		// JSON is UTF-8 text; PostgreSQL could not store anything else.
		return Receipt{}, apperr.New(apperr.Invalid, "the webhook body is not UTF-8 text")
	}
	if !Handled(topic) {
		w.logger.InfoContext(ctx, "shopify webhook of an unhandled topic ignored", "topic", topic, "shop", shop, "webhook_id", id)
		return Receipt{Ignored: true}, nil
	}
	if w.q == nil {
		return Receipt{}, apperr.New(apperr.Unavailable, "the webhook queue is not ready")
	}
	var dup bool
	err := w.db.InTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO shopify_webhook_events
			(webhook_id, shop, topic, api_version, received_at, payload, error, attempts)
			VALUES ($1, $2, $3, $4, $5, $6, '', 0) ON CONFLICT (webhook_id) DO NOTHING`,
			id, shop, topic, version, w.stamp(), string(body))
		if err != nil {
			return fmt.Errorf("record shopify webhook: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("record shopify webhook: %w", err)
		} else if n == 0 {
			dup = true
			return nil
		}
		if _, err := w.q.InsertTx(ctx, tx, WebhookArgs{WebhookID: id}, nil); err != nil {
			return fmt.Errorf("enqueue shopify webhook: %w", err)
		}
		return nil
	})
	if err != nil {
		return Receipt{}, err
	}
	if dup {
		w.logger.InfoContext(ctx, "shopify webhook replayed; already recorded", "topic", topic, "shop", shop, "webhook_id", id)
	}
	return Receipt{Duplicate: dup}, nil
}
