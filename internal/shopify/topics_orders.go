package shopify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
)

// Cart line properties the storefront block writes (README "Storefront and
// prices"): DesignProperty "{designID}:v{N}" on the customized line and on
// its fee line; FeeForProperty marks a fee line (the customized line's cart
// key); FeeProperty is the per-unit fee in minor units, which the Cart
// Transform adds to the line's price.
const (
	DesignProperty = "_luneo_design"
	FeeForProperty = "_luneo_fee_for"
	FeeProperty    = "_luneo_fee"
)

// TransformTitleSuffix ends the title the Cart Transform function
// (shopify/extensions/luneo-price) gives a line it priced: shoppers cannot
// set a title, so it tells a transformed line from one whose fee line was
// removed.
const TransformTitleSuffix = " (personalized)"

// shopifyOrder is the part of Shopify's order webhook payload (REST Order
// resource) Luneo reads. Nothing else of the customer is read: only their
// opaque id becomes the order's customer reference.
type shopifyOrder struct {
	ID       idText `json:"id"`
	Name     string `json:"name"`
	Customer *struct {
		ID idText `json:"id"`
	} `json:"customer"`
	CancelledAt *string `json:"cancelled_at"`
	// Currency is the shop's currency, in which line prices are given.
	Currency  string        `json:"currency"`
	LineItems []shopifyLine `json:"line_items"`
}

type shopifyLine struct {
	ID         idText     `json:"id"`
	ProductID  idText     `json:"product_id"`
	VariantID  idText     `json:"variant_id"`
	SKU        *string    `json:"sku"`
	Quantity   int        `json:"quantity"`
	Title      string     `json:"title"`
	Price      string     `json:"price"` // unit price, decimal text in the shop's currency
	Properties []property `json:"properties"`
}

// prop returns the value of the line's property name.
func (li shopifyLine) prop(name string) (string, bool) {
	for _, p := range li.Properties {
		if p.Name == name {
			return p.text(), true
		}
	}
	return "", false
}

// property is a line item property; Shopify sends values as strings, but a
// theme's script may have sent a number, which is read as its text.
type property struct {
	Name  string          `json:"name"`
	Value json.RawMessage `json:"value"`
}

func (p property) text() string {
	var s string
	if json.Unmarshal(p.Value, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(p.Value))
}

// designRef is the form of a _luneo_design value: a design id (UUID text)
// and a version number.
var designRef = regexp.MustCompile(`^([0-9A-Fa-f-]{1,64}):v([1-9][0-9]{0,8})$`)

// ParseDesignRef reads a _luneo_design value.
func ParseDesignRef(s string) (designID string, version int, ok bool) {
	m := designRef.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", 0, false
	}
	v, err := strconv.Atoi(m[2])
	if err != nil {
		return "", 0, false
	}
	return strings.ToLower(m[1]), v, true
}

// order works orders/create and orders/updated: the lines carrying a
// _luneo_design become the order's lines, each checked here against the
// shop's brand and the Luneo product its Shopify product maps to (shoppers
// can edit line properties, so the property is a claim, not a fact). An
// order without such a line is not Luneo's business. A cancelled order is
// cancelled, not ingested.
func (w *Webhooks) order(ctx context.Context, ev event) error {
	var o shopifyOrder
	if err := decode(ev, &o); err != nil {
		return err
	}
	if o.ID == "" {
		return apperr.New(apperr.Invalid, "the %s payload has no order id", ev.Topic)
	}
	brandID, installed, err := w.shops.BrandOf(ctx, ev.Shop)
	if err != nil {
		return fmt.Errorf("shop of order: %w", err)
	}
	if brandID == "" || !installed {
		w.logger.InfoContext(ctx, "shopify order of a shop not installed ignored", "shop", ev.Shop, "order", string(o.ID))
		return nil
	}
	if o.CancelledAt != nil && *o.CancelledAt != "" {
		err := w.orders.CancelExternal(ctx, brandID, SourceShopify, ev.Shop, string(o.ID))
		if apperr.CodeOf(err) == apperr.NotFound {
			return nil // an order Luneo never recorded (no customized line)
		}
		return err
	}
	lines, err := w.orderLines(ctx, brandID, ev.Shop, o.Currency, o.LineItems)
	if err != nil {
		return err
	}
	if len(lines) == 0 {
		return nil
	}
	in := OrderInput{Source: SourceShopify, Store: ev.Shop, ExternalID: string(o.ID), Name: clip(o.Name, 100), Lines: lines}
	if o.Customer != nil {
		in.Customer = string(o.Customer.ID)
	}
	id, created, err := w.orders.Ingest(ctx, brandID, in)
	if err != nil {
		return fmt.Errorf("ingest shopify order %s of %s: %w", o.ID, ev.Shop, err)
	}
	w.logger.InfoContext(ctx, "shopify order ingested", "shop", ev.Shop, "order", string(o.ID), "order_id", id, "created", created)
	return nil
}

