package raster

import "math"

// Lighting of the reference scene (Blender Cycles, see the camera notes in
// camera.go): a uniform grey environment of radiance envRadiance and one
// sun of irradiance sunIrradiance (W/m²) shining from frame.light.
const (
	envRadiance   = 0.8
	sunIrradiance = 2.0
	minRoughness  = 0.03 // below this GGX turns into a pin-point sun highlight
)

// shadeAt returns the straight (not premultiplied) linear colour and the
// alpha of triangle t at pixel (x, y): metallic-roughness PBR with a GGX
// specular and Lambert diffuse under the sun, plus the environment's
// diffuse and specular (split-sum approximation), times occlusion, plus
// emission.
func (f *frame) shadeAt(t *tri, e *edges, x, y int, mask uint32) [4]float32 {
	fr := f.fragmentAt(t, e, x, y, mask)
	mat := fr.mat
	base := f.baseColor(&fr)
	if mat.unlit {
		return base
	}
	dr := fr.dr
	pos := interp3(dr.pos, fr.i, fr.w)
	n := f.normal(t, &fr)
	v := f.cam.eye.sub(pos).norm()
	metal, rough := float64(mat.metal), float64(mat.rough)
	if r := mat.mrTex; r != nil {
		s := f.tex(r, &fr)
		rough *= float64(s[1])
		metal *= float64(s[2])
	}
	metal = clamp(metal, 0, 1)
	rough = clamp(rough, minRoughness, 1)
	alpha := rough * rough
	ao := 1.0
	if r := mat.occTex; r != nil {
		s := f.tex(r, &fr)
		ao = 1 + float64(mat.occStrength)*(float64(s[0])-1)
	}
	nv := clamp(n.dot(v), 1e-4, 1)
	envA, envB := envBRDF(rough, nv)
	nl := n.dot(f.light)
	var d, vis, fres float64
	if nl > 0 {
		h := f.light.add(v).norm()
		nh, vh := clamp(n.dot(h), 0, 1), clamp(v.dot(h), 0, 1)
		a2 := alpha * alpha
		q := nh*nh*(a2-1) + 1
		d = a2 / (math.Pi * q * q)
		vis = 0.5 / (nl*math.Sqrt(nv*nv*(1-a2)+a2) + nv*math.Sqrt(nl*nl*(1-a2)+a2))
		u := 1 - vh
		fres = u * u * u * u * u
	} else {
		nl = 0
	}
	var emis [3]float32 = mat.emissive
	if r := mat.emisTex; r != nil && emis != ([3]float32{}) {
		s := f.tex(r, &fr)
		for k := range emis {
			emis[k] *= s[k]
		}
	}
	var out [4]float32
	for k := 0; k < 3; k++ {
		b := float64(base[k])
		diffuse := b * (1 - metal)
		f0 := 0.04*(1-metal) + b*metal
		spec := d * vis * (f0 + (1-f0)*fres)
		sun := (diffuse/math.Pi + spec) * sunIrradiance * nl
		env := (diffuse + f0*envA + envB) * envRadiance * ao
		out[k] = float32(sun+env) + emis[k]
	}
	out[3] = base[3]
	return out
}

// envBRDF is the split-sum scale and bias of the specular reflection of a
// uniform environment (an analytic fit of the GGX integral, after Karis).
func envBRDF(rough, nv float64) (a, b float64) {
	r0 := -rough + 1
	r1 := -0.0275*rough + 0.0425
	r2 := -0.572*rough + 1.04
	r3 := 0.022*rough - 0.04
	a004 := min(r0*r0, fastExp2(-9.28*nv))*r0 + r1
	return -1.04*a004 + r2, 1.04*a004 + r3
}

// normal is the shading normal: interpolated (or the face's for meshes
// without normals), turned towards a back-facing viewer of a double-sided
// triangle, and bent by the normal map.
func (f *frame) normal(t *tri, fr *fragment) vec3 {
	dr := fr.dr
	var n vec3
	if dr.nrm != nil {
		n = interp3(dr.nrm, fr.i, fr.w).norm()
	}
	if n == (vec3{}) {
		p := func(k int) vec3 {
			i := fr.i[k]
			return vec3{float64(dr.pos[3*i]), float64(dr.pos[3*i+1]), float64(dr.pos[3*i+2])}
		}
		n = p(1).sub(p(0)).cross(p(2).sub(p(0))).norm()
	}
	if t.back {
		n = n.scale(-1)
	}
	if r := fr.mat.normTex; r != nil && dr.tan != nil {
		var tg vec3
		var sign float64
		for k := 0; k < 3; k++ {
			i := fr.i[k]
			w := fr.w[k]
			tg = tg.add(vec3{float64(dr.tan[4*i]), float64(dr.tan[4*i+1]), float64(dr.tan[4*i+2])}.scale(w))
			sign += float64(dr.tan[4*i+3]) * w
		}
		tg = tg.sub(n.scale(n.dot(tg))).norm()
		if tg == (vec3{}) {
			return n
		}
		if sign < 0 {
			sign = -1
		} else {
			sign = 1
		}
		bt := n.cross(tg).scale(sign)
		s := f.tex(r, fr)
		sc := float64(fr.mat.normScale)
		tx, ty, tz := (float64(s[0])*2-1)*sc, (float64(s[1])*2-1)*sc, float64(s[2])*2-1
		if m := tg.scale(tx).add(bt.scale(ty)).add(n.scale(tz)).norm(); m != (vec3{}) {
			n = m
		}
	}
	return n
}

// clamp limits v to [lo, hi]; NaN becomes lo (comparisons, not math.Min:
// this runs several times per pixel).
func clamp(v, lo, hi float64) float64 {
	if !(v > lo) {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// fastExp2 is 2^x for x ≤ 0 from the exponent bits and a cubic for the
// fraction (relative error below 1e-4), enough for a lighting fit.
func fastExp2(x float64) float64 {
	if x < -60 {
		return 0
	}
	i := math.Floor(x)
	f := x - i
	p := 1 + f*(0.6960656421+f*(0.2244943194+f*0.0794402445))
	return math.Ldexp(p, int(i))
}

// fastLog2 is log2(x) for x > 0 from the exponent bits and a cubic for the
// mantissa (error below 0.02 of a level: a mip choice needs no more).
func fastLog2(x float64) float64 {
	m, e := math.Frexp(x) // x = m·2^e, m in [0.5, 1)
	m = 2*m - 1           // [0, 1)
	return float64(e-1) + m*(1.4425449+m*(-0.7181452+m*0.2736627))
}
