package gltf

import (
	"bytes"
	"hash/maphash"
	"maps"
	"math"
	"slices"
)

// accGroup is how the data of an accessor is laid out in the new buffer.
type accGroup uint8

const (
	// groupVertex: one buffer view per accessor, target ARRAY_BUFFER;
	// elements whose size is not a multiple of 4 (quantized VEC3 shorts…)
	// are padded, with a byteStride, since the spec wants vertex data
	// 4-byte aligned.
	groupVertex accGroup = iota
	// groupIndex: all index accessors in one ELEMENT_ARRAY_BUFFER view.
	groupIndex
	// groupAnimation: all animation keyframes in one view without target.
	groupAnimation
	// groupSkin: all inverse bind matrices in one view without target (the
	// Khronos validator refuses a view that mixes them with animation data).
	groupSkin
)

// binBuilder collects the accessors and images of the optimized document,
// merging accessors that are exact duplicates, then lays all their bytes
// out in a single buffer.
type binBuilder struct {
	accessors []Accessor
	data      [][]byte // tightly packed elements of each accessor
	group     []accGroup
	seen      map[uint64][]int // content hash → accessors with that hash
	seed      maphash.Seed
	merged    int

	images [][]byte // data of each image of the optimized document
	buffer Buffer   // name, extensions and extras of the input's first buffer
}

// newBinBuilder starts the binary data of doc (the working copy, whose
// first buffer's name, extensions and extras are kept).
func newBinBuilder(doc *Document) *binBuilder {
	b := &binBuilder{seen: map[uint64][]int{}, seed: maphash.MakeSeed()}
	if len(doc.Buffers) > 0 {
		s := doc.Buffers[0]
		b.buffer = Buffer{Name: s.Name, Extensions: s.Extensions, Extras: s.Extras}
	}
	return b
}

// add returns the index of an accessor with meta's name, format,
// extensions and extras holding data (tightly packed elements), creating
// it unless an identical one exists. With bounds, min and max are computed
// from the data.
func (b *binBuilder) add(meta *Accessor, data []byte, g accGroup, bounds bool) int {
	a := Accessor{
		Name: meta.Name, ComponentType: meta.ComponentType, Normalized: meta.Normalized, Type: meta.Type,
		Count:      len(data) / ElementSize(meta.Type, meta.ComponentType),
		Extensions: maps.Clone(meta.Extensions), Extras: slices.Clone(meta.Extras),
	}
	if bounds {
		a.Min, a.Max = elementBounds(&a, data)
	}
	var h maphash.Hash
	h.SetSeed(b.seed)
	h.Write(data)
	h.Write([]byte{byte(g), byte(a.ComponentType), byte(a.ComponentType >> 8), boolByte(a.Normalized), boolByte(bounds)})
	h.WriteString(a.Type)
	key := h.Sum64()
	for _, i := range b.seen[key] {
		if b.group[i] == g && sameAccessorFormat(&b.accessors[i], &a) && bytes.Equal(b.data[i], data) {
			b.merged++
			return i
		}
	}
	b.accessors = append(b.accessors, a)
	b.data = append(b.data, data)
	b.group = append(b.group, g)
	i := len(b.accessors) - 1
	b.seen[key] = append(b.seen[key], i)
	return i
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// sameAccessorFormat compares what besides the data makes two accessors
// the same (names aside: the first one's is kept).
func sameAccessorFormat(a, b *Accessor) bool {
	return a.ComponentType == b.ComponentType && a.Type == b.Type && a.Normalized == b.Normalized && a.Count == b.Count &&
		(a.Min == nil) == (b.Min == nil) && sameJSON(a.Extras, b.Extras) && sameExtensions(a.Extensions, b.Extensions)
}

// elementBounds computes the per-component min and max of packed elements,
// as stored (integers unnormalized), which is what glTF's min/max hold.
func elementBounds(a *Accessor, data []byte) (lo, hi []float64) {
	l := packedLayout(a, data)
	lo, hi = make([]float64, l.comps), make([]float64, l.comps)
	for k := range lo {
		lo[k], hi[k] = math.Inf(1), math.Inf(-1)
	}
	for i := 0; i < l.count; i++ {
		for k := 0; k < l.comps; k++ {
			v := l.raw(i, k)
			lo[k] = min(lo[k], v)
			hi[k] = max(hi[k], v)
		}
	}
	return lo, hi
}

// packedLayout describes tightly packed elements of a's format.
func packedLayout(a *Accessor, data []byte) layout {
	l := layout{data: data, comps: ComponentCount(a.Type), compSize: ComponentSize(a.ComponentType), ctype: a.ComponentType, norm: a.Normalized}
	l.setColumns(a.Type)
	l.stride = ElementSize(a.Type, a.ComponentType)
	l.count = len(data) / l.stride
	return l
}

// addImage stores the data of image i of the optimized document.
func (b *binBuilder) addImage(i int, data []byte) {
	for len(b.images) <= i {
		b.images = append(b.images, nil)
	}
	b.images[i] = data
}

// finish lays out every accessor and image in one buffer and installs the
// accessors, buffer views and buffer in doc. Views come in a fixed order:
// indices, vertex attributes (one each), animations, skins, images (one
// each).
func (b *binBuilder) finish(doc *Document) {
	var bin []byte
	var views []BufferView
	align := func() {
		for len(bin)%4 != 0 {
			bin = append(bin, 0)
		}
	}
	shared := func(g accGroup, target int) {
		start := -1
		for i := range b.accessors {
			if b.group[i] != g {
				continue
			}
			align()
			if start < 0 {
				start = len(bin)
			}
			b.accessors[i].BufferView = Ptr(len(views))
			b.accessors[i].ByteOffset = len(bin) - start
			bin = append(bin, b.data[i]...)
		}
		if start >= 0 {
			views = append(views, BufferView{ByteOffset: start, ByteLength: len(bin) - start, Target: target})
		}
	}
	shared(groupIndex, TargetElementArrayBuffer)
	for i := range b.accessors {
		if b.group[i] != groupVertex {
			continue
		}
		align()
		a := &b.accessors[i]
		elem := ElementSize(a.Type, a.ComponentType)
		stride := pad4(elem)
		start := len(bin)
		for e := 0; e < a.Count; e++ {
			bin = append(bin, b.data[i][e*elem:(e+1)*elem]...)
			for range stride - elem {
				bin = append(bin, 0)
			}
		}
		a.BufferView, a.ByteOffset = Ptr(len(views)), 0
		v := BufferView{ByteOffset: start, ByteLength: len(bin) - start, Target: TargetArrayBuffer}
		if stride != elem {
			v.ByteStride = stride // padded elements (tightly packed otherwise)
		}
		views = append(views, v)
	}
	shared(groupAnimation, 0)
	shared(groupSkin, 0)
	for i, data := range b.images {
		align()
		doc.Images[i].BufferView = Ptr(len(views))
		views = append(views, BufferView{ByteOffset: len(bin), ByteLength: len(data)})
		bin = append(bin, data...)
	}
	doc.Accessors, doc.BufferViews, doc.Buffers = b.accessors, views, nil
	if len(bin) > 0 {
		buf := b.buffer
		buf.URI, buf.ByteLength, buf.Data = "", len(bin), bin
		doc.Buffers = []Buffer{buf}
	}
}
