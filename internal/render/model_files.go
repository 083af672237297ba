package render

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"sync"

	"github.com/luneo/luneo/gltf"
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
			pkg, err := usdz.Retexture(prod.usdz, ms.swaps)
			if err != nil {
				return 0, 0, fmt.Errorf("design USDZ: %w", err)
			}
			_, err = w.Write(pkg)
			return 0, 0, err
		})
}

// designViews renders the views of the product with the design textures,
// handing each to step (which records it). The textures are decoded, and
// their mipmaps built, once for all the views, under one reservation.
func (s *Service) designViews(ctx context.Context, j *job, prod *product, ms *modelSwaps, step func(int, func() (File, error)) error) error {
	var (
		over    map[int]raster.Texture
		release = func() {}
	)
	defer func() { release() }()
	for i, v := range modelViews {
		input, err := inputHash(struct {
			Role  string     `json:"role"`
			View  string     `json:"view"`
			Size  int        `json:"size"`
			Model modelInput `json:"model"`
		}{RoleView, v.name, v.size, ms.in})
		if err != nil {
			return err
		}
		err = step(i, func() (File, error) {
			return s.file(ctx, j.BrandID, input, "png", "image/png", File{Role: RoleView, View: v.name},
				func(ctx context.Context, w io.Writer) (int, int, error) {
					m, err := prod.viewer()
					if err != nil {
						return 0, 0, err
					}
					if over == nil {
						if over, release, err = s.viewTextures(ctx, m, ms.swaps); err != nil {
							return 0, 0, err
						}
					}
					// The frame and its coverage samples.
					done, err := s.reserve(ctx, int64(v.size)*int64(v.size)*4*6)
					if err != nil {
						return 0, 0, err
					}
					defer done()
					img, err := m.Render(ctx, raster.Options{Size: v.size, View: v.name, BaseColor: over})
					if err != nil {
						return 0, 0, fmt.Errorf("render %s view: %w", v.name, err)
					}
					enc := png.Encoder{CompressionLevel: png.BestSpeed}
					return v.size, v.size, enc.Encode(w, img)
				})
		})
		if err != nil {
			return err
		}
	}
	return nil
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

// viewTextures decodes the design textures as renderer overrides with
// their mipmaps, holding their pixels' reservation until release.
func (s *Service) viewTextures(ctx context.Context, m *raster.Model, swaps []gltf.BaseColorSwap) (map[int]raster.Texture, func(), error) {
	var n int64
	for _, sw := range swaps {
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(sw.Data)); err == nil {
			n += int64(cfg.Width) * int64(cfg.Height) * 4
		}
	}
	release, err := s.reserve(ctx, n)
	if err != nil {
		return nil, nil, err
	}
	out := make(map[int]raster.Texture, len(swaps))
	for _, sw := range swaps {
		img, _, err := intake.DecodeImage(ctx, sw.Data, imageLimits)
		if err == nil {
			out[sw.Material], err = m.Prepare(raster.Texture{Image: img, TexCoord: sw.TexCoord, FactorWhite: sw.FactorWhite})
		}
		if err != nil {
			release()
			return nil, nil, fmt.Errorf("design texture: %w", err)
		}
	}
	return out, release, nil
}
