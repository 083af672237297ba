package raster

// generateTangents derives per-vertex tangents from UVs for a normal map
// on a primitive without TANGENT: the tangent follows +u and the sign w
// makes cross(N, T)·w point along −v, because glTF's v grows downwards in
// the image while a normal map's green channel points up (the frame a
// MikkTSpace-generating exporter would have written).
func generateTangents(pos, nrm, uv []float32, idx []uint32) []float32 {
	n := len(pos) / 3
	tan := make([]vec3, n)
	bit := make([]vec3, n)
	p := func(i uint32) vec3 { return vec3{float64(pos[3*i]), float64(pos[3*i+1]), float64(pos[3*i+2])} }
	for t := 0; t+2 < len(idx); t += 3 {
		a, b, c := idx[t], idx[t+1], idx[t+2]
		e1, e2 := p(b).sub(p(a)), p(c).sub(p(a))
		du1, dv1 := float64(uv[2*b]-uv[2*a]), float64(uv[2*b+1]-uv[2*a+1])
		du2, dv2 := float64(uv[2*c]-uv[2*a]), float64(uv[2*c+1]-uv[2*a+1])
		det := du1*dv2 - du2*dv1
		if det == 0 || !finite(det) {
			continue
		}
		r := 1 / det
		tv := e1.scale(dv2).sub(e2.scale(dv1)).scale(r)
		bv := e2.scale(du1).sub(e1.scale(du2)).scale(r)
		for _, v := range [3]uint32{a, b, c} {
			tan[v] = tan[v].add(tv)
			bit[v] = bit[v].add(bv)
		}
	}
	out := make([]float32, 4*n)
	for i := 0; i < n; i++ {
		nv := vec3{float64(nrm[3*i]), float64(nrm[3*i+1]), float64(nrm[3*i+2])}
		t := tan[i].sub(nv.scale(nv.dot(tan[i]))).norm() // Gram-Schmidt
		if t == (vec3{}) {
			t = anyPerpendicular(nv)
		}
		w := float32(1)
		if nv.cross(t).dot(bit[i]) > 0 { // bit follows +v: the frame wants −v
			w = -1
		}
		out[4*i], out[4*i+1], out[4*i+2], out[4*i+3] = float32(t[0]), float32(t[1]), float32(t[2]), w
	}
	return out
}

// anyPerpendicular returns a unit vector perpendicular to unit n.
func anyPerpendicular(n vec3) vec3 {
	if n[0]*n[0] < 0.5 {
		return vec3{1, 0, 0}.sub(n.scale(n[0])).norm()
	}
	return vec3{0, 1, 0}.sub(n.scale(n[1])).norm()
}
