package render

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"sync"

	"github.com/luneo/luneo/intake"
	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/raster"
	"github.com/luneo/luneo/usdz"
)

// modelView is one rendered view of a designed product: the three-quarter
// view (the convention shared with Blender's reference renders) large, as
// the product's preview image; front and back smaller, for order pages.
type modelView struct {
	name string
	size int
}

// viewTextureSize caps the textures the views sample.
const viewTextureSize = 1024

var modelViews = []modelView{
	{raster.ViewThreeQuarter, 1024},
	{raster.ViewFront, 512},
	{raster.ViewBack, 512},
}

// designUSDZ makes the product's USDZ with the design textures: its cached
// package re-laid out with the texture files swapped, no geometry work.
func (s *Service) designUSDZ(ctx context.Context, j *job, prod *product, ms *modelSwaps) (File, error) {
	input, err := inputHash(struct {
		Role  string     `json:"role"`
		Model modelInput `json:"model"`
	}{RoleUSDZ, ms.in})
	if err != nil {
		return File{}, err
	}
	return s.file(ctx, j.BrandID, input, "usdz", ar.USDZType, File{Role: RoleUSDZ},
		func(ctx context.Context, w io.Writer) (int, int, error) {
			swaps := make([]usdz.Swap, len(ms.swaps))
			for i, sw := range ms.swaps {
				swaps[i] = usdz.Swap{Material: sw.Material, Data: sw.Data, TexCoord: sw.TexCoord, FactorWhite: sw.FactorWhite}
			}
			pkg, err := usdz.Retexture(prod.usdz, swaps)
			if err != nil {
				return 0, 0, fmt.Errorf("design USDZ: %w", err)
			}
			_, err = w.Write(pkg)
			return 0, 0, err
		})
}

// designView renders one view of the product with the design textures.
func (s *Service) designView(ctx context.Context, j *job, prod *product, ms *modelSwaps, v modelView) (File, error) {
	input, err := inputHash(struct {
		Role  string     `json:"role"`
		View  string     `json:"view"`
		Size  int        `json:"size"`
		Model modelInput `json:"model"`
	}{RoleView, v.name, v.size, ms.in})
	if err != nil {
		return File{}, err
	}
	return s.file(ctx, j.BrandID, input, "png", "image/png", File{Role: RoleView, View: v.name},
		func(ctx context.Context, w io.Writer) (int, int, error) {
			m, err := prod.viewer()
			if err != nil {
				return 0, 0, err
			}
			// The frame, its coverage samples and the decoded textures.
			release, err := s.reserve(ctx, int64(v.size)*int64(v.size)*4*6+ms.decodedBytes())
			if err != nil {
				return 0, 0, err
			}
			defer release()
			over, err := ms.decoded(ctx, m)
			if err != nil {
				return 0, 0, err
			}
			img, err := m.Render(ctx, raster.Options{Size: v.size, View: v.name, BaseColor: over})
			if err != nil {
				return 0, 0, fmt.Errorf("render %s view: %w", v.name, err)
			}
			enc := png.Encoder{CompressionLevel: png.BestSpeed}
			return v.size, v.size, enc.Encode(w, img)
		})
}

// viewer returns the product's model prepared for rendering, loaded on
// first use (a render that only needs the GLB and USDZ never pays for it).
func (p *product) viewer() (*raster.Model, error) {
	p.rasterOnce.Do(func() {
		// Views are at most 1024²: textures above that would only cost
		// memory (kept while the product stays in the cache) and time.
		p.raster, p.rasterErr = raster.Load(p.doc, raster.LoadOptions{MaxTextureSize: viewTextureSize})
		if p.rasterErr != nil {
			p.rasterErr = fmt.Errorf("prepare the product for views: %w", p.rasterErr)
		}
	})
	return p.raster, p.rasterErr
}

// rasterState is the lazily prepared renderer model of a product.
type rasterState struct {
	rasterOnce sync.Once
	raster     *raster.Model
	rasterErr  error
}

// decodedBytes is the memory the decoded design textures take.
func (ms *modelSwaps) decodedBytes() int64 {
	var n int64
	for _, sw := range ms.swaps {
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(sw.Data)); err == nil {
			n += int64(cfg.Width) * int64(cfg.Height) * 4
		}
	}
	return n
}

// decoded returns the design textures as renderer overrides, decoded and
// their mipmaps built once per render job: the three views share them.
func (ms *modelSwaps) decoded(ctx context.Context, m *raster.Model) (map[int]raster.Texture, error) {
	if ms.textures != nil {
		return ms.textures, nil
	}
	out := make(map[int]raster.Texture, len(ms.swaps))
	for _, sw := range ms.swaps {
		img, _, err := intake.DecodeImage(ctx, sw.Data, imageLimits)
		if err != nil {
			return nil, fmt.Errorf("decode design texture: %w", err)
		}
		t, err := m.Prepare(raster.Texture{Image: img, TexCoord: sw.TexCoord, FactorWhite: sw.FactorWhite})
		if err != nil {
			return nil, fmt.Errorf("design texture: %w", err)
		}
		out[sw.Material] = t
	}
	ms.textures = out
	return out, nil
}
