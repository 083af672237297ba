package gltf

import (
	"math"
	"strconv"
)

// Surface is a point of a model's surface in world space and the way the
// surface faces there (a unit normal, out of the front face).
type Surface struct {
	Point  [3]float64
	Normal [3]float64
}

// surfaceMaxTriangles bounds the triangles SurfaceAt tests: models are
// checked against their triangle limit at upload, this is a backstop.
const surfaceMaxTriangles = 20_000_000

// SurfaceAt finds where texture coordinate (u, v) of set texCoord lies on
// the surface drawn with material: the first triangle of the default scene
// whose coordinates contain it (a texture laid out twice on the surface has
// two such places; the first in scene order is taken). It says where a
// print zone's centre is on the product, so a viewer can turn the product
// to face it. ok is false when no triangle holds the point.
func SurfaceAt(doc *Document, material, texCoord int, u, v float64) (s Surface, ok bool) {
	w := surfaceWalk{doc: doc, material: material, uvName: "TEXCOORD_" + strconv.Itoa(texCoord), u: u, v: v,
		visited: make([]bool, len(doc.Nodes)), budget: surfaceMaxTriangles}
	for _, n := range doc.SceneRoots() {
		if w.node(n, Identity, 0) {
			return w.found, true
		}
	}
	return Surface{}, false
}

type surfaceWalk struct {
	doc      *Document
	material int
	uvName   string
	u, v     float64
	visited  []bool
	budget   int
	found    Surface
}

func (w *surfaceWalk) node(n int, parent Mat4, depth int) bool {
	d := w.doc
	if n < 0 || n >= len(d.Nodes) || w.visited[n] || depth > 256 || w.budget <= 0 {
		return false
	}
	w.visited[n] = true
	defer func() { w.visited[n] = false }()
	node := &d.Nodes[n]
	world := parent.Mul(node.LocalMatrix())
	if node.Mesh != nil && *node.Mesh >= 0 && *node.Mesh < len(d.Meshes) {
		for i := range d.Meshes[*node.Mesh].Primitives {
			if w.primitive(&d.Meshes[*node.Mesh].Primitives[i], world) {
				return true
			}
		}
	}
	for _, c := range node.Children {
		if w.node(c, world, depth+1) {
			return true
		}
	}
	return false
}

// primitive tests the triangles of one primitive drawn with the material.
func (w *surfaceWalk) primitive(p *Primitive, world Mat4) bool {
	if p.Material == nil || *p.Material != w.material || p.ModeOrDefault() != ModeTriangles {
		return false
	}
	pi, ok1 := p.Attributes["POSITION"]
	ti, ok2 := p.Attributes[w.uvName]
	if !ok1 || !ok2 {
		return false
	}
	pos, pc, err := ReadAccessorFloat32(w.doc, pi)
	if err != nil || pc != 3 {
		return false
	}
	uv, uc, err := ReadAccessorFloat32(w.doc, ti)
	if err != nil || uc != 2 || len(uv)/2 != len(pos)/3 {
		return false
	}
	var idx []uint32
	if p.Indices != nil {
		if idx, err = ReadIndices(w.doc, *p.Indices); err != nil {
			return false
		}
	}
	vertices := len(pos) / 3
	count := vertices
	if idx != nil {
		count = len(idx)
	}
	at := func(i int) int {
		if idx != nil {
			return int(idx[i])
		}
		return i
	}
	for t := 0; t+2 < count; t += 3 {
		if w.budget--; w.budget < 0 {
			return false
		}
		a, b, c := at(t), at(t+1), at(t+2)
		if a >= vertices || b >= vertices || c >= vertices {
			continue
		}
		l0, l1, l2, in := barycentric(uvAt(uv, a), uvAt(uv, b), uvAt(uv, c), w.u, w.v)
		if !in {
			continue
		}
		pa, pb, pc := world.Apply(vec3At(pos, a)), world.Apply(vec3At(pos, b)), world.Apply(vec3At(pos, c))
		n := cross(sub(pb, pa), sub(pc, pa))
		if world.det3() < 0 { // a mirroring transform turns the winding, and so the front
			n = [3]float64{-n[0], -n[1], -n[2]}
		}
		l := math.Sqrt(n[0]*n[0] + n[1]*n[1] + n[2]*n[2])
		if l == 0 || math.IsNaN(l) {
			continue // a degenerate triangle faces nowhere
		}
		for k := range 3 {
			w.found.Point[k] = l0*pa[k] + l1*pb[k] + l2*pc[k]
			w.found.Normal[k] = n[k] / l
		}
		return true
	}
	return false
}

// barycentric gives the weights of (u, v) in the triangle a, b, c of
// texture space, and whether it lies inside (edges included).
func barycentric(a, b, c [2]float64, u, v float64) (l0, l1, l2 float64, in bool) {
	det := (b[1]-c[1])*(a[0]-c[0]) + (c[0]-b[0])*(a[1]-c[1])
	if det == 0 {
		return 0, 0, 0, false
	}
	l0 = ((b[1]-c[1])*(u-c[0]) + (c[0]-b[0])*(v-c[1])) / det
	l1 = ((c[1]-a[1])*(u-c[0]) + (a[0]-c[0])*(v-c[1])) / det
	l2 = 1 - l0 - l1
	const eps = -1e-9
	return l0, l1, l2, l0 >= eps && l1 >= eps && l2 >= eps
}

func uvAt(uv []float32, i int) [2]float64 { return [2]float64{float64(uv[2*i]), float64(uv[2*i+1])} }
func vec3At(p []float32, i int) [3]float64 {
	return [3]float64{float64(p[3*i]), float64(p[3*i+1]), float64(p[3*i+2])}
}
func sub(a, b [3]float64) [3]float64 { return [3]float64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// det3 is the determinant of the matrix's linear part (column-major).
func (m Mat4) det3() float64 {
	return m[0]*(m[5]*m[10]-m[9]*m[6]) - m[4]*(m[1]*m[10]-m[9]*m[2]) + m[8]*(m[1]*m[6]-m[5]*m[2])
}
