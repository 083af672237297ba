package gltf

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// vertexStream is one per-vertex accessor of a primitive (an attribute or
// a morph target attribute) read as tightly packed raw elements.
type vertexStream struct {
	src  int // accessor index in the input
	name string
	data []byte
	elem int
}

// weldResult is the rebuilt form of a primitive.
type weldResult struct {
	attrs   map[string]int
	targets []map[string]int
	indices *int
	// Vertex and triangle bookkeeping for the report.
	welded, unused, degenerate int
}

// rebuildMeshes welds and re-indexes every primitive of the working copy,
// whose accessor indices still refer to the input. Identical primitives
// (same accessors, indices and mode) are rebuilt once.
func (p *optimizer) rebuildMeshes() error {
	cache := map[string]*weldResult{}
	densified := map[int]bool{}
	for mi := range p.doc.Meshes {
		for pi := range p.doc.Meshes[mi].Primitives {
			pr := &p.doc.Meshes[mi].Primitives[pi]
			key := primitiveKey(pr)
			res, ok := cache[key]
			if !ok {
				var err error
				if res, err = p.weldPrimitive(pr, densified); err != nil {
					return fmt.Errorf("mesh %d primitive %d: %w", mi, pi, err)
				}
				cache[key] = res
			}
			pr.Attributes = maps.Clone(res.attrs)
			pr.Targets = nil
			for _, t := range res.targets {
				pr.Targets = append(pr.Targets, maps.Clone(t))
			}
			pr.Indices = nil
			if res.indices != nil {
				pr.Indices = Ptr(*res.indices)
			}
			p.rep.WeldedVertices += res.welded
			p.rep.UnusedVertices += res.unused
			p.rep.DegenerateTriangles += res.degenerate
		}
	}
	p.rep.DensifiedSparse += len(densified)
	return nil
}

// primitiveKey identifies a primitive by the accessors it reads and its mode.
func primitiveKey(pr *Primitive) string {
	var b strings.Builder
	fmt.Fprintf(&b, "m%d i", pr.ModeOrDefault())
	if pr.Indices != nil {
		b.WriteString(strconv.Itoa(*pr.Indices))
	}
	for _, set := range append([]map[string]int{pr.Attributes}, pr.Targets...) {
		b.WriteString(" |")
		for _, name := range slices.Sorted(maps.Keys(set)) {
			fmt.Fprintf(&b, " %s=%d", name, set[name])
		}
	}
	return b.String()
}

// weldPrimitive merges the vertices of pr that are identical in every
// attribute and morph target, drops unused vertices and degenerate
// triangles, and adds the new accessors to the binary builder.
func (p *optimizer) weldPrimitive(pr *Primitive, densified map[int]bool) (*weldResult, error) {
	var streams []vertexStream
	sets := append([]map[string]int{pr.Attributes}, pr.Targets...)
	for _, set := range sets {
		for _, name := range slices.Sorted(maps.Keys(set)) {
			idx := set[name]
			data, elem, err := rawElements(p.src, idx)
			if err != nil {
				return nil, err
			}
			if p.src.Accessors[idx].Sparse != nil {
				densified[idx] = true
			}
			streams = append(streams, vertexStream{src: idx, name: name, data: data, elem: elem})
		}
	}
	n := 0
	if len(streams) > 0 {
		n = len(streams[0].data) / streams[0].elem
	}
	for _, s := range streams {
		if len(s.data)/s.elem != n {
			return nil, fmt.Errorf("its attributes have different counts (%d and %d)", n, len(s.data)/s.elem)
		}
	}
	var indices []uint32
	if pr.Indices != nil {
		var err error
		if indices, err = ReadIndices(p.src, *pr.Indices); err != nil {
			return nil, err
		}
	} else {
		indices = make([]uint32, n)
		for i := range indices {
			indices[i] = uint32(i)
		}
	}
	for _, ix := range indices {
		if int(ix) >= n {
			return nil, fmt.Errorf("index %d is out of range (%d vertices)", ix, n)
		}
	}

	res := &weldResult{}
	rep := weldVertices(streams, n)
	distinct := 0
	for i, r := range rep {
		if int(r) == i {
			distinct++
		}
	}
	res.welded = n - distinct
	mapped := make([]uint32, len(indices))
	for i, ix := range indices {
		mapped[i] = uint32(rep[ix])
	}
	trailing := 0
	if pr.ModeOrDefault() == ModeTriangles {
		whole := len(mapped) / 3 * 3
		trailing = len(mapped) - whole
		kept := dropDegenerate(mapped[:whole])
		if len(kept) > 0 {
			res.degenerate = (whole - len(kept)) / 3
			mapped = kept
		} else {
			mapped = mapped[:whole:whole] // all degenerate: keep the primitive drawable
		}
	}
	if pr.Indices == nil && res.welded == 0 && res.degenerate == 0 && trailing == 0 {
		// Nothing to gain from an index buffer: keep the vertices as they are.
		p.addStreams(pr, streams, nil, res)
		return res, nil
	}

	// Compact: vertices in the order the indices first use them.
	newID := make([]int32, n)
	for i := range newID {
		newID[i] = -1
	}
	var order []int32
	out := make([]uint32, len(mapped))
	for i, v := range mapped {
		if newID[v] < 0 {
			newID[v] = int32(len(order))
			order = append(order, int32(v))
		}
		out[i] = uint32(newID[v])
	}
	res.unused = distinct - len(order)
	p.addStreams(pr, streams, order, res)
	res.indices = Ptr(p.addIndices(pr, out, len(order)))
	return res, nil
}

