package render

import (
	"io"
	"path/filepath"
	"strings"

	"github.com/luneo/luneo/internal/apperr"
)

// The bundled font files for clients that draw text themselves (the
// widget's live editor loads them with FontFace): the same files this
// service draws designs with, so the shopper sees the glyphs that print.
// Brand fonts are the design service's (design.OpenFont).

// The font styles a client may ask for.
const (
	StyleRegular = "regular"
	StyleBold    = "bold"
)

// FontFamily is a font family designs may use, with its styles.
type FontFamily struct {
	Family string   `json:"family"`
	Styles []string `json:"styles"`
}

// BundledFamilies lists the bundled families (and LUNEO_FONT_DIR's), each
// with "regular" and, when it has a bold member, "bold".
func (s *Service) BundledFamilies() []FontFamily {
	var out []FontFamily
	for _, fam := range s.bundled.Families() {
		ff := FontFamily{Family: fam, Styles: []string{StyleRegular}}
		if f, err := s.bundled.Lookup(fam, true); err == nil && f.Bold {
			ff.Styles = append(ff.Styles, StyleBold)
		}
		out = append(out, ff)
	}
	return out
}

// OpenBundledFont opens the bundled file of family (any case) in style
// (StyleRegular or StyleBold) and returns its media type. A family that is
// not bundled, or has no such style, is not found.
func (s *Service) OpenBundledFont(family, style string) (io.ReadCloser, string, error) {
	bold := strings.EqualFold(style, StyleBold)
	f, err := s.bundled.Lookup(family, bold)
	// Lookup also takes file names and falls back to the regular member:
	// only an exact family and style is served.
	if err != nil || !strings.EqualFold(f.Family, family) || f.Bold != bold {
		return nil, "", apperr.New(apperr.NotFound, "no bundled font %q in style %q", family, style)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, "", err
	}
	return rc, FontType(filepath.Ext(f.File)), nil
}

// FontType is the media type of a font file by its extension or format
// name ("ttf", ".otf", …).
func FontType(ext string) string {
	switch strings.ToLower(strings.TrimPrefix(ext, ".")) {
	case "otf":
		return "font/otf"
	case "ttc", "otc":
		return "font/collection"
	}
	return "font/ttf"
}
