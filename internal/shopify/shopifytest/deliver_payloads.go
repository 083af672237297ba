package shopifytest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The payload builders follow Shopify's REST webhook payloads (Order,
// Product, the privacy topics' documented bodies), with the fields a real
// delivery carries around the ones Luneo reads, so a parser that trips on
// the rest is caught.

// Line is one line item of a fake order.
type Line struct {
	ID        int64
	ProductID int64 // 0: a custom line without a product (JSON null)
	VariantID int64
	SKU       string
	Title     string
	Quantity  int
	// Design is the _luneo_design value ("{designID}:v{N}"); "" adds no
	// Luneo properties.
	Design string
	// Preview is the visible Personalization link the block adds.
	Preview string
	// Properties are further line properties.
	Properties map[string]string
	// Price is the unit price ("24.00" when empty).
	Price string
	// Fee is the _luneo_fee the block wrote (minor units per unit; "500"
	// when empty).
	Fee string
	// FeeFor makes the line a fee line bound to Design: it carries only
	// _luneo_design and _luneo_fee_for (the customized line's cart key).
	FeeFor string
}

// Order is a fake order.
type Order struct {
	ID         int64
	Number     int // the "#1001" in Name
	CustomerID int64
	// Cancelled sets cancelled_at (orders/updated of a cancelled order).
	Cancelled bool
	// Currency is the shop's currency ("EUR" when empty).
	Currency string
	Lines    []Line
}

// OrderPayload is the orders/create (or orders/updated) body of o.
func OrderPayload(o Order) []byte {
	created := time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC).Format(time.RFC3339)
	lines := make([]map[string]any, 0, len(o.Lines))
	for _, l := range o.Lines {
		props := []map[string]any{}
		fee := l.Fee
		if fee == "" {
			fee = "500"
		}
		price := l.Price
		if price == "" {
			price = "24.00"
		}
		if l.FeeFor != "" {
			props = append(props, map[string]any{"name": "_luneo_design", "value": l.Design},
				map[string]any{"name": "_luneo_fee_for", "value": l.FeeFor})
		} else if l.Design != "" {
			props = append(props, map[string]any{"name": "_luneo_design", "value": l.Design})
			preview := l.Preview
			if preview == "" {
				preview = "https://luneo.example/p/dp_preview"
			}
			props = append(props, map[string]any{"name": "Personalization", "value": preview},
				map[string]any{"name": "_luneo_fee", "value": fee})
		}
		for k, v := range l.Properties {
			props = append(props, map[string]any{"name": k, "value": v})
		}
		var product, variant any
		if l.ProductID != 0 {
			product = l.ProductID
		}
		if l.VariantID != 0 {
			variant = l.VariantID
		}
		lines = append(lines, map[string]any{
			"id":                   l.ID,
			"admin_graphql_api_id": "gid://shopify/LineItem/" + strconv.FormatInt(l.ID, 10),
			"product_id":           product,
			"variant_id":           variant,
			"sku":                  l.SKU,
			"title":                l.Title,
			"name":                 l.Title,
			"quantity":             l.Quantity,
			"price":                price,
			"grams":                350,
			"requires_shipping":    true,
			"taxable":              true,
			"fulfillment_status":   nil,
			"vendor":               "Luneo test",
			"properties":           props,
			"tax_lines":            []any{map[string]any{"title": "VAT", "price": "4.00", "rate": 0.2}},
			"discount_allocations": []any{},
		})
	}
	currency := o.Currency
	if currency == "" {
		currency = "EUR"
	}
	order := map[string]any{
		"id":                   o.ID,
		"admin_graphql_api_id": "gid://shopify/Order/" + strconv.FormatInt(o.ID, 10),
		"name":                 fmt.Sprintf("#%d", o.Number),
		"order_number":         o.Number,
		"email":                "jon@example.com",
		"created_at":           created,
		"updated_at":           created,
		"currency":             currency,
		"total_price":          "48.00",
		"financial_status":     "paid",
		"fulfillment_status":   nil,
		"cancelled_at":         nil,
		"cancel_reason":        nil,
		"test":                 true,
		"line_items":           lines,
		"shipping_address": map[string]any{"first_name": "Jon", "last_name": "Snow", "address1": "1 Wall St",
			"city": "Winterfell", "zip": "12345", "country_code": "GB"},
	}
	if o.CustomerID != 0 {
		order["customer"] = map[string]any{"id": o.CustomerID, "email": "jon@example.com", "first_name": "Jon",
			"last_name": "Snow", "phone": "+440000000000", "admin_graphql_api_id": "gid://shopify/Customer/" + strconv.FormatInt(o.CustomerID, 10)}
	} else {
		order["customer"] = nil
	}
	if o.Cancelled {
		order["cancelled_at"] = time.Date(2025, 3, 15, 10, 0, 0, 0, time.UTC).Format(time.RFC3339)
		order["cancel_reason"] = "customer"
	}
	return mustJSON(order)
}

// ProductPayload is the products/update body of a product with one variant
// per SKU.
func ProductPayload(id int64, title string, skus ...string) []byte {
	variants := make([]map[string]any, 0, len(skus))
	for i, s := range skus {
		variants = append(variants, map[string]any{"id": id*100 + int64(i) + 1, "product_id": id, "title": "Variant " + strconv.Itoa(i+1),
			"sku": s, "price": "24.00", "position": i + 1, "inventory_quantity": 10})
	}
	return mustJSON(map[string]any{
		"id": id, "admin_graphql_api_id": "gid://shopify/Product/" + strconv.FormatInt(id, 10), "title": title,
		"handle": strings.ToLower(strings.ReplaceAll(title, " ", "-")), "vendor": "Luneo test", "status": "active",
		"product_type": "Mug", "variants": variants, "options": []any{}, "images": []any{},
	})
}

// ProductDeletePayload is the products/delete body.
func ProductDeletePayload(id int64) []byte { return mustJSON(map[string]any{"id": id}) }

// AppUninstalledPayload is the app/uninstalled body (the Shop resource).
func AppUninstalledPayload(shop string) []byte {
	return mustJSON(map[string]any{"id": 690933842, "name": "Test shop", "domain": shop, "myshopify_domain": shop,
		"email": "owner@example.com", "plan_name": "basic"})
}

// DataRequestPayload is the customers/data_request body.
func DataRequestPayload(shop string, customerID int64, orders ...int64) []byte {
	return mustJSON(map[string]any{"shop_id": 954889, "shop_domain": shop, "orders_requested": nonNil(orders),
		"customer":     map[string]any{"id": customerID, "email": "jon@example.com", "phone": "555-625-1199"},
		"data_request": map[string]any{"id": 9999}})
}

// CustomerRedactPayload is the customers/redact body.
func CustomerRedactPayload(shop string, customerID int64, orders ...int64) []byte {
	return mustJSON(map[string]any{"shop_id": 954889, "shop_domain": shop,
		"customer":         map[string]any{"id": customerID, "email": "jon@example.com", "phone": "555-625-1199"},
		"orders_to_redact": nonNil(orders)})
}

// ShopRedactPayload is the shop/redact body.
func ShopRedactPayload(shop string) []byte {
	return mustJSON(map[string]any{"shop_id": 954889, "shop_domain": shop})
}

func nonNil(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("shopifytest: " + err.Error())
	}
	return b
}
