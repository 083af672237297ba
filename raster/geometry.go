package raster

import (
	"fmt"
	"math"

	"github.com/luneo/luneo/gltf"
)

// drawable is one primitive instance in world space. Attributes are
// float32 arrays indexed by vertex; absent ones are nil.
type drawable struct {
	pos  []float32 // xyz
	nrm  []float32 // xyz, unit; nil: flat shading from the triangle
	tan  []float32 // xyzw (w: bitangent sign); nil without a normal map
	uv   [2][]float32
	col  []float32 // linear RGBA
	idx  []uint32  // three per triangle, counter-clockwise seen from the front
	mat  int       // index into Model.mats
	gmat int       // glTF material index, -1 for none
}

// attr reads a float attribute with the given number of components, or
// nil when it is absent or malformed (a bad optional attribute is dropped
// rather than failing the whole model).
func attr(doc *gltf.Document, p *gltf.Primitive, name string, comps ...int) ([]float32, int) {
	i, ok := p.Attributes[name]
	if !ok {
		return nil, 0
	}
	v, c, err := gltf.ReadAccessorFloat32(doc, i)
	if err != nil {
		return nil, 0
	}
	for _, want := range comps {
		if c == want {
			return v, c
		}
	}
	return nil, 0
}

// primitive reads one primitive under the world matrix: positions (with
// morph targets at weights), normals, tangents, UVs and colours, and its
// triangles as a list.
func (l *loader) primitive(p *gltf.Primitive, world gltf.Mat4, weights []float64) error {
	doc := l.doc
	mode := p.ModeOrDefault()
	if mode != gltf.ModeTriangles && mode != gltf.ModeTriangleStrip && mode != gltf.ModeTriangleFan {
		return nil // points and lines are not drawn
	}
	pos, _ := attr(doc, p, "POSITION", 3)
	if pos == nil {
		return fmt.Errorf("no readable POSITION")
	}
	n := len(pos) / 3
	nrm, _ := attr(doc, p, "NORMAL", 3)
	applyMorphs(doc, p, weights, pos, nrm)
	var idx []uint32
	if p.Indices != nil {
		var err error
		if idx, err = gltf.ReadIndices(doc, *p.Indices); err != nil {
			return err
		}
	} else {
		idx = make([]uint32, n)
		for i := range idx {
			idx[i] = uint32(i)
		}
	}
	d := drawable{gmat: -1, mat: len(l.m.mats) - 1}
	if p.Material != nil && *p.Material >= 0 && *p.Material < len(doc.Materials) {
		d.gmat, d.mat = *p.Material, *p.Material
	}
	mat := &l.m.mats[d.mat]
	tri := triangulate(idx, mode)
	d.pos = make([]float32, len(pos))
	bad := make([]bool, n) // non-finite positions: their triangles are dropped
	for i := 0; i < n; i++ {
		w := world.Apply([3]float64{float64(pos[3*i]), float64(pos[3*i+1]), float64(pos[3*i+2])})
		for k := 0; k < 3; k++ {
			if !finite(w[k]) || math.Abs(w[k]) > math.MaxFloat32 {
				bad[i] = true
			}
			d.pos[3*i+k] = float32(w[k])
		}
	}
	flip := det3(world) < 0 // a mirroring transform turns front faces around
	kept := tri[:0]
	for t := 0; t+2 < len(tri); t += 3 {
		a, b, c := tri[t], tri[t+1], tri[t+2]
		if int(a) >= n || int(b) >= n || int(c) >= n || a == b || b == c || a == c || bad[a] || bad[b] || bad[c] {
			continue
		}
		if flip {
			b, c = c, b
		}
		kept = append(kept, a, b, c)
	}
	d.idx = kept
	for i := 0; i < n; i++ {
		if !bad[i] {
			l.m.bounds.add(vec3{float64(d.pos[3*i]), float64(d.pos[3*i+1]), float64(d.pos[3*i+2])})
		}
	}
	if len(nrm) == 3*n {
		d.nrm = transformNormals(nrm, world)
	}
	if uv, _ := attr(doc, p, "TEXCOORD_0", 2); len(uv) == 2*n {
		d.uv[0] = uv
	}
	if uv, _ := attr(doc, p, "TEXCOORD_1", 2); len(uv) == 2*n {
		d.uv[1] = uv
	}
	if col, c := attr(doc, p, "COLOR_0", 3, 4); col != nil && len(col) == c*n {
		d.col = rgba(col, c)
	}
	if mat.normTex != nil && d.nrm != nil {
		if tan, _ := attr(doc, p, "TANGENT", 4); len(tan) == 4*n {
			d.tan = transformTangents(tan, world, flip)
		} else if uv := d.uv[mat.normTex.texCoord&1]; uv != nil {
			d.tan = generateTangents(d.pos, d.nrm, uv, d.idx)
		}
	}
	l.m.triangles += len(d.idx) / 3
	if len(d.idx) > 0 {
		l.m.draws = append(l.m.draws, d)
	}
	return nil
}

