package raster

import (
	"context"
	"flag"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/golden")

// TestGolden renders every corpus model at 256² and compares it with the
// reviewed image in testdata/golden: after a 2× box downscale (so one-pixel
// edge shifts do not count), the mean and 99th-percentile CIE76 ΔE of the
// colours composited over grey must stay small.
func TestGolden(t *testing.T) {
	for name, path := range corpusModels(t) {
		t.Run(name, func(t *testing.T) {
			m := loadModel(t, path)
			img, err := m.Render(context.Background(), Options{Size: 256})
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", name+".png")
			if *update {
				writePNG(t, golden, img)
				return
			}
			want := readPNG(t, golden)
			mean, p99 := deltaE(want, img)
			t.Logf("ΔE mean %.2f, p99 %.2f", mean, p99)
			if mean > 1.0 || p99 > 8 {
				t.Errorf("render differs from %s: ΔE mean %.2f (max 1.0), p99 %.2f (max 8); run go test ./raster -run Golden -update after reviewing", golden, mean, p99)
			}
		})
	}
}

func writePNG(t testing.TB, path string, img image.Image) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func readPNG(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run go test ./raster -run Golden -update to create it)", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// deltaE compares two images of the same size: both are composited over
// mid grey (so alpha counts), halved with a box filter, converted to CIE
// Lab, and the per-pixel distances summarised.
func deltaE(a, b image.Image) (mean, p99 float64) {
	la, lb := labHalf(a), labHalf(b)
	if len(la) != len(lb) {
		return math.Inf(1), math.Inf(1)
	}
	d := make([]float64, len(la))
	var sum float64
	for i := range la {
		x, y := la[i], lb[i]
		d[i] = math.Sqrt((x[0]-y[0])*(x[0]-y[0]) + (x[1]-y[1])*(x[1]-y[1]) + (x[2]-y[2])*(x[2]-y[2]))
		sum += d[i]
	}
	sort.Float64s(d)
	return sum / float64(len(d)), d[len(d)*99/100]
}

func labHalf(img image.Image) [][3]float64 {
	r := img.Bounds()
	w, h := r.Dx()/2, r.Dy()/2
	out := make([][3]float64, 0, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var lin [3]float64
			for _, o := range [4][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				cr, cg, cb, ca := img.At(r.Min.X+2*x+o[0], r.Min.Y+2*y+o[1]).RGBA()
				a := float64(ca) / 65535
				for k, c := range [3]uint32{cr, cg, cb} {
					// premultiplied sRGB over 50% grey, then to linear
					v := float64(c)/65535 + (1-a)*0.5
					lin[k] += srgbDecode(v) / 4
				}
			}
			out = append(out, lab(lin))
		}
	}
	return out
}

// lab converts linear sRGB (D65) to CIE L*a*b*.
func lab(c [3]float64) [3]float64 {
	x := (0.4124*c[0] + 0.3576*c[1] + 0.1805*c[2]) / 0.95047
	y := 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
	z := (0.0193*c[0] + 0.1192*c[1] + 0.9505*c[2]) / 1.08883
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	fx, fy, fz := f(x), f(y), f(z)
	return [3]float64{116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)}
}
