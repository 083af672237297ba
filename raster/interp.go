package raster

import "math"

// persp returns the perspective-correct barycentric weights at pixel point
// (x, y): screen-space weights scaled by each vertex's 1/w. With clamp,
// a point outside the triangle is pulled onto it (no extrapolated UVs).
func (e *edges) persp(x, y float64, clamp bool) [3]float64 {
	var w [3]float64
	var sum float64
	for k := 0; k < 3; k++ {
		s := e.c[k] + e.a[k]*x + e.b[k]*y
		if clamp && s < 0 {
			s = 0
		}
		w[k] = s * e.iw[k]
		sum += w[k]
	}
	if !(sum != 0) || math.IsInf(sum, 0) {
		return [3]float64{1.0 / 3, 1.0 / 3, 1.0 / 3}
	}
	for k := range w {
		w[k] /= sum
	}
	return w
}

// centroid is the mean position of the samples in mask: inside the
// triangle whenever those samples are, so attributes never extrapolate.
func centroid(mask uint32) (x, y float64) {
	n := 0
	for s := 0; s < nSamples; s++ {
		if mask&(1<<s) != 0 {
			x += samplePos[s][0]
			y += samplePos[s][1]
			n++
		}
	}
	if n == 0 {
		return 0.5, 0.5
	}
	return x / float64(n), y / float64(n)
}

func interp3(a []float32, i [3]int, w [3]float64) vec3 {
	var out vec3
	for k := 0; k < 3; k++ {
		out[0] += float64(a[3*i[k]]) * w[k]
		out[1] += float64(a[3*i[k]+1]) * w[k]
		out[2] += float64(a[3*i[k]+2]) * w[k]
	}
	return out
}

func interp2(a []float32, i [3]int, w [3]float64) [2]float64 {
	var out [2]float64
	for k := 0; k < 3; k++ {
		out[0] += float64(a[2*i[k]]) * w[k]
		out[1] += float64(a[2*i[k]+1]) * w[k]
	}
	return out
}

func interp4(a []float32, i [3]int, w [3]float64) [4]float64 {
	var out [4]float64
	for k := 0; k < 3; k++ {
		for c := 0; c < 4; c++ {
			out[c] += float64(a[4*i[k]+c]) * w[k]
		}
	}
	return out
}

// fragment is what the shader knows about one pixel of one triangle: the
// interpolated attributes and the UV footprint of the pixel.
type fragment struct {
	dr     *drawable
	mat    *material
	white  bool
	i      [3]int
	w      [3]float64
	uv     [2][2]float64
	dx, dy [2][2]float64 // UV change one pixel right and down
	hasUV  [2]bool
}

// fragmentAt interpolates triangle t at the centroid of the covered
// samples of pixel (x, y).
func (f *frame) fragmentAt(t *tri, e *edges, x, y int, mask uint32) fragment {
	dr := &f.m.draws[t.d]
	cx, cy := centroid(mask)
	px, py := float64(x)+cx, float64(y)+cy
	fr := fragment{dr: dr, mat: &f.mats[dr.mat], white: f.white[dr.mat], w: e.persp(px, py, true)}
	b := int(t.base)
	fr.i = [3]int{int(dr.idx[b]), int(dr.idx[b+1]), int(dr.idx[b+2])}
	var wx, wy [3]float64
	needDeriv := true
	for set := 0; set < 2; set++ {
		uv := dr.uv[set]
		if uv == nil {
			continue
		}
		if needDeriv {
			wx, wy = e.persp(px+1, py, false), e.persp(px, py+1, false)
			needDeriv = false
		}
		fr.hasUV[set] = true
		fr.uv[set] = interp2(uv, fr.i, fr.w)
		ux, uy := interp2(uv, fr.i, wx), interp2(uv, fr.i, wy)
		fr.dx[set] = [2]float64{ux[0] - fr.uv[set][0], ux[1] - fr.uv[set][1]}
		fr.dy[set] = [2]float64{uy[0] - fr.uv[set][0], uy[1] - fr.uv[set][1]}
	}
	return fr
}

// tex samples a material texture for the fragment; a texture whose UV set
// is missing reads as white (absent).
func (f *frame) tex(r *texRef, fr *fragment) [4]float32 {
	set := r.texCoord
	if set < 0 || set > 1 || !fr.hasUV[set] {
		return [4]float32{1, 1, 1, 1}
	}
	u, v := r.uv(fr.uv[set][0], fr.uv[set][1])
	dx, dy := fr.dx[set], fr.dy[set]
	if r.hasXf { // only the linear part acts on differences
		x := &r.xf
		dx = [2]float64{x[0]*dx[0] + x[1]*dx[1], x[3]*dx[0] + x[4]*dx[1]}
		dy = [2]float64{x[0]*dy[0] + x[1]*dy[1], x[3]*dy[0] + x[4]*dy[1]}
	}
	l := &r.mip.levels[0]
	w, h := float64(l.w), float64(l.h)
	// Level of detail: log2 of the longer pixel footprint axis in texels.
	ax, ay := dx[0]*w, dx[1]*h
	bx, by := dy[0]*w, dy[1]*h
	rho2 := max(ax*ax+ay*ay, bx*bx+by*by)
	lod := 0.0
	if rho2 > 1 {
		lod = 0.5 * fastLog2(rho2)
	}
	return r.mip.sample(u, v, lod, r.ws, r.wt, f.m.tables)
}

// baseColor is the linear base colour and alpha of the fragment: factor ×
// texture × vertex colour.
func (f *frame) baseColor(fr *fragment) [4]float32 {
	c := fr.mat.base
	if fr.white {
		c = [4]float32{1, 1, 1, 1}
	}
	if r := fr.mat.baseTex; r != nil {
		s := f.tex(r, fr)
		for k := range c {
			c[k] *= s[k]
		}
	}
	if col := fr.dr.col; col != nil {
		v := interp4(col, fr.i, fr.w)
		for k := range c {
			c[k] *= float32(v[k])
		}
	}
	return c
}

// alphaAt is the alpha a masked triangle is tested with.
func (f *frame) alphaAt(t *tri, e *edges, x, y int, mask uint32) float32 {
	fr := f.fragmentAt(t, e, x, y, mask)
	return f.baseColor(&fr)[3]
}
