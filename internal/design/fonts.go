package design

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/luneo/luneo/intake"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
)

// fontContentTypes of stored font formats.
var fontContentTypes = map[string]string{"ttf": "font/ttf", "otf": "font/otf"}

// UploadFont checks a TTF or OTF font (parsed fully enough to shape text,
// by intake.InspectFont) and adds it to the brand's fonts (staff and API
// keys only). Its family may not be a bundled family's (409: designs name
// fonts by family, so the two would be confused), and a brand has one file
// per family and style (409).
func (s *Service) UploadFont(ctx context.Context, a Actor, data []byte, filename string) (Font, error) {
	if err := a.canWrite(false); err != nil {
		return Font{}, err
	}
	if int64(len(data)) > s.cfg.MaxFontUpload {
		return Font{}, apperr.New(apperr.TooLarge, "the font is larger than the limit of %d bytes (LUNEO_MAX_FONT_UPLOAD)", s.cfg.MaxFontUpload)
	}
	info, err := intake.InspectFont(data, s.cfg.MaxFontUpload)
	if err != nil {
		return Font{}, intakeError(err)
	}
	family := strings.TrimSpace(info.Family)
	if family == "" || len(family) > maxNameLen {
		return Font{}, apperr.New(apperr.Unprocessable, "the font has no usable family name")
	}
	bundled, err := s.cfg.Fonts(ctx, a.BrandID)
	if err != nil {
		return Font{}, fmt.Errorf("bundled fonts: %w", err)
	}
	for _, b := range bundled {
		if strings.EqualFold(b, family) {
			return Font{}, apperr.New(apperr.Conflict, "%q is the name of a bundled font; designs could not tell them apart: rename your font's family", family)
		}
	}
	sum := sha256.Sum256(data)
	f := Font{SHA256: hex.EncodeToString(sum[:]), Family: family, Style: strings.TrimSpace(info.Style), Format: info.Format,
		Glyphs: info.Glyphs, Size: int64(len(data)), Filename: cleanName(filename, family+"."+info.Format), CreatedAt: s.stamp()}
	if f.Style == "" {
		f.Style = "Regular"
	}
	f.key = fontKey(a.BrandID, f.SHA256, f.Format)
	if _, err := s.blobs.Put(ctx, f.key, bytes.NewReader(data), blob.PutOptions{ContentType: fontContentTypes[f.Format], MaxSize: f.Size}); err != nil {
		return Font{}, fmt.Errorf("store font: %w", err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO design_fonts (brand_id, sha256, family, style, format, glyphs, size,
		blob_key, filename, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		a.BrandID, f.SHA256, f.Family, f.Style, f.Format, f.Glyphs, f.Size, f.key, f.Filename, f.CreatedAt)
	if db.IsUniqueViolation(err) {
		// The same file, or another file of this family and style: the
		// blob stays only if a row (the same file's) points at it.
		if !s.fontStored(ctx, a.BrandID, f.SHA256) {
			s.deleteBlobs(ctx, f.key)
		}
		return Font{}, apperr.Wrap(apperr.Conflict, err, "your brand already has the font %s %s", f.Family, f.Style)
	}
	if err != nil {
		s.deleteBlobs(ctx, f.key)
		return Font{}, fmt.Errorf("record font: %w", err)
	}
	return f, nil
}

// fontStored reports whether a brand has a font file of this SHA-256.
func (s *Service) fontStored(ctx context.Context, brandID, sha string) bool {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM design_fonts WHERE brand_id = $1 AND sha256 = $2`, brandID, sha).Scan(&n)
	return err != nil || n > 0
}
