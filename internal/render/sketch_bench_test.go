package render

import (
	"bytes"
	"image"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/luneo/luneo/compose"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// benchFixture is the sketch fixture on SQLite and a local blob store with
// the test design (a text layer… see document), checked.
func benchFixture(b *testing.B) (*sketchFixture, func(size int) error) {
	blobs, err := blob.NewFS(b.TempDir(), "http://localhost", []byte(strings.Repeat("k", 32)))
	if err != nil {
		b.Fatal(err)
	}
	f := newSketchFixture(b, dbtest.SQLite(b), blobs)
	doc := f.check(b, f.document(wideCrop))
	return f, func(size int) error {
		_, err := f.s.Sketch(f.ctx, f.brandID, doc, f.zone.ID, size)
		return err
	}
}

// BenchmarkSketch is a live preview of the test design (a 3000×2000 JPEG
// upload, cropped; two text layers, one rotated and stroked; an elliptic
// zone mask) at 512 pixels: warm, as the widget calls it on every edit,
// and cold, the first call for a photo (decoding it and the mask).
func BenchmarkSketch(b *testing.B) {
	f, sketch := benchFixture(b)
	b.Run("warm", func(b *testing.B) {
		if err := sketch(512); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := sketch(512); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			f.s.sketches = newSketchCache(DefaultSketchCache)
			b.StartTimer()
			if err := sketch(512); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSketchEncode compares the encodings a sketch could be sent in
// (bytes/op is the file's size), on the test design drawn at 512 pixels,
// and on the same with grain added to its pixels, as a real photo has
// (the synthetic test photo is smooth, which flatters PNG).
func BenchmarkSketchEncode(b *testing.B) {
	f, _ := benchFixture(b)
	z := f.zone
	img, release, err := f.s.drawSketch(f.ctx, f.brandID, f.check(b, f.document(wideCrop)), z, previewFrame(z, 512))
	if err != nil {
		b.Fatal(err)
	}
	defer release()
	grain := image.NewRGBA(img.Rect)
	copy(grain.Pix, img.Pix)
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := 0; i+4 <= len(grain.Pix); i += 4 {
		for c := range 3 {
			v := int(grain.Pix[i+c]) + rnd.IntN(25) - 12
			grain.Pix[i+c] = uint8(min(max(v, 0), int(grain.Pix[i+3])))
		}
	}
	for _, pic := range []struct {
		name string
		img  *image.RGBA
	}{{"smooth", img}, {"grain", grain}} {
		img := pic.img
		for _, c := range []struct {
			name   string
			encode func(*bytes.Buffer) error
		}{
			{"png-best-speed", func(w *bytes.Buffer) error {
				return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, unpremultiply(img))
			}},
			{"compose-png", func(w *bytes.Buffer) error { return compose.WritePNG(w, img, 0) }},
			{"webp-q85-m0", func(w *bytes.Buffer) error { return compose.WriteWebPMethod(w, unpremultiply(img), 85, 0) }},
			{"webp-q85-m2", func(w *bytes.Buffer) error { return compose.WriteWebPMethod(w, unpremultiply(img), 85, 2) }},
			{"webp-q85-m4", func(w *bytes.Buffer) error { return compose.WriteWebPMethod(w, unpremultiply(img), 85, 4) }},
		} {
			b.Run(pic.name+"/"+c.name, func(b *testing.B) {
				var w bytes.Buffer
				for b.Loop() {
					w.Reset()
					if err := c.encode(&w); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(w.Len()), "bytes/op")
			})
		}
	}
}
