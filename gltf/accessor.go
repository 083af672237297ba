package gltf

import (
	"encoding/binary"
	"fmt"
	"math"
)

// MaxAccessorElements bounds the components that ReadAccessorFloat32 will
// materialise for an accessor without a buffer view (all zeros plus sparse
// values): its count comes straight from the JSON, so it must not decide an
// allocation alone. Accessors with data are bounded by that data.
const MaxAccessorElements = 1 << 24

// layout says where the components of an accessor's elements are.
type layout struct {
	data      []byte // buffer view bytes, from the accessor's byteOffset on; nil without buffer view
	count     int
	comps     int // components per element
	rows      int // components per matrix column (= comps for non-matrices)
	compSize  int
	colStride int // bytes between matrix columns (4-byte aligned)
	stride    int // bytes between elements
	ctype     int
	norm      bool
}

// accessorLayout resolves accessor idx and checks that all its elements lie
// inside its buffer view and buffer, so reads through the layout are safe.
func accessorLayout(doc *Document, idx int) (layout, error) {
	if idx < 0 || idx >= len(doc.Accessors) {
		return layout{}, fmt.Errorf("accessor %d does not exist", idx)
	}
	a := &doc.Accessors[idx]
	l := layout{count: a.Count, comps: ComponentCount(a.Type), compSize: ComponentSize(a.ComponentType), ctype: a.ComponentType, norm: a.Normalized}
	if l.comps == 0 || l.compSize == 0 || a.Count < 0 {
		return layout{}, fmt.Errorf("accessor %d has an invalid type %q, component type %d or count %d", idx, a.Type, a.ComponentType, a.Count)
	}
	l.setColumns(a.Type)
	elem := ElementSize(a.Type, a.ComponentType)
	l.stride = elem
	if a.BufferView == nil {
		return l, nil
	}
	view, err := bufferViewData(doc, *a.BufferView)
	if err != nil {
		return layout{}, fmt.Errorf("accessor %d: %w", idx, err)
	}
	if s := doc.BufferViews[*a.BufferView].ByteStride; s != 0 {
		if s < elem {
			return layout{}, fmt.Errorf("accessor %d: byteStride %d is smaller than its %d-byte elements", idx, s, elem)
		}
		l.stride = s
	}
	if a.ByteOffset < 0 || a.Count > 0 && a.ByteOffset+l.stride*(a.Count-1)+lastElementSize(a.Type, a.ComponentType) > len(view) {
		return layout{}, fmt.Errorf("accessor %d does not fit in buffer view %d (%d bytes)", idx, *a.BufferView, len(view))
	}
	l.data = view[a.ByteOffset:]
	return l, nil
}

// bufferViewData returns the bytes of buffer view idx, checked against its buffer.
func bufferViewData(doc *Document, idx int) ([]byte, error) {
	if idx < 0 || idx >= len(doc.BufferViews) {
		return nil, fmt.Errorf("buffer view %d does not exist", idx)
	}
	v := &doc.BufferViews[idx]
	if v.Buffer < 0 || v.Buffer >= len(doc.Buffers) {
		return nil, fmt.Errorf("buffer view %d: buffer %d does not exist", idx, v.Buffer)
	}
	data := doc.Buffers[v.Buffer].Data
	if v.ByteOffset < 0 || v.ByteLength < 0 || v.ByteOffset > len(data) || v.ByteLength > len(data)-v.ByteOffset {
		return nil, fmt.Errorf("buffer view %d (bytes %d..%d) does not fit in buffer %d (%d bytes available)", idx, v.ByteOffset, v.ByteOffset+v.ByteLength, v.Buffer, len(data))
	}
	return data[v.ByteOffset : v.ByteOffset+v.ByteLength], nil
}

// raw returns component k of element i as stored (integers exactly),
// or 0 without data.
func (l *layout) raw(i, k int) float64 {
	if l.data == nil {
		return 0
	}
	off := i*l.stride + (k/l.rows)*l.colStride + (k%l.rows)*l.compSize
	return readComponent(l.data[off:], l.ctype)
}

// value returns component k of element i as the shader would see it:
// normalized integers mapped to [0,1] or [-1,1].
func (l *layout) value(i, k int) float64 {
	v := l.raw(i, k)
	if l.norm {
		v = normalize(v, l.ctype)
	}
	return v
}

