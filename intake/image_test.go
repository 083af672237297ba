package intake

import (
	"context"
	"image"
	"image/color"
	"testing"
)

func TestInspectImage(t *testing.T) {
	gray16 := image.NewGray16(image.Rect(0, 0, 7, 5))
	pal := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.NRGBA{0, 0, 0, 0}, color.NRGBA{255, 0, 0, 255}})
	q := quadrants(40, 20) // opaque: Go's encoder writes it as RGB, no alpha
	jpg := encodeJPEG(t, q)
	exifSeg := jpegSegment(0xE1, append([]byte("Exif\x00\x00"), exifTIFF(6, true)...))
	tests := []struct {
		name string
		file []byte
		want ImageInfo
	}{
		{"png rgba", encodePNG(t, q), ImageInfo{"png", 40, 20, 1, false, false}},
		{"png gray16", encodePNG(t, gray16), ImageInfo{"png", 7, 5, 1, false, false}},
		{"png palette with tRNS", encodePNG(t, pal), ImageInfo{"png", 4, 4, 1, false, true}},
		{"png eXIf 8", withPNGChunks(encodePNG(t, q), pngChunk("eXIf", exifTIFF(8, false))), ImageInfo{"png", 20, 40, 8, false, false}},
		{"apng (default image accepted)", withPNGChunks(encodePNG(t, q), pngChunk("acTL", make([]byte, 8))), ImageInfo{"png", 40, 20, 1, false, false}},
		{"jpeg", jpg, ImageInfo{"jpeg", 40, 20, 1, false, false}},
		{"jpeg exif 6 big-endian", withJPEGSegments(jpg, exifSeg), ImageInfo{"jpeg", 20, 40, 6, false, false}},
		{"webp lossy", readTestdata(t, "lossy.webp"), ImageInfo{"webp", 64, 32, 1, false, false}},
		{"webp lossless alpha", readTestdata(t, "lossless_alpha.webp"), ImageInfo{"webp", 48, 24, 1, false, true}},
		{"webp lossy alpha", readTestdata(t, "lossy_alpha.webp"), ImageInfo{"webp", 48, 24, 1, false, true}},
		{"webp icc", readTestdata(t, "icc.webp"), ImageInfo{"webp", 64, 32, 1, true, false}},
		{"webp exif 6", readTestdata(t, "exif6.webp"), ImageInfo{"webp", 32, 64, 6, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := InspectImage(tt.file, Limits{})
			if err != nil {
				t.Fatalf("InspectImage: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			img, info, err := DecodeImage(context.Background(), tt.file, Limits{})
			if err != nil {
				t.Fatalf("DecodeImage: %v", err)
			}
			if info != tt.want || img.Rect != image.Rect(0, 0, tt.want.Width, tt.want.Height) {
				t.Errorf("decoded %v with %+v, want %dx%d", img.Rect, info, tt.want.Width, tt.want.Height)
			}
		})
	}
}

// refOrient is the EXIF definition written independently of orient's byte
// steps: where each displayed pixel (x, y) comes from in the stored image.
func refOrient(o, x, y, w, h int) (int, int) {
	switch o {
	case 2:
		return w - 1 - x, y
	case 3:
		return w - 1 - x, h - 1 - y
	case 4:
		return x, h - 1 - y
	case 5:
		return y, x
	case 6:
		return y, h - 1 - x
	case 7:
		return w - 1 - y, h - 1 - x
	case 8:
		return w - 1 - y, x
	}
	return x, y
}

// TestOrientationPNG checks every pixel for all eight orientations on a
// lossless image whose pixels are all different.
func TestOrientationPNG(t *testing.T) {
	const w, h = 5, 3
	src := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			src.SetNRGBA(x, y, color.NRGBA{uint8(x * 40), uint8(y * 80), 7, 255})
		}
	}
	for o := 1; o <= 8; o++ {
		file := withPNGChunks(encodePNG(t, src), pngChunk("eXIf", exifTIFF(o, o%2 == 0)))
		img, info, err := DecodeImage(context.Background(), file, Limits{})
		if err != nil {
			t.Fatalf("orientation %d: %v", o, err)
		}
		if info.Orientation != o || img.Rect.Dx() != info.Width || img.Rect.Dy() != info.Height {
			t.Fatalf("orientation %d: info %+v, image %v", o, info, img.Rect)
		}
		for y := range img.Rect.Dy() {
			for x := range img.Rect.Dx() {
				sx, sy := refOrient(o, x, y, w, h)
				if got, want := img.NRGBAAt(x, y), src.NRGBAAt(sx, sy); got != want {
					t.Fatalf("orientation %d: pixel (%d,%d) = %v, want source (%d,%d) %v", o, x, y, got, sx, sy, want)
				}
			}
		}
	}
}

