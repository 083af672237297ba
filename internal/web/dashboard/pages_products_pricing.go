package dashboard

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/money"
	"github.com/luneo/luneo/internal/web/form"
)

// The customization prices of a product on its page: the rule table as a
// list (zone, layer type, amount) with Remove buttons, and one form that
// adds a rule or, for a zone and layer type already priced, changes it.
// The catalog keeps the table whole (SetPriceRules); these handlers edit a
// copy and save it back.

// pricingView is the prices' part of productView.
type pricingView struct {
	Prices   []priceRow
	NewPrice productForm
}

// priceRow is a rule as the list shows it.
type priceRow struct {
	Index                   int
	Zone, LayerType, Amount string
}

// priceLayerLabels say what each layer type of a rule charges for.
var priceLayerLabels = map[string]string{"": "once when the zone is customized", "text": "per text layer",
	"image": "per image layer", "colour": "per colour choice"}

// loadPricingView fills in the prices' part of the product page.
func (s *Dashboard) loadPricingView(r *http.Request, p auth.Principal, pv *productView, submitted form.Form) error {
	rules, err := s.Catalog.PriceRules(r.Context(), p, pv.Product.ID)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, z := range pv.Zones {
		names[z.ID] = z.Name
	}
	for i, rule := range rules {
		zone := "every zone"
		if rule.ZoneID != "" {
			zone = names[rule.ZoneID]
		}
		pv.Prices = append(pv.Prices, priceRow{Index: i, Zone: zone, LayerType: priceLayerLabels[rule.LayerType],
			Amount: money.Format(rule.Amount, pv.Product.CurrencyDigits) + " " + pv.Product.Currency})
	}
	pv.NewPrice = productForm{submitted.Named("price")}
	return nil
}

// setPriceSubmit adds a rule, or changes the rule of the same zone and
// layer type.
func (s *Dashboard) setPriceSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	vals := form.Values(r, "zone_id", "layer_type", "amount")
	err := s.changePrices(r, me.p, func(pr catalog.Product, rules []catalog.PriceRule) ([]catalog.PriceRule, error) {
		amount, err := parseAmount(vals["amount"], "amount", pr.Currency, false)
		if err != nil {
			return nil, err
		}
		nr := catalog.PriceRule{ZoneID: vals["zone_id"], LayerType: vals["layer_type"], Amount: amount}
		i := slices.IndexFunc(rules, func(x catalog.PriceRule) bool { return x.ZoneID == nr.ZoneID && x.LayerType == nr.LayerType })
		if i >= 0 {
			rules[i] = nr
			return rules, nil
		}
		return append(rules, nr), nil
	})
	// The table held only valid rules before: a problem is the new or
	// changed rule's, so it goes next to the form's field.
	err = form.RemapFields(err, ruleField)
	return s.productResult(w, r, me, err, "price", vals, "#pricing", "The customization price is saved.")
}

// deletePriceSubmit removes the rule at the index in the path.
func (s *Dashboard) deletePriceSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	err := s.changePrices(r, me.p, func(_ catalog.Product, rules []catalog.PriceRule) ([]catalog.PriceRule, error) {
		i, err := strconv.Atoi(r.PathValue("index"))
		if err != nil || i < 0 || i >= len(rules) {
			return nil, errNoPrice
		}
		return slices.Delete(rules, i, i+1), nil
	})
	return s.productResult(w, r, me, err, "price", nil, "#pricing", "The customization price is removed.")
}

var errNoPrice = apperr.New(apperr.NotFound, "this product has no such customization price")

// changePrices loads the product and its rules, lets change edit the table
// and saves it.
func (s *Dashboard) changePrices(r *http.Request, p auth.Principal,
	change func(catalog.Product, []catalog.PriceRule) ([]catalog.PriceRule, error)) error {
	if err := p.Require(brand.ProductsWrite); err != nil {
		return err
	}
	pr, err := s.Catalog.GetProduct(r.Context(), p, r.PathValue("id"))
	if err != nil {
		return err
	}
	rules, err := s.Catalog.PriceRules(r.Context(), p, pr.ID)
	if err != nil {
		return err
	}
	rules, err = change(pr, rules)
	if err != nil {
		return err
	}
	_, err = s.Catalog.SetPriceRules(r.Context(), p, pr.ID, rules)
	return err
}

// ruleField is the field of "rules[3].amount": "amount".
func ruleField(k string) string {
	if _, field, ok := strings.Cut(k, "]."); ok && strings.HasPrefix(k, "rules[") {
		return field
	}
	return k
}
