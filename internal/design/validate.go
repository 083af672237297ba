package design

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/catalog"
)

// WarnImageDPI is the effective resolution below which an image layer is
// saved with a warning (the zone's min_image_dpi refuses it outright).
const WarnImageDPI = 150

// rules is what a document is checked against: the product's zones and
// the fonts and assets the brand can use.
type rules struct {
	product catalog.Product
	zones   map[string]catalog.Zone
	// fonts maps a lowercased family name to its spelling.
	fonts  map[string]string
	assets map[string]Asset
}

// loadRules reads what validating doc needs: the product (of the actor's
// brand) with its zones, the bundled and brand fonts, and the assets doc
// references.
func (s *Service) loadRules(ctx context.Context, brandID string, doc Document) (rules, error) {
	pr, zones, err := s.catalog.ProductZones(ctx, brandID, doc.ProductID)
	if err != nil {
		return rules{}, err
	}
	r := rules{product: pr, zones: map[string]catalog.Zone{}, fonts: map[string]string{}}
	for _, z := range zones {
		r.zones[z.ID] = z
	}
	bundled, err := s.cfg.Fonts(ctx, brandID)
	if err != nil {
		return rules{}, fmt.Errorf("bundled fonts: %w", err)
	}
	families, err := brandFamilies(ctx, s.db, brandID)
	if err != nil {
		return rules{}, err
	}
	for _, f := range append(bundled, families...) {
		if _, dup := r.fonts[strings.ToLower(f)]; !dup {
			r.fonts[strings.ToLower(f)] = f
		}
	}
	if r.assets, err = loadAssets(ctx, s.db, brandID, doc.assets()); err != nil {
		return rules{}, err
	}
	return r, nil
}

// validate checks doc against r, rewriting font names to their known
// spelling (so the hash does not depend on case). Refusals are one
// apperr.Unprocessable whose Fields name each layer
// (zones[0].layers[2].size_pt) and whose messages name the zone; warnings
// do not stop the save.
func (r rules) validate(doc *Document) ([]Warning, error) {
	p := problems{}
	var warnings []Warning
	if doc.VariantID != "" && !slices.ContainsFunc(r.product.Variants, func(v catalog.Variant) bool { return v.ID == doc.VariantID }) {
		p.add("variant_id", "is not a variant of product %q", r.product.Name)
	}
	for zi := range doc.Zones {
		dz := &doc.Zones[zi]
		f := fmt.Sprintf("zones[%d]", dz.index)
		z, ok := r.zones[dz.ZoneID]
		if !ok {
			p.add(f+".zone_id", "is not a zone of product %q", r.product.Name)
			continue
		}
		if z.Type == catalog.ColourZone {
			r.checkColourZone(p, f, z, dz)
			continue
		}
		if dz.Colour != "" {
			p.add(f+".colour", "zone %q is a print zone: add layers to it, colours are chosen in colour zones", z.Name)
		}
		if len(dz.Layers) > z.MaxLayers {
			p.add(f+".layers", "zone %q takes at most %d layers, not %d", z.Name, z.MaxLayers, len(dz.Layers))
		}
		for li := range dz.Layers {
			lf := fmt.Sprintf("%s.layers[%d]", f, li)
			l := &dz.Layers[li]
			if !slices.Contains(z.LayerTypes, l.Type) {
				p.add(lf+".type", "zone %q does not allow %s layers (it allows %s)", z.Name, l.Type, strings.Join(z.LayerTypes, ", "))
				continue
			}
			if w := r.checkLayer(p, lf, z, l); w != "" {
				warnings = append(warnings, Warning{ZoneID: z.ID, Layer: li, Message: w})
			}
		}
	}
	return nonNil(warnings), p.err(apperr.Unprocessable, "the design does not fit the product")
}

