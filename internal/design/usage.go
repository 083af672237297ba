package design

import "github.com/luneo/luneo/internal/catalog"

// Usage counts what doc puts in each zone, for a price quote
// (catalog.Quote), in the product's zone order so the quote's lines read
// like the customizer's tabs: layers by type, and a colour zone's choice as
// one colour layer. The customizer's live price, the server's quote and the
// fee check of an arriving order all count the same way.
func Usage(zones []catalog.Zone, doc Document) []catalog.ZoneUsage {
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
