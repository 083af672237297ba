package gltf

import "math"

// bounds compares the declared min/max with the data: they must be exact,
// because viewers use them for bounding boxes and dequantization.
func (c *elemCheck) bounds() {
	a := c.a
	for k := 0; k < c.comps; k++ {
		if math.IsInf(c.min[k], 1) && math.IsInf(c.max[k], -1) {
			continue // no value but NaN in this component
		}
		// As in the Khronos validator, a mismatch is reported whenever the
		// data's extreme differs from the declared one, and values beyond
		// the declared bound are reported as well.
		if len(a.Min) == c.comps {
			if d := declared(a.Min[k], a.ComponentType); c.min[k] != d {
				c.once("ACCESSOR_MIN_MISMATCH", "the declared min %v of component %d does not match the data's min %v", a.Min[k], k, c.min[k])
				if c.min[k] < d {
					c.once("ACCESSOR_ELEMENT_OUT_OF_MIN_BOUND", "component %d has values down to %v, below the declared min %v", k, c.min[k], a.Min[k])
				}
			}
		}
		if len(a.Max) == c.comps {
			if d := declared(a.Max[k], a.ComponentType); c.max[k] != d {
				c.once("ACCESSOR_MAX_MISMATCH", "the declared max %v of component %d does not match the data's max %v", a.Max[k], k, c.max[k])
				if c.max[k] > d {
					c.once("ACCESSOR_ELEMENT_OUT_OF_MAX_BOUND", "component %d has values up to %v, above the declared max %v", k, c.max[k], a.Max[k])
				}
			}
		}
	}
}

// declared converts a JSON min/max to the precision of the data: float
// data is float32, so the JSON double is rounded to float32 first.
func declared(x float64, ctype int) float64 {
	if ctype == ComponentFloat {
		return float64(float32(x))
	}
	return x
}

// weightSums checks that the skin weights of each vertex of a primitive
// are non-negative and add up to 1.
func (v *validator) weightSums(accs []int) {
	var ls []layout
	for _, i := range accs {
		if !v.accOK[i] || v.doc.Accessors[i].Sparse != nil {
			return
		}
		l, err := accessorLayout(v.doc, i)
		if err != nil || l.data == nil {
			return
		}
		if len(ls) > 0 && l.count != ls[0].count {
			return
		}
		ls = append(ls, l)
	}
	if len(ls) == 0 || !v.charge(int64(ls[0].count*4*len(ls))) {
		return
	}
	p := ptr("accessors", accs[0])
	for n := 0; n < ls[0].count; n++ {
		sum := 0.0
		for li := range ls {
			for k := 0; k < ls[li].comps; k++ {
				w := ls[li].value(n, k)
				if w < 0 {
					v.rep.addf(SeverityError, "ACCESSOR_WEIGHTS_NEGATIVE", ptr("accessors", accs[li]), "weight %d of vertex %d is negative (%g)", k, n, w)
					return
				}
				sum += w
			}
		}
		if math.Abs(sum-1) > sumTolerance {
			v.rep.addf(SeverityError, "ACCESSOR_WEIGHTS_NON_NORMALIZED", p, "the skin weights of vertex %d add up to %g; they must add up to 1", n, sum)
			return
		}
	}
}
