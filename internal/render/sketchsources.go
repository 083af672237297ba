package render

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	"slices"
	"strconv"
	"strings"

	xdraw "golang.org/x/image/draw"

	"github.com/luneo/luneo/compose"
	"github.com/luneo/luneo/intake"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
)

// What a live preview draws from, kept in the service's sketchCache. The
// compositor is handed the same layers as the compose render (sceneOf);
// only its sources are smaller: an uploaded photo of 4000×3000 pixels is
// decoded once and kept as a copy just large enough for previews, and the
// zone mask as coverage already fitted to the preview's frame.

// previewCopySide is the longest side of the copy of an uploaded image
// that previews draw from: a 1024-pixel preview never needs more of an
// uncropped image. A layer showing a small crop of its image large needs
// more: it gets a copy twice, four times… as large, up to the original.
const previewCopySide = 1024

// assetCopy is an uploaded image resampled for previews (premultiplied,
// which the compositor resamples without converting), and the size of the
// original, which says how large a copy a layer needs.
type assetCopy struct {
	img        *image.RGBA
	origW      int
	origH      int
	fullRes    bool // img is the original's size
	cachedSide int  // the copy's longest side
}

// sketchSources serves the images of one preview's scene, all in memory.
type sketchSources map[string]image.Image

var _ compose.Sources = sketchSources(nil)

// Open implements compose.Sources.
func (x sketchSources) Open(_ context.Context, src string) (image.Image, error) {
	if m, ok := x[src]; ok {
		return m, nil
	}
	return nil, fmt.Errorf("render: unknown image source %q", src)
}

// sketchImages gathers the sources of a zone's layers drawn in frame f:
// each image layer's asset as a copy large enough for the layer, and the
// zone's mask fitted to f. It also returns the copies' sizes, which the
// layers' crops are measured in (crop fractions × the copy's size).
func (s *Service) sketchImages(ctx context.Context, brandID string, z catalog.Zone, layers []design.Layer, f frame) (sketchSources, assetSize, error) {
	src := sketchSources{}
	sizes := map[string][2]int{}
	// The largest scale, in output pixels per original pixel, at which
	// some layer shows each asset.
	scales := map[string]float64{}
	for _, l := range layers {
		if l.Image == nil {
			continue
		}
		im := l.Image
		base, err := s.assetCopyOf(ctx, brandID, im.Asset, 0)
		if err != nil {
			return nil, nil, err
		}
		cw, ch := max(im.Crop.Width, 1e-6)*float64(base.origW), max(im.Crop.Height, 1e-6)*float64(base.origH)
		k := max(im.WidthMM*f.PxPerMM/cw, im.HeightMM*f.PxPerMM/ch)
		scales[im.Asset] = max(scales[im.Asset], k)
	}
	for sha, k := range scales {
		base, err := s.assetCopyOf(ctx, brandID, sha, 0)
		if err != nil {
			return nil, nil, err
		}
		c := base
		if side := copySide(k, base); side > base.cachedSide {
			if c, err = s.assetCopyOf(ctx, brandID, sha, side); err != nil {
				return nil, nil, err
			}
		}
		src[srcAsset+sha] = c.img
		sizes[sha] = [2]int{c.img.Rect.Dx(), c.img.Rect.Dy()}
	}
	if z.Mask != nil && z.Mask.SHA256 != "" {
		m, err := s.maskCopyOf(ctx, brandID, z, f)
		if err != nil {
			return nil, nil, err
		}
		src[srcMask+z.ID] = m
	}
	return src, func(sha string) (int, int) { return sizes[sha][0], sizes[sha][1] }, nil
}

// copySide is the longest side of the copy a layer showing the asset at
// scale k (output pixels per original pixel) needs: the base copy when it
// has enough pixels, else the smallest doubling of it that has, capped at
// the original's size.
func copySide(k float64, base *assetCopy) int {
	long := max(base.origW, base.origH)
	need := k * float64(long)
	if base.fullRes || need <= float64(base.cachedSide)+0.5 {
		return base.cachedSide
	}
	side := previewCopySide
	for float64(side) < need && side < long {
		side *= 2
	}
	return min(side, long)
}

