package raster

import (
	"context"
	"fmt"
	"image"
	"runtime"
	"sync"
	"sync/atomic"
)

// bandRows is the height of the horizontal bands workers take one at a
// time: small enough to balance two to many cores, large enough that a
// triangle is rarely set up in many bands.
const bandRows = 16

// frame is the state of one Render: the camera, the materials in use (with
// any design's base colour), projected vertices and triangle bins. Nothing
// in it is shared with another Render.
type frame struct {
	m       *Model
	mats    []material
	white   []bool // FactorWhite per material
	cam     camera
	size    int
	bg      [4]float32 // linear, premultiplied
	hasBG   bool
	verts   []projected // per drawable
	tris    []tri
	opaque  [][][]int32 // [worker][band] → tris indices
	blend   [][]int32   // [band] → tris indices, back to front
	light   vec3
	workers int
	bands   int
}

// Render draws the model. It is safe for concurrent use on one *Model.
func (m *Model) Render(ctx context.Context, opt Options) (*image.NRGBA, error) {
	size := opt.Size
	if size == 0 {
		size = DefaultSize
	}
	if size < 1 || size > MaxSize {
		return nil, fmt.Errorf("render: size %d is outside 1…%d: %w", opt.Size, MaxSize, ErrLimit)
	}
	cam, err := newCamera(m.bounds, opt.View, size)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	f := &frame{m: m, cam: cam, size: size, workers: max(1, runtime.GOMAXPROCS(0)),
		bands: (size + bandRows - 1) / bandRows, light: vec3{0.5, 2.0, 1.5}.norm()}
	if err := f.materials(opt.BaseColor); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	if bg := opt.Background; bg != nil {
		t := m.tables
		a := float32(bg.A) / 255
		f.bg = [4]float32{t.toLinear[bg.R] * a, t.toLinear[bg.G] * a, t.toLinear[bg.B] * a, a}
		f.hasBG = true
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.project()
	f.bin()
	out := image.NewNRGBA(image.Rect(0, 0, size, size))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < f.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := newBandBuffers(size)
			for {
				band := int(next.Add(1) - 1)
				if band >= f.bands || ctx.Err() != nil {
					return
				}
				f.drawBand(band, b, out)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// materials copies the model's materials, replacing base-colour textures
// by the design images given for this render (their mipmaps are built
// here, since they change with every design).
func (f *frame) materials(over map[int]Texture) error {
	f.mats = f.m.mats
	f.white = make([]bool, len(f.mats))
	if len(over) == 0 {
		return nil
	}
	f.mats = append([]material(nil), f.m.mats...)
	for i, t := range over {
		if i < 0 || i >= len(f.mats)-1 {
			return fmt.Errorf("base colour for material %d, which does not exist", i)
		}
		if t.Image == nil {
			return fmt.Errorf("base colour for material %d has no image", i)
		}
		b := t.Image.Bounds()
		if err := checkPixels(b.Dx(), b.Dy()); err != nil {
			return fmt.Errorf("base colour for material %d: %w", i, err)
		}
		ref := &texRef{ws: wrapRepeat, wt: wrapRepeat}
		if old := f.mats[i].baseTex; old != nil {
			*ref = *old // keep the sampler and transform the UVs were made for
		}
		if t.mip != nil && t.owner == f.m {
			ref.mip = t.mip // prepared once for several renders
		} else {
			ref.mip = newMipmap(t.Image, true, f.m.maxTex, f.m.tables)
		}
		ref.texCoord = t.TexCoord
		f.mats[i].baseTex = ref
		f.white[i] = t.FactorWhite
	}
	return nil
}

// resolve averages a pixel's samples (premultiplied linear RGBA) and
// stores it as straight-alpha sRGB.
func (f *frame) resolve(samples *[nSamples][4]float32, px []uint8) {
	// Inside a surface or in the empty background every sample is alike.
	c := samples[0]
	same := true
	for s := 1; s < nSamples; s++ {
		if samples[s] != c {
			same = false
			break
		}
	}
	if !same {
		for s := 1; s < nSamples; s++ {
			for k := 0; k < 4; k++ {
				c[k] += samples[s][k]
			}
		}
		for k := 0; k < 4; k++ {
			c[k] /= nSamples
		}
	}
	if f.hasBG {
		for k := 0; k < 4; k++ {
			c[k] += (1 - c[3]) * f.bg[k]
		}
	}
	if c[3] <= 0 {
		px[0], px[1], px[2], px[3] = 0, 0, 0, 0
		return
	}
	a := min(c[3], 1)
	t := f.m.tables
	px[0], px[1], px[2] = t.encode(c[0]/a), t.encode(c[1]/a), t.encode(c[2]/a)
	px[3] = uint8(a*255 + 0.5)
}
