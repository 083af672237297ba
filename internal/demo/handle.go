package demo

import "math"

// handlePath returns the centre (cx, cy) and radius of the arc the handle
// follows, and the angle t0 of its upper end (the lower end is at -t0).
// The arc passes through both attachment points in the middle of the wall
// and reaches handleReach at mid-height, so it leaves the wall nearly
// horizontally, as a real handle does.
func handlePath() (cx, cy, radius, t0 float64) {
	x, dy := handleAttachX, handleAttachDY
	// The centre (cx, cy) is as far from (x, cy±dy) as from (reach, cy).
	cx = (handleReach*handleReach - x*x - dy*dy) / (2 * (handleReach - x))
	radius = handleReach - cx
	return cx, handleMidY, radius, math.Atan2(dy, x-cx)
}

// mugHandle sweeps an elliptical section (handleHalfT across, handleHalfW
// along Z) along the handle's arc, from the top attachment to the bottom
// one, and caps both ends. The ends sit inside the wall's thickness, so the
// caps are hidden, but they make the handle a closed solid. u runs along
// the handle from top to bottom, v once around the section starting on the
// outside of the arc.
func mugHandle(n int) meshData {
	var m meshData
	cx, cy, rad, t0 := handlePath()
	along, around := max(12, n*5/12), max(8, n/6)
	a, b := handleHalfT*mm, handleHalfW*mm

	// frame returns the path point at step i, the arc's outward direction
	// there and the direction of travel.
	frame := func(i int) (p, out, fwd vec3) {
		t := t0 - 2*t0*float64(i)/float64(along)
		c, s := math.Cos(t), math.Sin(t)
		return vec3{(cx + rad*c) * mm, (cy + rad*s) * mm, 0}, vec3{c, s, 0}, vec3{s, -c, 0}
	}
	section := func(p, out vec3, j int) (pos, nrm vec3) {
		beta := 2 * math.Pi * float64(j%around) / float64(around)
		c, s := math.Cos(beta), math.Sin(beta)
		pos = vec3{p[0] + a*c*out[0], p[1] + a*c*out[1], b * s}
		// The normal of an ellipse is the gradient of its implicit equation.
		return pos, vec3{out[0] * c / a, out[1] * c / a, s / b}
	}

	rows := make([][]uint32, along+1)
	for i := range rows {
		p, out, _ := frame(i)
		rows[i] = make([]uint32, around+1)
		for j := 0; j <= around; j++ {
			pos, nrm := section(p, out, j)
			rows[i][j] = m.vertex(pos, nrm, [2]float64{float64(i) / float64(along), float64(j) / float64(around)})
		}
	}
	for i := 0; i < along; i++ {
		for j := 0; j < around; j++ {
			// Walking along the path and then around the section turns
			// inwards; this order faces out.
			m.quad(rows[i][j], rows[i][j+1], rows[i+1][j+1], rows[i+1][j])
		}
	}
	for _, end := range []int{0, along} {
		p, out, fwd := frame(end)
		if end == 0 {
			fwd = fwd.scale(-1)
		}
		ring := make([]uint32, around)
		for j := range ring {
			pos, _ := section(p, out, j)
			beta := 2 * math.Pi * float64(j) / float64(around)
			ring[j] = m.vertex(pos, fwd, [2]float64{0.5 + 0.5*math.Cos(beta), 0.5 + 0.5*math.Sin(beta)})
		}
		centre := m.vertex(p, fwd, [2]float64{0.5, 0.5})
		for j := range ring {
			m.triFacing(centre, ring[j], ring[(j+1)%around], fwd)
		}
	}
	return m
}

// triFacing appends the triangle a, b, c wound so that its front faces
// towards want.
func (m *meshData) triFacing(a, b, c uint32, want vec3) {
	face := m.pos[b].sub(m.pos[a]).cross(m.pos[c].sub(m.pos[a]))
	if face.dot(want) < 0 {
		b, c = c, b
	}
	m.tri(a, b, c)
}
