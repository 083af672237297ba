package demo

import (
	"math"
	"testing"

	"github.com/luneo/luneo/gltf"
)

// prim is one primitive read back from a written document, positions in
// metres, as float64 for the checks.
type prim struct {
	material string
	pos, nrm []vec3
	uv       [][2]float64
	tris     [][3]uint32
}

// readPrims reads every primitive of doc's first mesh.
func readPrims(t *testing.T, doc *gltf.Document) []prim {
	t.Helper()
	var out []prim
	for _, p := range doc.Meshes[0].Primitives {
		var pr prim
		pr.material = doc.Materials[*p.Material].Name
		pos, _, err := gltf.ReadAccessorFloat32(doc, p.Attributes["POSITION"])
		if err != nil {
			t.Fatal(err)
		}
		nrm, _, err := gltf.ReadAccessorFloat32(doc, p.Attributes["NORMAL"])
		if err != nil {
			t.Fatal(err)
		}
		uv, _, err := gltf.ReadAccessorFloat32(doc, p.Attributes["TEXCOORD_0"])
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+2 < len(pos); i += 3 {
			pr.pos = append(pr.pos, vec3{float64(pos[i]), float64(pos[i+1]), float64(pos[i+2])})
			pr.nrm = append(pr.nrm, vec3{float64(nrm[i]), float64(nrm[i+1]), float64(nrm[i+2])})
		}
		for i := 0; i+1 < len(uv); i += 2 {
			pr.uv = append(pr.uv, [2]float64{float64(uv[i]), float64(uv[i+1])})
		}
		idx, err := gltf.ReadIndices(doc, *p.Indices)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+2 < len(idx); i += 3 {
			pr.tris = append(pr.tris, [3]uint32{idx[i], idx[i+1], idx[i+2]})
		}
		out = append(out, pr)
	}
	return out
}

// byMaterial returns the primitive of a material.
func byMaterial(t *testing.T, prims []prim, name string) prim {
	t.Helper()
	for _, p := range prims {
		if p.material == name {
			return p
		}
	}
	t.Fatalf("no primitive with material %s", name)
	return prim{}
}

