package compose

import (
	"fmt"
	"image"
	"image/draw"
	"math"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
)

// imageDraw is an image layer ready to composite: its source (cropped,
// masked and faded already) and the affine map from source pixels to
// output pixels.
type imageDraw struct {
	src    image.Image
	s2d    f64.Aff3
	bounds image.Rectangle // output pixels covered
	// translate is set when s2d is a whole-pixel translation at scale 1:
	// a straight copy, no resampling.
	translate bool
	// owned is set when src is this render's own buffer (prescale made it),
	// which drawBand may then adopt as the output instead of copying it.
	owned bool
}

// prepareImage resolves an image layer's geometry. mask may be nil.
func prepareImage(idx int, l *Layer, img, mask image.Image, scale float64) (*imageDraw, error) {
	// Only an unmodified axis-aligned scale reads an RGB source directly
	// (see rgbImage); anything else works on RGBA.
	if l.Crop != nil || l.Fit == "cover" || mask != nil || layerOpacity(l) < 1 || l.Rotation != 0 {
		img = toRGBA(img)
	}
	mask = toRGBA(mask)
	ib := img.Bounds()
	crop := ib
	if l.Crop != nil {
		crop = image.Rect(int(math.Round(l.Crop.X)), int(math.Round(l.Crop.Y)),
			int(math.Round(l.Crop.X+l.Crop.Width)), int(math.Round(l.Crop.Y+l.Crop.Height))).Add(ib.Min)
		if !crop.In(ib) || crop.Empty() {
			return nil, &FieldError{Layer: idx, Field: "crop", Msg: fmt.Sprintf("%v is not inside the %dx%d image", *l.Crop, ib.Dx(), ib.Dy())}
		}
	}
	// Box: natural size, or the given sides (one side keeps the aspect).
	cw, ch := float64(crop.Dx()), float64(crop.Dy())
	bx, by, bw, bh := l.X, l.Y, l.Width, l.Height
	switch {
	case bw == 0 && bh == 0:
		bw, bh = cw, ch
	case bw == 0:
		bw = bh * cw / ch
	case bh == 0:
		bh = bw * ch / cw
	}
	switch l.Fit {
	case "contain": // shrink the drawn box to the image's aspect, centred
		k := math.Min(bw/cw, bh/ch)
		bx, by = bx+(bw-cw*k)/2, by+(bh-ch*k)/2
		bw, bh = cw*k, ch*k
	case "cover": // crop the source to the box's aspect, centred
		k := math.Max(bw/cw, bh/ch)
		nw, nh := int(math.Round(bw/k)), int(math.Round(bh/k))
		nw, nh = max(1, min(nw, crop.Dx())), max(1, min(nh, crop.Dy()))
		x0, y0 := crop.Min.X+(crop.Dx()-nw)/2, crop.Min.Y+(crop.Dy()-nh)/2
		crop = image.Rect(x0, y0, x0+nw, y0+nh)
		cw, ch = float64(nw), float64(nh)
	}
	src := subImage(img, crop)
	op := layerOpacity(l)
	if mask != nil || op < 1 {
		src = applyMask(src, mask, op)
	}
	// source pixel -> box -> rotation about the box centre -> output scale.
	sx, sy := bw/cw, bh/ch
	rad := l.Rotation * math.Pi / 180
	c, s := math.Cos(rad), math.Sin(rad)
	mx, my := bx+bw/2, by+bh/2 // box centre, scene pixels
	u0, v0 := float64(crop.Min.X)+cw/2, float64(crop.Min.Y)+ch/2
	m := f64.Aff3{c * sx * scale, -s * sy * scale, 0, s * sx * scale, c * sy * scale, 0}
	m[2] = mx*scale - (m[0]*u0 + m[1]*v0)
	m[5] = my*scale - (m[3]*u0 + m[4]*v0)
	d := &imageDraw{src: src, s2d: m, bounds: affineBounds(m, crop)}
	if m[0] == 1 && m[1] == 0 && m[3] == 0 && m[4] == 1 && m[2] == math.Trunc(m[2]) && m[5] == math.Trunc(m[5]) {
		d.translate = true
	}
	if _, ok := axisRect(m, crop); d.translate || !ok {
		d.src = toRGBA(d.src)
	}
	return d, nil
}

// prescale resamples the source to its output size now (during prepare,
// while other layers decode on the other core) when the map is an
// axis-aligned scale, leaving a whole-pixel translation for draw. Only the
// part inside out is kept.
func (d *imageDraw) prescale(out image.Rectangle) {
	src, ok := rowsOf(d.src)
	if !ok || d.translate {
		return
	}
	dr, ok := axisRect(d.s2d, src.rect)
	if !ok {
		return
	}
	keep := dr.Intersect(out)
	if keep.Empty() {
		return
	}
	scaled := image.NewRGBA(keep)
	scaleOver(scaled, dr, src, src.rect, keep)
	d.src = scaled
	d.s2d = f64.Aff3{1, 0, 0, 0, 1, 0}
	d.bounds = keep
	d.translate = true
	d.owned = true
}

