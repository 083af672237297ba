package intake

import (
	"context"
	"image"
	"image/color"
	"image/draw"
)

// isGray tells the decoded images that have one colour channel, which take
// a grey ICC profile rather than an RGB one.
func isGray(img image.Image) bool {
	switch img.(type) {
	case *image.Gray, *image.Gray16:
		return true
	}
	return false
}

// toNRGBA turns what the decoders return into 8-bit non-premultiplied RGBA
// at the origin. The common kinds have direct loops; the rest go through
// color.NRGBAModel, pixel by pixel.
func toNRGBA(ctx context.Context, src image.Image) (*image.NRGBA, error) {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if n, ok := src.(*image.NRGBA); ok && b.Min == (image.Point{}) && n.Stride == 4*w {
		return n, nil
	}
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	switch s := src.(type) {
	case *image.YCbCr:
		// image/draw has a fast YCbCr→RGBA path; the result is opaque, so
		// its bytes are NRGBA bytes too.
		draw.Draw(&image.RGBA{Pix: dst.Pix, Stride: dst.Stride, Rect: dst.Rect}, dst.Rect, s, b.Min, draw.Src)
		return dst, ctx.Err()
	case *image.NYCbCrA:
		draw.Draw(&image.RGBA{Pix: dst.Pix, Stride: dst.Stride, Rect: dst.Rect}, dst.Rect, &s.YCbCr, b.Min, draw.Src)
		for y := range h {
			a := s.A[(y+b.Min.Y-s.Rect.Min.Y)*s.AStride+b.Min.X-s.Rect.Min.X:][:w]
			row := dst.Pix[y*dst.Stride:]
			for x, v := range a {
				row[4*x+3] = v
			}
		}
		return dst, ctx.Err()
	case *image.CMYK:
		// inspectJPEG refuses CMYK before decoding; this guards a decoder
		// that would return it anyway.
		return nil, unsupported("CMYK images are not accepted; save it as RGB (sRGB) and upload it again")
	}
	for y := range h {
		if y%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		row := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		convertRow(row, src, b.Min.X, b.Min.Y+y, w)
	}
	return dst, nil
}

// convertRow fills one row of NRGBA bytes from src's row sy.
func convertRow(row []uint8, src image.Image, x0, sy, w int) {
	switch s := src.(type) {
	case *image.RGBA:
		p := s.Pix[s.PixOffset(x0, sy):][:4*w]
		for i := 0; i < len(p); i += 4 {
			a := uint32(p[i+3])
			switch a {
			case 0:
				row[i], row[i+1], row[i+2], row[i+3] = 0, 0, 0, 0
			case 255:
				copy(row[i:i+4], p[i:i+4])
			default:
				row[i] = uint8((uint32(p[i])*255 + a/2) / a)
				row[i+1] = uint8((uint32(p[i+1])*255 + a/2) / a)
				row[i+2] = uint8((uint32(p[i+2])*255 + a/2) / a)
				row[i+3] = uint8(a)
			}
		}
	case *image.NRGBA:
		copy(row, s.Pix[s.PixOffset(x0, sy):][:4*w])
	case *image.NRGBA64:
		// 16-bit PNG with alpha: keep the high byte, rounded.
		p := s.Pix[s.PixOffset(x0, sy):][:8*w]
		for i := range 4 * w {
			v := uint32(p[2*i])<<8 | uint32(p[2*i+1])
			row[i] = uint8((v*255 + 32767) / 65535)
		}
	case *image.RGBA64:
		// 16-bit PNG without alpha channel (opaque unless tRNS made it NRGBA64).
		p := s.Pix[s.PixOffset(x0, sy):][:8*w]
		for i := 0; i < 4*w; i += 4 {
			var c [4]uint32
			for k := range 4 {
				c[k] = uint32(p[2*(i+k)])<<8 | uint32(p[2*(i+k)+1])
			}
			if a := c[3]; a != 0xFFFF && a != 0 {
				for k := range 3 {
					c[k] = (c[k]*0xFFFF + a/2) / a
				}
			}
			for k := range 4 {
				row[i+k] = uint8((c[k]*255 + 32767) / 65535)
			}
		}
	case *image.Gray16:
		p := s.Pix[s.PixOffset(x0, sy):][:2*w]
		for x := range w {
			v := uint8(((uint32(p[2*x])<<8|uint32(p[2*x+1]))*255 + 32767) / 65535)
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = v, v, v, 255
		}
	case *image.Gray:
		p := s.Pix[s.PixOffset(x0, sy):][:w]
		for x, v := range p {
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = v, v, v, 255
		}
	case *image.Paletted:
		var pal [256]color.NRGBA
		for i, c := range s.Palette {
			pal[i] = color.NRGBAModel.Convert(c).(color.NRGBA)
		}
		p := s.Pix[s.PixOffset(x0, sy):][:w]
		for x, v := range p {
			c := pal[v]
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = c.R, c.G, c.B, c.A
		}
	default:
		// Anything else a decoder might return: rare, so generic.
		for x := range w {
			c := color.NRGBA64Model.Convert(src.At(x0+x, sy)).(color.NRGBA64)
			row[4*x] = uint8((uint32(c.R)*255 + 32767) / 65535)
			row[4*x+1] = uint8((uint32(c.G)*255 + 32767) / 65535)
			row[4*x+2] = uint8((uint32(c.B)*255 + 32767) / 65535)
			row[4*x+3] = uint8((uint32(c.A)*255 + 32767) / 65535)
		}
	}
}

// orient returns img turned the way EXIF orientation o says (1 to 8), so
// its top-left is what a viewer shows top-left. For orientation 1 it is img.
func orient(img *image.NRGBA, o int) *image.NRGBA {
	if o <= 1 || o > 8 {
		return img
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	// Each source pixel (x, y) lands at dst (x0 + x*dx, y0 + y*dy) in
	// pixels of dst; for 5–8 the axes swap, so x steps rows and y columns.
	// start is where source (0, 0) lands; sx, sy are the byte steps.
	var start, sx, sy int
	px := func(x, y int) int { return y*dst.Stride + 4*x }
	switch o {
	case 2: // mirrored
		start, sx, sy = px(dw-1, 0), -4, dst.Stride
	case 3: // upside down
		start, sx, sy = px(dw-1, dh-1), -4, -dst.Stride
	case 4: // mirrored upside down
		start, sx, sy = px(0, dh-1), 4, -dst.Stride
	case 5: // transposed
		start, sx, sy = px(0, 0), dst.Stride, 4
	case 6: // stored turned a quarter left: turn it right
		start, sx, sy = px(dw-1, 0), dst.Stride, -4
	case 7: // transversed
		start, sx, sy = px(dw-1, dh-1), -dst.Stride, -4
	case 8: // stored turned a quarter right: turn it left
		start, sx, sy = px(0, dh-1), -dst.Stride, 4
	}
	for y := range h {
		d := start + y*sy
		s := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := 0; x < len(s); x, d = x+4, d+sx {
			copy(dst.Pix[d:d+4], s[x:x+4])
		}
	}
	return dst
}
