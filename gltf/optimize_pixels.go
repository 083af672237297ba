package gltf

import (
	"image"
	"image/color"
)

// rowReader returns the channel count (1 for gray, 4 for RGBA) of src and a
// function that reads row y as premultiplied samples in [0,1]. The common
// decoded types are read directly; others go through image.Image.At.
func rowReader(src image.Image) (int, func(y int, dst []float32)) {
	b := src.Bounds()
	switch m := src.(type) {
	case *image.Gray:
		return 1, func(y int, dst []float32) {
			row := m.Pix[m.PixOffset(b.Min.X, y):]
			for x := range dst {
				dst[x] = float32(row[x]) / 255
			}
		}
	case *image.Gray16:
		return 1, func(y int, dst []float32) {
			row := m.Pix[m.PixOffset(b.Min.X, y):]
			for x := range dst {
				dst[x] = float32(uint16(row[2*x])<<8|uint16(row[2*x+1])) / 65535
			}
		}
	case *image.NRGBA:
		return 4, func(y int, dst []float32) {
			row := m.Pix[m.PixOffset(b.Min.X, y):]
			for i := 0; i < len(dst); i += 4 {
				a := float32(row[i+3]) / 255
				dst[i] = float32(row[i]) / 255 * a
				dst[i+1] = float32(row[i+1]) / 255 * a
				dst[i+2] = float32(row[i+2]) / 255 * a
				dst[i+3] = a
			}
		}
	case *image.RGBA:
		return 4, func(y int, dst []float32) {
			row := m.Pix[m.PixOffset(b.Min.X, y):]
			for i := range dst {
				dst[i] = float32(row[i]) / 255
			}
		}
	case *image.YCbCr:
		return 4, func(y int, dst []float32) {
			for x := 0; x < b.Dx(); x++ {
				yi, ci := m.YOffset(b.Min.X+x, y), m.COffset(b.Min.X+x, y)
				r, g, bl := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = float32(r)/255, float32(g)/255, float32(bl)/255, 1
			}
		}
	}
	return 4, func(y int, dst []float32) {
		for x := 0; x < b.Dx(); x++ {
			r, g, bl, a := src.At(b.Min.X+x, y).RGBA() // premultiplied, 16-bit
			dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = float32(r)/65535, float32(g)/65535, float32(bl)/65535, float32(a)/65535
		}
	}
}

// pixelWriter stores filtered rows into the output image.
type pixelWriter struct {
	img image.Image
	row func(y int, acc []float32)
}

// writer creates the output image for src: gray stays gray, 16-bit stays
// 16-bit, opaque output is an *image.RGBA (the JPEG encoder's fast path),
// anything else non-premultiplied *image.NRGBA.
func writer(src image.Image, w, h, nch int, opaque bool) pixelWriter {
	r := image.Rect(0, 0, w, h)
	_, gray16 := src.(*image.Gray16)
	_, nrgba64 := src.(*image.NRGBA64)
	_, rgba64 := src.(*image.RGBA64)
	switch {
	case nch == 1 && gray16:
		m := image.NewGray16(r)
		return pixelWriter{m, func(y int, acc []float32) {
			row := m.Pix[m.PixOffset(0, y):]
			for x, v := range acc {
				q := quantize(v, 65535)
				row[2*x], row[2*x+1] = byte(q>>8), byte(q)
			}
		}}
	case nch == 1:
		m := image.NewGray(r)
		return pixelWriter{m, func(y int, acc []float32) {
			row := m.Pix[m.PixOffset(0, y):]
			for x, v := range acc {
				row[x] = byte(quantize(v, 255))
			}
		}}
	case opaque:
		m := image.NewRGBA(r)
		return pixelWriter{m, func(y int, acc []float32) {
			row := m.Pix[m.PixOffset(0, y):]
			for i := 0; i < len(acc); i += 4 {
				row[i], row[i+1], row[i+2], row[i+3] = byte(quantize(acc[i], 255)), byte(quantize(acc[i+1], 255)), byte(quantize(acc[i+2], 255)), 255
			}
		}}
	case nrgba64 || rgba64:
		m := image.NewNRGBA64(r)
		return pixelWriter{m, func(y int, acc []float32) {
			row := m.Pix[m.PixOffset(0, y):]
			for i := 0; i < len(acc); i += 4 {
				px := unpremultiply(acc[i:i+4], 65535)
				for c, q := range px {
					row[2*(i+c)], row[2*(i+c)+1] = byte(q>>8), byte(q)
				}
			}
		}}
	}
	m := image.NewNRGBA(r)
	return pixelWriter{m, func(y int, acc []float32) {
		row := m.Pix[m.PixOffset(0, y):]
		for i := 0; i < len(acc); i += 4 {
			px := unpremultiply(acc[i:i+4], 255)
			row[i], row[i+1], row[i+2], row[i+3] = byte(px[0]), byte(px[1]), byte(px[2]), byte(px[3])
		}
	}}
}

// unpremultiply turns a filtered premultiplied RGBA sample into straight
// alpha integers of the given maximum.
func unpremultiply(p []float32, scale float32) [4]uint32 {
	a := min(max(p[3], 0), 1)
	var out [4]uint32
	out[3] = quantize(a, scale)
	if out[3] == 0 {
		return out // fully transparent: colour is irrelevant, store black
	}
	for c := 0; c < 3; c++ {
		out[c] = quantize(p[c]/a, scale)
	}
	return out
}

// quantize clamps v to [0,1] and rounds it to an integer in [0, scale].
func quantize(v, scale float32) uint32 {
	v = min(max(v, 0), 1)
	return uint32(v*scale + 0.5)
}
