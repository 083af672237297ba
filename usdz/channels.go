package usdz

import (
	"image"
	"image/color"
)

// channel returns channel k (0 R, 1 G, 2 B) of src as stored, not
// premultiplied: glTF data textures (metal, roughness, occlusion) are read
// channel by channel, whatever the alpha says. One plane at a time: a
// large image's channels are made, scaled and encoded one after the other,
// so only one plane is held beside the decoded image.
func channel(src image.Image, k int) *image.Gray {
	b := src.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	set := func(x, y int, r, g, bl uint8) {
		out.Pix[y*out.Stride+x] = [3]uint8{r, g, bl}[k]
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
	return out
}
