package demo

import (
	"math"
	"testing"
)

// circMM is the outside circumference in millimetres: one unit of UV on
// Body in both directions.
var circMM = 2 * math.Pi * mugOuterR

func TestMugZone(t *testing.T) {
	t.Parallel()
	z := MugZone()
	r := z.Rect
	if !(0 <= r.U0 && r.U0 < r.U1 && r.U1 <= 1 && 0 <= r.V0 && r.V0 < r.V1 && r.V1 <= 1) {
		t.Fatalf("rect %+v is not inside 0..1", r)
	}
	if z.Material != MaterialBody || z.DPI != 300 || len(z.ColourMaterials) != 2 {
		t.Errorf("zone %+v", z)
	}
	// A square in the design must be square on the mug: the rect's aspect
	// in UV space (the texture is square) is the printed aspect.
	if a, want := (r.U1-r.U0)/(r.V1-r.V0), z.WidthMM/z.HeightMM; !within(a, want, 0.01) {
		t.Errorf("UV aspect %.4f, printed aspect %.4f", a, want)
	}
	if w, h := (r.U1-r.U0)*circMM, (r.V1-r.V0)*circMM; !within(w, z.WidthMM, 0.01) || !within(h, z.HeightMM, 0.01) {
		t.Errorf("the rect spans %.2f × %.2f mm of wall, the zone says %g × %g", w, h, z.WidthMM, z.HeightMM)
	}
	if !(0 < z.FrontXMM && z.FrontXMM < z.WidthMM) {
		t.Errorf("FrontXMM %g is outside the area", z.FrontXMM)
	}
}

// onWall reports whether p lies on the straight part of the outside wall.
func onWall(p vec3) bool {
	r := math.Hypot(p[0], p[2]) / mm
	return r > mugOuterR-0.05 && p[1]/mm >= mugWallBottom-1e-3 && p[1]/mm <= mugRimY+1e-3 // float32 precision
}

// TestBodyUVsUnrollTheWall checks that Body's texture lies on the wall
// without stretching, shearing or mirroring: every wall triangle maps UV
// to space at one circumference per UV unit along both axes, at right
// angles, with u going left to right and v downwards as seen from outside.
// Then it samples the print area: every point of MugZone's rect is on
// Body, at the place the unrolling puts it (around from the seam at the
// handle, down from the wall's top), and nowhere else.
func TestBodyUVsUnrollTheWall(t *testing.T) {
	t.Parallel()
	zone := MugZone()
	for name, doc := range mugDocs(t) {
		body := byMaterial(t, readPrims(t, doc), MaterialBody)
		wall := 0
		for _, tri := range body.tris {
			p := [3]vec3{body.pos[tri[0]], body.pos[tri[1]], body.pos[tri[2]]}
			if !onWall(p[0]) || !onWall(p[1]) || !onWall(p[2]) {
				continue
			}
			wall++
			ju, jv, ok := jacobian(p, [3][2]float64{body.uv[tri[0]], body.uv[tri[1]], body.uv[tri[2]]})
			if !ok {
				t.Fatalf("%s: wall triangle %v has no UV area", name, tri)
			}
			c := circMM * mm
			lu, lv := math.Sqrt(ju.dot(ju)), math.Sqrt(jv.dot(jv))
			if !within(lu, c, 0.01) || !within(lv, c, 0.01) || math.Abs(ju.dot(jv)) > 0.01*c*c {
				t.Fatalf("%s: triangle %v maps a UV unit to %.2f × %.2f mm (shear %.3g), want %.2f square", name, tri, lu/mm, lv/mm, ju.dot(jv)/(c*c), circMM)
			}
			out := vec3{p[0][0], 0, p[0][2]}
			if ju.cross(jv).dot(out) >= 0 {
				t.Fatalf("%s: triangle %v shows the texture mirrored or upside down from outside", name, tri)
			}
		}
		if wall < 96 {
			t.Fatalf("%s: only %d triangles on the wall", name, wall)
		}

		r := zone.Rect
		const nu, nv = 40, 16
		for i := range nu {
			for k := range nv {
				u := r.U0 + (r.U1-r.U0)*(float64(i)+0.5)/nu
				v := r.V0 + (r.V1-r.V0)*(float64(k)+0.5)/nv
				a := math.Pi/2 + 2*math.Pi*u
				y := mugRimY - (v-bodyV0)*circMM
				want := vec3{mugOuterR * math.Sin(a) * mm, y * mm, mugOuterR * math.Cos(a) * mm}
				hits := 0
				for _, tri := range body.tris {
					got, ok := atUV(body, tri, u, v)
					if !ok {
						continue
					}
					hits++
					// 0.05 mm: the facets are chords, 0.02 mm inside the circle.
					if d := got.sub(want); math.Sqrt(d.dot(d)) > 0.05*mm {
						t.Fatalf("%s: UV (%.4f, %.4f) lies at %v, want %v", name, u, v, got, want)
					}
				}
				if hits == 0 {
					t.Fatalf("%s: UV (%.4f, %.4f) of the print area is on no Body triangle", name, u, v)
				}
			}
		}

		// The seam (u = 0 or 1) runs down the wall behind the handle, +X.
		for i, uv := range body.uv {
			p := body.pos[i]
			if (uv[0] == 0 || uv[0] == 1) && math.Hypot(p[0], p[2]) > (mugOuterR-mugFootR)*mm+1e-6 {
				if math.Abs(p[2]) > 1e-6 || p[0] <= 0 {
					t.Fatalf("%s: seam vertex at %v is not behind the handle (+X)", name, p)
				}
			}
		}
	}
}

