package compose

import (
	"context"
	"fmt"
	"image"
	"sync"
)

// openedSource is one src decoded once for the render.
type openedSource struct {
	once sync.Once
	img  image.Image
	err  error
}

// drawable is a prepared layer.
type drawable interface {
	draw(dst *image.RGBA, clip image.Rectangle)
}

// loadSceneMask opens the scene's mask, if any.
func (r *renderer) loadSceneMask(ctx context.Context) error {
	if r.s.Mask == "" {
		return nil
	}
	m, err := r.open(ctx, r.s.Mask)
	if err != nil {
		return fmt.Errorf("scene: mask: %w", err)
	}
	r.sceneMask = toRGBA(m)
	return nil
}

// open asks the sources for an image, once per src, within the render's
// source pixel budget.
func (r *renderer) open(ctx context.Context, src string) (image.Image, error) {
	if r.o.Sources == nil {
		return nil, fmt.Errorf("image %q: no image sources given", src)
	}
	r.mu.Lock()
	o := r.opened[src]
	if o == nil {
		o = &openedSource{}
		r.opened[src] = o
	}
	r.mu.Unlock()
	o.once.Do(func() {
		o.img, o.err = r.o.Sources.Open(ctx, src)
		if o.err != nil {
			return
		}
		b := o.img.Bounds()
		r.mu.Lock()
		r.srcPixels += int64(b.Dx()) * int64(b.Dy())
		total := r.srcPixels
		r.mu.Unlock()
		if total > r.srcBudget {
			o.img, o.err = nil, fmt.Errorf("image %q: the scene's images add up to %d pixels, more than the budget of %d", src, total, r.srcBudget)
		}
	})
	return o.img, o.err
}
