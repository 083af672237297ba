package design

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"image/png"
	"path"
	"strings"
	"unicode"

	"github.com/luneo/luneo/intake"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/blob"
)

// contentTypes of stored asset formats.
var contentTypes = map[string]string{"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}

// UploadImage checks an uploaded image and stores it as an asset of the
// actor's brand (shoppers too). Everything is checked before anything is
// stored: the header (format by magic bytes, size and pixel limits) first,
// then a full decode under the process-wide image memory pool (so damaged
// pixel data is refused now, not at render time).
//
// What is stored: the uploaded bytes when they display as they are (EXIF
// orientation 1, no ICC profile), so a photo keeps its original
// compression; otherwise the decoded image, turned upright and converted to
// sRGB, as a PNG, so every reader (the compositor, a browser, a print shop)
// sees the same pixels without knowing EXIF or ICC. Assets are keyed by
// the SHA-256 of the stored bytes; uploading the same file again returns
// the existing asset.
func (s *Service) UploadImage(ctx context.Context, a Actor, data []byte, filename string) (Asset, error) {
	if err := a.canWrite(true); err != nil {
		return Asset{}, err
	}
	if int64(len(data)) > s.cfg.MaxImageUpload {
		return Asset{}, apperr.New(apperr.TooLarge, "the image is larger than the limit of %d bytes (LUNEO_MAX_IMAGE_UPLOAD)", s.cfg.MaxImageUpload)
	}
	up := sha256.Sum256(data)
	upload := hex.EncodeToString(up[:])
	if existing, ok, err := s.assetByUpload(ctx, a.BrandID, upload); err != nil || ok {
		return existing, err
	}
	lim := intake.Limits{MaxBytes: s.cfg.MaxImageUpload, MaxPixels: min(intake.DefaultMaxPixels, s.cfg.Images.Size()/12)}
	info, err := intake.InspectImage(data, lim)
	if err != nil {
		return Asset{}, intakeError(err)
	}
	// Decoding peaks at about 12 bytes a pixel (intake.Limits).
	need := int64(info.Width) * int64(info.Height) * 12
	release, err := s.cfg.Images.Reserve(ctx, need)
	if err != nil {
		return Asset{}, fmt.Errorf("decode image: wait for image memory: %w", err)
	}
	img, info, err := intake.DecodeImage(ctx, data, lim)
	if err != nil {
		release()
		return Asset{}, intakeError(err)
	}
	stored, format := data, info.Format
	if info.Orientation != 1 || info.HasICC {
		var b bytes.Buffer
		err = png.Encode(&b, img)
		stored, format = b.Bytes(), "png"
	}
	release()
	if err != nil {
		return Asset{}, fmt.Errorf("encode image: %w", err)
	}
	sum := sha256.Sum256(stored)
	as := Asset{SHA256: hex.EncodeToString(sum[:]), Format: format, Width: info.Width, Height: info.Height,
		Size: int64(len(stored)), Filename: cleanName(filename, "image."+format), CreatedAt: s.stamp()}
	as.key = assetKey(a.BrandID, as.SHA256, format)
	if _, err := s.blobs.Put(ctx, as.key, bytes.NewReader(stored), blob.PutOptions{ContentType: contentTypes[format], MaxSize: as.Size}); err != nil {
		return Asset{}, fmt.Errorf("store image: %w", err)
	}
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO design_assets (brand_id, sha256, upload_sha256, blob_key, format, width,
			height, size, filename, creator_kind, creator_id, created_at, used_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
			ON CONFLICT (brand_id, sha256) DO UPDATE SET used_at = excluded.used_at`,
			a.BrandID, as.SHA256, upload, as.key, format, as.Width, as.Height, as.Size, as.Filename,
			a.Creator.Kind, a.Creator.ID, as.CreatedAt)
		if err != nil {
			return fmt.Errorf("record image: %w", err)
		}
		return nil
	})
	if err != nil {
		// The blob may be another row's (same content): only a blob no row
		// points at is removed.
		if _, ok, _ := s.assetBySHA(ctx, a.BrandID, as.SHA256); !ok {
			s.deleteBlobs(ctx, as.key)
		}
		return Asset{}, err
	}
	out, _, err := s.assetBySHA(ctx, a.BrandID, as.SHA256)
	if err != nil {
		return Asset{}, err
	}
	return out, s.sign(ctx, &out)
}

// assetByUpload finds the asset an identical upload made (and marks it
// used), signed.
func (s *Service) assetByUpload(ctx context.Context, brandID, upload string) (Asset, bool, error) {
	a, err := scanAsset(s.db.QueryRowContext(ctx, `SELECT `+assetColumns+` FROM design_assets
		WHERE brand_id = $1 AND upload_sha256 = $2`, brandID, upload))
	if errors.Is(err, sql.ErrNoRows) {
		return Asset{}, false, nil
	}
	if err != nil {
		return Asset{}, false, fmt.Errorf("find image: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE design_assets SET used_at = $3 WHERE brand_id = $1 AND sha256 = $2`,
		brandID, a.SHA256, s.stamp()); err != nil {
		return Asset{}, false, fmt.Errorf("touch image: %w", err)
	}
	return a, true, s.sign(ctx, &a)
}

// assetBySHA reads one asset of a brand.
func (s *Service) assetBySHA(ctx context.Context, brandID, sha string) (Asset, bool, error) {
	as, err := loadAssets(ctx, s.db, brandID, []string{sha})
	a, ok := as[sha]
	return a, ok, err
}

// GetAsset returns an asset of the actor's brand with a signed URL.
func (s *Service) GetAsset(ctx context.Context, a Actor, sha string) (Asset, error) {
	if err := a.canRead(true); err != nil {
		return Asset{}, err
	}
	as, ok, err := s.assetBySHA(ctx, a.BrandID, strings.ToLower(sha))
	if err != nil {
		return Asset{}, err
	}
	if !ok {
		return Asset{}, apperr.New(apperr.NotFound, "no such image")
	}
	return as, s.sign(ctx, &as)
}

// intakeError maps intake's refusals to client errors; their messages
// say what is wrong in words a person understands.
func intakeError(err error) error {
	switch {
	case errors.Is(err, intake.ErrUnsupported):
		return apperr.Wrap(apperr.UnsupportedMedia, err, "%s", err.Error())
	case errors.Is(err, intake.ErrTooLarge):
		return apperr.Wrap(apperr.TooLarge, err, "%s", err.Error())
	case errors.Is(err, intake.ErrCorrupt):
		return apperr.Wrap(apperr.Unprocessable, err, "%s", err.Error())
	}
	return err
}

// cleanName keeps an uploaded file's base name for people, without
// control characters; fallback when nothing is left.
func cleanName(name, fallback string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name))
	if name == "" || name == "." || name == "/" || len(name) > 200 {
		return fallback
	}
	return name
}
