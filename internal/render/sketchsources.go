package render

import (
	"context"
	"fmt"
	"image"
	"image/draw"
	"math"
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

// Copies of an uploaded image that previews draw from, by longest side:
// the base copy of previewCopySide pixels (or the original when smaller)
// is decoded from the upload, and a layer takes the smallest power-of-two
// copy with at least as many pixels as it shows (made from the base copy,
// without decoding again). Drawing from a copy at most twice the size it
// is shown at keeps the compositor's resampling cheap (a rotated or
// fractionally placed image is resampled with a kernel as wide as the
// reduction). A layer showing a small crop large needs more than the base
// copy: 2048, 4096… pixels, up to the original, decoded afresh.
const (
	previewCopySide = 1024
	minCopySide     = 256
)

// assetCopy is an uploaded image resampled for previews (premultiplied,
// which the compositor resamples without converting), and the size of the
// original, which says how large a copy a layer needs.
type assetCopy struct {
	img          *image.RGBA
	origW, origH int
}

// side is the copy's longest side.
func (c *assetCopy) side() int { return max(c.img.Rect.Dx(), c.img.Rect.Dy()) }

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
		base, err := s.assetCopyOf(ctx, brandID, im.Asset, 0, nil)
		if err != nil {
			return nil, nil, err
		}
		cw, ch := max(im.Crop.Width, 1e-6)*float64(base.origW), max(im.Crop.Height, 1e-6)*float64(base.origH)
		k := max(im.WidthMM*f.PxPerMM/cw, im.HeightMM*f.PxPerMM/ch)
		scales[im.Asset] = max(scales[im.Asset], k)
	}
	for sha, k := range scales {
		c, err := s.assetCopyFor(ctx, brandID, sha, k)
		if err != nil {
			return nil, nil, err
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

// copySide is the longest side of the copy that shows an image whose
// longest side is long at scale k (output pixels per original pixel): the
// smallest power of two from minCopySide with that many pixels, or the
// original's size.
func copySide(k float64, long int) int {
	need := k * float64(long)
	side := minCopySide
	for float64(side) < need-0.5 && side < long {
		side *= 2
	}
	return min(side, long)
}

// assetCopyFor returns the copy of an asset for showing it at scale k.
func (s *Service) assetCopyFor(ctx context.Context, brandID, sha string, k float64) (*assetCopy, error) {
	base, err := s.assetCopyOf(ctx, brandID, sha, 0, nil)
	if err != nil {
		return nil, err
	}
	side := copySide(k, max(base.origW, base.origH))
	switch {
	case side == base.side():
		return base, nil
	case side < base.side():
		return s.assetCopyOf(ctx, brandID, sha, side, base)
	}
	return s.assetCopyOf(ctx, brandID, sha, side, nil)
}

// assetCopyOf returns the copy of an asset with the given longest side (0:
// the base copy), made from the copy from when it is not nil, else
// decoded from the upload.
func (s *Service) assetCopyOf(ctx context.Context, brandID, sha string, side int, from *assetCopy) (*assetCopy, error) {
	key := "asset\x00" + brandID + "\x00" + sha + "\x00" + strconv.Itoa(side)
	v, err := s.sketches.get(ctx, key, func() (any, int64, error) {
		if from != nil {
			m, err := fitRGBA(ctx, from.img, side)
			if err != nil {
				return nil, 0, fmt.Errorf("image %s: %w", sha, err)
			}
			c := &assetCopy{img: m, origW: from.origW, origH: from.origH}
			return c, int64(len(c.img.Pix)), nil
		}
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
		m, err := fitRGBA(ctx, full, side)
		if err != nil {
			return nil, 0, fmt.Errorf("image %s: %w", sha, err)
		}
		c := &assetCopy{img: m, origW: full.Rect.Dx(), origH: full.Rect.Dy()}
		return c, int64(len(c.img.Pix)), nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*assetCopy), nil
}

// maskCopyOf returns the zone's mask as the coverage the compositor takes
// from it over frame f, at f's size (see fitMask). Resampling it to the
// canvas is then the identity, so the preview is clipped exactly as if the
// full mask were stretched over it, and the full mask is decoded once per
// frame size.
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
		return m, int64(len(m.Pix)), nil
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

// fitRGBA is img within side×side, keeping its aspect, premultiplied:
// drawn by the compositor as a scene of that one image, so the copy is
// resampled with the compositor's own filter and its fast fixed-point
// path (x/image/draw's kernel scaler takes ten times as long and a float
// buffer of the whole source). An opaque image (every JPEG) is read in
// place: its straight and premultiplied pixels are the same bytes.
func fitRGBA(ctx context.Context, img image.Image, side int) (*image.RGBA, error) {
	src := premultiplied(img)
	b := src.Rect
	k := math.Min(float64(side)/float64(b.Dx()), float64(side)/float64(b.Dy()))
	if k >= 1 {
		return src, nil
	}
	w, h := max(1, int(math.Round(float64(b.Dx())*k))), max(1, int(math.Round(float64(b.Dy())*k)))
	return compose.Render(ctx, &compose.Scene{Width: w, Height: h, Layers: []compose.Layer{
		{Type: "image", Src: "copy", Width: float64(w), Height: float64(h)}}},
		compose.Options{Sources: sketchSources{"copy": src}, MaxSourcePixels: int64(b.Dx()) * int64(b.Dy())})
}

// premultiplied is img as premultiplied RGBA: itself when it is, an
// opaque NRGBA's pixels unconverted, else a converted copy.
func premultiplied(img image.Image) *image.RGBA {
	switch m := img.(type) {
	case *image.RGBA:
		return m
	case *image.NRGBA:
		if m.Opaque() {
			return &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
		}
	}
	out := image.NewRGBA(img.Bounds())
	draw.Draw(out, out.Rect, img, img.Bounds().Min, draw.Src)
	return out
}

// fitMask resamples a mask to w×h as the compositor does (bilinear, into
// premultiplied RGBA) and keeps the one channel it reads, as grey: the
// luminance of an opaque mask (opaque grey, whose luminance is itself), or
// the alpha of one with transparency (premultiplied white, whose alpha is
// itself, and whose luminance too should rounding make it opaque). RGBA,
// not Gray or Alpha: the compositor resamples RGBA fastest.
func fitMask(mask *image.NRGBA, w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.BiLinear.Scale(m, m.Rect, mask, mask.Rect, xdraw.Src, nil)
	opaque := mask.Opaque()
	for i := 0; i+4 <= len(m.Pix); i += 4 {
		p := m.Pix[i : i+4 : i+4]
		v := p[3]
		if opaque {
			// The compositor's Rec. 709 luma (compose maskAlpha).
			v = uint8((2126*uint32(p[0]) + 7152*uint32(p[1]) + 722*uint32(p[2]) + 5000) / 10000)
			p[3] = 255
		}
		p[0], p[1], p[2] = v, v, v
		if !opaque {
			p[3] = v
		}
	}
	return m
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
		f, ok := design.PickFont(files, family, "") // the file fontsFor opens
		if !ok {
			return s.fontsFor(ctx, brandID, doc) // says which family is missing
		}
		shas = append(shas, f.SHA256)
		size += 2 * f.Size
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