// assetCopyOf returns the copy of an asset with the given longest side
// (0: the base copy, previewCopySide or the original's size if smaller),
// decoding the asset on a miss.
func (s *Service) assetCopyOf(ctx context.Context, brandID, sha string, side int) (*assetCopy, error) {
	key := "asset\x00" + brandID + "\x00" + sha + "\x00" + strconv.Itoa(side)
	v, err := s.sketches.get(ctx, key, func() (any, int64, error) {
		data, err := newSources(s, brandID).read(ctx, srcAsset+sha)
		if err != nil {
			return nil, 0, err
		}
		full, release, err := s.decodeReserved(ctx, data)
		if err != nil {
			return nil, 0, fmt.Errorf("image %s: %w", sha, err)
		}
		defer release()
		if side == 0 {
			side = previewCopySide
		}
		c := &assetCopy{img: fitRGBA(full, side), origW: full.Rect.Dx(), origH: full.Rect.Dy()}
		c.cachedSide = max(c.img.Rect.Dx(), c.img.Rect.Dy())
		c.fullRes = c.img.Rect.Size() == full.Rect.Size()
		return c, int64(len(c.img.Pix)), nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*assetCopy), nil
}

// maskCopyOf returns the zone's mask as the coverage the compositor takes
// from it over frame f, at f's size: luminance (Gray) for an opaque mask,
// alpha (Alpha) otherwise. Resampling it to the canvas is then the
// identity, so the preview is clipped exactly as if the full mask were
// stretched over it, and the full mask is decoded once per frame size.
func (s *Service) maskCopyOf(ctx context.Context, brandID string, z catalog.Zone, f frame) (image.Image, error) {
	key := "mask\x00" + brandID + "\x00" + z.Mask.SHA256 + "\x00" + strconv.Itoa(f.W) + "x" + strconv.Itoa(f.H)
	v, err := s.sketches.get(ctx, key, func() (any, int64, error) {
		j := &job{sources: newSources(s, brandID)}
		if err := s.loadMasks(ctx, j, []catalog.Zone{z}); err != nil {
			return nil, 0, err
		}
		data, err := j.sources.read(ctx, srcMask+z.ID)
		if err != nil {
			return nil, 0, err
		}
		full, release, err := s.decodeReserved(ctx, data)
		if err != nil {
			return nil, 0, fmt.Errorf("mask of zone %s: %w", z.ID, err)
		}
		defer release()
		m := fitMask(full, f.W, f.H)
		return m, int64(f.W) * int64(f.H), nil
	})
	if err != nil {
		return nil, err
	}
	return v.(image.Image), nil
}

// decodeReserved decodes an image like the render's sources (EXIF
// orientation and ICC applied) after reserving from the image pool what
// decoding takes (intake's 12 bytes a pixel, read from the header); the
// caller releases once it has made its copy.
func (s *Service) decodeReserved(ctx context.Context, data []byte) (*image.NRGBA, func(), error) {
	info, err := intake.InspectImage(data, imageLimits)
	if err != nil {
		return nil, nil, err
	}
	release, err := s.reserve(ctx, int64(info.Width)*int64(info.Height)*12)
	if err != nil {
		return nil, nil, err
	}
	img, _, err := intake.DecodeImage(ctx, data, imageLimits)
	if err != nil {
		release()
		return nil, nil, err
	}
	return img, release, nil
}

// fitRGBA is img within side×side, keeping its aspect (compose.Fit's
// filter: every source pixel counts), premultiplied.
func fitRGBA(img *image.NRGBA, side int) *image.RGBA {
	if m, ok := compose.Fit(img, side).(*image.RGBA); ok {
		return m
	}
	out := image.NewRGBA(img.Rect)
	draw.Draw(out, out.Rect, img, img.Rect.Min, draw.Src)
	return out
}

// fitMask resamples a mask to w×h as the compositor does (bilinear, into
// premultiplied RGBA) and keeps the one channel it reads.
func fitMask(mask *image.NRGBA, w, h int) image.Image {
	scaled := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.BiLinear.Scale(scaled, scaled.Rect, mask, mask.Rect, xdraw.Src, nil)
	if mask.Opaque() {
		g := image.NewGray(scaled.Rect)
		for i := range g.Pix {
			p := scaled.Pix[i*4 : i*4+4]
			// The compositor's Rec. 709 luma (compose maskAlpha).
			g.Pix[i] = uint8((2126*uint32(p[0]) + 7152*uint32(p[1]) + 722*uint32(p[2]) + 5000) / 10000)
		}
		return g
	}
	a := image.NewAlpha(scaled.Rect)
	for i := range a.Pix {
		a.Pix[i] = scaled.Pix[i*4+3]
	}
	return a
}

// sketchFonts is fontsFor for previews: the bundled set when the design
// names no brand font, else the set with the brand's fonts, kept by their
// files' SHA-256 (a re-uploaded family is another key).
func (s *Service) sketchFonts(ctx context.Context, brandID string, doc design.Document) (*fontSet, error) {
	families := s.brandFamilies(doc)
	if len(families) == 0 {
		return &fontSet{set: s.bundled}, nil
	}
	files, err := s.designs.BrandFonts(ctx, brandID)
	if err != nil {
		return nil, err
	}
	var shas []string
	size := int64(fontSetOverhead)
	for _, family := range families {
		i := slices.IndexFunc(files, func(f design.Font) bool { return strings.EqualFold(f.Family, family) })
		if i < 0 {
			return s.fontsFor(ctx, brandID, doc) // says which family is missing
		}
		shas = append(shas, files[i].SHA256)
		size += 2 * files[i].Size
	}
	key := "fonts\x00" + brandID + "\x00" + strings.Join(shas, "\x00")
	v, err := s.sketches.get(ctx, key, func() (any, int64, error) {
		fs, err := s.fontsFor(ctx, brandID, doc)
		return fs, size, err
	})
	if err != nil {
		return nil, err
	}
	fs := v.(*fontSet)
	if !slices.Equal(fs.shas, shas) {
		// A family was re-uploaded between the listing and the load: the
		// set is right for now but not for its key.
		s.sketches.remove(key)
	}
	return fs, nil
}

// fontSetOverhead is what a font set holds besides its brand files: the
// bundled fonts it parses (their tables are read on demand).
const fontSetOverhead = 4 << 20
