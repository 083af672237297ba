package raster

import (
	"bytes"
	"context"
	"image"
	"testing"
)

// Render is safe for concurrent use on one Model (a product's model
// serves every design's views at once), and concurrent renders draw what
// one render alone draws. Run with -race (make test does) to see a write.
func TestRenderConcurrently(t *testing.T) {
	m := loadModel(t, corpusModels(t)["Duck"])
	alone, err := m.Render(context.Background(), Options{Size: 96})
	if err != nil {
		t.Fatal(err)
	}
	over, err := m.Prepare(Texture{Image: image.NewNRGBA(image.Rect(0, 0, 16, 16))})
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		img *image.NRGBA
		err error
	}
	out := make(chan result, 6)
	for i := range 6 {
		go func() {
			opt := Options{Size: 96}
			if i%2 == 1 {
				opt.BaseColor = map[int]Texture{0: over}
			}
			img, err := m.Render(context.Background(), opt)
			if i%2 == 1 {
				img = nil // a different picture; only the race matters
			}
			out <- result{img, err}
		}()
	}
	for range 6 {
		r := <-out
		if r.err != nil {
			t.Fatal(r.err)
		}
		if r.img != nil && !bytes.Equal(r.img.Pix, alone.Pix) {
			t.Error("a concurrent render differs from the same render alone")
		}
	}
}
