package design

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
)

// Font is a font file a brand uploaded; designs name it by Family.
type Font struct {
	SHA256    string    `json:"sha256"`
	Family    string    `json:"family"`
	Style     string    `json:"style"`
	Format    string    `json:"format"`
	Glyphs    int       `json:"glyphs"`
	Size      int64     `json:"size"`
	Filename  string    `json:"filename"`
	CreatedAt time.Time `json:"created_at"`
	key       string
}

// Fonts is what designs of a brand may use: the bundled families and the
// brand's own font files.
type Fonts struct {
	Bundled []string `json:"bundled"`
	Brand   []Font   `json:"brand"`
}

const fontColumns = `sha256, family, style, format, glyphs, size, filename, created_at, blob_key`

// brandFonts reads the font files of a brand, by family and style.
func brandFonts(ctx context.Context, q db.Querier, brandID string) ([]Font, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+fontColumns+` FROM design_fonts WHERE brand_id = $1
		ORDER BY lower(family), lower(style)`, brandID)
	if err != nil {
		return nil, fmt.Errorf("list brand fonts: %w", err)
	}
	defer rows.Close()
	out := []Font{}
	for rows.Next() {
		var f Font
		if err := rows.Scan(&f.SHA256, &f.Family, &f.Style, &f.Format, &f.Glyphs, &f.Size, &f.Filename, &f.CreatedAt, &f.key); err != nil {
			return nil, fmt.Errorf("list brand fonts: %w", err)
		}
		f.CreatedAt = f.CreatedAt.UTC()
		out = append(out, f)
	}
	return out, rows.Err()
}

// brandFamilies lists the distinct families of a brand's fonts.
func brandFamilies(ctx context.Context, q db.Querier, brandID string) ([]string, error) {
	fonts, err := brandFonts(ctx, q, brandID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range fonts {
		if !slices.ContainsFunc(out, func(s string) bool { return strings.EqualFold(s, f.Family) }) {
			out = append(out, f.Family)
		}
	}
	return out, nil
}

// ListFonts returns the fonts the actor's brand's designs may use
// (shoppers too: the widget offers them).
func (s *Service) ListFonts(ctx context.Context, a Actor) (Fonts, error) {
	if err := a.canRead(true); err != nil {
		return Fonts{}, err
	}
	bundled, err := s.cfg.Fonts(ctx, a.BrandID)
	if err != nil {
		return Fonts{}, fmt.Errorf("bundled fonts: %w", err)
	}
	own, err := brandFonts(ctx, s.db, a.BrandID)
	if err != nil {
		return Fonts{}, err
	}
	return Fonts{Bundled: nonNil(bundled), Brand: own}, nil
}

// isRegular reports whether a font style is the family's upright normal one.
func isRegular(style string) bool {
	switch strings.ToLower(strings.TrimSpace(style)) {
	case "regular", "normal", "book", "roman", "":
		return true
	}
	return false
}

// PickFont is the rule of which file draws a family: of files (a brand's
// fonts, as BrandFonts lists them), the one of family in style (case does
// not matter), or, for an empty style (a design names a family, not a
// style), the family's regular file when it has one, else its first. The
// print, the live preview's cache and the widget's own drawing all follow
// it, so they draw with the same file.
func PickFont(files []Font, family, style string) (Font, bool) {
	var pick *Font
	for i, f := range files {
		if !strings.EqualFold(f.Family, family) {
			continue
		}
		if style != "" {
			if strings.EqualFold(f.Style, style) {
				return f, true
			}
			continue
		}
		if pick == nil || (isRegular(f.Style) && !isRegular(pick.Style)) {
			pick = &files[i]
		}
	}
	if pick == nil {
		return Font{}, false
	}
	return *pick, true
}

// OpenFont opens the brand's font file PickFont chooses, for workers that
// act for no one (the compositor): it checks no actor.
func (s *Service) OpenFont(ctx context.Context, brandID, family, style string) (io.ReadCloser, Font, error) {
	fonts, err := brandFonts(ctx, s.db, brandID)
	if err != nil {
		return nil, Font{}, err
	}
	pick, ok := PickFont(fonts, family, style)
	if !ok {
		return nil, Font{}, apperr.New(apperr.NotFound, "your brand has no font %q", family)
	}
	rc, _, err := s.blobs.Get(ctx, pick.key, nil)
	if err != nil {
		return nil, Font{}, fmt.Errorf("open brand font %s: %w", pick.SHA256, err)
	}
	return rc, pick, nil
}
