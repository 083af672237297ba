package raster

import (
	"image"
	"math"
)

// level is one mip level: straight-alpha RGBA bytes, w×h, no padding.
type level struct {
	w, h int
	pix  []uint8
}

// mipmap is a texture's pyramid, level 0 the largest. Colour textures
// (sRGB) are averaged in linear light; data textures (normals, metallic,
// occlusion) as stored.
type mipmap struct {
	levels []level
	srgb   bool
}

// newMipmap converts img, halves it until it fits in maxSide, then builds
// every smaller level down to 1×1.
func newMipmap(img image.Image, srgb bool, maxSide int, t *srgbTables) *mipmap {
	pix, w, h := toNRGBA(img)
	return pyramid(pix, w, h, srgb, maxSide, t)
}

// pyramid builds the mipmap of straight-alpha RGBA pixels (not modified).
func pyramid(pix []uint8, w, h int, srgb bool, maxSide int, t *srgbTables) *mipmap {
	m := &mipmap{srgb: srgb}
	l := level{w: w, h: h, pix: pix}
	for l.w > maxSide || l.h > maxSide {
		l = halve(l, srgb, t)
	}
	m.levels = append(m.levels, l)
	for l.w > 1 || l.h > 1 {
		l = halve(l, srgb, t)
		m.levels = append(m.levels, l)
	}
	return m
}

// halve returns the level below l: each texel the mean of a 2×2 block (the
// last row or column of an odd side is shared).
func halve(l level, srgb bool, t *srgbTables) level {
	w2, h2 := max(1, l.w/2), max(1, l.h/2)
	out := level{w: w2, h: h2, pix: make([]uint8, 4*w2*h2)}
	for y := 0; y < h2; y++ {
		y0, y1 := min(2*y, l.h-1), min(2*y+1, l.h-1)
		for x := 0; x < w2; x++ {
			x0, x1 := min(2*x, l.w-1), min(2*x+1, l.w-1)
			a, b := 4*(y0*l.w+x0), 4*(y0*l.w+x1)
			c, d := 4*(y1*l.w+x0), 4*(y1*l.w+x1)
			o := 4 * (y*w2 + x)
			for k := 0; k < 4; k++ {
				if srgb && k < 3 {
					s := int(t.toLinear16[l.pix[a+k]]) + int(t.toLinear16[l.pix[b+k]]) + int(t.toLinear16[l.pix[c+k]]) + int(t.toLinear16[l.pix[d+k]])
					out.pix[o+k] = t.fromLinear16[(s+2)/4]
				} else {
					out.pix[o+k] = uint8((int(l.pix[a+k]) + int(l.pix[b+k]) + int(l.pix[c+k]) + int(l.pix[d+k]) + 2) / 4)
				}
			}
		}
	}
	return out
}

// Sampler wrap modes (glTF / OpenGL values).
const (
	wrapRepeat   = 10497
	wrapClamp    = 33071
	wrapMirrored = 33648
)

func wrap(i, n, mode int) int {
	switch mode {
	case wrapClamp:
		return min(max(i, 0), n-1)
	case wrapMirrored:
		p := i % (2 * n)
		if p < 0 {
			p += 2 * n
		}
		if p >= n {
			p = 2*n - 1 - p
		}
		return p
	}
	i %= n
	if i < 0 {
		i += n
	}
	return i
}

// sample filters the texture trilinearly at (u, v) with level of detail
// lod (log2 of texels per pixel at level 0) and returns linear RGBA.
func (m *mipmap) sample(u, v, lod float64, ws, wt int, t *srgbTables) [4]float32 {
	if !(lod > 0) { // also NaN
		lod = 0
	}
	last := float64(len(m.levels) - 1)
	if lod >= last {
		return m.bilinear(len(m.levels)-1, u, v, ws, wt, t)
	}
	l0 := int(lod)
	f := float32(lod - float64(l0))
	a := m.bilinear(l0, u, v, ws, wt, t)
	if f < 1.0/256 {
		return a
	}
	b := m.bilinear(l0+1, u, v, ws, wt, t)
	for k := range a {
		a[k] += (b[k] - a[k]) * f
	}
	return a
}

func (m *mipmap) bilinear(li int, u, v float64, ws, wt int, t *srgbTables) [4]float32 {
	l := &m.levels[li]
	x := u*float64(l.w) - 0.5
	y := v*float64(l.h) - 0.5
	if !finite(x) || !finite(y) || math.Abs(x) > 1e9 || math.Abs(y) > 1e9 {
		x, y = 0, 0
	}
	fx, fy := math.Floor(x), math.Floor(y)
	ax, ay := float32(x-fx), float32(y-fy)
	x0, y0 := int(fx), int(fy)
	xa, xb := wrap(x0, l.w, ws), wrap(x0+1, l.w, ws)
	ya, yb := wrap(y0, l.h, wt), wrap(y0+1, l.h, wt)
	p00, p10 := 4*(ya*l.w+xa), 4*(ya*l.w+xb)
	p01, p11 := 4*(yb*l.w+xa), 4*(yb*l.w+xb)
	w00, w10 := (1-ax)*(1-ay), ax*(1-ay)
	w01, w11 := (1-ax)*ay, ax*ay
	var out [4]float32
	pix := l.pix
	k := 0
	if m.srgb { // colour channels through the decoding table
		lin := &t.toLinear
		for ; k < 3; k++ {
			out[k] = lin[pix[p00+k]]*w00 + lin[pix[p10+k]]*w10 + lin[pix[p01+k]]*w01 + lin[pix[p11+k]]*w11
		}
	}
	for ; k < 4; k++ {
		out[k] = (float32(pix[p00+k])*w00 + float32(pix[p10+k])*w10 + float32(pix[p01+k])*w01 + float32(pix[p11+k])*w11) / 255
	}
	return out
}
