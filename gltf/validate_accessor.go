package gltf

import "strings"

func (v *validator) bufferViews() {
	for i, bv := range v.doc.BufferViews {
		p := ptr("bufferViews", i)
		if bv.ByteLength < 1 || bv.ByteOffset < 0 {
			v.rep.addf(SeverityError, "VALUE_NOT_IN_RANGE", p, "byteOffset %d / byteLength %d out of range", bv.ByteOffset, bv.ByteLength)
			continue
		}
		if v.ref(p+"/buffer", bv.Buffer, len(v.doc.Buffers), "buffer") {
			if bl := v.doc.Buffers[bv.Buffer].ByteLength; bv.ByteOffset+bv.ByteLength > bl {
				v.rep.addf(SeverityError, "BUFFER_VIEW_TOO_LONG", p, "the buffer view (bytes %d..%d) does not fit in buffer %d (%d bytes)", bv.ByteOffset, bv.ByteOffset+bv.ByteLength, bv.Buffer, bl)
			}
		}
		if bv.ByteStride != 0 {
			if bv.ByteStride < 4 || bv.ByteStride > 252 || bv.ByteStride%4 != 0 {
				v.rep.addf(SeverityError, "VALUE_NOT_IN_RANGE", p+"/byteStride", "byteStride %d must be a multiple of 4 between 4 and 252", bv.ByteStride)
			}
			if bv.ByteStride > bv.ByteLength {
				v.rep.addf(SeverityError, "BUFFER_VIEW_TOO_BIG_BYTE_STRIDE", p+"/byteStride", "byteStride %d is greater than byteLength %d", bv.ByteStride, bv.ByteLength)
			}
			if bv.Target == TargetElementArrayBuffer {
				v.rep.addf(SeverityError, "BUFFER_VIEW_INVALID_BYTE_STRIDE", p+"/byteStride", "an index buffer view cannot have a byteStride")
			}
		}
	}
}

func (v *validator) accessors() {
	for i := range v.doc.Accessors {
		a := &v.doc.Accessors[i]
		p := ptr("accessors", i)
		comps, csize := ComponentCount(a.Type), ComponentSize(a.ComponentType)
		if comps == 0 || csize == 0 || a.Count < 1 {
			// Reported by the schema check (an unknown type or component
			// type is a warning there, a count below 1 an error); such an
			// accessor has no layout to check or data to read, and any use
			// of it fails that use's format check.
			continue
		}
		ok := true
		if a.Normalized && (a.ComponentType == ComponentFloat || a.ComponentType == ComponentUnsignedInt) {
			v.rep.addf(SeverityError, "ACCESSOR_NORMALIZED_INVALID", p+"/normalized", "only byte and short accessors can be normalized")
		}
		for _, mm := range []struct {
			name string
			vals []float64
		}{{"min", a.Min}, {"max", a.Max}} {
			if mm.vals != nil && len(mm.vals) != comps {
				v.rep.addf(SeverityError, "ARRAY_LENGTH_NOT_IN_LIST", p+"/"+mm.name, "%s has %d values; a %s accessor needs %d", mm.name, len(mm.vals), a.Type, comps)
				ok = false
			}
		}
		if a.BufferView != nil {
			ok = v.accessorView(i, a, p, comps, csize) && ok
		} else if a.ByteOffset != 0 {
			v.rep.addf(SeverityError, "UNSATISFIED_DEPENDENCY", p+"/byteOffset", "byteOffset is set but bufferView is not")
		}
		if a.Sparse != nil {
			ok = v.sparse(i, a, p+"/sparse") && ok
		}
		v.accOK[i] = ok
	}
}

