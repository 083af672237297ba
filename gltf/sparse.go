package gltf

import (
	"encoding/binary"
	"fmt"
)

// sparseLayout locates the indices and values of a sparse accessor.
type sparseLayout struct {
	indices []byte
	isize   int
	values  layout // same element layout as the base accessor, tightly packed
	count   int
}

// sparseOf resolves the sparse part of accessor idx (base layout l), or
// returns nil when it has none. Every index and value is checked to lie in
// its buffer view; index values are checked by the caller.
func sparseOf(doc *Document, idx int, l layout) (*sparseLayout, error) {
	a := &doc.Accessors[idx]
	s := a.Sparse
	if s == nil {
		return nil, nil
	}
	if s.Count < 0 || s.Count > a.Count {
		return nil, fmt.Errorf("accessor %d: sparse count %d exceeds the accessor's %d elements", idx, s.Count, a.Count)
	}
	iv, err := bufferViewData(doc, s.Indices.BufferView)
	if err != nil {
		return nil, fmt.Errorf("accessor %d sparse indices: %w", idx, err)
	}
	isize := ComponentSize(s.Indices.ComponentType)
	if isize == 0 || s.Indices.ComponentType == ComponentByte || s.Indices.ComponentType == ComponentShort || s.Indices.ComponentType == ComponentFloat {
		return nil, fmt.Errorf("accessor %d: sparse indices must be unsigned integers", idx)
	}
	if s.Indices.ByteOffset < 0 || s.Indices.ByteOffset > len(iv) || s.Count*isize > len(iv)-s.Indices.ByteOffset {
		return nil, fmt.Errorf("accessor %d: sparse indices do not fit in buffer view %d", idx, s.Indices.BufferView)
	}
	vv, err := bufferViewData(doc, s.Values.BufferView)
	if err != nil {
		return nil, fmt.Errorf("accessor %d sparse values: %w", idx, err)
	}
	elem := ElementSize(a.Type, a.ComponentType)
	if s.Values.ByteOffset < 0 || s.Values.ByteOffset > len(vv) || s.Count*elem > len(vv)-s.Values.ByteOffset {
		return nil, fmt.Errorf("accessor %d: sparse values do not fit in buffer view %d", idx, s.Values.BufferView)
	}
	vl := l
	vl.data = vv[s.Values.ByteOffset:]
	vl.stride = elem
	vl.count = s.Count
	return &sparseLayout{indices: iv[s.Indices.ByteOffset:], isize: isize, values: vl, count: s.Count}, nil
}

// index returns the j-th sparse index.
func (s *sparseLayout) index(j int) int {
	switch s.isize {
	case 1:
		return int(s.indices[j])
	case 2:
		return int(binary.LittleEndian.Uint16(s.indices[2*j:]))
	}
	return int(binary.LittleEndian.Uint32(s.indices[4*j:]))
}

// applySparse calls set for every component that the sparse part of
// accessor idx overrides, with the value as a shader sees it.
func applySparse(doc *Document, idx int, l layout, set func(i, k int, v float64)) error {
	sp, err := sparseOf(doc, idx, l)
	if sp == nil || err != nil {
		return err
	}
	for j := 0; j < sp.count; j++ {
		t := sp.index(j)
		if t >= l.count {
			return fmt.Errorf("accessor %d: sparse index %d is out of range (count %d)", idx, t, l.count)
		}
		for k := 0; k < l.comps; k++ {
			set(t, k, sp.values.value(j, k))
		}
	}
	return nil
}
