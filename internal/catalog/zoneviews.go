package catalog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/platform/blob"
)

// Where the customizer's 3D view looks when a shopper works on a print
// zone: the camera turns to face the zone's centre, as a person turns a mug
// to see its print. The direction comes from the model's surface at the
// centre of the zone's UV rect (gltf.SurfaceAt), found once per model and
// zone rect and kept in a small JSON blob beside the model's files (so a
// new model, which sweeps them, starts afresh).

// ZoneView is a camera orbit facing a zone, in <model-viewer>'s terms:
// Theta turns around the vertical axis from the front (+Z) towards +X,
// Phi is measured from straight above; both in degrees.
type ZoneView struct {
	Theta float64 `json:"theta"`
	Phi   float64 `json:"phi"`
}

// viewsName is the blob, beside the model's files, holding found views.
const viewsName = "zone-views.json"

// zoneViews fills the View of the print zones of model m: from the blob
// when known, else from the model's geometry (read once for all missing
// zones, then remembered). A view that cannot be found (the rect's centre
// lies on no triangle) is remembered as none.
func (s *Service) zoneViews(ctx context.Context, brandID string, m Model, zones []Zone) error {
	key := modelKey(brandID, m.ProductID, m.ID, viewsName)
	known := map[string]*ZoneView{}
	if rc, _, err := s.blobs.Get(ctx, key, nil); err == nil {
		b, rerr := io.ReadAll(io.LimitReader(rc, 1<<20))
		rc.Close()
		if rerr != nil || json.Unmarshal(b, &known) != nil {
			known = map[string]*ZoneView{} // unreadable: found again below
		}
	} else if !errors.Is(err, blob.ErrNotFound) {
		return fmt.Errorf("zone views: %w", err)
	}
	var doc *gltf.Document
	changed := false
	for i := range zones {
		z := &zones[i]
		if z.Type != PrintZone {
			continue
		}
		r := rectOrWhole(z.UVRect)
		k := fmt.Sprintf("%s|%.6f|%.6f", z.Material, (r.U0+r.U1)/2, (r.V0+r.V1)/2)
		if v, ok := known[k]; ok {
			z.View = v
			continue
		}
		if doc == nil {
			var release func()
			var err error
			if doc, release, err = s.readCanonical(ctx, m.Canonical.key); err != nil {
				return err
			}
			defer release()
		}
		known[k] = viewOf(doc, z.Material, (r.U0+r.U1)/2, (r.V0+r.V1)/2)
		z.View, changed = known[k], true
	}
	if !changed {
		return nil
	}
	b, _ := json.Marshal(known)
	if _, err := s.blobs.Put(ctx, key, bytes.NewReader(b), blob.PutOptions{ContentType: "application/json", MaxSize: int64(len(b))}); err != nil {
		return fmt.Errorf("zone views: %w", err)
	}
	return nil
}

// viewOf is the orbit facing (u, v) of material's base colour texture
// coordinates, nil when the model has no surface there.
func viewOf(doc *gltf.Document, material string, u, v float64) *ZoneView {
	for i, mat := range doc.Materials {
		if mat.Name != material {
			continue
		}
		texCoord := 0
		if pbr := mat.PBRMetallicRoughness; pbr != nil && pbr.BaseColorTexture != nil {
			texCoord = pbr.BaseColorTexture.TexCoord
		}
		s, ok := gltf.SurfaceAt(doc, i, texCoord, u, v)
		if !ok {
			return nil
		}
		n := s.Normal
		deg := 180 / math.Pi
		// Never straight from above or below: the product stays readable.
		phi := min(max(math.Acos(max(-1, min(1, n[1])))*deg, 20), 160)
		return &ZoneView{Theta: math.Round(math.Atan2(n[0], n[2])*deg*10) / 10, Phi: math.Round(phi*10) / 10}
	}
	return nil
}

// rectOrWhole is a zone's UV rect, the whole material when it sets none.
func rectOrWhole(r *Rect) Rect {
	if r == nil {
		return Rect{U0: 0, V0: 0, U1: 1, V1: 1}
	}
	return *r
}

// readCanonical reads and parses a model's canonical GLB, geometry
// included, for the zone views. It holds the file and the geometry copies
// SurfaceAt reads, so it reserves twice the file from the model pool first,
// like an upload, and waits its turn behind them.
func (s *Service) readCanonical(ctx context.Context, key string) (*gltf.Document, func(), error) {
	info, err := s.blobs.Stat(ctx, key)
	if err != nil {
		return nil, nil, fmt.Errorf("read model: %w", err)
	}
	if limit := 2 * s.cfg.MaxModelSize; info.Size > limit {
		return nil, nil, fmt.Errorf("read model: %s is larger than %d bytes", key, limit)
	}
	release, err := s.cfg.Models.Reserve(ctx, 2*info.Size)
	if err != nil {
		return nil, nil, fmt.Errorf("read model: %w", err)
	}
	doc, err := s.parseBlob(ctx, key, info.Size)
	if err != nil {
		release()
		return nil, nil, err
	}
	return doc, release, nil
}

// parseBlob reads the blob at key, of size bytes, and parses it as glTF.
func (s *Service) parseBlob(ctx context.Context, key string, size int64) (*gltf.Document, error) {
	rc, _, err := s.blobs.Get(ctx, key, nil)
	if err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	defer rc.Close()
	b := make([]byte, size)
	if _, err := io.ReadFull(rc, b); err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	doc, err := gltf.Read(bytes.NewReader(b), size, gltf.ReadOptions{})
	if err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	return doc, nil
}
