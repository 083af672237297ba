package usdz

import (
	"image"
	"image/color"
)

// splitChannels returns the R, G and B channels of src as stored, not
// premultiplied: glTF data textures (metal, roughness, occlusion) are read
// channel by channel, whatever the alpha says.
func splitChannels(src image.Image) [3]*image.Gray {
	b := src.Bounds()
	var ch [3]*image.Gray
	for k := range ch {
		ch[k] = image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	}
	set := func(x, y int, r, g, bl uint8) {
		i := y*ch[0].Stride + x
		ch[0].Pix[i], ch[1].Pix[i], ch[2].Pix[i] = r, g, bl
	}
	switch m := src.(type) {
	case *image.NRGBA:
		for y := 0; y < b.Dy(); y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < b.Dx(); x++ {
				set(x, y, row[4*x], row[4*x+1], row[4*x+2])
			}
		}
	case *image.RGBA:
		for y := 0; y < b.Dy(); y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < b.Dx(); x++ {
				p := row[4*x : 4*x+4]
				if a := uint32(p[3]); a != 255 && a != 0 {
					set(x, y, uint8(uint32(p[0])*255/a), uint8(uint32(p[1])*255/a), uint8(uint32(p[2])*255/a))
					continue
				}
				set(x, y, p[0], p[1], p[2])
			}
		}
	case *image.Gray:
		for y := 0; y < b.Dy(); y++ {
			row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < b.Dx(); x++ {
				set(x, y, row[x], row[x], row[x])
			}
		}
	case *image.YCbCr:
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				yi, ci := m.YOffset(b.Min.X+x, b.Min.Y+y), m.COffset(b.Min.X+x, b.Min.Y+y)
				r, g, bl := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				set(x, y, r, g, bl)
			}
		}
	default:
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				p := color.NRGBAModel.Convert(src.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA)
				set(x, y, p.R, p.G, p.B)
			}
		}
	}
	return ch
}
