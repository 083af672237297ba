package gltf

import (
	"math"
)

// data runs the checks that read accessor data. Each accessor is read once
// whatever its usages; the total work is bounded by v.budget so that a
// small file cannot make validation take hours.
func (v *validator) data() {
	for i := range v.doc.Accessors {
		if v.accOK[i] {
			v.accessorData(i)
		}
	}
	for _, set := range v.weights {
		v.weightSums(set)
	}
}

// charge takes n units of work from the budget, reporting once when it is
// exhausted.
func (v *validator) charge(n int64) bool {
	if v.budget < 0 {
		return false
	}
	v.budget -= n
	if v.budget < 0 {
		v.rep.addf(SeverityError, "VALIDATION_TOO_EXPENSIVE", "", "the accessors read the same data too many times to validate it in reasonable time")
		return false
	}
	return true
}

// elemCheck accumulates per-accessor data findings, reporting only the
// first instance of each kind of problem (a broken file can have millions).
type elemCheck struct {
	v        *validator
	p        string
	a        *Accessor
	comps    int
	min, max []float64
	reported map[string]bool
	prevTime float64

	// What the accessor is used for, resolved once per accessor.
	norm      bool
	ctype     int
	isIndex   bool
	verts     int     // vertex count of the primitives it indexes
	restart   float64 // primitive restart value of its component type
	isJoints  bool
	joints    int // joint count of the skins it is used with
	normal    bool
	tangent   bool
	rotation  bool
	animInput bool
}

func (c *elemCheck) once(code, format string, args ...any) {
	if c.reported[code] {
		return
	}
	c.reported[code] = true
	c.v.rep.addf(SeverityError, code, c.p, format, args...)
}

func (v *validator) accessorData(i int) {
	a := &v.doc.Accessors[i]
	l, err := accessorLayout(v.doc, i)
	if err != nil {
		return // bounds were reported structurally; data is missing or short
	}
	sp, err := sparseOf(v.doc, i, l)
	if err != nil {
		return
	}
	p := ptr("accessors", i)
	if sp != nil && !v.sparseIndices(p, sp, a.Count) {
		return
	}
	work := int64(l.comps)
	if l.data != nil {
		work *= int64(l.count)
	}
	if sp != nil {
		work += int64(sp.count * l.comps)
	}
	if !v.charge(work) {
		return
	}
	c := &elemCheck{v: v, p: p, a: a, comps: l.comps, min: make([]float64, l.comps), max: make([]float64, l.comps), reported: map[string]bool{}, prevTime: math.Inf(-1)}
	for k := range c.min {
		c.min[k], c.max[k] = math.Inf(1), math.Inf(-1)
	}
	c.norm, c.ctype = l.norm, l.ctype
	c.verts, c.isIndex = v.indexUses[i]
	c.restart = map[int]float64{ComponentUnsignedByte: 0xFF, ComponentUnsignedShort: 0xFFFF, ComponentUnsignedInt: 0xFFFFFFFF}[l.ctype]
	c.joints, c.isJoints = v.joints[i]
	c.normal, c.tangent, c.rotation = v.normals[i] && l.comps == 3, v.tangents[i] && l.comps == 4, v.rotations[i] && l.comps == 4
	c.animInput = v.accUse[i]&useAnimInput != 0 && l.comps == 1
	e := make([]float64, l.comps)
	visit := func(n int, src *layout, j int) {
		for k := range e {
			e[k] = src.raw(j, k)
		}
		c.element(n, e)
	}
	next, sj := -1, 0
	if sp != nil && sp.count > 0 {
		next = sp.index(0)
	}
	if l.data != nil {
		for n := 0; n < l.count; n++ {
			if n == next {
				visit(n, &sp.values, sj)
				sj++
				next = -1
				if sj < sp.count {
					next = sp.index(sj)
				}
				continue
			}
			visit(n, &l, n)
		}
	} else {
		zeros := l.count
		if sp != nil {
			zeros -= sp.count
		}
		if zeros > 0 {
			visit(0, &l, 0) // every element not overridden is zero: check one
		}
		for ; sp != nil && sj < sp.count; sj++ {
			visit(sp.index(sj), &sp.values, sj)
		}
	}
	c.bounds()
}

