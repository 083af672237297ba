package compose

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"io"
	"strings"
	"testing"

	"github.com/gen2brain/webp"
)

func TestFitKeepsAspect(t *testing.T) {
	for _, tt := range []struct {
		w, h, n int
		want    image.Point
	}{{200, 100, 50, image.Pt(50, 25)}, {100, 300, 60, image.Pt(20, 60)}, {40, 30, 100, image.Pt(40, 30)}} {
		if got := Fit(gradient(tt.w, tt.h), tt.n).Bounds().Size(); got != tt.want {
			t.Errorf("Fit(%dx%d, %d) = %v, want %v", tt.w, tt.h, tt.n, got, tt.want)
		}
		k := FitScale(tt.w, tt.h, tt.n)
		if got := image.Pt(int(float64(tt.w)*k+0.5), int(float64(tt.h)*k+0.5)); got != tt.want {
			t.Errorf("FitScale(%dx%d, %d) gives %v, want %v", tt.w, tt.h, tt.n, got, tt.want)
		}
	}
}

func TestWriteWebPStraightensAlpha(t *testing.T) {
	img := render(t, parse(t, `{"width":32,"height":32,"layers":[{"type":"fill","color":"#ff000080"}]}`), nil)
	var buf bytes.Buffer
	if err := WriteWebP(&buf, img, 95); err != nil {
		t.Fatal(err)
	}
	back, err := webp.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// Premultiplied (128,0,0,128) must be written as straight red, not
	// as dark red.
	c := color.NRGBAModel.Convert(back.At(16, 16)).(color.NRGBA)
	if c.R < 230 || c.A < 110 || c.A > 145 {
		t.Errorf("pixel %v, want red at alpha ~128", c)
	}
	for _, q := range []int{0, 101} {
		if err := WriteWebP(&buf, img, q); err == nil || !strings.Contains(err.Error(), "quality") {
			t.Errorf("quality %d: %v", q, err)
		}
	}
}

// TestConcurrentRenders shares one font set between renders and PDF
// writes at once (run with -race to check the sharing).
func TestConcurrentRenders(t *testing.T) {
	s := parse(t, `{"width":120,"height":60,"layers":[
	 {"type":"text","text":"Hi שלום क्ष 😀","font":"Noto Sans","size":16,"x":4,"y":30,"stroke":"#ff0000","stroke_width":1}]}`)
	errs := make(chan error, 8)
	for i := 0; i < 4; i++ {
		go func() {
			_, err := Render(context.Background(), s, Options{Fonts: testFonts})
			errs <- err
		}()
		go func() {
			errs <- WritePDF(context.Background(), io.Discard, s, Options{Fonts: testFonts})
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