// orderLines turns the customized line items into order lines, flagging
// those that must not be produced, with the fee each was charged (fees.go).
// Fee lines are not order lines.
func (w *Webhooks) orderLines(ctx context.Context, brandID, shop, currency string, items []shopifyLine) ([]OrderLine, error) {
	fees := chargedFees(currency, items)
	var out []OrderLine
	for _, li := range items {
		raw, found := li.prop(DesignProperty)
		if !found {
			continue
		}
		if _, fee := li.prop(FeeForProperty); fee {
			continue
		}
		l := OrderLine{Quantity: li.Quantity, ExternalLineID: string(li.ID)}
		if li.SKU != nil {
			l.SKU = clip(*li.SKU, 100)
		}
		flag, err := w.checkLine(ctx, brandID, shop, li, raw, &l)
		if err != nil {
			return nil, err
		}
		if flag != "" {
			l.Flag, l.DesignID, l.Version = flag, "", 0
			w.logger.WarnContext(ctx, "shopify order line flagged", "shop", shop, "line", string(li.ID), "reason", flag)
		} else {
			l.Fee = fees.of(li, raw)
		}
		out = append(out, l)
	}
	return out, nil
}

// checkLine fills in l's design and product, or returns why the line is
// flagged.
func (w *Webhooks) checkLine(ctx context.Context, brandID, shop string, li shopifyLine, raw string, l *OrderLine) (string, error) {
	designID, version, ok := ParseDesignRef(raw)
	if !ok {
		return fmt.Sprintf("%s %q is not a design reference", DesignProperty, clip(raw, 100)), nil
	}
	if li.Quantity < 1 {
		return fmt.Sprintf("quantity %d", li.Quantity), nil
	}
	if li.ProductID == "" {
		return "the line has no Shopify product", nil
	}
	productID, err := w.mappedProduct(ctx, brandID, shop, string(li.ProductID))
	if err != nil {
		return "", err
	}
	if productID == "" {
		return fmt.Sprintf("Shopify product %s is not mapped to a Luneo product", li.ProductID), nil
	}
	designProduct, err := w.designProduct(ctx, brandID, designID, version)
	if err != nil {
		return "", err
	}
	switch designProduct {
	case "":
		return fmt.Sprintf("%s %q names no design version of this brand", DesignProperty, raw), nil
	case productID:
	default:
		return fmt.Sprintf("%s %q is a design of another product than the one ordered", DesignProperty, raw), nil
	}
	l.DesignID, l.Version, l.ProductID = designID, version, productID
	return "", nil
}

// designProduct returns the Luneo product of version of a design of
// brandID, or "" when the brand has no such design version.
func (w *Webhooks) designProduct(ctx context.Context, brandID, designID string, version int) (string, error) {
	var product string
	err := w.db.QueryRowContext(ctx, `SELECT d.product_id FROM designs d
		JOIN design_versions v ON v.design_id = d.id AND v.brand_id = d.brand_id
		WHERE d.id = $1 AND d.brand_id = $2 AND v.version = $3`, designID, brandID, version).Scan(&product)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read design %s: %w", designID, err)
	}
	return product, nil
}
