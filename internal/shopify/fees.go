package shopify

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/luneo/luneo/internal/money"
)

// What an order charged for each design's personalization, read from the
// order as Shopify reports it (README "Storefront and prices"):
//
//   - fee lines: the merchant's fee variant (one minor unit each) with
//     quantity = fee × the design's quantity, bound to the design by
//     DesignProperty and marked by FeeForProperty; what they charged is
//     their unit price × quantity, whatever the shopper did to the cart;
//   - otherwise, a line the Cart Transform priced (its title ends with
//     TransformTitleSuffix, which shoppers cannot set) charged FeeProperty
//     per unit on top of its price;
//   - otherwise nothing was charged.
//
// The orders module compares the result with its own quote of the locked
// version; nothing here is trusted more than the shopper's cart is.

// feeBook is an order's fee lines, by design reference.
type feeBook struct {
	currency string
	charged  map[string]*big.Int // design ref → minor units charged by its fee lines
	quantity map[string]int64    // design ref → customized quantity bearing it
}

// chargedFees reads the fee lines of items (prices in currency).
func chargedFees(currency string, items []shopifyLine) feeBook {
	b := feeBook{currency: strings.ToUpper(strings.TrimSpace(currency)), charged: map[string]*big.Int{}, quantity: map[string]int64{}}
	for _, li := range items {
		raw, ok := li.prop(DesignProperty)
		if !ok {
			continue
		}
		ref, ok := canonicalRef(raw)
		if !ok || li.Quantity < 1 {
			continue
		}
		if _, fee := li.prop(FeeForProperty); !fee {
			b.quantity[ref] += int64(li.Quantity)
			continue
		}
		unit, ok := minorUnits(li.Price, b.currency)
		if !ok {
			continue
		}
		if b.charged[ref] == nil {
			b.charged[ref] = new(big.Int)
		}
		b.charged[ref].Add(b.charged[ref], new(big.Int).Mul(big.NewInt(unit), big.NewInt(int64(li.Quantity))))
	}
	return b
}

// of is the fee charged for the customized line li (raw is its
// DesignProperty). Fee lines of a design split over its lines by quantity.
func (b feeBook) of(li shopifyLine, raw string) *Fee {
	f := &Fee{Currency: b.currency}
	ref, ok := canonicalRef(raw)
	if !ok || li.Quantity < 1 {
		return f
	}
	if total, ok := b.charged[ref]; ok {
		share := new(big.Int).Mul(total, big.NewInt(int64(li.Quantity)))
		share.Quo(share, big.NewInt(max(b.quantity[ref], 1)))
		if share.IsInt64() {
			f.Amount = share.Int64()
		}
		return f
	}
	if strings.HasSuffix(li.Title, TransformTitleSuffix) {
		text, _ := li.prop(FeeProperty)
		if unit, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64); err == nil && unit > 0 {
			if total := new(big.Int).Mul(big.NewInt(unit), big.NewInt(int64(li.Quantity))); total.IsInt64() {
				f.Amount = total.Int64()
			}
		}
	}
	return f
}

// canonicalRef is a DesignProperty value in one spelling.
func canonicalRef(raw string) (string, bool) {
	id, v, ok := ParseDesignRef(raw)
	if !ok {
		return "", false
	}
	return id + ":v" + strconv.Itoa(v), true
}

// minorUnits reads a Shopify price ("0.01", "1300.00", "1300" for a
// zero-decimal currency sent with ".00") into minor units of currency;
// zeros past the currency's digits are allowed, anything else there is
// refused.
func minorUnits(price, currency string) (int64, bool) {
	price = strings.TrimSpace(price)
	digits := money.Digits(currency)
	if whole, frac, ok := strings.Cut(price, "."); ok && len(frac) > digits {
		if strings.Trim(frac[digits:], "0") != "" {
			return 0, false
		}
		price = whole
		if digits > 0 {
			price += "." + frac[:digits]
		}
	}
	n, err := money.Parse(price, currency, false)
	return n, err == nil
}
