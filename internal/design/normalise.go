package design

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/catalog"
)

// Ranges of layer values: far beyond any real print, far below what could
// overflow a renderer.
const (
	maxMM         = 10_000.0
	maxSizePt     = 2_000.0
	maxStrokeMM   = 50.0
	maxLineHeight = 10.0
	// Defaults spelled out by the canonical form.
	defaultColour     = "#000000"
	defaultLineHeight = 1.2
)

// precision is how finely numbers are kept: 1/10000 of their unit (0.1 µm,
// 0.0001°), crops to a millionth. Rounding on the way in is what makes
// 10.00000001 and 10 the same design.
const (
	precision     = 1e4
	cropPrecision = 1e6
)

// normalise fills in the defaults of l, checks its ranges and rounds its
// numbers, reporting problems under field.
func (l *Layer) normalise(p problems, field string) {
	f := func(name string) string { return field + "." + name }
	switch l.Type {
	case LayerText:
		t := l.Text
		t.Text = norm.NFC.String(t.Text)
		t.Font = strings.TrimSpace(norm.NFC.String(t.Font))
		n := utf8.RuneCountInString(t.Text)
		switch {
		case !utf8.ValidString(t.Text) || strings.TrimSpace(t.Text) == "":
			p.add(f("text"), "is required")
		case n > maxTextRunes:
			p.add(f("text"), "may hold at most %d characters", maxTextRunes)
		case strings.ContainsFunc(t.Text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }):
			p.add(f("text"), "must not contain control characters other than line breaks")
		}
		if t.Font == "" || len(t.Font) > maxNameLen {
			p.add(f("font"), "is required: a bundled font family or one of your brand's fonts")
		}
		checkRange(p, f("size_pt"), &t.SizePt, 0, maxSizePt, false)
		t.Color = colour(p, f("color"), t.Color)
		t.Stroke = colour(p, f("stroke"), t.Stroke)
		switch t.Align {
		case "":
			t.Align = AlignLeft
		case AlignLeft, AlignCenter, AlignRight:
		default:
			p.add(f("align"), "must be left, center or right")
		}
		checkRange(p, f("x_mm"), &t.XMM, -maxMM, maxMM, true)
		checkRange(p, f("y_mm"), &t.YMM, -maxMM, maxMM, true)
		t.Rotation = angle(p, f("rotation"), t.Rotation)
		if t.LineHeight == 0 {
			t.LineHeight = defaultLineHeight
		}
		checkRange(p, f("line_height"), &t.LineHeight, 0, maxLineHeight, false)
		checkRange(p, f("letter_spacing_mm"), &t.LetterSpacingMM, -maxMM, maxMM, true)
		checkRange(p, f("arc_deg"), &t.ArcDeg, -360, 360, true)
		checkRange(p, f("stroke_mm"), &t.StrokeMM, 0, maxStrokeMM, true)
	case LayerImage:
		im := l.Image
		im.Asset = strings.ToLower(strings.TrimSpace(im.Asset))
		if !sha256Hex.MatchString(im.Asset) {
			p.add(f("asset"), "must be the sha256 of an uploaded image (64 hex digits)")
		}
		checkRange(p, f("x_mm"), &im.XMM, -maxMM, maxMM, true)
		checkRange(p, f("y_mm"), &im.YMM, -maxMM, maxMM, true)
		checkRange(p, f("width_mm"), &im.WidthMM, 0, maxMM, false)
		checkRange(p, f("height_mm"), &im.HeightMM, 0, maxMM, false)
		im.Rotation = angle(p, f("rotation"), im.Rotation)
		checkRange(p, f("opacity"), &im.Opacity, 0, 1, true)
		c := &im.Crop
		for _, v := range []*float64{&c.X, &c.Y, &c.Width, &c.Height} {
			*v = math.Round(*v*cropPrecision) / cropPrecision
		}
		if !(c.X >= 0 && c.Y >= 0 && c.Width > 0 && c.Height > 0 && c.X+c.Width <= 1 && c.Y+c.Height <= 1) {
			p.add(f("crop"), "must lie inside the image: x, y ≥ 0, width and height > 0, x + width ≤ 1 and y + height ≤ 1")
		}
		c.X, c.Y = zero(c.X), zero(c.Y)
	case LayerColour:
		l.Fill.Color = colour(p, f("color"), l.Fill.Color)
	}
}

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// checkRange rounds *v and checks it lies in (lo, hi], or [lo, hi] when
// closed. NaN and infinities cannot come from JSON, but are refused anyway.
func checkRange(p problems, field string, v *float64, lo, hi float64, closed bool) {
	*v = zero(math.Round(*v*precision) / precision)
	ok := *v <= hi && (*v > lo || (closed && *v == lo))
	if !ok || math.IsNaN(*v) {
		if closed {
			p.add(field, "must be from %g to %g", lo, hi)
		} else {
			p.add(field, "must be more than %g and at most %g", lo, hi)
		}
	}
}

// angle returns degrees in [0, 360), rounded.
func angle(p problems, field string, deg float64) float64 {
	if math.IsNaN(deg) || math.Abs(deg) > 1e6 {
		p.add(field, "must be a number of degrees")
		return 0
	}
	deg = math.Mod(math.Round(deg*precision)/precision, 360)
	if deg < 0 {
		deg += 360
	}
	if deg >= 360 {
		deg = 0
	}
	return zero(math.Round(deg*precision) / precision)
}

// zero turns -0 into 0, which JSON would otherwise write as "-0".
func zero(v float64) float64 {
	if v == 0 {
		return 0
	}
	return v
}

// colour returns c as lowercase #rrggbb (defaultColour when empty).
func colour(p problems, field, c string) string {
	if c == "" {
		return defaultColour
	}
	h, ok := catalog.NormHex(c)
	if !ok {
		p.add(field, "must be a hex colour such as #ff0000, not %q", c)
	}
	return h
}

// sortZones orders zones by ID (the canonical order).
func (d *Document) sortZones() {
	slices.SortStableFunc(d.Zones, func(a, b Zone) int { return strings.Compare(a.ZoneID, b.ZoneID) })
}

// problems collects what is wrong with a document, field by field, so one
// answer lists every mistake.
type problems map[string]string

// add records a problem with field, keeping the first one per field.
func (p problems) add(field, format string, args ...any) {
	if _, dup := p[field]; !dup {
		p[field] = fmt.Sprintf(format, args...)
	}
}

// err returns nil when nothing is wrong, otherwise an *apperr.Error of code
// whose message names every field and whose Fields carry them one by one.
func (p problems) err(code apperr.Code, what string) error {
	if len(p) == 0 {
		return nil
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + p[k]
	}
	return &apperr.Error{Code: code, Message: what + ": " + strings.Join(parts, "; "), Fields: map[string]string(p)}
}
