package gltf

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"
)

func TestFilterTaps(t *testing.T) {
	t.Parallel()
	for _, c := range [][2]int{{100, 10}, {4096, 2048}, {8192, 4096}, {7, 3}, {300, 64}, {10, 10}, {1, 1}, {5, 1}} {
		for i, tp := range filterTaps(c[0], c[1]) {
			sum := float32(0)
			for _, w := range tp.weights {
				sum += w
			}
			if math.Abs(float64(sum-1)) > 1e-5 || tp.start < 0 || tp.start+len(tp.weights) > c[0] {
				t.Errorf("%d→%d, sample %d: taps %d..%d sum to %v", c[0], c[1], i, tp.start, tp.start+len(tp.weights), sum)
			}
		}
	}
}

func TestFitSize(t *testing.T) {
	t.Parallel()
	for _, c := range [][5]int{{8192, 4096, 4096, 4096, 2048}, {300, 150, 64, 64, 32}, {100, 200, 64, 32, 64}, {5000, 3, 1000, 1000, 1}, {4097, 4097, 4096, 4096, 4096}} {
		if w, h := fitSize(c[0], c[1], c[2]); w != c[3] || h != c[4] {
			t.Errorf("fitSize(%d, %d, %d) = %d×%d, want %d×%d", c[0], c[1], c[2], w, h, c[3], c[4])
		}
	}
}

func TestResampleKeepsFlatColour(t *testing.T) {
	t.Parallel()
	src := image.NewNRGBA(image.Rect(0, 0, 37, 23))
	for i := 0; i < len(src.Pix); i += 4 {
		copy(src.Pix[i:], []byte{200, 100, 50, 128})
	}
	dst := resample(src, 10, 7, false).(*image.NRGBA)
	for i := 0; i < len(dst.Pix); i += 4 {
		for c, want := range []byte{200, 100, 50, 128} {
			if d := int(dst.Pix[i+c]) - int(want); d < -1 || d > 1 {
				t.Fatalf("pixel %d channel %d is %d, want %d", i/4, c, dst.Pix[i+c], want)
			}
		}
	}
}

func TestResampleDoesNotBleedTransparentColour(t *testing.T) {
	t.Parallel()
	// Left half opaque red; right half fully transparent but green.
	src := image.NewNRGBA(image.Rect(0, 0, 64, 8))
	for y := 0; y < 8; y++ {
		for x := 0; x < 64; x++ {
			c := color.NRGBA{255, 0, 0, 255}
			if x >= 32 {
				c = color.NRGBA{0, 255, 0, 0}
			}
			src.SetNRGBA(x, y, c)
		}
	}
	dst := resample(src, 16, 2, false).(*image.NRGBA)
	for x := 0; x < 16; x++ {
		c := dst.NRGBAAt(x, 0)
		if c.A > 0 && (c.G > 2 || c.R < 250) {
			t.Errorf("pixel %d is %v: transparent green bled into red", x, c)
		}
	}
}

func TestResampleMatchesBoxAverageOnSmoothImages(t *testing.T) {
	t.Parallel()
	src := image.NewGray(image.Rect(0, 0, 256, 256))
	for y := 0; y < 256; y++ {
		for x := 0; x < 256; x++ {
			src.SetGray(x, y, color.Gray{uint8((x + y) / 2)})
		}
	}
	dst, ok := resample(src, 64, 64, false).(*image.Gray)
	if !ok {
		t.Fatal("a gray image did not stay gray")
	}
	for y := 1; y < 63; y++ { // edges clamp differently from a box
		for x := 1; x < 63; x++ {
			sum := 0
			for j := 0; j < 4; j++ {
				for i := 0; i < 4; i++ {
					sum += int(src.GrayAt(4*x+i, 4*y+j).Y)
				}
			}
			if d := int(dst.GrayAt(x, y).Y) - sum/16; d < -1 || d > 1 {
				t.Fatalf("(%d,%d) = %d, box average %d", x, y, dst.GrayAt(x, y).Y, sum/16)
			}
		}
	}
}

func TestResampleOutputTypes(t *testing.T) {
	t.Parallel()
	r := image.Rect(0, 0, 20, 10)
	ycc := image.NewYCbCr(r, image.YCbCrSubsampleRatio420)
	for _, c := range []struct {
		src    image.Image
		opaque bool
		want   string
	}{
		{image.NewGray(r), false, "*image.Gray"},
		{image.NewGray16(r), false, "*image.Gray16"},
		{image.NewNRGBA64(r), false, "*image.NRGBA64"},
		{image.NewNRGBA(r), false, "*image.NRGBA"},
		{image.NewPaletted(r, color.Palette{color.Black, color.White}), false, "*image.NRGBA"},
		{ycc, true, "*image.RGBA"},
	} {
		out := resample(c.src, 5, 3, c.opaque)
		if got := typeName(out); got != c.want || out.Bounds() != image.Rect(0, 0, 5, 3) {
			t.Errorf("%s → %s %v, want %s 5×3", typeName(c.src), got, out.Bounds(), c.want)
		}
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *image.Gray:
		return "*image.Gray"
	case *image.Gray16:
		return "*image.Gray16"
	case *image.NRGBA64:
		return "*image.NRGBA64"
	case *image.NRGBA:
		return "*image.NRGBA"
	case *image.RGBA:
		return "*image.RGBA"
	case *image.YCbCr:
		return "*image.YCbCr"
	case *image.Paletted:
		return "*image.Paletted"
	}
	return "?"
}

func TestDownscale(t *testing.T) {
	t.Parallel()
	data := testPNG(t, 300, 150)
	if r, out, err := downscale(data, "image/png", 300, 1<<28); r != nil || err != nil || !bytes.Equal(out, data) {
		t.Errorf("an image within the limit was changed: %v %v", r, err)
	}
	r, out, err := downscale(data, "image/png", 100, 1<<28)
	if err != nil || r == nil || r.Width != 100 || r.Height != 50 {
		t.Fatalf("downscale: %+v %v", r, err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 100 || img.Bounds().Dy() != 50 || img.ColorModel() != color.NRGBAModel {
		t.Errorf("decoded %v %v, want 100×50 with alpha", img.Bounds(), img.ColorModel())
	}
	if _, _, err := downscale(data, "image/png", 100, 1000); err == nil {
		t.Error("an image over MaxImagePixels was decoded")
	}
	j := testJPEG(t, 90, 30)
	if r, out, err := downscale(j, "image/jpeg", 45, 1<<28); err != nil || r == nil || ImageMIME(out) != "image/jpeg" || r.Height != 15 {
		t.Errorf("JPEG: %+v %v", r, err)
	}
}
