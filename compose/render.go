package compose

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"sync"

	"github.com/luneo/luneo/compose/fonts"
)

// DefaultMaxPixels is the output pixel budget of Render (and of one band
// of RenderBands) when Options.MaxPixels is 0: 64 Mpx, 256 MB as RGBA.
const DefaultMaxPixels = 64 << 20

// DefaultMaxSourceTotal is the default Options.MaxSourcePixels: 128 Mpx,
// 512 MB of RGBA.
const DefaultMaxSourceTotal = 128 << 20

// Options are what a render needs besides the scene.
type Options struct {
	// Fonts resolves text layers' fonts (fonts.Bundled() for the bundle).
	Fonts *fonts.Set
	// Sources opens "src" and "mask" images.
	Sources Sources
	// MaxPixels bounds the pixels held at once: the whole output for
	// Render, one band for RenderBands (0 = DefaultMaxPixels).
	MaxPixels int64
	// MaxSourcePixels bounds the decoded source images one render holds,
	// all together (0 = DefaultMaxSourceTotal); the same src is decoded
	// once however many layers use it.
	MaxSourcePixels int64
	// Scale renders the scene at this factor (0 = 1): 0.5 draws a 2048²
	// scene straight at 1024², resampling each source once, which is
	// faster than drawing at full size and shrinking the result, and equal
	// to it within filter rounding.
	Scale float64
}

// Render draws the whole scene into one image (premultiplied RGBA).
func Render(ctx context.Context, s *Scene, o Options) (*image.RGBA, error) {
	r, err := newRenderer(ctx, s, o)
	if err != nil {
		return nil, err
	}
	if int64(r.out.Dx())*int64(r.out.Dy()) > r.maxPixels {
		return nil, fmt.Errorf("scene: %dx%d pixels is more than the budget of %d: render it in bands",
			r.out.Dx(), r.out.Dy(), r.maxPixels)
	}
	// Text geometry is built while the images decode: both are independent.
	if err := r.prepare(ctx, true); err != nil {
		return nil, err
	}
	return r.drawBand(ctx, r.out)
}

// RenderBands draws the scene in horizontal bands of bandHeight output
// rows, top first, calling emit with each (band.Bounds().Min.Y == y0), so
// a print zone larger than the memory budget is never held whole. Sources
// are decoded once and kept for all bands.
func RenderBands(ctx context.Context, s *Scene, o Options, bandHeight int, emit func(y0 int, band image.Image) error) error {
	r, err := newRenderer(ctx, s, o)
	if err != nil {
		return err
	}
	if bandHeight <= 0 {
		return errors.New("render bands: band height must be positive")
	}
	if int64(bandHeight)*int64(r.out.Dx()) > r.maxPixels {
		bandHeight = int(r.maxPixels / int64(r.out.Dx()))
		if bandHeight < 1 {
			return fmt.Errorf("scene: a row of %d pixels is more than the budget of %d", r.out.Dx(), r.maxPixels)
		}
	}
	if err := r.prepare(ctx, false); err != nil {
		return err
	}
	for y := r.out.Min.Y; y < r.out.Max.Y; y += bandHeight {
		band, err := r.drawBand(ctx, image.Rect(r.out.Min.X, y, r.out.Max.X, min(y+bandHeight, r.out.Max.Y)))
		if err != nil {
			return err
		}
		if err := emit(y, band); err != nil {
			return fmt.Errorf("render bands: %w", err)
		}
	}
	return nil
}

// renderer holds one render's state.
type renderer struct {
	s         *Scene
	o         Options
	scale     float64
	out       image.Rectangle
	maxPixels int64
	bg        color.NRGBA
	clip      image.Rectangle
	sceneMask image.Image
	layers    []drawable

	mu        sync.Mutex
	opened    map[string]*openedSource
	srcPixels int64
	srcBudget int64
}

func newRenderer(ctx context.Context, s *Scene, o Options) (*renderer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if o.Fonts == nil {
		o.Fonts = fonts.Bundled()
	}
	scale := o.Scale
	if scale == 0 {
		scale = 1
	}
	if !finite(scale) || scale <= 0 || scale > 16 {
		return nil, fmt.Errorf("render: scale %v is outside 0..16", scale)
	}
	w, h := int(math.Round(float64(s.Width)*scale)), int(math.Round(float64(s.Height)*scale))
	if w < 1 || h < 1 || w > 4*MaxSide || h > 4*MaxSide {
		return nil, fmt.Errorf("render: %dx%d output pixels is out of range", w, h)
	}
	r := &renderer{s: s, o: o, scale: scale, out: image.Rect(0, 0, w, h), maxPixels: o.MaxPixels,
		opened: map[string]*openedSource{}, srcBudget: o.MaxSourcePixels}
	if r.srcBudget <= 0 {
		r.srcBudget = DefaultMaxSourceTotal
	}
	if r.maxPixels <= 0 {
		r.maxPixels = DefaultMaxPixels
	}
	r.bg, _ = parseColor(s.Background, true)
	r.clip = r.out
	if s.Clip != nil {
		r.clip = r.scaledRect(s.Clip).Intersect(r.out)
	}
	return r, nil
}

