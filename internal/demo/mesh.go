package demo

import "math"

// vec3 is a point or direction in the model's space, in metres once scaled.
type vec3 [3]float64

func (a vec3) sub(b vec3) vec3 { return vec3{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }

func (a vec3) cross(b vec3) vec3 {
	return vec3{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

func (a vec3) dot(b vec3) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

func (a vec3) scale(s float64) vec3 { return vec3{a[0] * s, a[1] * s, a[2] * s} }

func (a vec3) unit() vec3 {
	n := math.Sqrt(a.dot(a))
	if n == 0 {
		return a
	}
	return a.scale(1 / n)
}

// meshData is one primitive under construction: indexed triangles with a
// position, a unit normal and one UV pair per vertex, all in glTF
// conventions (metres, Y up, counter-clockwise front faces, v down).
type meshData struct {
	pos []vec3
	nrm []vec3
	uv  [][2]float64
	idx []uint32
}

// vertex appends a vertex and returns its index.
func (m *meshData) vertex(p, n vec3, uv [2]float64) uint32 {
	m.pos = append(m.pos, p)
	m.nrm = append(m.nrm, n.unit())
	m.uv = append(m.uv, uv)
	return uint32(len(m.pos) - 1)
}

// tri appends a triangle whose corners a, b, c go counter-clockwise as
// seen from its front.
func (m *meshData) tri(a, b, c uint32) { m.idx = append(m.idx, a, b, c) }

// quad appends the quad a, b, c, d (counter-clockwise from its front) as
// two triangles.
func (m *meshData) quad(a, b, c, d uint32) {
	m.tri(a, b, c)
	m.tri(a, c, d)
}

// ringPoint is the point at radius r and height y (metres) on meridian j of
// n around the Y axis. Every surface of revolution computes its points here,
// from j modulo n, so surfaces that meet on a ring share their positions
// bit for bit and the seam column (j = n) lands exactly on column 0.
func ringPoint(r, y float64, j, n int) vec3 {
	a := angle(j, n)
	return vec3{r * math.Sin(a), y, r * math.Cos(a)}
}

// ringDir is the horizontal unit direction of meridian j of n.
func ringDir(j, n int) (sin, cos float64) {
	a := angle(j, n)
	return math.Sin(a), math.Cos(a)
}

// angle is the azimuth of meridian j of n. Meridian 0 (u = 0, the UV seam)
// points to +X, where the handle is; the angle grows from +X towards -Z, so
// u grows from left to right for someone looking at the outside wall, and
// meridian 3n/4 faces +Z, the default camera of model viewers.
func angle(j, n int) float64 {
	return math.Pi/2 + 2*math.Pi*float64(j%n)/float64(n)
}
