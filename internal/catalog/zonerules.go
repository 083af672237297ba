package catalog

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
)

// Bounds of a zone's settings.
const (
	MinDPI         = 72
	MaxDPI         = 1200
	maxZoneMM      = 10_000 // 10 m: larger than any printable product
	MaxZonePixels  = 16384  // per side of a zone's print texture
	maxZones       = 50     // per product
	defaultLayers  = 10
	maxLayersLimit = 50
	defaultChars   = 200
	maxCharsLimit  = 10_000
	maxBleedMM     = 20
	// MinImageDPIFloor is the lowest print-quality floor a zone may set;
	// DefaultMinImageDPI and DefaultMinTextPt are the defaults.
	MinImageDPIFloor   = 36
	DefaultMinImageDPI = 100
	DefaultMinTextPt   = 6.0
	maxMinTextPt       = 200
)

// pixels is the size in pixels of mm millimetres printed at dpi.
func pixels(mm float64, dpi int) int { return int(math.Round(mm / 25.4 * float64(dpi))) }

// check normalises z and validates it against the materials of the
// product's model. Settings that do not apply to the zone's type are
// cleared, so changing a zone's type needs no other change.
func (z *ZoneSpec) check(mats []ModelMaterial) error {
	p := problems{}
	checkText(p, "name", &z.Name, 1, 100)
	if z.Position < 0 || z.Position > 1000 {
		p.add("position", "must be 0 to 1000")
	}
	switch z.Type {
	case PrintZone:
		z.checkPrint(p)
	case ColourZone:
		z.checkColour(p)
	default:
		p.add("type", "must be print (shoppers add layers) or colour (shoppers pick a material colour)")
	}
	z.Material = strings.TrimSpace(z.Material)
	switch m, ok := findMaterial(mats, z.Material); {
	case z.Material == "":
		p.add("material", "is required: the name of the model material the zone covers")
	case !ok:
		p.add("material", "%q is not a material of the product's model (it has %s)", z.Material, quoteList(materialNames(mats)))
	case z.Type == PrintZone && m.UVSets == 0:
		p.add("material", "%q has no UV coordinates, so nothing can be printed on it: unwrap it in your 3D tool and upload the model again", z.Material)
	}
	return p.err("invalid zone")
}

// checkPrint validates the settings of a print zone.
func (z *ZoneSpec) checkPrint(p problems) {
	z.ColourOptions = []ColourOption{}
	if r := z.UVRect; r != nil && !(0 <= r.U0 && r.U0 < r.U1 && r.U1 <= 1 && 0 <= r.V0 && r.V0 < r.V1 && r.V1 <= 1) {
		p.add("uv_rect", "must lie inside 0..1 with u0 < u1 and v0 < v1")
	}
	for _, d := range []struct {
		name string
		v    *float64
	}{{"width_mm", z.WidthMM}, {"height_mm", z.HeightMM}} {
		switch {
		case d.v == nil:
			p.add(d.name, "is required for a print zone: its printed size in millimetres")
		case !(*d.v > 0 && *d.v <= maxZoneMM):
			p.add(d.name, "must be more than 0 and at most %d millimetres", maxZoneMM)
		}
	}
	switch {
	case z.DPI == nil:
		p.add("dpi", "is required for a print zone: its print resolution, %d to %d", MinDPI, MaxDPI)
	case *z.DPI < MinDPI || *z.DPI > MaxDPI:
		p.add("dpi", "must be %d to %d", MinDPI, MaxDPI)
	}
	if _, bad := p["dpi"]; !bad && z.DPI != nil {
		for _, d := range []struct {
			name string
			v    *float64
		}{{"width_mm", z.WidthMM}, {"height_mm", z.HeightMM}} {
			if _, bad := p[d.name]; !bad && pixels(*d.v, *z.DPI) > MaxZonePixels {
				p.add(d.name, "gives %d pixels at %d DPI, more than the %d allowed: lower the size or the DPI", pixels(*d.v, *z.DPI), *z.DPI, MaxZonePixels)
			} else if !bad && pixels(*d.v, *z.DPI) < 1 {
				p.add(d.name, "is less than one pixel at %d DPI", *z.DPI)
			}
		}
	}
	if len(z.LayerTypes) == 0 {
		z.LayerTypes = []string{LayerText, LayerImage, LayerColour}
	}
	seen := map[string]bool{}
	for i, t := range z.LayerTypes {
		if !slices.Contains([]string{LayerText, LayerImage, LayerColour}, t) || seen[t] {
			p.add(fmt.Sprintf("layer_types[%d]", i), "must be text, image or colour, each at most once")
		}
		seen[t] = true
	}
	z.MaxLayers = orDefault(z.MaxLayers, defaultLayers)
	if z.MaxLayers < 1 || z.MaxLayers > maxLayersLimit {
		p.add("max_layers", "must be 1 to %d", maxLayersLimit)
	}
	z.MaxChars = orDefault(z.MaxChars, defaultChars)
	if z.MaxChars < 1 || z.MaxChars > maxCharsLimit {
		p.add("max_chars", "must be 1 to %d", maxCharsLimit)
	}
	z.Fonts = checkNames(p, "fonts", z.Fonts, 50, 100)
	z.Colours = checkColours(p, "colours", z.Colours, 100)
	z.checkQuality(p)
}

