package compose

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/tdewolff/canvas"
)

// fillDraw is a fill layer: a colour over a (possibly rotated) rectangle.
type fillDraw struct {
	color  color.NRGBA
	corner [4][2]float64 // output pixels
	bounds image.Rectangle
	rect   bool // axis-aligned whole-pixel rectangle: no rasterizing
}

// prepareFill computes a fill layer's corners in output pixels.
func (r *renderer) prepareFill(l *Layer) *fillDraw {
	c, _ := parseColor(l.Color, false)
	f := &fillDraw{color: withOpacity(c, layerOpacity(l))}
	x, y, w, h := l.X, l.Y, l.Width, l.Height
	if w == 0 || h == 0 {
		x, y, w, h = 0, 0, float64(r.s.Width), float64(r.s.Height)
	}
	rad := l.Rotation * math.Pi / 180
	cs, sn := math.Cos(rad), math.Sin(rad)
	cx, cy := x+w/2, y+h/2
	for k, p := range [4][2]float64{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}} {
		dx, dy := p[0]-cx, p[1]-cy
		f.corner[k] = [2]float64{(cx + dx*cs - dy*sn) * r.scale, (cy + dx*sn + dy*cs) * r.scale}
	}
	var b canvas.Rect
	for k, p := range f.corner {
		pr := canvas.Rect{X0: p[0], Y0: p[1], X1: p[0], Y1: p[1]}
		if k == 0 {
			b = pr
		} else {
			b = b.Add(pr)
		}
	}
	f.bounds = image.Rect(int(math.Floor(b.X0)), int(math.Floor(b.Y0)), int(math.Ceil(b.X1)), int(math.Ceil(b.Y1)))
	f.rect = math.Mod(l.Rotation, 90) == 0 && b.X0 == math.Trunc(b.X0) && b.Y0 == math.Trunc(b.Y0) &&
		b.X1 == math.Trunc(b.X1) && b.Y1 == math.Trunc(b.Y1)
	return f
}

// draw paints the fill.
func (f *fillDraw) draw(dst *image.RGBA, clip image.Rectangle) {
	r := clip.Intersect(f.bounds)
	if r.Empty() {
		return
	}
	if f.rect {
		draw.Draw(dst, r, image.NewUniform(f.color), image.Point{}, draw.Over)
		return
	}
	p := &canvas.Path{}
	p.MoveTo(f.corner[0][0], f.corner[0][1])
	for _, c := range f.corner[1:] {
		p.LineTo(c[0], c[1])
	}
	p.Close()
	fillPath(dst, r, p, f.color)
}
