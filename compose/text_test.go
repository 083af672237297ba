package compose

import (
	"image"
	"testing"
)

// layout lays out one text layer with the test fonts.
func layout(t *testing.T, text, font string, size float64) *textBlock {
	t.Helper()
	b, err := layoutText(&Layer{Type: "text", Text: text, Font: font, Size: size}, testFonts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func glyphCount(b *textBlock) int {
	n := 0
	for _, r := range b.runs {
		n += len(r.glyphs)
	}
	return n
}

func lineWidth(b *textBlock) float64 { return b.lines[0].x1 - b.lines[0].x0 }

func TestKerningNarrowsAV(t *testing.T) {
	av := lineWidth(layout(t, "AV", "DejaVu Sans", 100))
	a, v := lineWidth(layout(t, "A", "DejaVu Sans", 100)), lineWidth(layout(t, "V", "DejaVu Sans", 100))
	if av >= a+v-1 {
		t.Errorf("AV is %.1f px wide, A+V %.1f: no kerning", av, a+v)
	}
}

func TestLigatureAndConjunctShapeToFewerGlyphs(t *testing.T) {
	if n := glyphCount(layout(t, "office", "Noto Sans", 40)); n >= 6 {
		t.Errorf("office: %d glyphs, want the ffi ligature (< 6)", n)
	}
	// क्ष = KA + VIRAMA + SSA: one conjunct glyph, not three.
	if n := glyphCount(layout(t, "क्ष", "Noto Sans", 40)); n != 1 {
		t.Errorf("Devanagari conjunct: %d glyphs, want 1", n)
	}
}

func TestRightToLeftOrder(t *testing.T) {
	b := layout(t, "שלום abc", "Noto Sans", 40)
	// An RTL paragraph: the Hebrew run (first logically) sits to the right
	// of the Latin one, and within it the first letter is rightmost.
	var heb, lat *placedRun
	for i := range b.runs {
		if b.runs[i].rtl {
			heb = &b.runs[i]
		} else if b.runs[i].text == "abc" {
			lat = &b.runs[i]
		}
	}
	if heb == nil || lat == nil {
		t.Fatalf("runs: %+v", b.runs)
	}
	if heb.x <= lat.x {
		t.Errorf("Hebrew run at x=%.1f, Latin at %.1f: want Hebrew on the right", heb.x, lat.x)
	}
	face, _ := heb.font.Face()
	shin, _ := face.NominalGlyph('ש')
	maxX, shinX := -1e9, 0.0
	for _, g := range heb.glyphs {
		maxX = max(maxX, g.x)
		if g.gid == shin {
			shinX = g.x
		}
	}
	if shinX != maxX {
		t.Errorf("ש at x=%.1f, rightmost glyph at %.1f", shinX, maxX)
	}
}

func TestFallbackPicksScriptFonts(t *testing.T) {
	b := layout(t, "Aمक😀", "Noto Sans", 30)
	got := map[string]bool{}
	for _, r := range b.runs {
		got[r.font.File] = true
	}
	for _, want := range []string{"NotoSans-Regular.ttf", "NotoSansArabic-Regular.ttf", "NotoSansDevanagari-Regular.ttf", "NotoColorEmoji.ttf"} {
		if !got[want] {
			t.Errorf("no run in %s (runs in %v)", want, got)
		}
	}
}

func TestEmojiDrawsInColour(t *testing.T) {
	// DejaVu Sans has a monochrome 😀: the colour font must win.
	s := parse(t, `{"width":80,"height":80,"layers":[{"type":"text","text":"😀","font":"DejaVu Sans","size":64,"color":"#000000","x":4,"y":64}]}`)
	img := render(t, s, nil)
	if !hasColour(img, img.Bounds()) {
		t.Error("the emoji drew no coloured pixel")
	}
}

// hasColour reports a clearly non-grey opaque pixel in r.
func hasColour(img *image.RGBA, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if c.A > 200 && int(c.R)-int(c.B) > 80 {
				return true
			}
		}
	}
	return false
}

func TestAlignCenterAndRight(t *testing.T) {
	for _, tt := range []struct {
		align string
		x0    func(w float64) float64
	}{{"left", func(float64) float64 { return 0 }}, {"center", func(w float64) float64 { return -w / 2 }}, {"right", func(w float64) float64 { return -w }}} {
		b, err := layoutText(&Layer{Type: "text", Text: "Hello", Font: "Noto Sans", Size: 40, Align: tt.align}, testFonts)
		if err != nil {
			t.Fatal(err)
		}
		w := lineWidth(b)
		if got := b.lines[0].x0; got < tt.x0(w)-0.01 || got > tt.x0(w)+0.01 {
			t.Errorf("%s: line starts at %.2f, want %.2f", tt.align, got, tt.x0(w))
		}
	}
}

func TestLetterSpacingWidens(t *testing.T) {
	plain := lineWidth(layout(t, "abcd", "Noto Sans", 40))
	b, _ := layoutText(&Layer{Type: "text", Text: "abcd", Font: "Noto Sans", Size: 40, LetterSpacing: 5}, testFonts)
	if got := lineWidth(b); got < plain+15-0.01 || got > plain+15+0.01 {
		t.Errorf("spaced width %.2f, want %.2f (3 gaps × 5)", got, plain+15)
	}
}