func readComponent(b []byte, ctype int) float64 {
	switch ctype {
	case ComponentByte:
		return float64(int8(b[0]))
	case ComponentUnsignedByte:
		return float64(b[0])
	case ComponentShort:
		return float64(int16(binary.LittleEndian.Uint16(b)))
	case ComponentUnsignedShort:
		return float64(binary.LittleEndian.Uint16(b))
	case ComponentUnsignedInt:
		return float64(binary.LittleEndian.Uint32(b))
	case ComponentFloat:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))
	}
	return 0
}

// normalize maps a raw integer to its normalized value (glTF 2.0 spec,
// "Animations" section formulas, the same for all normalized data).
func normalize(v float64, ctype int) float64 {
	switch ctype {
	case ComponentByte:
		return math.Max(v/127, -1)
	case ComponentUnsignedByte:
		return v / 255
	case ComponentShort:
		return math.Max(v/32767, -1)
	case ComponentUnsignedShort:
		return v / 65535
	case ComponentUnsignedInt:
		return v / 4294967295
	}
	return v
}

// ReadAccessorFloat32 returns every element of accessor idx as float32s,
// flattened (element i, component k is at out[i*comps+k]), with the number
// of components per element. It handles every component type, normalized
// integers, byte strides, matrix column padding and sparse substitution.
func ReadAccessorFloat32(doc *Document, idx int) (out []float32, comps int, err error) {
	l, err := accessorLayout(doc, idx)
	if err != nil {
		return nil, 0, err
	}
	if l.data == nil && l.count*l.comps > MaxAccessorElements {
		return nil, 0, fmt.Errorf("accessor %d claims %d elements without any data, more than allowed", idx, l.count)
	}
	out = make([]float32, l.count*l.comps)
	if l.data != nil {
		if l.ctype == ComponentFloat && l.rows == l.comps {
			readFloats(out, l) // the common case, kept tight
		} else {
			for i := 0; i < l.count; i++ {
				for k := 0; k < l.comps; k++ {
					out[i*l.comps+k] = float32(l.value(i, k))
				}
			}
		}
	}
	err = applySparse(doc, idx, l, func(i, k int, v float64) { out[i*l.comps+k] = float32(v) })
	return out, l.comps, err
}

func readFloats(out []float32, l layout) {
	for i := 0; i < l.count; i++ {
		e := l.data[i*l.stride:]
		for k := 0; k < l.comps; k++ {
			out[i*l.comps+k] = math.Float32frombits(binary.LittleEndian.Uint32(e[4*k:]))
		}
	}
}

// ReadIndices returns the elements of an integer SCALAR accessor (usually
// a primitive's indices) as uint32s.
func ReadIndices(doc *Document, idx int) ([]uint32, error) {
	l, err := accessorLayout(doc, idx)
	if err != nil {
		return nil, err
	}
	if l.comps != 1 || l.ctype == ComponentFloat || l.ctype == ComponentByte || l.ctype == ComponentShort {
		return nil, fmt.Errorf("accessor %d is not made of unsigned integer scalars", idx)
	}
	if l.data == nil && l.count > MaxAccessorElements {
		return nil, fmt.Errorf("accessor %d claims %d elements without any data, more than allowed", idx, l.count)
	}
	out := make([]uint32, l.count)
	if l.data != nil {
		for i := range out {
			e := l.data[i*l.stride:]
			switch l.ctype {
			case ComponentUnsignedByte:
				out[i] = uint32(e[0])
			case ComponentUnsignedShort:
				out[i] = uint32(binary.LittleEndian.Uint16(e))
			default:
				out[i] = binary.LittleEndian.Uint32(e)
			}
		}
	}
	err = applySparse(doc, idx, l, func(i, _ int, v float64) { out[i] = uint32(v) })
	return out, err
}

// setColumns sets the rows per column and the column stride: matrix columns
// start on 4-byte boundaries (glTF 2.0 §3.6.2.4), vectors are one column.
func (l *layout) setColumns(accessorType string) {
	l.rows = l.comps
	switch accessorType {
	case TypeMat2:
		l.rows = 2
	case TypeMat3:
		l.rows = 3
	case TypeMat4:
		l.rows = 4
	}
	l.colStride = (l.rows*l.compSize + 3) &^ 3
}

// lastElementSize is the number of bytes the last element of an accessor
// occupies: its size without the padding after its last matrix column,
// which a buffer view need not hold (the Khronos validator measures
// accessor lengths the same way).
func lastElementSize(typ string, componentType int) int {
	elem := ElementSize(typ, componentType)
	cs, comps := ComponentSize(componentType), ComponentCount(typ)
	if cs == 0 || comps == 0 {
		return elem
	}
	var l layout
	l.comps, l.compSize = comps, cs
	l.setColumns(typ)
	return elem - l.colStride + l.rows*cs
}