// accessorView checks an accessor against its buffer view.
func (v *validator) accessorView(i int, a *Accessor, p string, comps, csize int) bool {
	if !v.ref(p+"/bufferView", *a.BufferView, len(v.doc.BufferViews), "buffer view") {
		return false
	}
	bv := &v.doc.BufferViews[*a.BufferView]
	elem := ElementSize(a.Type, a.ComponentType)
	ok := true
	if a.ByteOffset < 0 {
		v.rep.addf(SeverityError, "VALUE_NOT_IN_RANGE", p+"/byteOffset", "byteOffset %d is negative", a.ByteOffset)
		return false
	}
	if a.ByteOffset%csize != 0 {
		v.rep.addf(SeverityError, "ACCESSOR_OFFSET_ALIGNMENT", p+"/byteOffset", "byteOffset %d is not a multiple of the component size %d", a.ByteOffset, csize)
		ok = false
	}
	if (bv.ByteOffset+a.ByteOffset)%csize != 0 {
		v.rep.addf(SeverityError, "ACCESSOR_TOTAL_OFFSET_ALIGNMENT", p, "the accessor starts at byte %d of its buffer, which is not a multiple of the component size %d", bv.ByteOffset+a.ByteOffset, csize)
		ok = false
	}
	// Matrix columns start on 4-byte boundaries counted from the accessor's
	// own byteOffset (what the Khronos validator checks); the total offset
	// only needs the component alignment checked above.
	if strings.HasPrefix(a.Type, "MAT") && a.ByteOffset%4 != 0 {
		v.rep.addf(SeverityError, "ACCESSOR_MATRIX_ALIGNMENT", p+"/byteOffset", "byteOffset %d of a matrix accessor must be a multiple of 4", a.ByteOffset)
		ok = false
	}
	stride := elem
	if bv.ByteStride != 0 {
		if bv.ByteStride < elem {
			v.rep.addf(SeverityError, "ACCESSOR_SMALL_BYTESTRIDE", p, "buffer view %d has byteStride %d, less than the accessor's %d-byte elements", *a.BufferView, bv.ByteStride, elem)
			return false
		}
		stride = bv.ByteStride
	}
	if end := a.ByteOffset + stride*(a.Count-1) + lastElementSize(a.Type, a.ComponentType); end > bv.ByteLength {
		v.rep.addf(SeverityError, "ACCESSOR_TOO_LONG", p, "the accessor needs %d bytes from offset %d but buffer view %d has %d", end-a.ByteOffset, a.ByteOffset, *a.BufferView, bv.ByteLength)
		ok = false
	}
	return ok
}

// sparse checks the sparse part of accessor i.
func (v *validator) sparse(i int, a *Accessor, p string) bool {
	s := a.Sparse
	ok := true
	if s.Count < 1 || s.Count > a.Count {
		v.rep.addf(SeverityError, "ACCESSOR_SPARSE_COUNT_OUT_OF_RANGE", p+"/count", "sparse count %d must be between 1 and the accessor's count %d", s.Count, a.Count)
		ok = false
	}
	isize := ComponentSize(s.Indices.ComponentType)
	if s.Indices.ComponentType != ComponentUnsignedByte && s.Indices.ComponentType != ComponentUnsignedShort && s.Indices.ComponentType != ComponentUnsignedInt {
		return false // an unknown component type: a schema warning; the data cannot be read
	}
	for _, part := range []struct {
		name        string
		view, off   int
		length, csz int
	}{
		{"indices", s.Indices.BufferView, s.Indices.ByteOffset, s.Count * isize, isize},
		{"values", s.Values.BufferView, s.Values.ByteOffset, s.Count * ElementSize(a.Type, a.ComponentType), ComponentSize(a.ComponentType)},
	} {
		pp := p + "/" + part.name
		if !v.ref(pp+"/bufferView", part.view, len(v.doc.BufferViews), "buffer view") {
			ok = false
			continue
		}
		v.useView(pp+"/bufferView", part.view, viewOther)
		bv := &v.doc.BufferViews[part.view]
		if part.off < 0 || part.off+part.length > bv.ByteLength {
			v.rep.addf(SeverityError, "ACCESSOR_TOO_LONG", pp, "sparse %s need %d bytes from offset %d but buffer view %d has %d", part.name, part.length, part.off, part.view, bv.ByteLength)
			ok = false
		} else if (bv.ByteOffset+part.off)%part.csz != 0 {
			v.rep.addf(SeverityError, "ACCESSOR_TOTAL_OFFSET_ALIGNMENT", pp, "sparse %s start at byte %d, not a multiple of the component size %d", part.name, bv.ByteOffset+part.off, part.csz)
			ok = false
		}
	}
	return ok
}
