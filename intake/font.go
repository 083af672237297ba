package intake

import (
	"bytes"
	"fmt"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/font/cff"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/font/opentype/tables"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// FontInfo is what InspectFont found in a usable font.
type FontInfo struct {
	// Family and Style are the typographic names (name IDs 16 and 17, else
	// 1 and 2), e.g. "Noto Sans" and "Bold Italic".
	Family, Style string
	// Format is "ttf" (TrueType outlines) or "otf" (CFF outlines).
	Format string
	// Glyphs is the number of glyphs (maxp).
	Glyphs int
}

// InspectFont parses the font fully enough to be sure it can be used for
// shaping: the tables a shaper and a PDF writer need are parsed strictly
// (where go-text would quietly skip a damaged one), every glyph outline is
// loaded and a sample text is shaped. It rejects collections, WOFF/WOFF2
// and bitmap-only fonts. maxBytes ≤ 0 means DefaultMaxFontBytes.
func InspectFont(b []byte, maxBytes int64) (info FontInfo, err error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxFontBytes
	}
	if n := int64(len(b)); n > maxBytes {
		return FontInfo{}, tooLarge("the font is %s; at most %s are accepted", sizeText(n), sizeText(maxBytes))
	}
	if err := fontMagic(b); err != nil {
		return FontInfo{}, err
	}
	// go-text is careful, but a font is a program-like input: a panic in a
	// table parser means a damaged font, not a crashed request.
	defer func() {
		if r := recover(); r != nil {
			info, err = FontInfo{}, corruptCause(fmt.Errorf("panic: %v", r), "the font is damaged and cannot be read")
		}
	}()
	ld, err := ot.NewLoader(bytes.NewReader(b))
	if err != nil {
		return FontInfo{}, corruptCause(err, "the font is damaged: its table directory cannot be read")
	}
	info, err = checkTables(ld)
	if err != nil {
		return FontInfo{}, err
	}
	ft, err := font.NewFont(ld)
	if err != nil {
		return FontInfo{}, corruptCause(err, "the font is damaged and cannot be read")
	}
	face := font.NewFace(ft)
	for gid := range info.Glyphs {
		face.GlyphData(font.GID(gid))
	}
	if err := shapeSample(face); err != nil {
		return FontInfo{}, err
	}
	return info, nil
}

// fontMagic accepts the sfnt versions of single TrueType and OpenType fonts
// and names what people upload instead.
func fontMagic(b []byte) error {
	if len(b) < 12 {
		return corrupt("the font file is too short to be a font")
	}
	switch string(b[:4]) {
	case "\x00\x01\x00\x00", "true", "OTTO":
		return nil
	case "wOFF", "wOF2":
		return unsupported("this is a web font (%s), which is not accepted; convert it to TTF or OTF", map[string]string{"wOFF": "WOFF", "wOF2": "WOFF2"}[string(b[:4])])
	case "ttcf":
		return unsupported("this is a font collection (TTC) holding several fonts; upload one font as TTF or OTF")
	}
	if bytes.HasPrefix(b, []byte("%!PS")) || bytes.HasPrefix(b, []byte{0x80, 0x01}) {
		return unsupported("PostScript Type 1 fonts are not accepted; convert it to TTF or OTF")
	}
	return unsupported("this file is not a TTF or OTF font")
}

