package raster

import (
	"image"
	"math"
)

// nSamples is the number of coverage samples per pixel. Each pixel is
// shaded once per visible triangle and that colour is given to the
// samples the triangle covers, so edges are smooth at the cost of the
// rasterizer only.
const nSamples = 4

// samplePos are the sample offsets inside a pixel: a rotated grid, so
// near-horizontal and near-vertical edges get four distinct steps.
var samplePos = [nSamples][2]float64{{0.375, 0.125}, {0.875, 0.375}, {0.125, 0.625}, {0.625, 0.875}}

// bandBuffers is one worker's scratch memory for one band of rows, reused
// from band to band.
type bandBuffers struct {
	depth []float32 // 1/w of the nearest opaque sample; 0 = nothing
	id    []int32   // its triangle, -1 = none
	color [][nSamples][4]float32
}

func newBandBuffers(size int) *bandBuffers {
	n := size * bandRows
	return &bandBuffers{depth: make([]float32, n*nSamples), id: make([]int32, n*nSamples), color: make([][nSamples][4]float32, n)}
}

// edges is a triangle's screen-space set-up: barycentric weight i at pixel
// point (x, y) is c[i] + a[i]·x + b[i]·y (weights sum to 1; all ≥ 0
// inside), with the vertices' 1/w for depth and perspective correction.
type edges struct {
	a, b, c [3]float64
	iw      [3]float64
	lo      [3]float64 // a weight counts as inside from here: 0 on owned edges
}

func (f *frame) edges(t *tri) edges {
	dr := &f.m.draws[t.d]
	v := f.verts[t.d]
	var x, y [3]float64
	var e edges
	for k := 0; k < 3; k++ {
		i := 3 * int(dr.idx[int(t.base)+k])
		x[k], y[k], e.iw[k] = float64(v[i]), float64(v[i+1]), float64(v[i+2])
	}
	area := (x[1]-x[0])*(y[2]-y[0]) - (x[2]-x[0])*(y[1]-y[0])
	inv := 1 / area
	for k := 0; k < 3; k++ {
		j, l := (k+1)%3, (k+2)%3
		// Weight of vertex k: the signed area of (p, j, l) over the whole.
		e.a[k] = (y[j] - y[l]) * inv
		e.b[k] = (x[l] - x[j]) * inv
		e.c[k] = (x[j]*y[l] - x[l]*y[j]) * inv
		// Tie rule: a sample exactly on an edge shared by two triangles
		// belongs to one of them only (the one whose weight grows to the
		// right, or downwards for horizontal edges), so a blended surface
		// is not drawn twice along its seams.
		if e.a[k] > 0 || (e.a[k] == 0 && e.b[k] > 0) {
			e.lo[k] = 0
		} else {
			e.lo[k] = math.SmallestNonzeroFloat64
		}
	}
	return e
}

// drawBand renders rows [band·bandRows, …) into out.
func (f *frame) drawBand(band int, b *bandBuffers, out *image.NRGBA) {
	y0 := band * bandRows
	y1 := min(y0+bandRows, f.size)
	n := (y1 - y0) * f.size
	for i := 0; i < n*nSamples; i++ {
		b.depth[i], b.id[i] = 0, -1
	}
	for w := range f.opaque {
		if f.opaque[w] == nil {
			continue
		}
		for _, id := range f.opaque[w][band] {
			f.rasterOpaque(id, y0, y1, b)
		}
	}
	f.shadeOpaque(y0, y1, b)
	for _, id := range f.blend[band] {
		f.rasterBlend(id, y0, y1, b)
	}
	for y := y0; y < y1; y++ {
		row := out.Pix[out.PixOffset(0, y):]
		for x := 0; x < f.size; x++ {
			f.resolve(&b.color[(y-y0)*f.size+x], row[4*x:4*x+4])
		}
	}
}

// cover returns the bit mask of pixel (x, y)'s samples inside the
// triangle, with their 1/w.
func (e *edges) cover(x, y int) (mask uint32, iw [nSamples]float64) {
	for s := 0; s < nSamples; s++ {
		px, py := float64(x)+samplePos[s][0], float64(y)+samplePos[s][1]
		w0 := e.c[0] + e.a[0]*px + e.b[0]*py
		w1 := e.c[1] + e.a[1]*px + e.b[1]*py
		w2 := e.c[2] + e.a[2]*px + e.b[2]*py
		if w0 >= e.lo[0] && w1 >= e.lo[1] && w2 >= e.lo[2] {
			mask |= 1 << s
			iw[s] = w0*e.iw[0] + w1*e.iw[1] + w2*e.iw[2]
		}
	}
	return mask, iw
}