// jacobian returns the derivatives of position along u and v over the
// triangle p with texture coordinates uv.
func jacobian(p [3]vec3, uv [3][2]float64) (ju, jv vec3, ok bool) {
	du1, dv1 := uv[1][0]-uv[0][0], uv[1][1]-uv[0][1]
	du2, dv2 := uv[2][0]-uv[0][0], uv[2][1]-uv[0][1]
	det := du1*dv2 - du2*dv1
	if math.Abs(det) < 1e-14 {
		return ju, jv, false
	}
	e1, e2 := p[1].sub(p[0]), p[2].sub(p[0])
	ju = e1.scale(dv2 / det).sub(e2.scale(dv1 / det))
	jv = e2.scale(du1 / det).sub(e1.scale(du2 / det))
	return ju, jv, true
}

// atUV returns the point of triangle tri of pr whose texture coordinates
// are (u, v), if the triangle covers them.
func atUV(pr prim, tri [3]uint32, u, v float64) (vec3, bool) {
	a, b, c := pr.uv[tri[0]], pr.uv[tri[1]], pr.uv[tri[2]]
	det := (b[0]-a[0])*(c[1]-a[1]) - (c[0]-a[0])*(b[1]-a[1])
	if det == 0 {
		return vec3{}, false
	}
	l1 := ((u-a[0])*(c[1]-a[1]) - (c[0]-a[0])*(v-a[1])) / det
	l2 := ((b[0]-a[0])*(v-a[1]) - (u-a[0])*(b[1]-a[1])) / det
	l0 := 1 - l1 - l2
	const eps = -1e-9
	if l0 < eps || l1 < eps || l2 < eps {
		return vec3{}, false
	}
	pa, pb, pc := pr.pos[tri[0]], pr.pos[tri[1]], pr.pos[tri[2]]
	return vec3{
		l0*pa[0] + l1*pb[0] + l2*pc[0],
		l0*pa[1] + l1*pb[1] + l2*pc[1],
		l0*pa[2] + l1*pb[2] + l2*pc[2],
	}, true
}

// TestHandleKeepsClearOfThePrint checks that the handle joins the wall only
// inside its thickness (no gap, nothing poking into the cup) and within the
// clearance the print area leaves around the seam.
func TestHandleKeepsClearOfThePrint(t *testing.T) {
	t.Parallel()
	zone := MugZone()
	clearance := (circMM - zone.WidthMM) / 2 // mm of wall either side of the seam
	for name, doc := range mugDocs(t) {
		h := byMaterial(t, readPrims(t, doc), MaterialHandle)
		buried := 0
		for _, p := range h.pos {
			r := math.Hypot(p[0], p[2]) / mm
			if r < mugOuterR {
				buried++
				if r <= mugInnerR {
					t.Errorf("%s: handle vertex %v pokes into the cup", name, p)
				}
				// Arc length of the wall from the seam to this azimuth.
				if arc := math.Abs(math.Atan2(p[2], p[0])) * mugOuterR; arc > clearance {
					t.Errorf("%s: handle vertex %v meets the wall %.1f mm from the seam, the print area starts at %.1f", name, p, arc, clearance)
				}
			}
		}
		if buried == 0 {
			t.Errorf("%s: the handle does not reach into the wall", name)
		}
	}
}
