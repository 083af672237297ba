package demo

import "math"

// profilePoint is a point of a meridian profile: radius r and height y in
// metres, the outward normal (nr, ny) in the same half-plane, and s, the
// arc length from the start of the profile, which UV mappings unroll.
type profilePoint struct {
	r, y, nr, ny, s float64
}

// profile is a meridian curve walked so that the surface's front is on its
// left in the (r, y) half-plane (r to the right, y up): the outside wall is
// walked downwards, the inside wall upwards. Consecutive sections share
// their joining point, which is kept once.
type profile []profilePoint

// next appends p, measuring its arc length from the last point; a point
// equal to the last one (the join of two sections) is dropped.
func (pr profile) next(p profilePoint) profile {
	if len(pr) == 0 {
		return append(pr, p)
	}
	last := pr[len(pr)-1]
	d := math.Hypot(p.r-last.r, p.y-last.y)
	if d < 1e-12 {
		return pr
	}
	p.s = last.s + d
	return append(pr, p)
}

// line appends a straight section from (r0, y0) to (r1, y1), in millimetres.
// Its normal is the walking direction turned a quarter turn to the left.
func (pr profile) line(r0, y0, r1, y1 float64) profile {
	l := math.Hypot(r1-r0, y1-y0)
	nr, ny := -(y1-y0)/l, (r1-r0)/l
	pr = pr.next(profilePoint{r: r0 * mm, y: y0 * mm, nr: nr, ny: ny})
	return pr.next(profilePoint{r: r1 * mm, y: y1 * mm, nr: nr, ny: ny})
}

// arc appends k segments of the circle of centre (cr, cy) and radius rad
// (millimetres) from angle t0 to t1 (radians, counter-clockwise from +r).
// convex says the surface bulges out of the circle (a rim, an outer foot)
// rather than hollowing into it (an inner fillet), which sets the normal.
func (pr profile) arc(cr, cy, rad, t0, t1 float64, k int, convex bool) profile {
	sign := 1.0
	if !convex {
		sign = -1
	}
	for i := 0; i <= k; i++ {
		t := t0 + (t1-t0)*float64(i)/float64(k)
		c, s := math.Cos(t), math.Sin(t)
		// Round away the last bits of cos/sin so the arc's ends land on
		// the exact millimetre values of the sections they join.
		r, y := snap(cr+rad*c), snap(cy+rad*s)
		pr = pr.next(profilePoint{r: r * mm, y: y * mm, nr: sign * c, ny: sign * s})
	}
	return pr
}

// snap rounds a length in millimetres to a nanometre.
func snap(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// length is the profile's total arc length in metres.
func (pr profile) length() float64 {
	if len(pr) == 0 {
		return 0
	}
	return pr[len(pr)-1].s
}

// lathe sweeps the profile once around the Y axis in n segments. uv maps a
// profile point on meridian j (0..n, where n repeats 0 with u = 1) to its
// texture coordinates. No profile point may lie on the axis: disk closes
// a surface there.
func (m *meshData) lathe(pr profile, n int, uv func(p profilePoint, j int) [2]float64) {
	rows := make([][]uint32, len(pr))
	for i, p := range pr {
		rows[i] = make([]uint32, n+1)
		for j := 0; j <= n; j++ {
			sin, cos := ringDir(j, n)
			rows[i][j] = m.vertex(ringPoint(p.r, p.y, j, n), vec3{p.nr * sin, p.ny, p.nr * cos}, uv(p, j))
		}
	}
	for i := 0; i+1 < len(rows); i++ {
		for j := 0; j < n; j++ {
			m.quad(rows[i][j], rows[i+1][j], rows[i+1][j+1], rows[i][j+1])
		}
	}
}

// disk closes a surface of revolution with a flat disk of radius r
// (metres) at height y, facing up or down, as a fan of n triangles around a
// centre vertex. uv maps a point of the disk, as offsets (x, z) from the
// axis in metres, to its texture coordinates.
func (m *meshData) disk(r, y float64, up bool, n int, uv func(x, z float64) [2]float64) {
	normal := vec3{0, -1, 0}
	if up {
		normal = vec3{0, 1, 0}
	}
	centre := m.vertex(vec3{0, y, 0}, normal, uv(0, 0))
	ring := make([]uint32, n)
	for j := range ring {
		p := ringPoint(r, y, j, n)
		ring[j] = m.vertex(p, normal, uv(p[0], p[2]))
	}
	for j := range ring {
		a, b := ring[j], ring[(j+1)%n]
		if up {
			m.tri(centre, a, b)
		} else {
			m.tri(centre, b, a)
		}
	}
}
