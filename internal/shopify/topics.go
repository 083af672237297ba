package shopify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/luneo/luneo/internal/apperr"
)

// The webhook topics Luneo handles. The privacy three are mandatory for
// every app (Shopify sends them whether or not the shop is installed now);
// the others are registered at install.
const (
	TopicAppUninstalled       = "app/uninstalled"
	TopicOrdersCreate         = "orders/create"
	TopicOrdersUpdated        = "orders/updated"
	TopicProductsCreate       = "products/create"
	TopicProductsUpdate       = "products/update"
	TopicProductsDelete       = "products/delete"
	TopicCustomersDataRequest = "customers/data_request"
	TopicCustomersRedact      = "customers/redact"
	TopicShopRedact           = "shop/redact"
)

// Topics lists the handled topics.
var Topics = []string{TopicAppUninstalled, TopicOrdersCreate, TopicOrdersUpdated, TopicProductsCreate,
	TopicProductsUpdate, TopicProductsDelete, TopicCustomersDataRequest, TopicCustomersRedact, TopicShopRedact}

// Handled says whether topic is one Luneo works; others are answered 200
// and dropped.
func Handled(topic string) bool { return slices.Contains(Topics, topic) }

// event is one recorded delivery, as the job reads it.
type event struct {
	ID      string
	Shop    string
	Topic   string
	Payload []byte
}

// handle does what ev's topic asks. A payload that cannot be read is an
// apperr Invalid: retrying would not help (the job gives up and records it).
func (w *Webhooks) handle(ctx context.Context, ev event) error {
	switch ev.Topic {
	case TopicAppUninstalled:
		return w.shops.Uninstalled(ctx, ev.Shop)
	case TopicOrdersCreate, TopicOrdersUpdated:
		return w.order(ctx, ev)
	case TopicProductsCreate, TopicProductsUpdate:
		return w.productUpdated(ctx, ev)
	case TopicProductsDelete:
		return w.productDeleted(ctx, ev)
	case TopicCustomersDataRequest:
		return w.dataRequest(ctx, ev)
	case TopicCustomersRedact:
		return w.customerRedact(ctx, ev)
	case TopicShopRedact:
		return w.shopRedact(ctx, ev)
	}
	return nil
}

// decode reads a payload into v, or says it cannot.
func decode(ev event, v any) error {
	if err := json.Unmarshal(ev.Payload, v); err != nil {
		return apperr.Wrap(apperr.Invalid, err, "the %s payload is not the JSON Shopify documents", ev.Topic)
	}
	return nil
}

// idText is a Shopify numeric id as text; the JSON number is kept exactly
// (float64 would round ids above 2^53). Strings of digits are taken too.
type idText string

// UnmarshalJSON takes a JSON number, a string of digits or null.
func (id *idText) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*id = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("an id must be a number: %w", err)
	}
	if !isShopifyID(string(n)) {
		return fmt.Errorf("an id must be a whole number, not %q", string(n))
	}
	*id = idText(n)
	return nil
}

// isShopifyID says whether s is a Shopify numeric id: 1 to 20 digits.
func isShopifyID(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