// scaledRect maps a scene rectangle to output pixels.
func (r *renderer) scaledRect(c *Rect) image.Rectangle {
	return image.Rect(int(math.Round(c.X*r.scale)), int(math.Round(c.Y*r.scale)),
		int(math.Round((c.X+c.Width)*r.scale)), int(math.Round((c.Y+c.Height)*r.scale)))
}

// prepare loads every source and lays out every text layer, concurrently
// (two workers: the base image's decode is the long pole, and text and
// smaller images fit beside it).
func (r *renderer) prepare(ctx context.Context, whole bool) error {
	n := len(r.s.Layers)
	r.layers = make([]drawable, n)
	errs := make([]error, n+1)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if i == n {
					errs[n] = r.loadSceneMask(ctx)
					continue
				}
				r.layers[i], errs[i] = r.prepareLayer(ctx, i, whole)
			}
		}()
	}
	// Images first, in scene order, so the (usually big) base starts at once.
	for i := range r.s.Layers {
		if r.s.Layers[i].Type == "image" {
			jobs <- i
		}
	}
	jobs <- n
	for i := range r.s.Layers {
		if r.s.Layers[i].Type != "image" {
			jobs <- i
		}
	}
	close(jobs)
	wg.Wait()
	return errors.Join(errs...)
}

// With whole (one band: Render), images are resampled and text is
// rasterized here, on the preparing goroutines.
func (r *renderer) prepareLayer(ctx context.Context, i int, whole bool) (drawable, error) {
	l := &r.s.Layers[i]
	clip := r.clip
	if l.Clip != nil {
		clip = clip.Intersect(r.scaledRect(l.Clip))
	}
	switch l.Type {
	case "image":
		img, err := r.open(ctx, l.Src)
		if err != nil {
			return nil, fmt.Errorf("scene: layer %d: src: %w", i, err)
		}
		var mask image.Image
		if l.Mask != "" {
			if mask, err = r.open(ctx, l.Mask); err != nil {
				return nil, fmt.Errorf("scene: layer %d: mask: %w", i, err)
			}
		}
		d, err := prepareImage(i, l, img, mask, r.scale)
		if err != nil {
			return nil, err
		}
		if whole {
			d.prescale(r.out)
		}
		return clipped{d, clip}, nil
	case "text":
		block, err := layoutText(l, r.o.Fonts)
		if err != nil {
			return nil, &FieldError{Layer: i, Field: "font", Msg: err.Error()}
		}
		tr, err := rasterizeText(l, block, r.scale)
		if err != nil {
			return nil, fmt.Errorf("scene: layer %d: %w", i, err)
		}
		if whole {
			tr.premask(clip)
		}
		return clipped{tr, clip}, nil
	default: // "fill", checked by Validate
		return clipped{r.prepareFill(l), clip}, nil
	}
}

// clipped restricts a drawable to a rectangle.
type clipped struct {
	d    drawable
	clip image.Rectangle
}

func (c clipped) draw(dst *image.RGBA, clip image.Rectangle) { c.d.draw(dst, clip.Intersect(c.clip)) }

// drawBand composites every layer into a new image covering band.
func (r *renderer) drawBand(ctx context.Context, band image.Rectangle) (*image.RGBA, error) {
	layers := r.layers
	var dst *image.RGBA
	if base := r.adoptable(band); base != nil {
		// The bottom layer is a resampled copy covering the whole band
		// opaquely (or over nothing): it becomes the output, uncopied.
		dst, layers = base, layers[1:]
	} else {
		dst = image.NewRGBA(band)
		if r.bg.A > 0 {
			draw.Draw(dst, band, image.NewUniform(r.bg), image.Point{}, draw.Src)
		}
	}
	for _, l := range layers {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		l.draw(dst, band)
	}
	if r.clip != r.out {
		clearOutside(dst, r.clip)
	}
	if r.sceneMask != nil {
		applySceneMask(dst, maskAlpha(r.sceneMask, r.out, band))
	}
	return dst, nil
}

// adoptable returns the bottom layer's own buffer when it can serve as
// the band's output: this render's prescaled copy, exactly the band, not
// clipped, and opaque unless there is no background under it.
func (r *renderer) adoptable(band image.Rectangle) *image.RGBA {
	if len(r.layers) == 0 {
		return nil
	}
	c, ok := r.layers[0].(clipped)
	if !ok || !band.In(c.clip) {
		return nil
	}
	d, ok := c.d.(*imageDraw)
	if !ok || !d.owned || !d.translate || d.s2d[2] != 0 || d.s2d[5] != 0 {
		return nil
	}
	src, ok := d.src.(*image.RGBA)
	if !ok || src.Bounds() != band || (r.bg.A > 0 && !src.Opaque()) {
		return nil
	}
	return src
}
