package catalog

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/platform/db"
)

// Customization prices: a brand charges for what shoppers add to a product,
// on top of the product's (and variant's) price. The rule table is
// deliberately simple, the kind a merchant fills in without a manual:
//
//	zone     layer type  amount   meaning
//	(any)    text        300      3.00 per text layer, in every zone
//	Back     text        500      5.00 per text layer on the back (overrides the line above there)
//	(any)    image       800      8.00 per image layer
//	Front    (any)       200      2.00 once when the front is customized at all
//	Body     colour      0        colour choices of the body zone are free
//
// A rule with a layer type is charged per layer of that type (for a colour
// zone: once when a colour is chosen); a rule without one is charged once
// per zone that holds anything. For each zone and layer type, a rule naming
// the zone wins over one for every zone. Quote computes it; the widget shows
// the same computation live and the server's quote is what goes to the cart.

// maxPriceRules bounds a product's rule table.
const maxPriceRules = 100

// Layer types a rule may name ("" for "the zone is customized").
var priceLayerTypes = map[string]bool{"": true, "text": true, "image": true, "colour": true}

// PriceRule is one line of a product's customization price table.
type PriceRule struct {
	// ZoneID is the zone the rule is for; "" for every zone.
	ZoneID string `json:"zone_id"`
	// LayerType is text, image or colour, charged per layer; "" charges
	// once per customized zone.
	LayerType string `json:"layer_type"`
	// Amount is in the product's currency's minor units (cents).
	Amount int64 `json:"amount"`
}

// ZoneUsage is what a design puts in one zone, for a quote: how many layers
// of each type (a colour zone's choice counts as one colour layer).
type ZoneUsage struct {
	ZoneID   string
	ZoneName string
	Layers   map[string]int
}

// PriceLine is one charged line of a quote.
type PriceLine struct {
	Label  string `json:"label"`
	Amount int64  `json:"amount"`
}

// PriceQuote is what a design costs: the base price and every charged line.
type PriceQuote struct {
	Amount   int64       `json:"amount"`
	Currency string      `json:"currency"`
	Base     int64       `json:"base"`
	Lines    []PriceLine `json:"lines"`
}

// Quote prices a design's usage: base (the product's price plus the
// variant's delta) and, per zone, the most specific rule of each layer
// type. Zones are taken in usage order; within a zone, the "customized"
// charge first, then text, image, colour.
func Quote(base int64, currency string, rules []PriceRule, usage []ZoneUsage) PriceQuote {
	q := PriceQuote{Amount: base, Currency: currency, Base: base, Lines: []PriceLine{}}
	find := func(zone, typ string) (PriceRule, bool) {
		var wide PriceRule
		found := false
		for _, r := range rules {
			if r.LayerType != typ {
				continue
			}
			if r.ZoneID == zone {
				return r, true
			}
			if r.ZoneID == "" && !found {
				wide, found = r, true
			}
		}
		return wide, found
	}
	for _, u := range usage {
		total := 0
		for _, n := range u.Layers {
			total += n
		}
		if total == 0 {
			continue
		}
		if r, ok := find(u.ZoneID, ""); ok && r.Amount > 0 {
			q.Lines = append(q.Lines, PriceLine{Label: u.ZoneName, Amount: r.Amount})
		}
		for _, typ := range []string{"text", "image", "colour"} {
			n := u.Layers[typ]
			r, ok := find(u.ZoneID, typ)
			if n == 0 || !ok || r.Amount == 0 {
				continue
			}
			label := fmt.Sprintf("%s: %s", u.ZoneName, typ)
			if n > 1 {
				label = fmt.Sprintf("%s: %d × %s", u.ZoneName, n, typ)
			}
			q.Lines = append(q.Lines, PriceLine{Label: label, Amount: r.Amount * int64(n)})
		}
	}
	for _, l := range q.Lines {
		q.Amount += l.Amount
	}
	return q
}

// PriceOf is the product's price with variantID's delta (the product's
// own price for an unknown or empty variant): the base of a quote.
func (p Product) PriceOf(variantID string) int64 {
	if variantID != "" {
		for _, v := range p.Variants {
			if v.ID == variantID {
				return p.Price + v.PriceDelta
			}
		}
	}
	return p.Price
}

// PriceRules returns a product's rule table, for staff.
func (s *Service) PriceRules(ctx context.Context, p auth.Principal, productID string) ([]PriceRule, error) {
	if err := canRead(p); err != nil {
		return nil, err
	}
	return s.PriceRulesOf(ctx, p.BrandID, productID)
}

