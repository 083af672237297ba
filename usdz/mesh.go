package usdz

import (
	"fmt"
	"strconv"

	"github.com/luneo/luneo/gltf"
)

// maxUVSets is how many TEXCOORD_n sets are exported (st, st1, …).
const maxUVSets = 4

// geometry is one primitive ready to be written as a Mesh prim: indexed
// triangles over compacted vertices.
type geometry struct {
	points  []float32 // xyz per vertex
	normals []float32 // xyz per vertex, or per face corner when faceVarying
	// faceVarying says normals were computed flat, one per face corner (a
	// glTF primitive without normals must be flat shaded).
	faceVarying bool
	uvs         [maxUVSets][]float32 // st per vertex, V flipped; nil when absent
	indices     []int32
}

// buildGeometry reads a primitive into a geometry: triangulated, morph
// targets baked at weights, unused vertices dropped, mirrored in X when the
// node's transform lost its mirror, doubled with reversed back faces when
// the material is double-sided. ok is false when the primitive draws no
// triangles or cannot be read (a warning says why).
func (c *converter) buildGeometry(pr *gltf.Primitive, weights []float64, mirrored, doubleSided bool) (g *geometry, ok bool) {
	switch mode := pr.ModeOrDefault(); mode {
	case gltf.ModeTriangles, gltf.ModeTriangleStrip, gltf.ModeTriangleFan:
	case gltf.ModePoints:
		c.warnf("point primitives were left out: USDZ for AR Quick Look shows triangles only")
		return nil, false
	default:
		c.warnf("line primitives were left out: USDZ for AR Quick Look shows triangles only")
		return nil, false
	}
	pos, err := c.readVec(pr.Attributes, "POSITION", 3, -1)
	if err != nil || pos == nil {
		c.warnf("a primitive without readable positions was left out: %v", orMissing(err))
		return nil, false
	}
	n := len(pos) / 3
	tris, err := c.triangles(pr, n)
	if err != nil {
		c.warnf("a primitive was left out: %v", err)
		return nil, false
	}
	if len(tris) == 0 {
		return nil, false
	}
	normals, err := c.readVec(pr.Attributes, "NORMAL", 3, n)
	if err != nil {
		c.warnf("normals could not be read and were recomputed: %v", err)
	}
	c.bakeMorphTargets(pr, weights, pos, normals)
	c.checkColors(pr, n)

	// Compact: keep the referenced vertices, in their original order.
	remap := make([]int32, n)
	for _, i := range tris {
		remap[i] = 1
	}
	kept := make([]int32, 0, n)
	for i, used := range remap {
		if used != 0 {
			remap[i] = int32(len(kept))
			kept = append(kept, int32(i))
		}
	}
	g = &geometry{indices: make([]int32, len(tris))}
	for i, v := range tris {
		g.indices[i] = remap[v]
	}
	sign := float32(1)
	if mirrored {
		sign = -1
		reverseWinding(g.indices)
	}
	if len(kept) == n {
		kept = nil // every vertex is used: gather mirrors in place, no copy
	}
	g.points = gather(pos, kept, 3, sign)
	if normals != nil {
		g.normals = gather(normals, kept, 3, sign)
		normalize(g.normals)
	}
	for set := 0; set < maxUVSets; set++ {
		uv, err := c.readVec(pr.Attributes, "TEXCOORD_"+strconv.Itoa(set), 2, n)
		if err != nil {
			c.warnf("texture coordinates could not be read: %v", err)
		}
		if uv == nil {
			continue
		}
		st := gather(uv, kept, 2, 1)
		for i := 1; i < len(st); i += 2 {
			st[i] = 1 - st[i] // glTF's V runs down the image, USD's t up
		}
		g.uvs[set] = st
	}
	if doubleSided {
		g.addBackFaces()
	}
	if g.normals == nil {
		g.flatNormals()
	}
	return g, true
}

func orMissing(err error) error {
	if err == nil {
		return fmt.Errorf("it has no POSITION attribute")
	}
	return err
}

// readVec reads attribute name as comps-component vectors. It returns nil
// without error when the attribute is absent, and an error when it is not
// made of such vectors or (want ≥ 0) has a count other than want.
func (c *converter) readVec(attrs map[string]int, name string, comps, want int) ([]float32, error) {
	idx, ok := attrs[name]
	if !ok {
		return nil, nil
	}
	v, k, err := gltf.ReadAccessorFloat32(c.doc, idx)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %w", name, err)
	case k != comps:
		return nil, fmt.Errorf("%s has %d components per element, not %d", name, k, comps)
	case want >= 0 && len(v)/comps != want:
		return nil, fmt.Errorf("%s has %d elements, the positions %d", name, len(v)/comps, want)
	}
	return v, nil
}

// triangles returns the primitive's triangle list as vertex indices,
// unrolling strips and fans, checked against the n vertices.
func (c *converter) triangles(pr *gltf.Primitive, n int) ([]uint32, error) {
	var idx []uint32
	if pr.Indices != nil {
		var err error
		if idx, err = gltf.ReadIndices(c.doc, *pr.Indices); err != nil {
			return nil, fmt.Errorf("indices: %w", err)
		}
		for _, i := range idx {
			if int64(i) >= int64(n) {
				return nil, fmt.Errorf("index %d is past the %d vertices", i, n)
			}
		}
	} else {
		idx = make([]uint32, n)
		for i := range idx {
			idx[i] = uint32(i)
		}
	}
	switch pr.ModeOrDefault() {
	case gltf.ModeTriangleStrip:
		var out []uint32
		for i := 2; i < len(idx); i++ {
			if i%2 == 0 {
				out = append(out, idx[i-2], idx[i-1], idx[i])
			} else {
				out = append(out, idx[i-1], idx[i-2], idx[i])
			}
		}
		return out, nil
	case gltf.ModeTriangleFan:
		var out []uint32
		for i := 2; i < len(idx); i++ {
			out = append(out, idx[0], idx[i-1], idx[i])
		}
		return out, nil
	}
	return idx[:len(idx)/3*3], nil
}

// bakeMorphTargets adds the weighted POSITION and NORMAL deltas of the
// primitive's morph targets: USDZ keeps the shape they give by default.
func (c *converter) bakeMorphTargets(pr *gltf.Primitive, weights []float64, pos, normals []float32) {
	if len(pr.Targets) == 0 {
		return
	}
	c.warnf("morph targets are baked at their default weights: the shapes cannot be changed in USDZ")
	n := len(pos) / 3
	for t, target := range pr.Targets {
		if t >= len(weights) || weights[t] == 0 {
			continue
		}
		w := float32(weights[t])
		for _, a := range []struct {
			name string
			dst  []float32
		}{{"POSITION", pos}, {"NORMAL", normals}} {
			if a.dst == nil {
				continue
			}
			d, err := c.readVec(target, a.name, 3, n)
			if err != nil {
				c.warnf("morph target %d: %v", t, err)
			}
			for i := range d {
				a.dst[i] += w * d[i]
			}
		}
	}
}

// checkColors warns about vertex colours other than opaque white: AR
// Quick Look ignores them, so the model would look different.
func (c *converter) checkColors(pr *gltf.Primitive, n int) {
	idx, ok := pr.Attributes["COLOR_0"]
	if !ok {
		return
	}
	v, _, err := gltf.ReadAccessorFloat32(c.doc, idx)
	if err != nil {
		return
	}
	for _, x := range v {
		if x < 0.999 {
			c.warnf("vertex colours (COLOR_0) are ignored by AR Quick Look and were not exported: colour the model with textures instead")
			return
		}
	}
}