// addStreams adds the vertex accessors of a rebuilt primitive: the
// elements listed in order, or all of them when order is nil.
func (p *optimizer) addStreams(pr *Primitive, streams []vertexStream, order []int32, res *weldResult) {
	res.attrs = map[string]int{}
	res.targets = make([]map[string]int, len(pr.Targets))
	si := 0
	for t, set := range append([]map[string]int{pr.Attributes}, pr.Targets...) {
		out := res.attrs
		if t > 0 {
			out = map[string]int{}
			res.targets[t-1] = out
		}
		for range set {
			s := streams[si]
			si++
			data := s.data
			if order != nil {
				data = make([]byte, 0, len(order)*s.elem)
				for _, v := range order {
					data = append(data, s.data[int(v)*s.elem:(int(v)+1)*s.elem]...)
				}
			}
			meta := &p.doc.Accessors[s.src] // the copy: its extensions are not the input's
			bounds := meta.Min != nil || meta.Max != nil || s.name == "POSITION"
			out[s.name] = p.bin.add(meta, data, groupVertex, bounds)
		}
	}
	if len(res.targets) == 0 {
		res.targets = nil
	}
}

// addIndices adds an index accessor for out, UNSIGNED_SHORT when every
// vertex index fits below the 16-bit primitive restart value.
func (p *optimizer) addIndices(pr *Primitive, out []uint32, vertices int) int {
	meta := &Accessor{Type: TypeScalar, ComponentType: ComponentUnsignedInt}
	bounds := false
	if pr.Indices != nil {
		src := &p.doc.Accessors[*pr.Indices]
		meta.Name, meta.Extensions, meta.Extras = src.Name, src.Extensions, src.Extras
		bounds = src.Min != nil || src.Max != nil
	}
	var data []byte
	if vertices <= 0xFFFF {
		meta.ComponentType = ComponentUnsignedShort
		data = make([]byte, 2*len(out))
		for i, v := range out {
			data[2*i], data[2*i+1] = byte(v), byte(v>>8)
		}
	} else {
		data = make([]byte, 4*len(out))
		for i, v := range out {
			data[4*i], data[4*i+1], data[4*i+2], data[4*i+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
		}
	}
	return p.bin.add(meta, data, groupIndex, bounds)
}

// dropDegenerate returns the triangles of a TRIANGLES index list that use
// three different vertices (in place).
func dropDegenerate(idx []uint32) []uint32 {
	out := idx[:0]
	for t := 0; t+2 < len(idx); t += 3 {
		a, b, c := idx[t], idx[t+1], idx[t+2]
		if a != b && b != c && a != c {
			out = append(out, a, b, c)
		}
	}
	return out
}

// weldVertices returns, for each of n vertices, the first vertex whose
// elements are bit-identical in every stream (itself when it is the first).
func weldVertices(streams []vertexStream, n int) []int32 {
	vsize := 0
	for _, s := range streams {
		vsize += s.elem
	}
	rep := make([]int32, n)
	if vsize == 0 {
		for i := range rep {
			rep[i] = int32(i)
		}
		return rep
	}
	var keys []byte
	if len(streams) == 1 {
		keys = streams[0].data
	} else {
		keys = make([]byte, 0, n*vsize)
		for i := 0; i < n; i++ {
			for _, s := range streams {
				keys = append(keys, s.data[i*s.elem:(i+1)*s.elem]...)
			}
		}
	}
	size := 1
	for size < 2*n {
		size <<= 1
	}
	mask := uint64(size - 1)
	table := make([]int32, size)
	for i := range table {
		table[i] = -1
	}
	seed := maphash.MakeSeed()
	for i := 0; i < n; i++ {
		k := keys[i*vsize : (i+1)*vsize]
		for slot := maphash.Bytes(seed, k) & mask; ; slot = (slot + 1) & mask {
			e := table[slot]
			if e < 0 {
				table[slot] = int32(i)
				rep[i] = int32(i)
				break
			}
			if bytes.Equal(keys[int(e)*vsize:(int(e)+1)*vsize], k) {
				rep[i] = e
				break
			}
		}
	}
	return rep
}
