package gltf

import "math"

// bounder accumulates a bounding box from primitive positions. It
// transforms every vertex while the work stays moderate, and falls back to
// the 8 corners of the accessor's min/max box beyond that: exact for normal
// models, bounded for huge instanced scenes.
type bounder struct {
	doc      *Document
	min, max [3]float64
	ok       bool
	budget   int
	cache    map[int][]float32
}

func newBounder(doc *Document) *bounder {
	return &bounder{doc: doc, budget: 4 << 20, cache: map[int][]float32{},
		min: [3]float64{math.Inf(1), math.Inf(1), math.Inf(1)}, max: [3]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}}
}

func (b *bounder) point(p [3]float64) {
	for k := 0; k < 3; k++ {
		if math.IsNaN(p[k]) || math.IsInf(p[k], 0) {
			return
		}
	}
	for k := 0; k < 3; k++ {
		b.min[k] = math.Min(b.min[k], p[k])
		b.max[k] = math.Max(b.max[k], p[k])
	}
	b.ok = true
}

func (b *bounder) add(pr *Primitive, world Mat4) {
	idx, ok := pr.Attributes["POSITION"]
	if !ok || idx < 0 || idx >= len(b.doc.Accessors) {
		return
	}
	a := &b.doc.Accessors[idx]
	if a.Type != TypeVec3 {
		return
	}
	if a.Count <= b.budget && (a.BufferView != nil || a.Sparse != nil) {
		pos, cached := b.cache[idx]
		if !cached {
			pos, _, _ = ReadAccessorFloat32(b.doc, idx)
			b.cache[idx] = pos
		}
		if pos != nil {
			b.budget -= a.Count
			for i := 0; i+2 < len(pos); i += 3 {
				b.point(world.Apply([3]float64{float64(pos[i]), float64(pos[i+1]), float64(pos[i+2])}))
			}
			return
		}
	}
	if len(a.Min) != 3 || len(a.Max) != 3 {
		return
	}
	lo, hi := [3]float64(a.Min), [3]float64(a.Max)
	if a.Normalized { // min/max are raw integers: map them like the data
		for k := 0; k < 3; k++ {
			lo[k], hi[k] = normalize(lo[k], a.ComponentType), normalize(hi[k], a.ComponentType)
		}
	}
	for c := 0; c < 8; c++ {
		b.point(world.Apply([3]float64{pick(c&1, lo[0], hi[0]), pick(c&2, lo[1], hi[1]), pick(c&4, lo[2], hi[2])}))
	}
}

func pick(bit int, lo, hi float64) float64 {
	if bit == 0 {
		return lo
	}
	return hi
}
