package compose

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"

	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/tdewolff/canvas"
	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
	"golang.org/x/image/vector"
)

// textRaster is a text layer turned into output-pixel geometry: outline
// glyphs as one path, colour (emoji) glyphs as placed bitmaps.
type textRaster struct {
	fill, stroke color.NRGBA
	opacity      float64
	outline      *canvas.Path // output pixels, y down
	strokePath   *canvas.Path // nil without a stroke
	bitmaps      []placedBitmap
	bounds       image.Rectangle // output pixels covered (before clipping)
	// Masks rasterized ahead by premask, valid for maskRect.
	fillMask, strokeMask *image.Alpha
	maskRect             image.Rectangle
}

// premask rasterizes the outlines within clip now, so draw only
// composites (Render does it while images decode).
func (tr *textRaster) premask(clip image.Rectangle) {
	r := clip.Intersect(tr.bounds)
	if r.Empty() {
		return
	}
	tr.maskRect = r
	if tr.strokePath != nil {
		tr.strokeMask = pathMask(r, tr.strokePath)
	}
	tr.fillMask = pathMask(r, tr.outline)
}

// placedBitmap is a bitmap glyph and where it goes: s2d maps its pixels to
// output pixels.
type placedBitmap struct {
	img image.Image
	s2d f64.Aff3
}

// layerTransform maps a layer-space point (after the arc) to output pixels:
// rotate clockwise about the layer origin, move to (x, y), scale.
type layerTransform struct {
	ox, oy, cos, sin, scale float64
}

func newLayerTransform(l *Layer, scale float64) layerTransform {
	rad := l.Rotation * math.Pi / 180
	return layerTransform{ox: l.X, oy: l.Y, cos: math.Cos(rad), sin: math.Sin(rad), scale: scale}
}

func (t layerTransform) at(x, y float64) (float64, float64) {
	return (t.ox + x*t.cos - y*t.sin) * t.scale, (t.oy + x*t.sin + y*t.cos) * t.scale
}

// rasterizeText builds a text layer's output geometry.
func rasterizeText(l *Layer, block *textBlock, scale float64) (*textRaster, error) {
	fill, _ := parseColor(l.Color, true)
	if l.Color == "" {
		fill = color.NRGBA{A: 255}
	}
	stroke, _ := parseColor(l.Stroke, true)
	tr := &textRaster{fill: fill, stroke: stroke, opacity: layerOpacity(l), outline: &canvas.Path{}}
	warp := newArcWarp(block, l.Arc)
	xf := newLayerTransform(l, scale)
	pt := func(x, y float64) (float64, float64) {
		x, y, _ = warp.at(x, y)
		return xf.at(x, y)
	}
	for _, run := range block.runs {
		for _, g := range run.glyphs {
			switch data := g.face.GlyphData(g.gid).(type) {
			case font.GlyphOutline:
				appendOutline(tr.outline, data, g, pt)
			case font.GlyphBitmap:
				bm, err := placeBitmap(data, g, warp, xf, l.Rotation)
				if err != nil {
					return nil, err
				}
				if bm != nil {
					tr.bitmaps = append(tr.bitmaps, *bm)
				}
			case font.GlyphSVG:
				appendOutline(tr.outline, data.Outline, g, pt)
			}
		}
	}
	var box canvas.Rect
	if !tr.outline.Empty() {
		box = tr.outline.FastBounds()
	}
	if l.StrokeWidth > 0 && stroke.A > 0 && !tr.outline.Empty() {
		tr.strokePath = tr.outline.Stroke(l.StrokeWidth*scale, canvas.RoundCap, canvas.RoundJoin, 0.05)
		box = box.Add(tr.strokePath.FastBounds())
	}
	if !tr.outline.Empty() {
		tr.bounds = image.Rect(int(math.Floor(box.X0)), int(math.Floor(box.Y0)), int(math.Ceil(box.X1))+1, int(math.Ceil(box.Y1))+1)
	}
	for _, b := range tr.bitmaps {
		tr.bounds = tr.bounds.Union(affineBounds(b.s2d, b.img.Bounds()))
	}
	return tr, nil
}