// checkQuality validates the print settings of a print zone: bleed, safe
// area and the print-quality floors designs are checked against.
func (z *ZoneSpec) checkQuality(p problems) {
	if !(z.BleedMM >= 0 && z.BleedMM <= maxBleedMM) {
		p.add("bleed_mm", "must be 0 to %d millimetres", maxBleedMM)
	}
	switch {
	case !(z.SafeMM >= 0):
		p.add("safe_mm", "must be 0 or more millimetres")
	case z.WidthMM != nil && z.HeightMM != nil && 2*z.SafeMM >= min(*z.WidthMM, *z.HeightMM):
		p.add("safe_mm", "leaves no room: twice the safe margin must be less than the zone's width and height")
	}
	if z.MinImageDPI == 0 {
		z.MinImageDPI = DefaultMinImageDPI
	}
	if z.MinImageDPI == DefaultMinImageDPI && z.DPI != nil && *z.DPI < z.MinImageDPI {
		// A zone printed below the default floor takes its own DPI as the
		// floor, so lowering a zone's DPI needs no other change.
		z.MinImageDPI = *z.DPI
	}
	if z.MinImageDPI < MinImageDPIFloor || (z.DPI != nil && z.MinImageDPI > *z.DPI) {
		p.add("min_image_dpi", "must be %d to the zone's DPI", MinImageDPIFloor)
	}
	if z.MinTextPt == 0 {
		z.MinTextPt = DefaultMinTextPt
	}
	if !(z.MinTextPt > 0 && z.MinTextPt <= maxMinTextPt) {
		p.add("min_text_pt", "must be more than 0 and at most %d points", maxMinTextPt)
	}
}

// checkColour validates the settings of a colour zone.
func (z *ZoneSpec) checkColour(p problems) {
	z.UVRect, z.WidthMM, z.HeightMM, z.DPI = nil, nil, nil, nil
	z.LayerTypes, z.Fonts, z.Colours, z.MaxLayers, z.MaxChars = []string{}, []string{}, []string{}, 0, 0
	z.BleedMM, z.SafeMM, z.MinImageDPI, z.MinTextPt = 0, 0, 0, 0
	switch {
	case len(z.ColourOptions) == 0:
		p.add("colour_options", "is required for a colour zone: the named colours shoppers choose from")
	case len(z.ColourOptions) > 100:
		p.add("colour_options", "may hold at most 100 colours")
	}
	names := map[string]bool{}
	for i, o := range z.ColourOptions {
		f := func(n string) string { return fmt.Sprintf("colour_options[%d].%s", i, n) }
		checkText(p, f("name"), &o.Name, 1, 60)
		if names[strings.ToLower(o.Name)] {
			p.add(f("name"), "repeats %q", o.Name)
		}
		names[strings.ToLower(o.Name)] = true
		if h, ok := NormHex(o.Hex); ok {
			o.Hex = h
		} else {
			p.add(f("hex"), "must be a hex colour such as #ff0000, not %q", o.Hex)
		}
		z.ColourOptions[i] = o
	}
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// findMaterial finds a material by its exact name.
func findMaterial(mats []ModelMaterial, name string) (ModelMaterial, bool) {
	for _, m := range mats {
		if m.Name == name && name != "" {
			return m, true
		}
	}
	return ModelMaterial{}, false
}

// quoteList writes names as "a", "b" and "c"; "no named materials" when empty.
func quoteList(names []string) string {
	if len(names) == 0 {
		return "no named materials"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// checkZonesFit refuses a model that lacks what the product's zones need:
// each zone's material, with UV coordinates for print zones.
func checkZonesFit(ctx context.Context, q db.Querier, brandID, productID string, mats []ModelMaterial) error {
	zones, err := loadZones(ctx, q, brandID, productID, "")
	if err != nil {
		return err
	}
	var misfits []string
	for _, z := range zones {
		m, ok := findMaterial(mats, z.Material)
		switch {
		case !ok:
			misfits = append(misfits, fmt.Sprintf("zone %q targets material %q, which the new model lacks", z.Name, z.Material))
		case z.Type == PrintZone && m.UVSets == 0:
			misfits = append(misfits, fmt.Sprintf("print zone %q needs UV coordinates on material %q, which the new model lacks", z.Name, z.Material))
		}
	}
	if len(misfits) == 0 {
		return nil
	}
	return &apperr.Error{Code: apperr.Conflict, Details: misfits,
		Message: "the new model does not fit the product's zones: " + strings.Join(misfits, "; ") +
			"; fix the model, or change or delete those zones first"}
}