// axisRect is the whole-pixel output rectangle of src under m when m is
// an axis-aligned positive scale landing on whole pixels.
func axisRect(m f64.Aff3, sb image.Rectangle) (image.Rectangle, bool) {
	if m[1] != 0 || m[3] != 0 || m[0] <= 0 || m[4] <= 0 {
		return image.Rectangle{}, false
	}
	x0 := m[0]*float64(sb.Min.X) + m[2]
	y0 := m[4]*float64(sb.Min.Y) + m[5]
	x1 := m[0]*float64(sb.Max.X) + m[2]
	y1 := m[4]*float64(sb.Max.Y) + m[5]
	dr := image.Rect(int(math.Round(x0)), int(math.Round(y0)), int(math.Round(x1)), int(math.Round(y1)))
	for _, e := range []float64{float64(dr.Min.X) - x0, float64(dr.Min.Y) - y0, float64(dr.Max.X) - x1, float64(dr.Max.Y) - y1} {
		if math.Abs(e) > 1e-6 {
			return image.Rectangle{}, false
		}
	}
	return dr, true
}

// subImage crops without copying when the image type allows it.
func subImage(img image.Image, r image.Rectangle) image.Image {
	if r == img.Bounds() {
		return img
	}
	if si, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return si.SubImage(r)
	}
	out := image.NewRGBA(r)
	draw.Draw(out, r, img, r.Min, draw.Src)
	return out
}

// draw composites the image onto dst within clip (premultiplied "over").
// Downscaling and upscaling use a bilinear kernel that x/image/draw widens
// with the scale factor, so a large reduction averages every source pixel
// instead of skipping some (which nearest or approximate filters do).
func (d *imageDraw) draw(dst *image.RGBA, clip image.Rectangle) {
	r := clip.Intersect(d.bounds)
	if r.Empty() {
		return
	}
	sub := dst.SubImage(r).(*image.RGBA)
	if d.translate {
		sp := image.Pt(r.Min.X-int(d.s2d[2]), r.Min.Y-int(d.s2d[5]))
		draw.Draw(sub, r, d.src, sp, draw.Over)
		return
	}
	if dr, ok := axisRect(d.s2d, d.src.Bounds()); ok {
		// Axis-aligned: Scale is faster than Transform and filters alike.
		if src, ok := rowsOf(d.src); ok {
			scaleOver(dst, dr, src, src.rect, r)
			return
		}
		xdraw.BiLinear.Scale(sub, dr, d.src, d.src.Bounds(), xdraw.Over, nil)
		return
	}
	xdraw.BiLinear.Transform(sub, d.s2d, d.src, d.src.Bounds(), xdraw.Over, nil)
}

// applyMask returns a premultiplied copy of src whose every pixel is
// multiplied by op and by the mask (stretched over src): the mask's alpha,
// or its luminance when the mask is fully opaque.
func applyMask(src image.Image, mask image.Image, op float64) *image.RGBA {
	b := src.Bounds()
	out := image.NewRGBA(b)
	draw.Draw(out, b, src, b.Min, draw.Src)
	var m *image.Alpha
	if mask != nil {
		m = maskAlpha(mask, b, b)
	}
	k := uint32(op*255 + 0.5)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := out.Pix[out.PixOffset(b.Min.X, y):out.PixOffset(b.Max.X, y)]
		for x := 0; x < len(row); x += 4 {
			a := k
			if m != nil {
				a = a * uint32(m.Pix[m.PixOffset(b.Min.X+x/4, y)]) / 255
			}
			if a == 255 {
				continue
			}
			for c := 0; c < 4; c++ {
				row[x+c] = uint8((uint32(row[x+c])*a + 127) / 255)
			}
		}
	}
	return out
}

// maskAlpha resamples a mask image stretched over rectangle full and
// returns its coverage within part (a band of full): alpha when the mask has any transparency, else luminance
// (white keeps, black clips), so both "alpha PNG" and "black and white
// zone picture" masks work.
func maskAlpha(mask image.Image, full, part image.Rectangle) *image.Alpha {
	r := part.Intersect(full)
	scaled := image.NewRGBA(r)
	xdraw.BiLinear.Scale(scaled, full, mask, mask.Bounds(), xdraw.Src, nil)
	opaque := isOpaque(mask)
	out := image.NewAlpha(r)
	for i := 0; i < len(out.Pix); i++ {
		p := scaled.Pix[i*4 : i*4+4]
		if opaque {
			// Rec. 709 luma of the (opaque, so unpremultiplied) colour.
			out.Pix[i] = uint8((2126*uint32(p[0]) + 7152*uint32(p[1]) + 722*uint32(p[2]) + 5000) / 10000)
		} else {
			out.Pix[i] = p[3]
		}
	}
	return out
}

// isOpaque reports whether every pixel of img is opaque.
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}

// applySceneMask multiplies dst (premultiplied) by a scene mask stretched
// over the whole scene in output pixels.
func applySceneMask(dst *image.RGBA, m *image.Alpha) {
	r := dst.Bounds().Intersect(m.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			a := uint32(m.Pix[m.PixOffset(x, y)])
			if a == 255 {
				continue
			}
			i := dst.PixOffset(x, y)
			for c := 0; c < 4; c++ {
				dst.Pix[i+c] = uint8((uint32(dst.Pix[i+c])*a + 127) / 255)
			}
		}
	}
}

// clearOutside makes every pixel of dst outside keep transparent.
func clearOutside(dst *image.RGBA, keep image.Rectangle) {
	b := dst.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if !image.Pt(x, y).In(keep) {
				i := dst.PixOffset(x, y)
				copy(dst.Pix[i:i+4], []byte{0, 0, 0, 0})
			}
		}
	}
}