// TestOrientationJPEG splices an APP1 Exif segment into an encoded JPEG
// and checks the quadrants moved: stored red top-left ends top-right.
func TestOrientationJPEG(t *testing.T) {
	jpg := encodeJPEG(t, quadrants(64, 32))
	seg := jpegSegment(0xE1, append([]byte("Exif\x00\x00"), exifTIFF(6, false)...))
	img, info, err := DecodeImage(context.Background(), withJPEGSegments(jpg, seg), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Width != 32 || info.Height != 64 {
		t.Fatalf("info %+v, want 32×64", info)
	}
	red, green := color.NRGBA{255, 0, 0, 255}, color.NRGBA{0, 255, 0, 255}
	blue, white := color.NRGBA{0, 0, 255, 255}, color.NRGBA{255, 255, 255, 255}
	for _, c := range []struct {
		x, y int
		want color.NRGBA
	}{{24, 8, red}, {24, 56, green}, {8, 8, blue}, {8, 56, white}} {
		if got := img.NRGBAAt(c.x, c.y); !near(got, c.want, 12) {
			t.Errorf("pixel (%d,%d) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
}

// TestSixteenBit reduces 16-bit PNGs (with and without alpha) to 8 bits.
func TestSixteenBit(t *testing.T) {
	n := image.NewNRGBA64(image.Rect(0, 0, 2, 1))
	n.SetNRGBA64(0, 0, color.NRGBA64{0x8080, 0xFFFF, 0, 0x8080})
	n.SetNRGBA64(1, 0, color.NRGBA64{0x1234, 0x5678, 0x9ABC, 0xFFFF})
	r := image.NewRGBA64(image.Rect(0, 0, 1, 1))
	r.SetRGBA64(0, 0, color.RGBA64{0x4040, 0x8080, 0xC0C0, 0xFFFF})
	g := image.NewGray16(image.Rect(0, 0, 1, 1))
	g.SetGray16(0, 0, color.Gray16{0x7F7F})
	for _, tt := range []struct {
		name string
		img  image.Image
		want []color.NRGBA
	}{
		{"nrgba64", n, []color.NRGBA{{128, 255, 0, 128}, {0x12, 0x56, 0x9A, 255}}},
		{"rgba64", r, []color.NRGBA{{0x40, 0x80, 0xC0, 255}}},
		{"gray16", g, []color.NRGBA{{0x7F, 0x7F, 0x7F, 255}}},
	} {
		img, _, err := DecodeImage(context.Background(), encodePNG(t, tt.img), Limits{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		for x, want := range tt.want {
			if got := img.NRGBAAt(x, 0); !near(got, want, 1) {
				t.Errorf("%s pixel %d = %v, want %v", tt.name, x, got, want)
			}
		}
	}
}

// TestWebPPixels checks the decoded WebP fixtures: alpha kept, quadrants
// where they were.
func TestWebPPixels(t *testing.T) {
	img, _, err := DecodeImage(context.Background(), readTestdata(t, "lossless_alpha.webp"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := img.NRGBAAt(4, 4).A, img.NRGBAAt(40, 4); a != 0 || b != (color.NRGBA{200, 40, 40, 255}) {
		t.Errorf("lossless alpha: left alpha %d, right %v", a, b)
	}
	img, _, err = DecodeImage(context.Background(), readTestdata(t, "lossy_alpha.webp"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := img.NRGBAAt(4, 4).A, img.NRGBAAt(40, 4); a != 0 || !near(b, color.NRGBA{200, 40, 40, 255}, 12) {
		t.Errorf("lossy alpha: left alpha %d, right %v", a, b)
	}
	img, _, err = DecodeImage(context.Background(), readTestdata(t, "exif6.webp"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := img.NRGBAAt(24, 8); !near(got, color.NRGBA{255, 0, 0, 255}, 16) {
		t.Errorf("exif 6: top-right = %v, want red", got)
	}
}

func TestDecodeCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := DecodeImage(ctx, encodePNG(t, quadrants(8, 8)), Limits{})
	if err == nil || ctx.Err() == nil || !errorsIs(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
