package usdz

import "math"

// gather returns the comps-component elements kept[i] of src (all of src,
// in place, when kept is nil), multiplying the first component by xSign.
func gather(src []float32, kept []int32, comps int, xSign float32) []float32 {
	if kept == nil {
		if xSign != 1 {
			for i := 0; i < len(src); i += comps {
				src[i] *= xSign
			}
		}
		return src
	}
	out := make([]float32, len(kept)*comps)
	for i, k := range kept {
		copy(out[i*comps:i*comps+comps], src[int(k)*comps:])
		out[i*comps] *= xSign
	}
	return out
}

// normalize scales every non-zero 3-vector to unit length (quantized and
// morphed normals are not).
func normalize(v []float32) {
	for i := 0; i+2 < len(v); i += 3 {
		l := math.Sqrt(float64(v[i]*v[i] + v[i+1]*v[i+1] + v[i+2]*v[i+2]))
		if l > 0 && math.Abs(l-1) > 1e-6 {
			v[i], v[i+1], v[i+2] = float32(float64(v[i])/l), float32(float64(v[i+1])/l), float32(float64(v[i+2])/l)
		}
	}
}

// reverseWinding swaps the last two corners of every triangle.
func reverseWinding(idx []int32) {
	for i := 0; i+2 < len(idx); i += 3 {
		idx[i+1], idx[i+2] = idx[i+2], idx[i+1]
	}
}

// addBackFaces appends a copy of every vertex (normals negated) and every
// triangle with reversed winding: AR Quick Look ignores USD's doubleSided,
// so a double-sided glTF material needs real back faces.
func (g *geometry) addBackFaces() {
	nv := int32(len(g.points) / 3)
	g.points = append(g.points, g.points...)
	if g.normals != nil {
		back := make([]float32, len(g.normals))
		for i, x := range g.normals {
			back[i] = -x
		}
		g.normals = append(g.normals, back...)
	}
	for s := range g.uvs {
		if g.uvs[s] != nil {
			g.uvs[s] = append(g.uvs[s], g.uvs[s]...)
		}
	}
	nt := len(g.indices)
	for i := 0; i+2 < nt; i += 3 {
		g.indices = append(g.indices, g.indices[i]+nv, g.indices[i+2]+nv, g.indices[i+1]+nv)
	}
}

// flatNormals sets one normal per face corner, the face's own: glTF says a
// primitive without normals is flat shaded.
func (g *geometry) flatNormals() {
	g.faceVarying = true
	g.normals = make([]float32, len(g.indices)*3)
	p := g.points
	for t := 0; t+2 < len(g.indices); t += 3 {
		a, b, c := int(g.indices[t])*3, int(g.indices[t+1])*3, int(g.indices[t+2])*3
		ux, uy, uz := p[b]-p[a], p[b+1]-p[a+1], p[b+2]-p[a+2]
		vx, vy, vz := p[c]-p[a], p[c+1]-p[a+1], p[c+2]-p[a+2]
		nx, ny, nz := uy*vz-uz*vy, uz*vx-ux*vz, ux*vy-uy*vx
		for k := t * 3; k < t*3+9; k += 3 {
			g.normals[k], g.normals[k+1], g.normals[k+2] = nx, ny, nz
		}
	}
	normalize(g.normals)
}