// appendOutline adds one glyph's outline (font units, y up) to p.
func appendOutline(p *canvas.Path, o font.GlyphOutline, g placedGlyph, pt func(x, y float64) (float64, float64)) {
	at := func(a ot.SegmentPoint) (float64, float64) {
		return pt(g.x+float64(a.X)*g.scale, g.y-float64(a.Y)*g.scale)
	}
	open := false
	for _, s := range o.Segments {
		switch s.Op {
		case ot.SegmentOpMoveTo:
			if open {
				p.Close()
			}
			p.MoveTo(at(s.Args[0]))
			open = true
		case ot.SegmentOpLineTo:
			p.LineTo(at(s.Args[0]))
		case ot.SegmentOpQuadTo:
			x1, y1 := at(s.Args[0])
			x2, y2 := at(s.Args[1])
			p.QuadTo(x1, y1, x2, y2)
		case ot.SegmentOpCubeTo:
			x1, y1 := at(s.Args[0])
			x2, y2 := at(s.Args[1])
			x3, y3 := at(s.Args[2])
			p.CubeTo(x1, y1, x2, y2, x3, y3)
		}
	}
	if open {
		p.Close()
	}
}

// placeBitmap decodes a colour glyph (PNG in CBDT fonts) and computes its
// placement: its extents box, upright on the arc's tangent.
func placeBitmap(b font.GlyphBitmap, g placedGlyph, warp *arcWarp, xf layerTransform, rotation float64) (*placedBitmap, error) {
	if b.Format != font.PNG {
		return nil, nil // black-and-white strikes: the outline fallback is absent, draw nothing
	}
	img, err := png.Decode(bytes.NewReader(b.Data))
	if err != nil {
		return nil, fmt.Errorf("colour glyph %d of %s: %w", g.gid, g.font.File, err)
	}
	ext, ok := g.face.GlyphExtents(g.gid)
	if !ok || ext.Width == 0 {
		return nil, nil
	}
	left, top := g.x+float64(ext.XBearing)*g.scale, g.y-float64(ext.YBearing)*g.scale
	w, h := float64(ext.Width)*g.scale, -float64(ext.Height)*g.scale
	cx, cy, phi := warp.at(left+w/2, top+h/2)
	ib := img.Bounds()
	sx, sy := w/float64(ib.Dx()), h/float64(ib.Dy())
	// bitmap pixel -> glyph box centred at 0 -> tangent rotation -> arc point -> layer transform.
	rad := phi + rotation*math.Pi/180
	c, s := math.Cos(rad), math.Sin(rad)
	ox, oy := xf.at(cx, cy)
	k := xf.scale
	m := f64.Aff3{
		c * sx * k, -s * sy * k, 0,
		s * sx * k, c * sy * k, 0,
	}
	// Translate so that the bitmap centre lands on (ox, oy).
	mx := float64(ib.Min.X) + float64(ib.Dx())/2
	my := float64(ib.Min.Y) + float64(ib.Dy())/2
	m[2] = ox - (m[0]*mx + m[1]*my)
	m[5] = oy - (m[3]*mx + m[4]*my)
	return &placedBitmap{img: img, s2d: m}, nil
}

// affineBounds is the output rectangle covered by r mapped through m.
func affineBounds(m f64.Aff3, r image.Rectangle) image.Rectangle {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range [][2]float64{{float64(r.Min.X), float64(r.Min.Y)}, {float64(r.Max.X), float64(r.Min.Y)},
		{float64(r.Min.X), float64(r.Max.Y)}, {float64(r.Max.X), float64(r.Max.Y)}} {
		x := m[0]*p[0] + m[1]*p[1] + m[2]
		y := m[3]*p[0] + m[4]*p[1] + m[5]
		x0, y0, x1, y1 = math.Min(x0, x), math.Min(y0, y), math.Max(x1, x), math.Max(y1, y)
	}
	return image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1))+1, int(math.Ceil(y1))+1)
}

