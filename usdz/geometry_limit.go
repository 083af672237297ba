package usdz

import (
	"errors"
	"fmt"

	"github.com/luneo/luneo/gltf"
)

// Hard limits on the geometry of one package. USD stores geometry as text
// (about 90 bytes a vertex with normals and texture coordinates, 8 a
// triangle corner), so a dense mesh that is 100 MB as GLB becomes a
// package several times larger, built in memory: 8.7 million vertices made
// a 757 MB package and took the converter past 1.9 GiB. AR Quick Look
// recommends at most 100,000 triangles (a warning says so above that); the
// defaults below are 20 and 40 times that, far beyond what a phone shows,
// and keep a conversion's geometry text under about 300 MB.
const (
	DefaultMaxVertices  = 2_000_000
	DefaultMaxTriangles = 4_000_000
)

// ErrGeometryTooLarge is wrapped by Convert's error for a model whose
// geometry would go past Options.MaxVertices or MaxTriangles.
var ErrGeometryTooLarge = errors.New("usdz: the model's geometry is too large for an AR file")

// geometryLimitError says by how much, and what to do.
type geometryLimitError struct {
	vertices, triangles, maxVertices, maxTriangles int
}

func (e *geometryLimitError) Error() string {
	return fmt.Sprintf("the model's geometry is too large for an AR file: it needs at least %d vertices and %d triangles "+
		"(counting every instance and the back faces of double-sided materials), more than the %d vertices or %d triangles "+
		"a package may hold; simplify the model (AR Quick Look recommends at most %d triangles)",
		e.vertices, e.triangles, e.maxVertices, e.maxTriangles, DefaultTriangleBudget)
}

func (e *geometryLimitError) Unwrap() error { return ErrGeometryTooLarge }

// reserveGeometry counts what a primitive will add to the package, from
// its accessors' declared counts and before anything is read, and reports
// false (recording the error once) when the package would go past its
// limits: nothing large is built for a model that cannot be converted.
func (c *converter) reserveGeometry(pr *gltf.Primitive, doubleSided bool) bool {
	if c.geomErr != nil {
		return false
	}
	verts := 0
	if pi, ok := pr.Attributes["POSITION"]; ok {
		verts = c.accessorCount(pi)
	}
	corners := verts
	if pr.Indices != nil {
		corners = c.accessorCount(*pr.Indices)
	}
	tris := corners / 3
	if m := pr.ModeOrDefault(); m == gltf.ModeTriangleStrip || m == gltf.ModeTriangleFan {
		tris = max(0, corners-2)
	}
	if doubleSided {
		verts, tris = 2*verts, 2*tris
	}
	c.geomVerts += verts
	c.geomTris += tris
	maxV, maxT := c.opts.MaxVertices, c.opts.MaxTriangles
	if (maxV > 0 && c.geomVerts > maxV) || (maxT > 0 && c.geomTris > maxT) {
		c.geomErr = &geometryLimitError{vertices: c.geomVerts, triangles: c.geomTris, maxVertices: maxV, maxTriangles: maxT}
		return false
	}
	return true
}

// accessorCount is the declared element count of accessor i, 0 when it
// does not exist (the primitive is then skipped with a warning later).
func (c *converter) accessorCount(i int) int {
	if i < 0 || i >= len(c.doc.Accessors) {
		return 0
	}
	return max(0, c.doc.Accessors[i].Count)
}
