package compose

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"io"

	"github.com/tdewolff/canvas"
	"github.com/tdewolff/canvas/renderers/pdf"
	"golang.org/x/image/math/f64"
)

// WritePDF writes the scene as a one-page vector PDF whose page is the
// scene's size at its DPI (width px / dpi inches). Straight text stays text:
// each shaped run is a text object in an embedded, subset font, so it can
// be selected, searched and extracted. Arced or letter-spaced text is drawn
// as glyph outlines (vector, not extractable), as is the stroke under any
// text. Colour emoji are embedded as their bitmaps. Images are embedded
// losslessly at their source resolution (cropped, masked and faded as in
// raster output). The scene clip and mask and the layers' clips apply to
// raster output only: a print zone's PDF is the zone's page.
func WritePDF(ctx context.Context, w io.Writer, s *Scene, o Options) error {
	o.Scale = 1 // geometry in scene pixels; the page matrix maps to mm
	r, err := newRenderer(ctx, s, o)
	if err != nil {
		return err
	}
	defer r.o.Fonts.LockPDF()()
	k := 25.4 / s.dpi() // mm per scene pixel
	wmm, hmm := float64(s.Width)*k, float64(s.Height)*k
	doc := pdf.New(w, wmm, hmm, nil)
	// page maps scene pixels (y down) to PDF millimetres (y up).
	page := canvas.Identity.Translate(0, hmm).Scale(k, -k)
	if r.bg.A > 0 {
		doc.RenderPath(canvas.Rectangle(wmm, hmm), fillStyle(r.bg), canvas.Identity)
	}
	for i := range s.Layers {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := r.pdfLayer(ctx, doc, page, i); err != nil {
			return err
		}
	}
	if err := doc.Close(); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

// fillStyle is a fill with no stroke.
func fillStyle(c color.NRGBA) canvas.Style {
	st := canvas.DefaultStyle
	st.Fill = canvas.Paint{Color: premul(c)}
	st.Stroke = canvas.Paint{}
	st.StrokeWidth = 0
	return st
}

// premul converts to canvas' premultiplied colour.
func premul(c color.NRGBA) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: uint8(a >> 8)}
}

// aff converts an x/image affine map to a canvas matrix.
func aff(m f64.Aff3) canvas.Matrix {
	return canvas.Matrix{{m[0], m[1], m[2]}, {m[3], m[4], m[5]}}
}

// pdfLayer draws layer i.
func (r *renderer) pdfLayer(ctx context.Context, doc *pdf.PDF, page canvas.Matrix, i int) error {
	l := &r.s.Layers[i]
	switch l.Type {
	case "fill":
		f := r.prepareFill(l)
		p := &canvas.Path{}
		p.MoveTo(f.corner[0][0], f.corner[0][1])
		for _, c := range f.corner[1:] {
			p.LineTo(c[0], c[1])
		}
		p.Close()
		doc.RenderPath(p, fillStyle(f.color), page)
	case "image":
		d, err := r.prepareLayer(ctx, i, false)
		if err != nil {
			return err
		}
		id := d.(clipped).d.(*imageDraw)
		src := toRGBA(id.src)
		sb := src.Bounds()
		img := image.NewNRGBA(image.Rect(0, 0, sb.Dx(), sb.Dy()))
		draw.Draw(img, img.Bounds(), src, sb.Min, draw.Src)
		doc.RenderImage(img, page.Mul(aff(id.s2d)).Mul(imageFlip(sb)))
	case "text":
		return r.pdfText(doc, page, i)
	}
	return nil
}

// imageFlip maps canvas image space (y up, origin at the bottom-left
// pixel corner) to the source's pixel space (y down, origin at Min).
func imageFlip(b image.Rectangle) canvas.Matrix {
	return canvas.Identity.Translate(float64(b.Min.X), float64(b.Max.Y)).Scale(1, -1)
}

// pdfText draws a text layer: stroke outlines, then text runs.
func (r *renderer) pdfText(doc *pdf.PDF, page canvas.Matrix, i int) error {
	l := &r.s.Layers[i]
	block, err := layoutText(l, r.o.Fonts)
	if err != nil {
		return &FieldError{Layer: i, Field: "font", Msg: err.Error()}
	}
	tr, err := rasterizeText(l, block, 1)
	if err != nil {
		return fmt.Errorf("scene: layer %d: %w", i, err)
	}
	op := layerOpacity(l)
	if tr.strokePath != nil {
		doc.RenderPath(tr.strokePath, fillStyle(withOpacity(tr.stroke, op)), page)
	}
	fill := withOpacity(tr.fill, op)
	asOutlines := l.Arc != 0 || l.LetterSpacing != 0
	if asOutlines {
		if fill.A > 0 {
			doc.RenderPath(tr.outline, fillStyle(fill), page)
		}
	} else if fill.A > 0 {
		xf := newLayerTransform(l, 1)
		for _, run := range block.runs {
			if run.font.Color {
				continue
			}
			cf, err := run.font.Canvas()
			if err != nil {
				return fmt.Errorf("scene: layer %d: %w", i, err)
			}
			// Face takes points and turns them into its own unit, which
			// here is a scene pixel (the matrix maps those to the page).
			face := cf.Face(l.Size*72/25.4, premul(fill))
			t := canvas.NewTextLine(face, run.text, canvas.Left)
			x, y := xf.at(run.x, run.y)
			// The text's own frame is y up at its baseline origin: undo the
			// page flip locally, then rotate clockwise on the page.
			m := page.Translate(x, y).Scale(1, -1).Rotate(-l.Rotation)
			doc.RenderText(t, m)
		}
	}
	for _, b := range tr.bitmaps {
		ib := b.img.Bounds()
		img := image.NewNRGBA(image.Rect(0, 0, ib.Dx(), ib.Dy()))
		draw.Draw(img, img.Bounds(), b.img, ib.Min, draw.Src)
		if op < 1 {
			img = fadeNRGBA(img, op)
		}
		doc.RenderImage(img, page.Mul(aff(b.s2d)).Mul(imageFlip(ib)))
	}
	return nil
}

// fadeNRGBA multiplies alpha by op.
func fadeNRGBA(img *image.NRGBA, op float64) *image.NRGBA {
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = uint8(float64(img.Pix[i])*op + 0.5)
	}
	return img
}
