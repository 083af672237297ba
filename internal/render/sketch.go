package render

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"math"

	"github.com/luneo/luneo/compose"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/catalog"
	"github.com/luneo/luneo/internal/design"
)

// A sketch is the live preview of the customizer ("what the shopper sees
// is what prints"): one print zone of a design not saved yet, drawn by the
// server's compositor exactly as the compose render will draw it (the same
// scene conversion, mask, fonts and images), small and at once, during the
// request. Nothing is stored and no job runs. What would make that slow on
// every edit (decoding the uploaded photos, the zone mask, the brand fonts)
// is kept in the service's sketchCache by content.

// Sketch is a drawn preview: an encoded image with transparency where
// nothing is drawn.
type Sketch struct {
	Body        []byte
	ContentType string
	Width       int
	Height      int
}

// Sizes of a sketch's longest side, in pixels.
const (
	SketchMinSize     = 64
	SketchMaxSize     = 1024
	SketchDefaultSize = 512
)

// sketchQuality is the WebP quality of sketches: the zone previews'.
const sketchQuality = previewQuality

// sketchWebPMethod is libwebp's fastest method. Measured on the test
// design at 512 pixels (BenchmarkSketchEncode, 2 loaded cores): PNG at
// zlib's fastest level 4.5 ms and 62 KB, WebP method 0 5.0 ms and 18 KB,
// method 2 6.9 ms and 13 KB; with photo grain, PNG 8.6 ms and 101 KB,
// WebP method 0 7.5 ms and 23 KB, method 2 11.6 ms and 18 KB. Method 0
// encodes about as fast as PNG at a quarter of its size, which the
// shopper's connection then saves several times over.
const sketchWebPMethod = 0

// Sketch draws the print zone zoneID of doc, a document design.Service.Check
// validated for brandID, fitted within size×size pixels (clamped to
// SketchMinSize..SketchMaxSize; 0 means SketchDefaultSize). A zone that is
// not one of the product's print zones is apperr.Invalid.
func (s *Service) Sketch(ctx context.Context, brandID string, doc design.Document, zoneID string, size int) (Sketch, error) {
	z, err := s.sketchZone(ctx, brandID, doc.ProductID, zoneID)
	if err != nil {
		return Sketch{}, err
	}
	f := previewFrame(z, sketchSize(size))
	img, release, err := s.drawSketch(ctx, brandID, doc, z, f)
	if err != nil {
		return Sketch{}, err
	}
	defer release()
	var b bytes.Buffer
	if err := compose.WriteWebPMethod(&b, unpremultiply(img), sketchQuality, sketchWebPMethod); err != nil {
		return Sketch{}, fmt.Errorf("encode zone %s: %w", z.ID, err)
	}
	return Sketch{Body: b.Bytes(), ContentType: "image/webp", Width: f.W, Height: f.H}, nil
}

// drawSketch draws zone z of doc in preview frame f. Its sources are
// gathered first (their decodes reserve pool memory of their own, and
// release it); then the canvas is reserved, for the caller to release
// once it has encoded it, so a request never holds memory while it waits
// for more.
func (s *Service) drawSketch(ctx context.Context, brandID string, doc design.Document, z catalog.Zone, f frame) (*image.RGBA, func(), error) {
	layers := layersOf(doc, z.ID)
	fs, err := s.sketchFonts(ctx, brandID, doc)
	if err != nil {
		return nil, nil, err
	}
	src, sizes, err := s.sketchImages(ctx, brandID, z, layers, f)
	if err != nil {
		return nil, nil, err
	}
	_, hasMask := src[srcMask+z.ID]
	sf, scale := layoutFrame(z, f)
	sc := sceneOf(z, layers, sf, hasMask, sizes)
	// The canvas, the layers' prescaled copies and the encoder's straight
	// alpha copy: a few times the canvas at most.
	release, err := s.reserve(ctx, 3*int64(f.W)*int64(f.H)*4)
	if err != nil {
		return nil, nil, err
	}
	img, err := compose.Render(ctx, sc, compose.Options{Fonts: fs.set, Sources: src, Scale: scale})
	if err != nil {
		release()
		return nil, nil, fmt.Errorf("draw zone %s: %w", z.ID, err)
	}
	return img, release, nil
}