// triangulate turns strips and fans into a triangle list, keeping the
// winding of the first triangle for all (odd strip triangles are swapped).
func triangulate(idx []uint32, mode int) []uint32 {
	switch mode {
	case gltf.ModeTriangleStrip:
		out := make([]uint32, 0, 3*max(len(idx)-2, 0))
		for i := 0; i+2 < len(idx); i++ {
			if i%2 == 0 {
				out = append(out, idx[i], idx[i+1], idx[i+2])
			} else {
				out = append(out, idx[i+1], idx[i], idx[i+2])
			}
		}
		return out
	case gltf.ModeTriangleFan:
		out := make([]uint32, 0, 3*max(len(idx)-2, 0))
		for i := 1; i+1 < len(idx); i++ {
			out = append(out, idx[0], idx[i], idx[i+1])
		}
		return out
	}
	return idx[:len(idx)/3*3]
}

// applyMorphs adds the weighted POSITION and NORMAL targets (the default
// pose's morph weights), in place.
func applyMorphs(doc *gltf.Document, p *gltf.Primitive, weights []float64, pos, nrm []float32) {
	for t, target := range p.Targets {
		if t >= len(weights) || weights[t] == 0 {
			continue
		}
		w := float32(weights[t])
		for name, dst := range map[string][]float32{"POSITION": pos, "NORMAL": nrm} {
			i, ok := target[name]
			if !ok || dst == nil {
				continue
			}
			delta, c, err := gltf.ReadAccessorFloat32(doc, i)
			if err != nil || c != 3 || len(delta) != len(dst) {
				continue
			}
			for k := range dst {
				dst[k] += w * delta[k]
			}
		}
	}
}

func det3(m gltf.Mat4) float64 {
	return m[0]*(m[5]*m[10]-m[9]*m[6]) - m[4]*(m[1]*m[10]-m[9]*m[2]) + m[8]*(m[1]*m[6]-m[5]*m[2])
}

// transformNormals applies the inverse transpose of the world matrix's
// linear part (the cofactor matrix: same direction, no division) and
// normalizes.
func transformNormals(nrm []float32, m gltf.Mat4) []float32 {
	// Columns of the upper 3×3: a = m[0..2], b = m[4..6], c = m[8..10].
	a, b, c := vec3{m[0], m[1], m[2]}, vec3{m[4], m[5], m[6]}, vec3{m[8], m[9], m[10]}
	ca, cb, cc := b.cross(c), c.cross(a), a.cross(b) // cofactor columns
	if det3(m) < 0 {
		ca, cb, cc = ca.scale(-1), cb.scale(-1), cc.scale(-1)
	}
	out := make([]float32, len(nrm))
	for i := 0; i+2 < len(nrm); i += 3 {
		x, y, z := float64(nrm[i]), float64(nrm[i+1]), float64(nrm[i+2])
		v := ca.scale(x).add(cb.scale(y)).add(cc.scale(z)).norm()
		out[i], out[i+1], out[i+2] = float32(v[0]), float32(v[1]), float32(v[2])
	}
	return out
}

func transformTangents(tan []float32, m gltf.Mat4, flip bool) []float32 {
	out := make([]float32, len(tan))
	for i := 0; i+3 < len(tan); i += 4 {
		x, y, z := float64(tan[i]), float64(tan[i+1]), float64(tan[i+2])
		v := vec3{m[0]*x + m[4]*y + m[8]*z, m[1]*x + m[5]*y + m[9]*z, m[2]*x + m[6]*y + m[10]*z}.norm()
		w := tan[i+3]
		if flip {
			w = -w
		}
		out[i], out[i+1], out[i+2], out[i+3] = float32(v[0]), float32(v[1]), float32(v[2]), w
	}
	return out
}

// rgba widens RGB colours to RGBA.
func rgba(col []float32, comps int) []float32 {
	if comps == 4 {
		return col
	}
	out := make([]float32, len(col)/3*4)
	for i, j := 0, 0; i+2 < len(col); i, j = i+3, j+4 {
		out[j], out[j+1], out[j+2], out[j+3] = col[i], col[i+1], col[i+2], 1
	}
	return out
}
