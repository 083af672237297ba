package design

import (
	"context"

	"github.com/luneo/luneo/internal/catalog"
)

// Quote prices doc on productID with variantID's price: the product's
// price plus the brand's customization rules applied to what doc puts in
// each zone. The customizer's quote and the fee check of an arriving order
// both ask here, so they always agree.
func (s *Service) Quote(ctx context.Context, brandID, productID, variantID string, doc Document) (catalog.PriceQuote, error) {
	pr, zones, rules, err := s.catalog.ProductPricing(ctx, brandID, productID)
	if err != nil {
		return catalog.PriceQuote{}, err
	}
	return catalog.Quote(pr.PriceOf(variantID), pr.Currency, rules, usage(zones, doc)), nil
}

// usage counts what doc puts in each zone, for a price quote
// (catalog.Quote), in the product's zone order so the quote's lines read
// like the customizer's tabs: layers by type, and a colour zone's choice as
// one colour layer. The customizer's live price, the server's quote and the
// fee check of an arriving order all count the same way.
func usage(zones []catalog.Zone, doc Document) []catalog.ZoneUsage {
	var out []catalog.ZoneUsage
	for _, z := range zones {
		for _, dz := range doc.Zones {
			if dz.ZoneID != z.ID {
				continue
			}
			u := catalog.ZoneUsage{ZoneID: z.ID, ZoneName: z.Name, Layers: map[string]int{}}
			for _, l := range dz.Layers {
				u.Layers[l.Type]++
			}
			if dz.Colour != "" {
				u.Layers[LayerColour]++
			}
			out = append(out, u)
		}
	}
	return out
}