// checkTables parses strictly the tables without which text would come out
// wrong (go-text's NewFont treats most of them as optional).
func checkTables(ld *ot.Loader) (FontInfo, error) {
	table := func(tag string) []byte {
		raw, _ := ld.RawTable(ot.MustNewTag(tag))
		return raw
	}
	damaged := func(tag string, err error) error {
		return corruptCause(err, "the font is damaged: its %q table cannot be read", tag)
	}
	if _, _, err := font.LoadHeadTable(ld, nil); err != nil {
		return FontInfo{}, damaged("head", err)
	}
	maxp, _, err := tables.ParseMaxp(table("maxp"))
	if err != nil || maxp.NumGlyphs == 0 {
		return FontInfo{}, damaged("maxp", err)
	}
	n := int(maxp.NumGlyphs)
	cm, _, err := tables.ParseCmap(table("cmap"))
	if err != nil {
		return FontInfo{}, damaged("cmap", err)
	}
	cmap, _, err := font.ProcessCmap(cm, 0)
	if err != nil {
		return FontInfo{}, damaged("cmap", err)
	}
	if !cmap.Iter().Next() {
		return FontInfo{}, unsupported("the font maps no characters to its glyphs, so no text can be set with it")
	}
	hhea, _, err := tables.ParseHhea(table("hhea"))
	if err != nil || int(hhea.NumOfLongMetrics) > n || hhea.NumOfLongMetrics == 0 {
		return FontInfo{}, damaged("hhea", err)
	}
	if _, _, err := tables.ParseHmtx(table("hmtx"), int(hhea.NumOfLongMetrics), n-int(hhea.NumOfLongMetrics)); err != nil {
		return FontInfo{}, damaged("hmtx", err)
	}
	format, err := checkOutlines(ld, table, n)
	if err != nil {
		return FontInfo{}, err
	}
	for _, tag := range []string{"GSUB", "GPOS"} {
		if raw := table(tag); raw != nil {
			if _, _, err := tables.ParseLayout(raw); err != nil {
				return FontInfo{}, damaged(tag, err)
			}
		}
	}
	names, _, err := tables.ParseName(table("name"))
	if err != nil {
		return FontInfo{}, damaged("name", err)
	}
	pick := func(a, b tables.NameID) string {
		if s := names.Name(a); s != "" {
			return s
		}
		return names.Name(b)
	}
	info := FontInfo{Family: pick(16, 1), Style: pick(17, 2), Format: format, Glyphs: n}
	if info.Family == "" {
		return FontInfo{}, corrupt("the font has no family name")
	}
	if info.Style == "" {
		info.Style = "Regular"
	}
	return info, nil
}

// checkOutlines parses the glyph outlines: glyf/loca for TrueType, CFF or
// CFF2 for OpenType. A font with neither has only bitmaps or colour layers.
func checkOutlines(ld *ot.Loader, table func(string) []byte, n int) (string, error) {
	switch {
	case ld.HasTable(ot.MustNewTag("glyf")):
		head, _, _ := font.LoadHeadTable(ld, nil)
		loca, err := tables.ParseLoca(table("loca"), n, head.IndexToLocFormat == 1)
		if err != nil || len(loca) == 0 {
			return "", corruptCause(err, "the font is damaged: its glyph index (loca) cannot be read")
		}
		if _, err := tables.ParseGlyf(table("glyf"), loca); err != nil {
			return "", corruptCause(err, "the font is damaged: its glyph outlines (glyf) cannot be read")
		}
		return "ttf", nil
	case ld.HasTable(ot.MustNewTag("CFF ")):
		c, err := cff.Parse(table("CFF "))
		if err != nil || len(c.Charstrings) != n {
			return "", corruptCause(err, "the font is damaged: its glyph outlines (CFF) cannot be read")
		}
		return "otf", nil
	case ld.HasTable(ot.MustNewTag("CFF2")):
		c, err := cff.ParseCFF2(table("CFF2"))
		if err != nil || len(c.Charstrings) != n {
			return "", corruptCause(err, "the font is damaged: its glyph outlines (CFF2) cannot be read")
		}
		return "otf", nil
	}
	return "", unsupported("the font has no glyph outlines (only bitmaps), so it cannot be printed sharply; upload a TTF or OTF with outlines")
}

// shapeSample shapes a short text of characters the font has, the way the
// compositor will, so GSUB/GPOS lookups run once here and not first in a
// shopper's design.
func shapeSample(face *font.Face) error {
	var text []rune
	for _, r := range "Hamburgefonstiv 0123 ÀÉßœ fi ffl" {
		if _, ok := face.NominalGlyph(r); ok {
			text = append(text, r)
		}
	}
	if len(text) == 0 { // a non-Latin font: take its first characters
		it := face.Cmap.Iter()
		for len(text) < 32 && it.Next() {
			r, _ := it.Char()
			text = append(text, r)
		}
	}
	var sh shaping.HarfbuzzShaper
	out := sh.Shape(shaping.Input{Text: text, RunEnd: len(text), Direction: di.DirectionLTR, Face: face, Size: fixed.I(48)})
	if len(out.Glyphs) == 0 {
		return corrupt("the font is damaged: shaping a sample text gave no glyphs")
	}
	return nil
}
