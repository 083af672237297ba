package intake

import (
	"context"
	"os"
	"testing"
)

// FuzzInspectImage: no input panics, and whatever InspectImage accepts
// small enough is also decoded without panicking and to the size it said.
func FuzzInspectImage(f *testing.F) {
	f.Add(encodePNG(f, quadrants(8, 4)))
	f.Add(withPNGChunks(encodePNG(f, quadrants(4, 4)), pngChunk("eXIf", exifTIFF(6, true))))
	f.Add(encodeJPEG(f, quadrants(8, 8)))
	for _, name := range []string{"lossy.webp", "lossless_alpha.webp", "lossy_alpha.webp", "icc.webp", "exif6.webp", "animated.webp"} {
		f.Add(readTestdata(f, name))
	}
	lim := Limits{MaxBytes: 1 << 20, MaxSide: 512, MaxPixels: 1 << 16}
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := InspectImage(b, lim)
		if err != nil {
			return
		}
		img, dinfo, err := DecodeImage(context.Background(), b, lim)
		if err != nil {
			return
		}
		if dinfo != info || img.Rect.Dx() != info.Width || img.Rect.Dy() != info.Height {
			t.Fatalf("inspected %+v, decoded %v as %+v", info, img.Rect, dinfo)
		}
	})
}

// FuzzInspectFont: no font panics or hangs InspectFont. Seeds are the
// installed DejaVu font (when present) and the magics.
func FuzzInspectFont(f *testing.F) {
	if b, err := os.ReadFile(dejaVu); err == nil {
		f.Add(b)
	}
	for _, m := range []string{"\x00\x01\x00\x00", "OTTO", "true", "ttcf", "wOFF", "wOF2"} {
		f.Add(append([]byte(m), make([]byte, 64)...))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := InspectFont(b, 0)
		if err == nil && (info.Family == "" || info.Glyphs == 0 || (info.Format != "ttf" && info.Format != "otf")) {
			t.Fatalf("accepted with %+v", info)
		}
	})
}