// checkColourZone checks the choice made in a colour zone.
func (r rules) checkColourZone(p problems, f string, z catalog.Zone, dz *Zone) {
	if len(dz.Layers) > 0 {
		p.add(f+".layers", "zone %q is a colour zone: choose one of its colours with \"colour\", it takes no layers", z.Name)
	}
	var names []string
	for _, o := range z.ColourOptions {
		if o.Hex == dz.Colour {
			return
		}
		names = append(names, fmt.Sprintf("%s %s", o.Name, o.Hex))
	}
	p.add(f+".colour", "zone %q offers %s", z.Name, strings.Join(names, ", "))
}

// checkLayer applies the zone's rules to one allowed layer and returns a
// warning, if any.
func (r rules) checkLayer(p problems, lf string, z catalog.Zone, l *Layer) string {
	colourOK := func(field, c string) {
		if len(z.Colours) > 0 && !slices.Contains(z.Colours, c) {
			p.add(lf+"."+field, "zone %q allows only the colours %s, not %s", z.Name, strings.Join(z.Colours, ", "), c)
		}
	}
	var box quad
	switch l.Type {
	case LayerColour:
		colourOK("color", l.Fill.Color)
		return ""
	case LayerText:
		t := l.Text
		if n := utf8.RuneCountInString(strings.ReplaceAll(t.Text, "\n", "")); n > z.MaxChars {
			p.add(lf+".text", "zone %q takes at most %d characters per text layer, not %d", z.Name, z.MaxChars, n)
		}
		if name, ok := r.fonts[strings.ToLower(t.Font)]; !ok {
			p.add(lf+".font", "zone %q: font %q is neither a bundled font nor one of your brand's fonts", z.Name, t.Font)
		} else {
			t.Font = name
			if len(z.Fonts) > 0 && !slices.ContainsFunc(z.Fonts, func(f string) bool { return strings.EqualFold(f, name) }) {
				p.add(lf+".font", "zone %q allows only the fonts %s, not %q", z.Name, strings.Join(z.Fonts, ", "), name)
			}
		}
		if t.SizePt < z.MinTextPt {
			p.add(lf+".size_pt", "zone %q prints text of at least %g pt, not %g pt", z.Name, z.MinTextPt, t.SizePt)
		}
		colourOK("color", t.Color)
		if t.StrokeMM > 0 {
			colourOK("stroke", t.Stroke)
		}
		box = textBox(t)
	case LayerImage:
		im := l.Image
		a, ok := r.assets[im.Asset]
		if !ok {
			p.add(lf+".asset", "zone %q: no image with this sha256 was uploaded to your brand", z.Name)
			return ""
		}
		box = imageBox(im)
		if outside(box, z) {
			p.add(lf, "zone %q: the layer lies entirely outside the zone (%g × %g mm)", z.Name, *z.WidthMM, *z.HeightMM)
			return ""
		}
		dpi := effectiveDPI(a, im)
		switch {
		case dpi < float64(z.MinImageDPI):
			p.add(lf+".width_mm", "zone %q: the image prints at %.0f DPI, below the zone's minimum of %d: make it smaller or upload a larger image",
				z.Name, math.Floor(dpi+1e-6), z.MinImageDPI)
		case dpi < WarnImageDPI:
			return fmt.Sprintf("zone %q: the image prints at %.0f DPI, below %d: it may look blurry", z.Name, math.Floor(dpi+1e-6), WarnImageDPI)
		}
		return ""
	}
	if outside(box, z) {
		p.add(lf, "zone %q: the layer lies entirely outside the zone (%g × %g mm)", z.Name, *z.WidthMM, *z.HeightMM)
	}
	return ""
}

// effectiveDPI is the resolution an image prints at: the source pixels its
// crop keeps over the printed size in inches, the lower of both axes.
func effectiveDPI(a Asset, im *ImageLayer) float64 {
	w := float64(a.Width) * im.Crop.Width / (im.WidthMM / 25.4)
	h := float64(a.Height) * im.Crop.Height / (im.HeightMM / 25.4)
	return min(w, h)
}
