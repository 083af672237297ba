package gltf

import "fmt"

// usedSet marks, per kind, the objects of the working document that
// Optimize keeps (see Optimize for the rules).
type usedSet struct {
	nodes, meshes, materials, skins, cameras, textures, images, samplers []bool
}

// findUsed computes what is used, from the scenes, the names and the
// animations down to the samplers. Core references were validated; those
// inside extensions were not, so an out-of-range one is an error here.
func (p *optimizer) findUsed() (*usedSet, error) {
	d := p.doc
	u := &usedSet{
		nodes: make([]bool, len(d.Nodes)), meshes: make([]bool, len(d.Meshes)), materials: make([]bool, len(d.Materials)),
		skins: make([]bool, len(d.Skins)), cameras: make([]bool, len(d.Cameras)), textures: make([]bool, len(d.Textures)),
		images: make([]bool, len(d.Images)), samplers: make([]bool, len(d.Samplers)),
	}
	parent := make([]int, len(d.Nodes))
	for i := range parent {
		parent[i] = -1
	}
	for i := range d.Nodes {
		for _, c := range d.Nodes[i].Children {
			parent[c] = i
		}
	}
	var work []int
	mark := func(n int) {
		if n >= 0 && !u.nodes[n] {
			u.nodes[n] = true
			work = append(work, n)
		}
	}
	for i := range d.Nodes {
		if len(d.Scenes) == 0 || d.Nodes[i].Name != "" {
			mark(i)
		}
	}
	for _, s := range d.Scenes {
		for _, n := range s.Nodes {
			mark(n)
		}
	}
	for _, a := range d.Animations {
		for _, ch := range a.Channels {
			if ch.Target.Node != nil {
				mark(*ch.Target.Node)
			}
		}
	}
	// Close over children, parents and the joints of skins in use.
	for len(work) > 0 {
		n := work[len(work)-1]
		work = work[:len(work)-1]
		nd := &d.Nodes[n]
		for _, c := range nd.Children {
			mark(c)
		}
		mark(parent[n])
		if nd.Skin != nil {
			s := &d.Skins[*nd.Skin]
			for _, j := range s.Joints {
				mark(j)
			}
			if s.Skeleton != nil {
				mark(*s.Skeleton)
			}
		}
	}
	for i, nd := range d.Nodes {
		if !u.nodes[i] {
			continue
		}
		if nd.Mesh != nil {
			u.meshes[*nd.Mesh] = true
		}
		if nd.Skin != nil {
			u.skins[*nd.Skin] = true
		}
		if nd.Camera != nil {
			u.cameras[*nd.Camera] = true
		}
	}
	for i, m := range d.Meshes {
		u.meshes[i] = u.meshes[i] || m.Name != ""
	}
	for i, m := range d.Materials {
		u.materials[i] = m.Name != ""
	}
	for mi := range d.Meshes {
		if !u.meshes[mi] {
			continue
		}
		for pi := range d.Meshes[mi].Primitives {
			pr := &d.Meshes[mi].Primitives[pi]
			if pr.Material != nil {
				u.materials[*pr.Material] = true
			}
			mapVariantMaterials(pr, func(m int) int { u.materials[m] = true; return m }) // validated
		}
	}
	var bad error
	for i := range d.Materials {
		if u.materials[i] {
			mapMaterialTextures(&d.Materials[i], func(t int) int {
				if t < 0 || t >= len(u.textures) {
					bad = fmt.Errorf("material %d refers to texture %d, which does not exist", i, t)
					return t
				}
				u.textures[t] = true
				return t
			})
		}
	}
	for i := range d.Textures {
		if !u.textures[i] {
			continue
		}
		t := &d.Textures[i]
		if t.Sampler != nil {
			u.samplers[*t.Sampler] = true
		}
		mapTextureImages(t, func(im int) int {
			if im < 0 || im >= len(u.images) {
				bad = fmt.Errorf("texture %d refers to image %d, which does not exist", i, im)
				return im
			}
			u.images[im] = true
			return im
		})
	}
	return u, bad
}

