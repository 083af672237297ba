package compose

import (
	"fmt"
	"math"
	"strings"
	"unicode"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"

	"github.com/luneo/luneo/compose/fonts"
)

// placedGlyph is one shaped glyph at its pen position in layer space:
// pixels, origin at the layer's (x, y) baseline origin, y down, before the
// arc, rotation and output scale.
type placedGlyph struct {
	font  *fonts.Font
	face  *font.Face
	gid   font.GID
	x, y  float64
	scale float64 // pixels per font unit
}

// placedRun is a run of glyphs of one font and direction on one line, with
// its text and pen start: PDF output places runs as text objects.
type placedRun struct {
	font   *fonts.Font
	text   string
	rtl    bool
	x, y   float64
	width  float64
	glyphs []placedGlyph
}

// textBlock is a laid-out text layer.
type textBlock struct {
	runs  []placedRun
	lines []lineExtent
}

// lineExtent is one line's horizontal extent and baseline, for the arc.
type lineExtent struct{ x0, x1, y float64 }

// fontChain resolves a rune to the first font of the chain that has it.
// Fonts after the layer's own are parsed only when a rune needs them, so
// Latin text never loads the Arabic or emoji fonts.
type fontChain struct {
	fonts []*fonts.Font
	faces []*font.Face // faces[i] is nil until fonts[i] is needed
	err   error        // the first font that failed to parse
}

// face returns the face of font i, parsing it on first use.
func (c *fontChain) face(i int) *font.Face {
	if c.faces[i] == nil {
		face, err := c.fonts[i].Face()
		if err != nil {
			if c.err == nil {
				c.err = err
			}
			return c.faces[0]
		}
		c.faces[i] = face
	}
	return c.faces[i]
}

// ResolveFace implements shaping.Fontmap. Pictographs (U+1F000–1FAFF)
// go to a colour font first: text fonts such as DejaVu Sans carry
// monochrome smileys a shopper does not expect.
func (c *fontChain) ResolveFace(r rune) *font.Face {
	if r >= 0x1F000 && r <= 0x1FAFF {
		for i, f := range c.fonts {
			if f.Color && f.Has(r) {
				return c.face(i)
			}
		}
	}
	for i, f := range c.fonts {
		if f.Has(r) {
			return c.face(i)
		}
	}
	return c.faces[0]
}

// fontOf maps a face back to its font.
func (c *fontChain) fontOf(face *font.Face) *fonts.Font {
	for i, f := range c.faces {
		if f == face {
			return c.fonts[i]
		}
	}
	return c.fonts[0]
}

// newFontChain starts with the layer's font, then the set's fallbacks.
func newFontChain(set *fonts.Set, name string, bold bool) (*fontChain, error) {
	primary, err := set.Lookup(name, bold)
	if err != nil {
		return nil, err
	}
	face, err := primary.Face()
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", primary.File, err)
	}
	c := &fontChain{fonts: []*fonts.Font{primary}, faces: []*font.Face{face}}
	for _, f := range set.Fallback() {
		if f != primary {
			c.fonts = append(c.fonts, f)
			c.faces = append(c.faces, nil)
		}
	}
	return c, nil
}

