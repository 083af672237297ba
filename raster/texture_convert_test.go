package raster

import (
	"image"
	"image/color"
	"testing"
)

// The fast conversions give what the generic path (image.At and the
// NRGBA colour model) gives, for every subsampling and an odd origin.
func TestToNRGBAFastPathsMatch(t *testing.T) {
	generic := func(img image.Image) []uint8 {
		r := img.Bounds()
		var out []uint8
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
				out = append(out, c.R, c.G, c.B, c.A)
			}
		}
		return out
	}
	check := func(name string, img image.Image) {
		t.Helper()
		got, _, _ := toNRGBA(img)
		want := generic(img)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: byte %d = %d, want %d", name, i, got[i], want[i])
			}
		}
	}
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410} {
		full := image.NewYCbCr(image.Rect(0, 0, 21, 13), ratio)
		for i := range full.Y {
			full.Y[i] = uint8(i * 7)
		}
		for i := range full.Cb {
			full.Cb[i], full.Cr[i] = uint8(i*13+5), uint8(255-i*3)
		}
		check(ratio.String(), full)
		check(ratio.String()+" sub-image", full.SubImage(image.Rect(3, 1, 18, 12)))
	}
	p := image.NewPaletted(image.Rect(0, 0, 9, 5), color.Palette{color.NRGBA{255, 0, 0, 255}, color.NRGBA{0, 0, 255, 128}, color.Transparent})
	for i := range p.Pix {
		p.Pix[i] = uint8(i % 3)
	}
	check("paletted", p)
	check("paletted sub-image", p.SubImage(image.Rect(1, 1, 8, 4)))
}
