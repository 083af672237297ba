package raster

import (
	"context"
	"image"
	"image/color"
	"testing"
)

// A prepared base colour draws exactly what the same image given directly
// draws; preparing refuses what Render refuses.
func TestPreparedBaseColorMatches(t *testing.T) {
	m := loadModel(t, corpusModels(t)["BoxTextured"])
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for y := range 64 {
		for x := range 64 {
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(x * 4), G: uint8(y * 4), B: 90, A: 255})
		}
	}
	direct, err := m.Render(context.Background(), Options{Size: 128, BaseColor: map[int]Texture{0: {Image: img}}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.Prepare(Texture{Image: img})
	if err != nil {
		t.Fatal(err)
	}
	prepared, err := m.Render(context.Background(), Options{Size: 128, BaseColor: map[int]Texture{0: p}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range direct.Pix {
		if direct.Pix[i] != prepared.Pix[i] {
			t.Fatalf("byte %d differs: %d vs %d", i, direct.Pix[i], prepared.Pix[i])
		}
	}
	if _, err := m.Prepare(Texture{}); err == nil {
		t.Error("Prepare accepted a texture without an image")
	}
}