// layoutText shapes a text layer into positioned runs: each line is split
// by direction, script and font (fallback), shaped with HarfBuzz, ordered
// visually, spaced and aligned about x = 0.
func layoutText(l *Layer, set *fonts.Set) (*textBlock, error) {
	chain, err := newFontChain(set, l.Font, l.Bold)
	if err != nil {
		return nil, err
	}
	lineHeight := l.LineHeight
	if lineHeight == 0 {
		lineHeight = 1.2
	}
	var seg shaping.Segmenter
	var shaper shaping.HarfbuzzShaper
	block := &textBlock{}
	for li, line := range strings.Split(l.Text, "\n") {
		runes := []rune(strings.TrimRight(line, "\r"))
		baseline := float64(li) * lineHeight * l.Size
		if len(runes) == 0 {
			block.lines = append(block.lines, lineExtent{y: baseline})
			continue
		}
		dir := paragraphDirection(runes)
		in := shaping.Input{Text: runes, RunStart: 0, RunEnd: len(runes), Direction: dir,
			Face: chain.faces[0], Size: fixed.Int26_6(l.Size * 64)}
		inputs := seg.Split(in, chain)
		if chain.err != nil {
			return nil, chain.err
		}
		outs := make([]shaping.Output, len(inputs))
		for i, input := range inputs {
			outs[i] = shaper.Shape(input)
		}
		order := visualOrder(outs, dir)
		var runs []placedRun
		pen := 0.0
		for _, oi := range order {
			out := &outs[oi]
			f := chain.fontOf(out.Face)
			scale := l.Size / float64(out.Face.Upem())
			run := placedRun{font: f, rtl: out.Direction.Progression() == di.TowardTopLeft, x: pen, y: baseline,
				text: string(runes[out.Runes.Offset : out.Runes.Offset+out.Runes.Count])}
			for gi, g := range out.Glyphs {
				run.glyphs = append(run.glyphs, placedGlyph{font: f, face: out.Face, gid: g.GlyphID, scale: scale,
					x: pen + fx(g.XOffset), y: baseline - fx(g.YOffset)})
				pen += fx(g.XAdvance)
				// Letter spacing goes after each cluster, not inside one
				// (a base letter and its marks stay together).
				if gi == len(out.Glyphs)-1 || out.Glyphs[gi+1].ClusterIndex != g.ClusterIndex {
					pen += l.LetterSpacing
				}
			}
			run.width = pen - run.x
			runs = append(runs, run)
		}
		width := pen
		if len(runs) > 0 {
			width -= l.LetterSpacing // no spacing after the last cluster
		}
		shift := 0.0
		switch l.Align {
		case "center":
			shift = -width / 2
		case "right":
			shift = -width
		}
		for i := range runs {
			runs[i].x += shift
			for j := range runs[i].glyphs {
				runs[i].glyphs[j].x += shift
			}
		}
		block.runs = append(block.runs, runs...)
		block.lines = append(block.lines, lineExtent{x0: shift, x1: shift + width, y: baseline})
	}
	return block, nil
}

// fx converts 26.6 fixed point to float pixels.
func fx(v fixed.Int26_6) float64 { return float64(v) / 64 }

// paragraphDirection is the direction of the first strong character
// (Unicode bidi rules P2–P3), left to right when there is none.
func paragraphDirection(runes []rune) di.Direction {
	for _, r := range runes {
		switch {
		case unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko):
			return di.DirectionRTL
		case unicode.IsLetter(r):
			return di.DirectionLTR
		}
	}
	return di.DirectionLTR
}

// visualOrder orders a line's runs for display (bidi rule L2 for the two
// levels a line has here): in a left-to-right paragraph each sequence of
// right-to-left runs is reversed; in a right-to-left paragraph the line
// is reversed and each sequence of left-to-right runs restored.
func visualOrder(outs []shaping.Output, para di.Direction) []int {
	order := make([]int, len(outs))
	for i := range order {
		order[i] = i
	}
	rtl := func(i int) bool { return outs[i].Direction.Progression() == di.TowardTopLeft }
	if para == di.DirectionRTL {
		reverse(order)
		reverseRuns(order, func(i int) bool { return !rtl(i) })
	} else {
		reverseRuns(order, rtl)
	}
	return order
}

// reverseRuns reverses each maximal sequence of entries matching pick.
func reverseRuns(order []int, pick func(int) bool) {
	for i := 0; i < len(order); {
		if !pick(order[i]) {
			i++
			continue
		}
		j := i
		for j < len(order) && pick(order[j]) {
			j++
		}
		reverse(order[i:j])
		i = j
	}
}

func reverse(s []int) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// arcWarp bends the layer-space point (x, y) onto a circular baseline of
// arc degrees spanning the first line: positive bends like a smile's
// opposite (centre below), negative the other way. Heights above the
// baseline become distances from the circle.
type arcWarp struct {
	cx, r float64
}

// newArcWarp is nil for straight text.
func newArcWarp(block *textBlock, arc float64) *arcWarp {
	if arc == 0 || len(block.lines) == 0 {
		return nil
	}
	l := block.lines[0]
	width := l.x1 - l.x0
	if width <= 0 {
		return nil
	}
	return &arcWarp{cx: (l.x0 + l.x1) / 2, r: width / (arc * math.Pi / 180)}
}

// at maps a point; the tangent angle (radians, clockwise) is returned for
// placing bitmap glyphs upright on the arc.
func (a *arcWarp) at(x, y float64) (float64, float64, float64) {
	if a == nil {
		return x, y, 0
	}
	phi := (x - a.cx) / a.r
	d := a.r - y // distance from the centre along the radius
	return a.cx + d*math.Sin(phi), a.r - d*math.Cos(phi), phi
}