// layoutFrame is the frame the sketch's scene is laid out in, and the
// scale that draws it straight at preview frame f (compose.Options.Scale):
// the print's resolution, whatever the preview's size. Text shaping rounds
// each advance to a whole pixel of the scene, so a line laid out at a
// preview's 36 px per em comes out up to 2–3% wider or narrower than on
// the print; laid out at the print's resolution, it breaks and spaces
// exactly as printed. A preview larger than the print is drawn as is.
func layoutFrame(z catalog.Zone, f frame) (frame, float64) {
	dpi := 300.0
	if z.DPI != nil && *z.DPI > 0 {
		dpi = float64(*z.DPI)
	}
	ppm := dpi / 25.4
	scale := f.PxPerMM / ppm
	w, h := math.Round(float64(f.W)/scale), math.Round(float64(f.H)/scale)
	if scale >= 1 || max(w, h) > compose.MaxSide {
		return f, 1
	}
	// |w·scale − f.W| ≤ scale/2 < 1/2: the output is exactly f.W × f.H.
	return frame{W: int(w), H: int(h), PxPerMM: ppm, DPI: dpi}, scale
}

// sketchSize clamps a requested size.
func sketchSize(n int) int {
	if n == 0 {
		return SketchDefaultSize
	}
	return min(max(n, SketchMinSize), SketchMaxSize)
}

// sketchZone finds the print zone to draw among the product's zones, read
// afresh (two small queries): an edited zone or a new mask shows at once.
func (s *Service) sketchZone(ctx context.Context, brandID, productID, zoneID string) (catalog.Zone, error) {
	if zoneID == "" {
		return catalog.Zone{}, apperr.New(apperr.Invalid, "zone_id is required: the print zone to preview")
	}
	_, zones, err := s.catalog.ProductZones(ctx, brandID, productID)
	if err != nil {
		return catalog.Zone{}, err
	}
	for _, z := range zones {
		if z.ID != zoneID {
			continue
		}
		if z.Type != catalog.PrintZone {
			return catalog.Zone{}, apperr.New(apperr.Invalid, "zone_id: %q (%s) is a colour zone; only print zones have a preview", z.ID, z.Name)
		}
		if w, h := zoneMM(z); w <= 0 || h <= 0 {
			return catalog.Zone{}, apperr.New(apperr.Invalid, "zone_id: print zone %q (%s) has no print size", z.ID, z.Name)
		}
		return z, nil
	}
	return catalog.Zone{}, apperr.New(apperr.Invalid, "zone_id: %q is not a zone of this product", shortID(zoneID))
}

// shortID cuts a client's identifier for an error message.
func shortID(id string) string {
	if len(id) > 64 {
		return id[:64] + "…"
	}
	return id
}

// unpremultiply is img with straight alpha, as the encoders take it (the
// standard library's conversion goes pixel by pixel through interfaces).
func unpremultiply(img *image.RGBA) *image.NRGBA {
	out := image.NewNRGBA(img.Rect)
	w := 4 * img.Rect.Dx()
	for y := range img.Rect.Dy() {
		src, dst := img.Pix[y*img.Stride:y*img.Stride+w], out.Pix[y*out.Stride:y*out.Stride+w]
		for i := 0; i+4 <= len(src); i += 4 {
			p, q := src[i:i+4:i+4], dst[i:i+4:i+4]
			switch a := uint32(p[3]); a {
			case 0:
			case 255:
				copy(q, p)
			default:
				q[0] = uint8((uint32(p[0])*255 + a/2) / a)
				q[1] = uint8((uint32(p[1])*255 + a/2) / a)
				q[2] = uint8((uint32(p[2])*255 + a/2) / a)
				q[3] = uint8(a)
			}
		}
	}
	return out
}
