package compose

import (
	"image"
	"math"

	xdraw "golang.org/x/image/draw"
)

// Fit returns img resized to fit within n×n keeping its aspect ratio, with
// a bilinear filter widened to the reduction (every source pixel counts);
// an image already within n×n is returned as is.
func Fit(img image.Image, n int) image.Image {
	b := img.Bounds()
	if n <= 0 || (b.Dx() <= n && b.Dy() <= n) {
		return img
	}
	k := math.Min(float64(n)/float64(b.Dx()), float64(n)/float64(b.Dy()))
	w, h := max(1, int(math.Round(float64(b.Dx())*k))), max(1, int(math.Round(float64(b.Dy())*k)))
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.BiLinear.Scale(out, out.Bounds(), img, b, xdraw.Src, nil)
	return out
}

// FitScale is the Options.Scale that renders a w×h scene within n×n
// keeping its aspect ratio (1 when it already fits).
func FitScale(w, h, n int) float64 {
	if n <= 0 || (w <= n && h <= n) {
		return 1
	}
	return math.Min(float64(n)/float64(w), float64(n)/float64(h))
}