// mugDocs returns the default mug as generated and as the catalog stores
// it (gltf.Optimize welds and merges), so every geometric check holds for
// both.
func mugDocs(t *testing.T) map[string]*gltf.Document {
	t.Helper()
	_, doc := readMug(t, MugOptions{})
	opt, _, err := gltf.Optimize(doc, gltf.OptimizeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*gltf.Document{"generated": doc, "optimized": opt}
}

// within reports whether got is want up to a relative tolerance.
func within(got, want, rel float64) bool { return math.Abs(got-want) <= rel*math.Abs(want) }

func TestMugDimensions(t *testing.T) {
	t.Parallel()
	for name, doc := range mugDocs(t) {
		b := gltf.Stats(doc).Bounds
		// The handle's outermost point: the arc reaches handleReach and
		// the section adds its half thickness.
		want := gltf.Box{
			Min: [3]float64{-mugOuterR * mm, 0, -mugOuterR * mm},
			Max: [3]float64{(handleReach + handleHalfT) * mm, mugHeight * mm, mugOuterR * mm},
		}
		for k := range 3 {
			if math.Abs(b.Min[k]-want.Min[k]) > 1e-6 || math.Abs(b.Max[k]-want.Max[k]) > 1e-6 {
				t.Errorf("%s: bounds %v, want %v (metres)", name, *b, want)
				break
			}
		}
	}
}

// place rounds a position to 0.1 µm.
func place(p vec3) [3]int64 {
	return [3]int64{int64(math.Round(p[0] * 1e7)), int64(math.Round(p[1] * 1e7)), int64(math.Round(p[2] * 1e7))}
}

// weld maps vertices at the same place (to 0.1 µm) to one key, so seams
// where UVs or materials change do not count as holes.
type weld map[[3]int64]int

func (w weld) key(p vec3) int {
	k := place(p)
	if id, ok := w[k]; ok {
		return id
	}
	w[k] = len(w)
	return w[k]
}

// TestMugIsClosed checks that the ceramic shell (Body and Inside together)
// and the handle are each closed, consistently oriented surfaces: once
// coincident vertices are welded, every edge is used by exactly two
// triangles, once in each direction. A hole, a crack between sections, a
// flipped triangle or a flipped section breaks it. Their signed volumes
// must be positive (faces point out) and match the shapes' sizes.
func TestMugIsClosed(t *testing.T) {
	t.Parallel()
	for name, doc := range mugDocs(t) {
		prims := readPrims(t, doc)
		for _, solid := range []struct {
			name   string
			parts  []string
			wantCC float64 // volume, cm³, within 3 %
		}{
			// The smooth profile revolved (Pappus): 127.97 cm³, about
			// 310 g of stoneware, as a real 11 oz mug weighs.
			{"shell", []string{MaterialBody, MaterialInside}, 127.97},
			// An elliptical tube π·4.5·6 mm² in section along a 96.3 mm
			// arc; its 16-sided section holds 2.5 % less.
			{"handle", []string{MaterialHandle}, 8.17},
		} {
			w := weld{}
			edges := map[[2]int]int{}
			vol := 0.0
			for _, m := range solid.parts {
				p := byMaterial(t, prims, m)
				for _, tri := range p.tris {
					a, b, c := p.pos[tri[0]], p.pos[tri[1]], p.pos[tri[2]]
					if f := b.sub(a).cross(c.sub(a)); f.dot(f) < 1e-20 { // under 100 µm²
						t.Errorf("%s %s: degenerate triangle %v", name, m, tri)
					}
					ka, kb, kc := w.key(a), w.key(b), w.key(c)
					edges[[2]int{ka, kb}]++
					edges[[2]int{kb, kc}]++
					edges[[2]int{kc, ka}]++
					vol += a.dot(b.cross(c)) / 6
				}
			}
			bad := 0
			for e, n := range edges {
				if n != 1 || edges[[2]int{e[1], e[0]}] != 1 {
					bad++
				}
			}
			if bad > 0 {
				t.Errorf("%s %s: %d of %d directed edges are not matched by exactly one opposite edge", name, solid.name, bad, len(edges))
			}
			cc := vol * 1e6
			t.Logf("%s %s: %d edges, volume %.1f cm³", name, solid.name, len(edges), cc)
			if !within(cc, solid.wantCC, 0.03) {
				t.Errorf("%s %s: volume %.2f cm³, want %g ± 3 %%", name, solid.name, cc, solid.wantCC)
			}
		}
	}
}

// TestMugNormals checks that normals are unit vectors on the side each
// triangle faces, and that the shell is smooth: where sections and
// materials meet (rim and walls, walls and rounded edges, the UV seam),
// the normals of coincident vertices agree, so no crease shows.
func TestMugNormals(t *testing.T) {
	t.Parallel()
	for name, doc := range mugDocs(t) {
		prims := readPrims(t, doc)
		shell := map[[3]int64][]vec3{} // normals by place
		for _, p := range prims {
			for i, n := range p.nrm {
				if l := math.Sqrt(n.dot(n)); math.Abs(l-1) > 1e-3 {
					t.Fatalf("%s %s: normal %d has length %g", name, p.material, i, l)
				}
				if p.material != MaterialHandle {
					k := place(p.pos[i])
					shell[k] = append(shell[k], n)
				}
			}
			away := 0
			for _, tri := range p.tris {
				a, b, c := p.pos[tri[0]], p.pos[tri[1]], p.pos[tri[2]]
				face := b.sub(a).cross(c.sub(a))
				if face.dot(p.nrm[tri[0]])+face.dot(p.nrm[tri[1]])+face.dot(p.nrm[tri[2]]) <= 0 {
					away++
				}
			}
			if away > 0 {
				t.Errorf("%s %s: %d of %d triangles face away from their normals", name, p.material, away, len(p.tris))
			}
		}
		creases := 0
		for _, ns := range shell {
			for _, n := range ns[1:] {
				if n.dot(ns[0]) < 0.9999 {
					creases++
				}
			}
		}
		// The centres of the floor and the base are single vertices; every
		// other place is shared by two or more vertices that must agree.
		if creases > 0 {
			t.Errorf("%s: %d vertices disagree on the normal of their place", name, creases)
		}
	}
}
