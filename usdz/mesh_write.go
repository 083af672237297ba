package usdz

import (
	"slices"
	"strconv"
)

// writeMesh writes a Mesh prim bound to the material at path material.
func (c *converter) writeMesh(name string, g *geometry, material string) {
	u := &c.u
	// Reserve the text up front: growing tens of megabytes by doubling
	// costs more than formatting the numbers.
	est := len(g.points)*13 + len(g.normals)*13 + len(g.indices)*10 + 512
	for _, st := range g.uvs {
		est += len(st) * 13
	}
	u.b = slices.Grow(u.b, est)
	u.linef(`def Mesh "`, name, `" (`)
	u.indent++
	u.linef(`prepend apiSchemas = ["MaterialBindingAPI"]`)
	u.indent--
	u.linef(`)`)
	u.linef(`{`)
	u.indent++
	u.linef(`float3[] extent = `)
	u.vecs(extent(g.points), 3)
	u.linef(`int[] faceVertexCounts = `)
	u.repeat3(len(g.indices) / 3)
	u.linef(`int[] faceVertexIndices = `)
	u.ints(g.indices)
	u.linef(`rel material:binding = <`, material, `>`)
	u.linef(`normal3f[] normals = `)
	u.vecs(g.normals, 3)
	interp := "vertex"
	if g.faceVarying {
		interp = "faceVarying"
	}
	u.interpolation(interp)
	u.linef(`point3f[] points = `)
	u.vecs(g.points, 3)
	for set, st := range g.uvs {
		if st == nil {
			continue
		}
		u.linef(`texCoord2f[] primvars:`, uvName(set), ` = `)
		u.vecs(st, 2)
		u.interpolation("vertex")
	}
	u.linef(`uniform token subdivisionScheme = "none"`)
	u.close()
	c.stats.Meshes++
	c.stats.Triangles += len(g.indices) / 3
}

// interpolation appends the metadata block of a primvar.
func (u *usda) interpolation(interp string) {
	u.b = append(u.b, " ("...)
	u.indent++
	u.linef(`interpolation = "`, interp, `"`)
	u.indent--
	u.linef(`)`)
}

// uvName is the primvar name of TEXCOORD_set: st, st1, st2…
func uvName(set int) string {
	if set == 0 {
		return "st"
	}
	return "st" + strconv.Itoa(set)
}

// extent returns the bounding box of xyz points as min then max.
func extent(p []float32) []float32 {
	box := make([]float32, 6)
	if len(p) < 3 {
		return box
	}
	copy(box, p[:3])
	copy(box[3:], p[:3])
	for i := 3; i+2 < len(p); i += 3 {
		for k := 0; k < 3; k++ {
			box[k], box[3+k] = min(box[k], p[i+k]), max(box[3+k], p[i+k])
		}
	}
	return box
}