// rasterOpaque depth-tests an opaque or masked triangle into the band's
// samples. A masked triangle's alpha is computed once per pixel, at the
// centre of the samples it would cover, and only when one would be kept.
func (f *frame) rasterOpaque(id int32, y0, y1 int, b *bandBuffers) {
	t := &f.tris[id]
	e := f.edges(t)
	mat := &f.mats[f.m.draws[t.d].mat]
	near, far := 1/f.cam.near, 1/f.cam.far
	for y := max(int(t.minY), y0); y <= min(int(t.maxY), y1-1); y++ {
		for x := int(t.minX); x <= int(t.maxX); x++ {
			mask, iw := e.cover(x, y)
			if mask == 0 {
				continue
			}
			o := ((y-y0)*f.size + x) * nSamples
			keep := b.visible(o, mask, &iw, near, far)
			if keep == 0 {
				continue
			}
			if mat.alpha == alphaMask && f.alphaAt(t, &e, x, y, keep) < mat.cutoff {
				continue
			}
			for s := 0; s < nSamples; s++ {
				if keep&(1<<s) != 0 {
					b.depth[o+s], b.id[o+s] = float32(iw[s]), id
				}
			}
		}
	}
}

// shadeOpaque shades each pixel once per distinct visible triangle and
// fills the sample colours; empty samples are transparent.
func (f *frame) shadeOpaque(y0, y1 int, b *bandBuffers) {
	// Neighbouring pixels mostly show the same triangle: keep its set-up.
	lastID := int32(-1)
	var e edges
	for y := y0; y < y1; y++ {
		for x := 0; x < f.size; x++ {
			p := (y-y0)*f.size + x
			o := p * nSamples
			cols := &b.color[p]
			var done uint32
			for s := 0; s < nSamples; s++ {
				id := b.id[o+s]
				if id < 0 {
					cols[s] = [4]float32{}
					continue
				}
				if done&(1<<s) != 0 {
					continue
				}
				var mask uint32
				for k := s; k < nSamples; k++ {
					if b.id[o+k] == id {
						mask |= 1 << k
					}
				}
				done |= mask
				t := &f.tris[id]
				if id != lastID {
					e, lastID = f.edges(t), id
				}
				c := f.shadeAt(t, &e, x, y, mask)
				c[3] = 1 // opaque, or masked and kept
				for k := s; k < nSamples; k++ {
					if mask&(1<<k) != 0 {
						cols[k] = c
					}
				}
			}
		}
	}
}

// rasterBlend composites a blended triangle over the samples in front of
// the opaque surface, shading the pixel once.
func (f *frame) rasterBlend(id int32, y0, y1 int, b *bandBuffers) {
	t := &f.tris[id]
	e := f.edges(t)
	near, far := 1/f.cam.near, 1/f.cam.far
	for y := max(int(t.minY), y0); y <= min(int(t.maxY), y1-1); y++ {
		for x := int(t.minX); x <= int(t.maxX); x++ {
			mask, iw := e.cover(x, y)
			if mask == 0 {
				continue
			}
			o := ((y-y0)*f.size + x) * nSamples
			keep := b.visible(o, mask, &iw, near, far)
			if keep == 0 {
				continue
			}
			c := f.shadeAt(t, &e, x, y, keep)
			a := c[3]
			cols := &b.color[(y-y0)*f.size+x]
			for s := 0; s < nSamples; s++ {
				if keep&(1<<s) != 0 {
					for k := 0; k < 3; k++ {
						cols[s][k] = c[k]*a + (1-a)*cols[s][k]
					}
					cols[s][3] = a + (1-a)*cols[s][3]
				}
			}
		}
	}
}

// visible returns the covered samples of pixel offset o in front of the
// depth buffer and inside the clipping range (depths are 1/w: nearer is
// larger).
func (b *bandBuffers) visible(o int, mask uint32, iw *[nSamples]float64, near, far float64) uint32 {
	var keep uint32
	for s := 0; s < nSamples; s++ {
		if mask&(1<<s) != 0 && iw[s] > float64(b.depth[o+s]) && iw[s] >= far && iw[s] <= near {
			keep |= 1 << s
		}
	}
	return keep
}
