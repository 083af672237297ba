package compose

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/luneo/luneo/compose/fonts"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/golden")

// memSources serves images from a map (the app's blob store stands here).
type memSources map[string]image.Image

func (m memSources) Open(_ context.Context, src string) (image.Image, error) {
	img, ok := m[src]
	if !ok {
		return nil, fmt.Errorf("image %q: not found", src)
	}
	return img, nil
}

// testFonts is one bundled set for the package's tests (parsing is lazy
// and the set is read-only once built).
var testFonts = fonts.Bundled()

// parse is ParseScene on a string, failing the test on error.
func parse(t testing.TB, js string) *Scene {
	t.Helper()
	s, err := ParseScene(bytes.NewReader([]byte(js)))
	if err != nil {
		t.Fatalf("ParseScene: %v", err)
	}
	return s
}

// gradient is a deterministic opaque test picture.
func gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{uint8(255 * x / max(1, w-1)), uint8(255 * y / max(1, h-1)), uint8(((x / 8) ^ (y / 8)) & 1 * 200), 255}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// disc is a soft-edged translucent disc on transparency.
func disc(n int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	r := float64(n) / 2
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			dx, dy := float64(x)-r+0.5, float64(y)-r+0.5
			d := r - (dx*dx+dy*dy)/r // rough soft edge
			a := min(255, max(0, d*8))
			img.SetNRGBA(x, y, color.NRGBA{240, 40, 40, uint8(a)})
		}
	}
	return img
}

// diff is a perceptual-ish comparison: both images are box-blurred 3×3
// (so a half-pixel shift of an antialiased edge is not a failure), then
// the mean absolute channel error and the share of pixels whose largest
// channel error exceeds 40 are measured.
type diff struct {
	mean     float64 // 0..255
	badShare float64 // 0..1
}

func compare(a, b image.Image) (diff, error) {
	if a.Bounds().Size() != b.Bounds().Size() {
		return diff{}, fmt.Errorf("sizes differ: %v vs %v", a.Bounds().Size(), b.Bounds().Size())
	}
	ba, bb := blur(toNRGBA(a)), blur(toNRGBA(b))
	var sum float64
	bad := 0
	for i := 0; i < len(ba.Pix); i += 4 {
		worst := 0
		for c := 0; c < 4; c++ {
			d := int(ba.Pix[i+c]) - int(bb.Pix[i+c])
			if d < 0 {
				d = -d
			}
			sum += float64(d)
			worst = max(worst, d)
		}
		if worst > 40 {
			bad++
		}
	}
	n := len(ba.Pix) / 4
	return diff{mean: sum / float64(4*n), badShare: float64(bad) / float64(n)}, nil
}

func toNRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	return out
}

func blur(img *image.NRGBA) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(b)
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			var s [4]int
			n := 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					xx, yy := x+dx, y+dy
					if xx < 0 || yy < 0 || xx >= b.Dx() || yy >= b.Dy() {
						continue
					}
					i := img.PixOffset(xx, yy)
					for c := 0; c < 4; c++ {
						s[c] += int(img.Pix[i+c])
					}
					n++
				}
			}
			i := out.PixOffset(x, y)
			for c := 0; c < 4; c++ {
				out.Pix[i+c] = uint8(s[c] / n)
			}
		}
	}
	return out
}

// checkGolden compares img with testdata/golden/name.png (rewritten with
// -update) within the tolerance: mean error ≤ 2, ≤ 0.5 % of pixels off.
func checkGolden(t *testing.T, name string, img image.Image) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".png")
	if *update {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run go test -update)", name, err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	d, err := compare(img, want)
	if err != nil {
		t.Fatalf("golden %s: %v", name, err)
	}
	if d.mean > 2 || d.badShare > 0.005 {
		out := filepath.Join(t.TempDir(), name+".png")
		var buf bytes.Buffer
		png.Encode(&buf, img)
		os.WriteFile(out, buf.Bytes(), 0o644)
		t.Errorf("golden %s: mean error %.2f, %.2f%% pixels off (got image in %s)", name, d.mean, 100*d.badShare, out)
	}
}

// render is Render with the test fonts, failing on error.
func render(t testing.TB, s *Scene, src Sources) *image.RGBA {
	t.Helper()
	img, err := Render(context.Background(), s, Options{Fonts: testFonts, Sources: src})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return img
}