// draw composites the text onto dst within clip: stroke, then fill, then
// colour glyphs. With an opacity below 1 the text is drawn on its own
// layer first, so the fill does not show the stroke through it.
func (tr *textRaster) draw(dst *image.RGBA, clip image.Rectangle) {
	r := clip.Intersect(tr.bounds)
	if r.Empty() {
		return
	}
	target := dst
	if tr.opacity < 1 {
		target = image.NewRGBA(r)
	}
	if r == tr.maskRect && tr.fillMask != nil {
		if tr.strokeMask != nil {
			draw.DrawMask(target, r, image.NewUniform(tr.stroke), image.Point{}, tr.strokeMask, r.Min, draw.Over)
		}
		if tr.fill.A > 0 {
			draw.DrawMask(target, r, image.NewUniform(tr.fill), image.Point{}, tr.fillMask, r.Min, draw.Over)
		}
	} else {
		if tr.strokePath != nil {
			fillPath(target, r, tr.strokePath, tr.stroke)
		}
		if tr.fill.A > 0 {
			fillPath(target, r, tr.outline, tr.fill)
		}
	}
	for _, b := range tr.bitmaps {
		xdraw.BiLinear.Transform(target.SubImage(r).(*image.RGBA), b.s2d, b.img, b.img.Bounds(), xdraw.Over, nil)
	}
	if target != dst {
		draw.DrawMask(dst, r, target, r.Min, image.NewUniform(color.Alpha{A: uint8(tr.opacity*255 + 0.5)}), image.Point{}, draw.Over)
	}
}

// fillPath rasterizes p (output pixels, non-zero winding) within r and
// composites c through it.
func fillPath(dst *image.RGBA, r image.Rectangle, p *canvas.Path, c color.NRGBA) {
	if p.Empty() {
		return
	}
	mask := pathMask(r, p)
	draw.DrawMask(dst, r, image.NewUniform(c), image.Point{}, mask, r.Min, draw.Over)
}

// pathMask rasterizes p's coverage within r (mask origin at r.Min).
func pathMask(r image.Rectangle, p *canvas.Path) *image.Alpha {
	mask := image.NewAlpha(r)
	if p.Empty() {
		return mask
	}
	var ras vector.Rasterizer
	ras.Reset(r.Dx(), r.Dy())
	ox, oy := float64(r.Min.X), float64(r.Min.Y)
	f := func(pt canvas.Point) (float32, float32) { return float32(pt.X - ox), float32(pt.Y - oy) }
	scan := p.ReplaceArcs().Scanner()
	for scan.Scan() {
		switch scan.Cmd() {
		case canvas.MoveToCmd:
			ras.ClosePath()
			ras.MoveTo(f(scan.End()))
		case canvas.LineToCmd:
			ras.LineTo(f(scan.End()))
		case canvas.QuadToCmd:
			x1, y1 := f(scan.CP1())
			x2, y2 := f(scan.End())
			ras.QuadTo(x1, y1, x2, y2)
		case canvas.CubeToCmd:
			x1, y1 := f(scan.CP1())
			x2, y2 := f(scan.CP2())
			x3, y3 := f(scan.End())
			ras.CubeTo(x1, y1, x2, y2, x3, y3)
		case canvas.CloseCmd:
			ras.LineTo(f(scan.End()))
			ras.ClosePath()
		}
	}
	ras.ClosePath()
	ras.Draw(mask, r, image.Opaque, image.Point{})
	return mask
}

// layerOpacity is the layer's opacity with the default of 1.
func layerOpacity(l *Layer) float64 {
	if l.Opacity == nil {
		return 1
	}
	return *l.Opacity
}
