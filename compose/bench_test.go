package compose

import (
	"bytes"
	"context"
	"image"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/luneo/luneo/compose/fonts"
)

// benchDir holds the sharp anchor's inputs (bench/compose.sh makes them
// with ../shared/anchors/gen-inputs.mjs); the benchmarks skip without it.
func benchDir(b *testing.B) string {
	dir := os.Getenv("LUNEO_COMPOSE_BENCH")
	if dir == "" {
		b.Skip("LUNEO_COMPOSE_BENCH is not set (bench/compose.sh sets it)")
	}
	if _, err := os.Stat(filepath.Join(dir, "base-2048.png")); err != nil {
		b.Skipf("no inputs: %v", err)
	}
	return dir
}

// benchScene is the sharp anchor's composite (../shared/anchors/sharp-composite.mjs).
const benchScene = `{"width": 2048, "height": 2048, "dpi": 300, "layers": [
  {"type": "image", "src": "base-2048.png", "x": 0, "y": 0},
  {"type": "image", "src": "overlay-1024.png", "x": 256, "y": 256},
  {"type": "text", "text": "Luneo 2048 -> 1024", "font": "DejaVuSans.ttf", "size": 96,
   "color": "#ffffff", "stroke": "#000000", "stroke_width": 3, "x": 64, "y": 1900}]}`

// BenchmarkSharpComposite is the whole warm composite: decode, draw at
// 1024², WebP q90 (method DefaultWebPMethod), as sharp --repeat measures.
func BenchmarkSharpComposite(b *testing.B) {
	benchComposite(b, DefaultWebPMethod)
}

// BenchmarkSharpCompositeMethod4 is the same with libwebp's method 4,
// sharp's default effort.
func BenchmarkSharpCompositeMethod4(b *testing.B) {
	benchComposite(b, 4)
}

func benchComposite(b *testing.B, method int) {
	dir := benchDir(b)
	set := fonts.Bundled()
	ctx := context.Background()
	bufs := &Buffers{} // what a long-lived process keeps
	run := func() {
		s, err := ParseScene(bytes.NewReader([]byte(benchScene)))
		if err != nil {
			b.Fatal(err)
		}
		img, err := Render(ctx, s, Options{Fonts: set, Sources: DirSources{Dir: dir, Buffers: bufs}, Scale: 0.5})
		if err != nil {
			b.Fatal(err)
		}
		var out bytes.Buffer
		if err := WriteWebPMethod(&out, img, 90, method); err != nil {
			b.Fatal(err)
		}
	}
	run() // warm: fonts parsed, libraries loaded, pools filled (sharp's --repeat skips its first run too)
	var times []time.Duration
	for b.Loop() {
		t0 := time.Now()
		run()
		times = append(times, time.Since(t0))
	}
	// ns/op is a mean, which one collector pause drags up; sharp's
	// warm_median_ms is the lower median of its runs, so report that too
	// (bench/compose.sh compares the two medians: like with like).
	b.ReportMetric(float64(lowerMedian(times))/1e6, "median-ms")
}

// lowerMedian is the middle of the sorted times, the lower one of the two
// middles for an even count (sharp-composite.mjs's warm_median_ms).
func lowerMedian(times []time.Duration) time.Duration {
	if len(times) == 0 {
		return 0
	}
	s := slices.Clone(times)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// BenchmarkDecodeBase is the critical path: the 2048² PNG decode.
func BenchmarkDecodeBase(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(benchDir(b), "base-2048.png"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := DecodeImage(data, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBackends logs which system libraries the fast paths found, for
// bench/compose.sh's report (both backends are correct; only speed differs).
func TestBackends(t *testing.T) {
	t.Logf("inflate=%s webp=%s", InflateBackend(), WebPBackend())
}

// BenchmarkResample2048To1024 is the base image's shrink in the composite.
func BenchmarkResample2048To1024(b *testing.B) {
	src := image.NewRGBA(image.Rect(0, 0, 2048, 2048))
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 31)
	}
	dst := image.NewRGBA(image.Rect(0, 0, 1024, 1024))
	rs, _ := rowsOf(src)
	for b.Loop() {
		scaleOver(dst, dst.Bounds(), rs, src.Bounds(), dst.Bounds())
	}
}

// TestLowerMedian pins the statistic bench/compose.sh compares with
// sharp's warm_median_ms: the lower middle for an even count.
func TestLowerMedian(t *testing.T) {
	ms := time.Millisecond
	if got := lowerMedian([]time.Duration{5 * ms, 1 * ms, 3 * ms, 2 * ms}); got != 2*ms {
		t.Errorf("even count: %v, want 2ms", got)
	}
	if got := lowerMedian([]time.Duration{9 * ms, 4 * ms, 7 * ms}); got != 7*ms {
		t.Errorf("odd count: %v, want 7ms", got)
	}
}
