package catalog

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"image/color"
	"image/png"
	"io"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
)

// Limits of zone masks.
const (
	// MaxMaskSize is the largest mask file in bytes.
	MaxMaskSize = 16 << 20
	// MaxMaskSide is the largest width and height of a mask in pixels,
	// whatever the zone: a mask is a shape, and 4096 pixels a side draw
	// its edge finer than any print needs.
	MaxMaskSide = 4096
	// maxMaskDecoded bounds the memory decoding a mask may take: an 8-bit
	// RGBA mask of MaxMaskSide² fits, a 16-bit one of that size does not.
	maxMaskDecoded = 64 << 20
)

// UploadMask sets the PNG mask of a print zone (white or opaque where the
// print may go). The image's header is checked before any pixel is decoded:
// no larger than the zone prints (its pixel size) nor MaxMaskSide a side,
// and a bounded decoded size, so a small file cannot expand into gigabytes;
// the decode then reserves its memory from the process-wide pool, so
// parallel uploads cannot add up. The previous mask is deleted once the new
// one is recorded.
func (s *Service) UploadMask(ctx context.Context, p auth.Principal, productID, zoneID string, r io.Reader) (Zone, error) {
	if err := canWrite(p); err != nil {
		return Zone{}, err
	}
	z, err := loadZone(ctx, s.db, p.BrandID, productID, zoneID)
	if err != nil {
		return Zone{}, err
	}
	if z.Type != PrintZone {
		return Zone{}, errMaskOnColourZone
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxMaskSize+1))
	if err != nil {
		return Zone{}, fmt.Errorf("read mask: %w", err)
	}
	if len(data) > MaxMaskSize {
		return Zone{}, apperr.New(apperr.TooLarge, "the mask is larger than the limit of %s", humanBytes(MaxMaskSize))
	}
	w, h, err := s.checkMask(ctx, z, data)
	if err != nil {
		return Zone{}, err
	}
	id, err := db.NewID()
	if err != nil {
		return Zone{}, err
	}
	sum := sha256.Sum256(data)
	m := &Mask{Width: w, Height: h, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), key: maskKey(p.BrandID, productID, zoneID, id)}
	if _, err := s.blobs.Put(ctx, m.key, bytes.NewReader(data), blob.PutOptions{ContentType: "image/png", MaxSize: m.Size}); err != nil {
		return Zone{}, fmt.Errorf("store mask: %w", err)
	}
	var old string
	err = s.db.InTx(ctx, func(tx *sql.Tx) error {
		now := s.stamp()
		if err := lockProduct(ctx, tx, p.BrandID, productID, now); err != nil {
			return err
		}
		cur, err := loadZone(ctx, tx, p.BrandID, productID, zoneID)
		if err != nil {
			return err
		}
		if cur.Type != PrintZone {
			return errMaskOnColourZone
		}
		if cur.Mask != nil {
			old = cur.Mask.key
		}
		return setMask(ctx, tx, p.BrandID, productID, zoneID, m, now)
	})
	if err != nil {
		s.deleteBlobs(ctx, m.key)
		return Zone{}, err
	}
	s.deleteBlobs(ctx, old)
	return s.GetZone(ctx, p, productID, zoneID)
}

var errMaskOnColourZone = apperr.New(apperr.Conflict, "masks shape print zones; this is a colour zone")

// DeleteMask removes the mask of a zone.
func (s *Service) DeleteMask(ctx context.Context, p auth.Principal, productID, zoneID string) error {
	if err := canWrite(p); err != nil {
		return err
	}
	var old string
	err := s.db.InTx(ctx, func(tx *sql.Tx) error {
		now := s.stamp()
		if err := lockProduct(ctx, tx, p.BrandID, productID, now); err != nil {
			return err
		}
		z, err := loadZone(ctx, tx, p.BrandID, productID, zoneID)
		if err != nil {
			return err
		}
		if z.Mask == nil {
			return apperr.New(apperr.NotFound, "this zone has no mask")
		}
		old = z.Mask.key
		return setMask(ctx, tx, p.BrandID, productID, zoneID, nil, now)
	})
	if err != nil {
		return err
	}
	s.deleteBlobs(ctx, old)
	return nil
}

// checkMask validates a mask file for zone z and returns its size in
// pixels. Everything is read from the header first; only a mask that
// passes is decoded (to find damage past the header), under the pool.
func (s *Service) checkMask(ctx context.Context, z Zone, data []byte) (width, height int, err error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, 0, apperr.Wrap(apperr.Unprocessable, err, "the mask must be a PNG image")
	}
	maxW, maxH := maskLimit(z)
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxW || cfg.Height > maxH {
		return 0, 0, apperr.New(apperr.Unprocessable, "the mask is %d×%d pixels; this zone needs at most %d×%d (its print size, at most %d a side): scale the mask down",
			cfg.Width, cfg.Height, maxW, maxH, MaxMaskSide)
	}
	need := int64(cfg.Width) * int64(cfg.Height) * bytesPerPixel(cfg.ColorModel)
	if limit := min(maxMaskDecoded, s.cfg.Images.Size()); need > limit {
		return 0, 0, apperr.New(apperr.Unprocessable, "the mask is %d×%d pixels taking %s once decoded, more than the %s allowed: save it as an 8-bit greyscale PNG",
			cfg.Width, cfg.Height, gltf.MiB(need), gltf.MiB(limit))
	}
	if err := s.cfg.Images.Acquire(ctx, need); err != nil {
		return 0, 0, fmt.Errorf("decode mask: %w", err)
	}
	defer s.cfg.Images.Release(need)
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		return 0, 0, apperr.Wrap(apperr.Unprocessable, err, "the mask PNG is damaged: %v", err)
	}
	return cfg.Width, cfg.Height, nil
}

// maskLimit is the largest mask zone z can use: its print size in pixels,
// capped at MaxMaskSide (and MaxMaskSide alone when the size is unknown).
func maskLimit(z Zone) (w, h int) {
	w, h = MaxMaskSide, MaxMaskSide
	if z.WidthPX != nil && *z.WidthPX > 0 {
		w = min(w, *z.WidthPX)
	}
	if z.HeightPX != nil && *z.HeightPX > 0 {
		h = min(h, *z.HeightPX)
	}
	return w, h
}

// bytesPerPixel is what one pixel of model takes once decoded.
func bytesPerPixel(m color.Model) int64 {
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.RGBAModel, color.NRGBAModel:
		return 4
	}
	return 8
}