// PriceRulesOf returns brandID's product's rule table without checking a
// principal (the widget's shopper routes: the embed token fixed the brand).
// A product of another brand is not found.
func (s *Service) PriceRulesOf(ctx context.Context, brandID, productID string) ([]PriceRule, error) {
	if _, err := getProduct(ctx, s.db, brandID, productID); err != nil {
		return nil, err
	}
	return priceRules(ctx, s.db, brandID, productID)
}

// ProductPricing is what pricing a design needs, read together: the
// product with its variants (ProductZones), its zones and its rule table.
// The widget quotes on every edit, so the product is read once, not once
// for the zones and again for the rules.
func (s *Service) ProductPricing(ctx context.Context, brandID, productID string) (Product, []Zone, []PriceRule, error) {
	pr, zones, err := s.ProductZones(ctx, brandID, productID)
	if err != nil {
		return Product{}, nil, nil, err
	}
	rules, err := priceRules(ctx, s.db, brandID, productID)
	return pr, zones, rules, err
}

// priceRules reads a product's rule table, in order.
func priceRules(ctx context.Context, q db.Querier, brandID, productID string) ([]PriceRule, error) {
	rows, err := q.QueryContext(ctx, `SELECT COALESCE(zone_id, ''), layer_type, amount FROM price_rules
		WHERE brand_id = $1 AND product_id = $2 ORDER BY position`, brandID, productID)
	if err != nil {
		return nil, fmt.Errorf("load price rules: %w", err)
	}
	defer rows.Close()
	out := []PriceRule{}
	for rows.Next() {
		var r PriceRule
		if err := rows.Scan(&r.ZoneID, &r.LayerType, &r.Amount); err != nil {
			return nil, fmt.Errorf("scan price rule: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetPriceRules replaces a product's rule table. Every rule is checked
// (its zone is one of the product's, its layer type is known and allowed
// in that zone, its amount is 0..max, no two rules share zone and layer
// type); any problem refuses the whole table, naming the entry.
func (s *Service) SetPriceRules(ctx context.Context, p auth.Principal, productID string, rules []PriceRule) ([]PriceRule, error) {
	if err := canWrite(p); err != nil {
		return nil, err
	}
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := lockProduct(ctx, tx, p.BrandID, productID, s.stamp()); err != nil {
			return err
		}
		zones, err := loadZones(ctx, tx, p.BrandID, productID, "")
		if err != nil {
			return err
		}
		if err := checkPriceRules(rules, zones); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM price_rules WHERE brand_id = $1 AND product_id = $2`,
			p.BrandID, productID); err != nil {
			return fmt.Errorf("clear price rules: %w", err)
		}
		for i, r := range rules {
			var zone any
			if r.ZoneID != "" {
				zone = r.ZoneID
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO price_rules
				(brand_id, product_id, zone_id, layer_type, amount, position) VALUES ($1, $2, $3, $4, $5, $6)`,
				p.BrandID, productID, zone, r.LayerType, r.Amount, i); err != nil {
				return fmt.Errorf("insert price rule: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return priceRules(ctx, s.db, p.BrandID, productID)
}

// checkPriceRules reports every invalid rule of a table for a product with
// zones.
func checkPriceRules(rules []PriceRule, zones []Zone) error {
	p := problems{}
	if len(rules) > maxPriceRules {
		p.add("rules", "may hold at most %d rules", maxPriceRules)
		return p.err("invalid price rules")
	}
	byID := map[string]Zone{}
	for _, z := range zones {
		byID[z.ID] = z
	}
	seen := map[[2]string]bool{}
	for i, r := range rules {
		f := func(name string) string { return fmt.Sprintf("rules[%d].%s", i, name) }
		if !priceLayerTypes[r.LayerType] {
			p.add(f("layer_type"), "must be text, image, colour or empty (once per customized zone)")
		}
		if r.Amount < 0 || r.Amount > maxPrice {
			p.add(f("amount"), "must be a whole number of minor units (such as cents) from 0 to %d", int64(maxPrice))
		}
		if r.ZoneID != "" {
			z, ok := byID[r.ZoneID]
			switch {
			case !ok:
				p.add(f("zone_id"), "is not a zone of this product")
			case z.Type == ColourZone && r.LayerType != "colour" && r.LayerType != "":
				p.add(f("layer_type"), "a colour zone only takes colour choices: use colour or leave it empty")
			}
		}
		k := [2]string{r.ZoneID, r.LayerType}
		if seen[k] {
			p.add(f("layer_type"), "repeats the rule for this zone and layer type")
		}
		seen[k] = true
	}
	return p.err("invalid price rules")
}
