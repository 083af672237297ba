package render

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"io"

	xdraw "golang.org/x/image/draw"

	"github.com/luneo/luneo/compose"
	"github.com/luneo/luneo/intake"
	"github.com/luneo/luneo/internal/catalog"
)

// The compose render: for every material with print zones, its design
// texture (PNG), then a preview of every print zone (WebP). Progress moves
// one step per file.

// previewQuality is the WebP quality of zone previews.
const previewQuality = 85

func (s *Service) compose(ctx context.Context, j *job) ([]File, error) {
	zones := printZones(j.src)
	var mats []string
	byMat := map[string][]catalog.Zone{}
	for _, z := range zones {
		if byMat[z.Material] == nil {
			mats = append(mats, z.Material)
		}
		byMat[z.Material] = append(byMat[z.Material], z)
	}
	if err := s.loadMasks(ctx, j, zones); err != nil {
		return nil, err
	}
	steps, done := len(mats)+len(zones), 0
	step := func() error {
		done++
		return s.store.progress(ctx, j.RenderID, done*100/max(steps, 1))
	}
	files := []File{}
	for _, mat := range mats {
		f, err := s.texture(ctx, j, j.src.Materials[mat], byMat[mat])
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		if err := step(); err != nil {
			return nil, err
		}
	}
	for _, z := range zones {
		f, err := s.preview(ctx, j, z)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		if err := step(); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// loadMasks reads the masks of the zones into the job's sources.
func (s *Service) loadMasks(ctx context.Context, j *job, zones []catalog.Zone) error {
	for _, z := range zones {
		b, err := s.catalog.ZoneMask(ctx, z)
		if err != nil {
			return err
		}
		if b != nil {
			j.sources.masks[z.ID] = b
		}
	}
	return nil
}

// zoneInput is what a zone contributes to a file's input hash.
type zoneInput struct {
	ID     string           `json:"id"`
	Spec   catalog.ZoneSpec `json:"spec"`
	Mask   string           `json:"mask,omitempty"`
	Layers any              `json:"layers"`
	Fonts  []string         `json:"fonts,omitempty"`
}

func (j *job) zoneInput(z catalog.Zone) zoneInput {
	in := zoneInput{ID: z.ID, Spec: z.ZoneSpec, Layers: layersOf(j.doc, z.ID), Fonts: j.fonts.shas}
	if z.Mask != nil {
		in.Mask = z.Mask.SHA256
	}
	return in
}

// drawZone renders a zone's layers in frame f.
func (s *Service) drawZone(ctx context.Context, j *job, z catalog.Zone, f frame) (*image.RGBA, error) {
	sc, err := s.scene(ctx, j, z, f)
	if err != nil {
		return nil, err
	}
	release, err := s.reserve(ctx, int64(f.W)*int64(f.H)*4)
	if err != nil {
		return nil, err
	}
	defer release()
	return compose.Render(ctx, sc, compose.Options{Fonts: j.fonts.set, Sources: j.sources})
}

// scene converts a zone of the job's design into a compositor scene.
func (s *Service) scene(ctx context.Context, j *job, z catalog.Zone, f frame) (*compose.Scene, error) {
	layers := layersOf(j.doc, z.ID)
	sizes := map[string][2]int{}
	for _, l := range layers {
		if l.Image == nil {
			continue
		}
		w, h, err := j.sources.size(ctx, l.Image.Asset)
		if err != nil {
			return nil, err
		}
		sizes[l.Image.Asset] = [2]int{w, h}
	}
	_, hasMask := j.sources.masks[z.ID]
	return sceneOf(z, layers, f, hasMask, func(sha string) (int, int) { return sizes[sha][0], sizes[sha][1] }), nil
}

// reserve takes n bytes from the image pool, when there is one.
func (s *Service) reserve(ctx context.Context, n int64) (func(), error) {
	if s.cfg.Images == nil {
		return func() {}, nil
	}
	release, err := s.cfg.Images.Reserve(ctx, n)
	if err != nil {
		return nil, fmt.Errorf("wait for image memory: %w", err)
	}
	return release, nil
}

// texture makes the design texture of one material.
func (s *Service) texture(ctx context.Context, j *job, m catalog.MaterialSource, zones []catalog.Zone) (File, error) {
	var baseSize image.Point
	if m.Image != nil {
		info, err := intake.InspectImage(m.Image, imageLimits)
		if err != nil {
			return File{}, fmt.Errorf("material %q texture: %w", m.Name, err)
		}
		baseSize = image.Pt(info.Width, info.Height)
	}
	sz := textureSize(baseSize, zones, s.cfg.MaxTexture)
	ins := make([]zoneInput, len(zones))
	for i, z := range zones {
		ins[i] = j.zoneInput(z)
	}
	input, err := inputHash(struct {
		Role     string      `json:"role"`
		Material string      `json:"material"`
		Base     [32]byte    `json:"base"`
		Factor   [4]float64  `json:"factor"`
		Size     image.Point `json:"size"`
		Zones    []zoneInput `json:"zones"`
	}{RoleTexture, m.Name, sha(m.Image), m.Factor, sz, ins})
	if err != nil {
		return File{}, err
	}
	return s.file(ctx, j.BrandID, input, "png", "image/png", File{Role: RoleTexture, Material: m.Name},
		func(ctx context.Context, w io.Writer) (int, int, error) {
			release, err := s.reserve(ctx, 2*int64(sz.X)*int64(sz.Y)*4)
			if err != nil {
				return 0, 0, err
			}
			defer release()
			var base image.Image
			if m.Image != nil {
				base, err = s.bases.get(m.Image, func() (image.Image, error) {
					img, _, err := intake.DecodeImage(ctx, m.Image, imageLimits)
					return img, err
				})
				if err != nil {
					return 0, 0, fmt.Errorf("material %q texture: %w", m.Name, err)
				}
			}
			var places []placement
			for _, z := range zones {
				r := pixelRect(rectOf(z), sz)
				img, err := s.drawZone(ctx, j, z, sizedFrame(z, r.Dx(), r.Dy()))
				if err != nil {
					return 0, 0, err
				}
				places = append(places, placement{rect: rectOf(z), img: img})
				j.zoneImages[z.ID] = img
			}
			tex := designTexture(base, m.Factor, sz, places)
			// A texture is not a print file: the fastest zlib level keeps
			// it small enough and saves most of the encoding time.
			enc := png.Encoder{CompressionLevel: png.BestSpeed}
			return sz.X, sz.Y, enc.Encode(w, tex)
		})
}

// preview makes the small WebP of one print zone.
func (s *Service) preview(ctx context.Context, j *job, z catalog.Zone) (File, error) {
	f := previewFrame(z, s.cfg.PreviewSize)
	input, err := inputHash(struct {
		Role string    `json:"role"`
		W    int       `json:"w"`
		H    int       `json:"h"`
		Zone zoneInput `json:"zone"`
	}{RolePreview, f.W, f.H, j.zoneInput(z)})
	if err != nil {
		return File{}, err
	}
	return s.file(ctx, j.BrandID, input, "webp", "image/webp", File{Role: RolePreview, ZoneID: z.ID},
		func(ctx context.Context, w io.Writer) (int, int, error) {
			img, err := s.previewImage(ctx, j, z, f)
			if err != nil {
				return 0, 0, err
			}
			return f.W, f.H, compose.WriteWebP(w, img, previewQuality)
		})
}

// previewImage is the zone drawn at the preview's size: scaled down from
// the image the zone's texture was just drawn with when that is at least as
// large (the same layers, one filter pass instead of a second render),
// drawn afresh otherwise.
func (s *Service) previewImage(ctx context.Context, j *job, z catalog.Zone, f frame) (image.Image, error) {
	if src, ok := j.zoneImages[z.ID]; ok && src.Bounds().Dx() >= f.W && src.Bounds().Dy() >= f.H {
		dst := image.NewRGBA(image.Rect(0, 0, f.W, f.H))
		xdraw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), xdraw.Src, nil)
		return dst, nil
	}
	return s.drawZone(ctx, j, z, f)
}