// sparseIndices checks that sparse indices increase strictly and stay below count.
func (v *validator) sparseIndices(p string, sp *sparseLayout, count int) bool {
	if !v.charge(int64(sp.count)) {
		return false
	}
	prev := -1
	for j := 0; j < sp.count; j++ {
		t := sp.index(j)
		if t <= prev {
			v.rep.addf(SeverityError, "ACCESSOR_SPARSE_INDICES_NON_INCREASING", p+"/sparse/indices", "sparse index %d at position %d is not greater than the previous one (%d)", t, j, prev)
			return false
		}
		if t >= count {
			v.rep.addf(SeverityError, "ACCESSOR_SPARSE_INDEX_OOB", p+"/sparse/indices", "sparse index %d at position %d is not less than the accessor's count %d", t, j, count)
			return false
		}
		prev = t
	}
	return true
}

// element checks one element (raw component values) of an accessor.
func (c *elemCheck) element(n int, e []float64) {
	for k, x := range e {
		if c.ctype == ComponentFloat && (math.IsNaN(x) || math.IsInf(x, 0)) {
			c.once("ACCESSOR_INVALID_FLOAT", "element %d is %v; glTF data must be finite numbers", n, x)
			if math.IsNaN(x) {
				continue // an infinity still counts for min and max, as in the Khronos validator
			}
		}
		if x < c.min[k] {
			c.min[k] = x
		}
		if x > c.max[k] {
			c.max[k] = x
		}
	}
	if c.isIndex {
		x := e[0]
		if x == c.restart {
			c.once("ACCESSOR_INDEX_PRIMITIVE_RESTART", "index %d is the primitive restart value %v, which glTF does not allow", n, x)
		}
		if x >= float64(c.verts) {
			c.once("ACCESSOR_INDEX_OOB", "index %d refers to vertex %v but the primitive has only %d vertices", n, x, c.verts)
		}
	}
	if c.isJoints {
		for k := range e {
			if e[k] >= float64(c.joints) {
				c.once("ACCESSOR_JOINTS_INDEX_OOB", "element %d uses joint %v but the skin has %d joints", n, e[k], c.joints)
			}
		}
	}
	if !(c.normal || c.tangent || c.rotation || c.animInput) {
		return
	}
	var x [4]float64
	for k := range e {
		x[k] = e[k]
		if c.norm {
			x[k] = normalize(e[k], c.ctype)
		}
	}
	switch {
	case c.normal:
		if l := math.Sqrt(x[0]*x[0] + x[1]*x[1] + x[2]*x[2]); math.Abs(l-1) > unitTolerance {
			c.once("ACCESSOR_VECTOR3_NON_UNIT", "normal %d has length %.4g; normals must be unit vectors", n, l)
		}
	case c.tangent:
		if l := math.Sqrt(x[0]*x[0] + x[1]*x[1] + x[2]*x[2]); math.Abs(l-1) > unitTolerance {
			c.once("ACCESSOR_VECTOR3_NON_UNIT", "tangent %d has length %.4g; tangents must be unit vectors", n, l)
		}
		if x[3] != 1 && x[3] != -1 {
			c.once("ACCESSOR_INVALID_SIGN", "tangent %d has w = %g; it must be 1 or -1", n, x[3])
		}
	case c.rotation:
		if l := math.Sqrt(x[0]*x[0] + x[1]*x[1] + x[2]*x[2] + x[3]*x[3]); math.Abs(l-1) > quatTolerance {
			c.once("ACCESSOR_ANIMATION_SAMPLER_OUTPUT_NON_NORMALIZED_QUATERNION", "rotation keyframe %d has length %.4g; quaternions must be normalized", n, l)
		}
	case c.animInput:
		if x[0] < 0 {
			c.once("ACCESSOR_ANIMATION_INPUT_NEGATIVE", "keyframe time %d is negative (%g)", n, x[0])
		}
		if x[0] <= c.prevTime {
			c.once("ACCESSOR_ANIMATION_INPUT_NON_INCREASING", "keyframe time %d (%g) is not greater than the previous one (%g)", n, x[0], c.prevTime)
		}
		c.prevTime = x[0]
	}
}
