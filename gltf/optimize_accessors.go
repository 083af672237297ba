package gltf

import "fmt"

// rawElements returns the elements of accessor idx exactly as stored,
// tightly packed (matrix column padding included), with sparse values
// substituted, and the element size.
func rawElements(doc *Document, idx int) ([]byte, int, error) {
	l, err := accessorLayout(doc, idx)
	if err != nil {
		return nil, 0, err
	}
	a := &doc.Accessors[idx]
	elem := ElementSize(a.Type, a.ComponentType)
	if l.data == nil && l.count*l.comps > MaxAccessorElements {
		return nil, 0, fmt.Errorf("accessor %d claims %d elements without any data, more than allowed", idx, l.count)
	}
	out := make([]byte, l.count*elem)
	if l.data != nil {
		if l.stride == elem {
			copy(out, l.data[:min(len(l.data), l.count*elem)]) // the last matrix column may be unpadded
		} else {
			for i := 0; i < l.count; i++ {
				copy(out[i*elem:(i+1)*elem], l.data[i*l.stride:])
			}
		}
	}
	sp, err := sparseOf(doc, idx, l)
	if err != nil || sp == nil {
		return out, elem, err
	}
	for j := 0; j < sp.count; j++ {
		t := sp.index(j)
		if t >= l.count {
			return nil, 0, fmt.Errorf("accessor %d: sparse index %d is out of range (count %d)", idx, t, l.count)
		}
		copy(out[t*elem:(t+1)*elem], sp.values.data[j*elem:])
	}
	return out, elem, nil
}

// rebuildOtherAccessors rewrites the accessors of skins and animations
// into the new buffer (sparse ones dense).
func (p *optimizer) rebuildOtherAccessors() error {
	densified := map[int]bool{}
	add := func(idx int, g accGroup) (int, error) {
		data, _, err := rawElements(p.src, idx)
		if err != nil {
			return 0, err
		}
		meta := &p.doc.Accessors[idx]
		if meta.Sparse != nil {
			densified[idx] = true
		}
		return p.bin.add(meta, data, g, meta.Min != nil || meta.Max != nil), nil
	}
	for i := range p.doc.Skins {
		s := &p.doc.Skins[i]
		if s.InverseBindMatrices != nil {
			n, err := add(*s.InverseBindMatrices, groupSkin)
			if err != nil {
				return fmt.Errorf("skin %d: %w", i, err)
			}
			s.InverseBindMatrices = Ptr(n)
		}
	}
	for i := range p.doc.Animations {
		for j := range p.doc.Animations[i].Samplers {
			s := &p.doc.Animations[i].Samplers[j]
			in, err := add(s.Input, groupAnimation)
			if err != nil {
				return fmt.Errorf("animation %d sampler %d: %w", i, j, err)
			}
			out, err := add(s.Output, groupAnimation)
			if err != nil {
				return fmt.Errorf("animation %d sampler %d: %w", i, j, err)
			}
			s.Input, s.Output = in, out
		}
	}
	p.rep.DensifiedSparse += len(densified)
	return nil
}

// countUnusedAccessors counts the input accessors that no kept mesh, skin
// or animation of the working copy refers to (before they are rebuilt).
func (p *optimizer) countUnusedAccessors() int {
	used := make([]bool, len(p.src.Accessors))
	for _, m := range p.doc.Meshes {
		for _, pr := range m.Primitives {
			for _, set := range append([]map[string]int{pr.Attributes}, pr.Targets...) {
				for _, a := range set {
					used[a] = true
				}
			}
			if pr.Indices != nil {
				used[*pr.Indices] = true
			}
		}
	}
	for _, s := range p.doc.Skins {
		if s.InverseBindMatrices != nil {
			used[*s.InverseBindMatrices] = true
		}
	}
	for _, a := range p.doc.Animations {
		for _, s := range a.Samplers {
			used[s.Input], used[s.Output] = true, true
		}
	}
	n := 0
	for _, u := range used {
		if !u {
			n++
		}
	}
	return n
}
