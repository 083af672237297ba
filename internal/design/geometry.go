package design

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/luneo/luneo/internal/catalog"
)

// point is a position in a zone's millimetres, y down.
type point struct{ x, y float64 }

// quad is a (possibly rotated) rectangle, corners in order.
type quad [4]point

// rotated returns the axis-aligned box (x0, y0)-(x1, y1) turned deg
// degrees clockwise (on screen, y down) about c.
func rotated(x0, y0, x1, y1 float64, c point, deg float64) quad {
	q := quad{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}
	sin, cos := math.Sincos(deg * math.Pi / 180)
	for i, p := range q {
		dx, dy := p.x-c.x, p.y-c.y
		q[i] = point{c.x + dx*cos - dy*sin, c.y + dx*sin + dy*cos}
	}
	return q
}

// imageBox is an image layer's box, rotated about its centre.
func imageBox(im *ImageLayer) quad {
	c := point{im.XMM + im.WidthMM/2, im.YMM + im.HeightMM/2}
	return rotated(im.XMM, im.YMM, im.XMM+im.WidthMM, im.YMM+im.HeightMM, c, im.Rotation)
}

// textBox is a generous estimate of where a text layer's ink can be,
// rotated about its anchor: text is not shaped here, so every character
// counts a full em wide and lines reach an em above the baseline. Being
// generous only means fewer layers are called "outside"; a layer partly
// outside is clipped, never refused. An arc bends the line, so an arc'd
// text counts the whole square its line could sweep.
func textBox(t *TextLayer) quad {
	em := t.SizePt * 25.4 / 72
	lines := strings.Split(t.Text, "\n")
	longest := 0
	for _, l := range lines {
		longest = max(longest, utf8.RuneCountInString(l))
	}
	w := float64(longest)*em + float64(max(longest-1, 0))*math.Abs(t.LetterSpacingMM) + 2*t.StrokeMM
	top := t.YMM - em - t.StrokeMM
	bottom := t.YMM + float64(len(lines)-1)*em*t.LineHeight + em/2 + t.StrokeMM
	var x0 float64
	switch t.Align {
	case AlignCenter:
		x0 = t.XMM - w/2
	case AlignRight:
		x0 = t.XMM - w
	default:
		x0 = t.XMM
	}
	x1 := x0 + w
	if t.ArcDeg != 0 {
		x0, x1 = t.XMM-w, t.XMM+w
		top, bottom = top-w, bottom+w
	}
	return rotated(x0, top, x1, bottom, point{t.XMM, t.YMM}, t.Rotation)
}

// outside reports whether q lies entirely outside zone z's printed area
// (touching an edge counts as outside): the separating axis test of two
// convex quadrilaterals, the zone's axes and the box's own.
func outside(q quad, z catalog.Zone) bool {
	if z.WidthMM == nil || z.HeightMM == nil {
		return false
	}
	zone := quad{{0, 0}, {*z.WidthMM, 0}, {*z.WidthMM, *z.HeightMM}, {0, *z.HeightMM}}
	axes := []point{{1, 0}, {0, 1}, {q[1].x - q[0].x, q[1].y - q[0].y}, {q[3].x - q[0].x, q[3].y - q[0].y}}
	for _, ax := range axes {
		if ax.x == 0 && ax.y == 0 {
			continue
		}
		a0, a1 := project(zone, ax)
		b0, b1 := project(q, ax)
		const eps = 1e-9
		if a1 <= b0+eps || b1 <= a0+eps {
			return true
		}
	}
	return false
}

// project returns the extent of q along axis ax.
func project(q quad, ax point) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range q {
		d := p.x*ax.x + p.y*ax.y
		lo, hi = min(lo, d), max(hi, d)
	}
	return lo, hi
}