// prune drops what is not used and renumbers every reference to what
// remains. Accessors are not touched here: they are rebuilt afterwards.
func (p *optimizer) prune(u *usedSet) {
	d := p.doc
	nodeMap, meshMap, matMap := newIndexMap(u.nodes), newIndexMap(u.meshes), newIndexMap(u.materials)
	skinMap, camMap, texMap := newIndexMap(u.skins), newIndexMap(u.cameras), newIndexMap(u.textures)
	imgMap, smpMap := newIndexMap(u.images), newIndexMap(u.samplers)
	rm := &p.rep.Removed
	rm.Nodes, rm.Meshes, rm.Materials = nodeMap.dropped, meshMap.dropped, matMap.dropped
	rm.Skins, rm.Cameras, rm.Textures = skinMap.dropped, camMap.dropped, texMap.dropped
	rm.Images, rm.Samplers = imgMap.dropped, smpMap.dropped

	for i := range d.Nodes {
		nd := &d.Nodes[i]
		var kids []int
		for _, c := range nd.Children {
			if n := nodeMap.to[c]; n >= 0 {
				kids = append(kids, n)
			}
		}
		nd.Children = kids
		nd.Mesh = meshMap.ptr(nd.Mesh)
		nd.Skin = skinMap.ptr(nd.Skin)
		nd.Camera = camMap.ptr(nd.Camera)
	}
	for i := range d.Scenes {
		s := &d.Scenes[i]
		for j, n := range s.Nodes {
			s.Nodes[j] = nodeMap.to[n] // roots are always used
		}
	}
	for i := range d.Skins {
		s := &d.Skins[i]
		for j, n := range s.Joints {
			s.Joints[j] = nodeMap.to[n]
		}
		s.Skeleton = nodeMap.ptr(s.Skeleton)
	}
	for i := range d.Animations {
		for j := range d.Animations[i].Channels {
			t := &d.Animations[i].Channels[j].Target
			t.Node = nodeMap.ptr(t.Node)
		}
	}
	for mi := range d.Meshes {
		for pi := range d.Meshes[mi].Primitives {
			pr := &d.Meshes[mi].Primitives[pi]
			pr.Material = matMap.ptr(pr.Material)
			mapVariantMaterials(pr, func(m int) int { return matMap.to[m] })
		}
	}
	for i := range d.Materials {
		mapMaterialTextures(&d.Materials[i], func(t int) int { return texMap.to[t] })
	}
	for i := range d.Textures {
		t := &d.Textures[i]
		t.Sampler = smpMap.ptr(t.Sampler)
		mapTextureImages(t, func(im int) int { return imgMap.to[im] })
	}
	p.imageSrc = imgMap.kept()
	d.Nodes = filterUsed(d.Nodes, u.nodes)
	d.Meshes = filterUsed(d.Meshes, u.meshes)
	d.Materials = filterUsed(d.Materials, u.materials)
	d.Skins = filterUsed(d.Skins, u.skins)
	d.Cameras = filterUsed(d.Cameras, u.cameras)
	d.Textures = filterUsed(d.Textures, u.textures)
	d.Images = filterUsed(d.Images, u.images)
	d.Samplers = filterUsed(d.Samplers, u.samplers)
}

// indexMap renumbers the objects of one kind: to[old] is the new index,
// -1 for a dropped object.
type indexMap struct {
	to      []int
	dropped int
}

func newIndexMap(keep []bool) indexMap {
	m := indexMap{to: make([]int, len(keep))}
	n := 0
	for i, k := range keep {
		if k {
			m.to[i] = n
			n++
		} else {
			m.to[i] = -1
			m.dropped++
		}
	}
	return m
}

// kept lists the old index of each kept object, in the new order.
func (m indexMap) kept() []int {
	var out []int
	for i, n := range m.to {
		if n >= 0 {
			out = append(out, i)
		}
	}
	return out
}

// ptr renumbers an optional reference; a reference to a dropped object
// becomes nil.
func (m indexMap) ptr(ref *int) *int {
	if ref == nil || m.to[*ref] < 0 {
		return nil
	}
	return Ptr(m.to[*ref])
}

// filterUsed keeps the elements whose keep flag is set, in order.
func filterUsed[T any](s []T, keep []bool) []T {
	var out []T
	for i := range s {
		if keep[i] {
			out = append(out, s[i])
		}
	}
	return out
}
