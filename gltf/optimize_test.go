package gltf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// drawnPrimitives lists, in draw order, what the default scene draws: per
// node with a mesh and per primitive, its mode and the positions of its
// vertices in index order (triangles, lines or points as drawn).
func drawnPrimitives(t testing.TB, doc *Document) map[string][][3]float32 {
	t.Helper()
	out := map[string][][3]float32{}
	var roots []int
	if len(doc.Scenes) > 0 {
		roots = doc.Scenes[0].Nodes
		if doc.Scene != nil {
			roots = doc.Scenes[*doc.Scene].Nodes
		}
	}
	draw := 0
	var walk func(n int)
	walk = func(n int) {
		nd := &doc.Nodes[n]
		if nd.Mesh != nil {
			for pi, pr := range doc.Meshes[*nd.Mesh].Primitives {
				pos, _, err := ReadAccessorFloat32(doc, pr.Attributes["POSITION"])
				if err != nil {
					t.Fatal(err)
				}
				var idx []uint32
				if pr.Indices != nil {
					if idx, err = ReadIndices(doc, *pr.Indices); err != nil {
						t.Fatal(err)
					}
				} else {
					for i := 0; i < len(pos)/3; i++ {
						idx = append(idx, uint32(i))
					}
				}
				key := fmt.Sprintf("draw %d primitive %d mode %d", draw, pi, pr.ModeOrDefault())
				var seq [][3]float32
				for _, i := range idx {
					seq = append(seq, [3]float32{pos[3*i], pos[3*i+1], pos[3*i+2]})
				}
				out[key] = seq
			}
			draw++
		}
		for _, c := range nd.Children {
			walk(c)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	return out
}

// checkSameRendering checks that every drawn primitive keeps its triangles
// (as position triples, a multiset) but for degenerate ones, and that other
// modes keep their exact vertex sequence. It returns the triangles removed.
func checkSameRendering(t *testing.T, before, after *Document) int {
	t.Helper()
	a, b := drawnPrimitives(t, before), drawnPrimitives(t, after)
	if len(a) != len(b) {
		t.Fatalf("%d drawn primitives before, %d after", len(a), len(b))
	}
	removed := 0
	for key, seqA := range a {
		seqB, ok := b[key]
		if !ok {
			t.Fatalf("%s is no longer drawn", key)
		}
		if !strings.HasSuffix(key, fmt.Sprintf("mode %d", ModeTriangles)) {
			if !reflect.DeepEqual(seqA, seqB) {
				t.Errorf("%s: vertex sequence changed", key)
			}
			continue
		}
		count := map[[9]float32]int{}
		tri := func(s [][3]float32, i int) [9]float32 {
			var k [9]float32
			copy(k[0:3], s[i][:])
			copy(k[3:6], s[i+1][:])
			copy(k[6:9], s[i+2][:])
			return k
		}
		for i := 0; i+2 < len(seqA); i += 3 {
			count[tri(seqA, i)]++
		}
		for i := 0; i+2 < len(seqB); i += 3 {
			k := tri(seqB, i)
			if count[k] == 0 {
				t.Errorf("%s: triangle %v appeared", key, k)
			}
			count[k]--
		}
		for k, n := range count {
			if n == 0 {
				continue
			}
			p0, p1, p2 := [3]float32(k[0:3]), [3]float32(k[3:6]), [3]float32(k[6:9])
			if p0 != p1 && p1 != p2 && p0 != p2 {
				t.Errorf("%s: non-degenerate triangle %v was removed", key, k)
			}
			removed += n
		}
	}
	return removed
}

// namesOf lists the names of the named nodes, meshes and materials.
func namesOf(doc *Document) []string {
	var out []string
	for _, n := range doc.Nodes {
		if n.Name != "" {
			out = append(out, "node "+n.Name)
		}
	}
	for _, m := range doc.Meshes {
		if m.Name != "" {
			out = append(out, "mesh "+m.Name)
		}
	}
	for _, m := range doc.Materials {
		if m.Name != "" {
			out = append(out, "material "+m.Name)
		}
	}
	return out
}

// optimizeAndCheck runs Optimize and the checks every output must pass,
// writes the result to dir and returns its path and the report.
func optimizeAndCheck(t *testing.T, doc *Document, opts OptimizeOptions, dir, name string) (*Document, OptimizeReport, string) {
	t.Helper()
	var before bytes.Buffer
	if err := WriteGLB(&before, doc); err != nil {
		t.Fatal(err)
	}
	out, rep, err := Optimize(doc, opts)
	if err != nil {
		t.Fatalf("Optimize: %v", err)
	}
	var again bytes.Buffer
	if err := WriteGLB(&again, doc); err != nil || !bytes.Equal(before.Bytes(), again.Bytes()) {
		t.Errorf("Optimize modified its input (%v)", err)
	}
	if got, want := namesOf(out), namesOf(doc); !reflect.DeepEqual(got, want) {
		t.Errorf("names changed:\n got %q\nwant %q", got, want)
	}
	removed := checkSameRendering(t, doc, out)
	if sb, sa := Stats(doc), Stats(out); sa.Triangles != sb.Triangles-removed {
		t.Errorf("Stats triangles: %d before, %d after, %d degenerate removed", sb.Triangles, sa.Triangles, removed)
	}
	if sb, sa := Stats(doc), Stats(out); rep.Before.Triangles != sb.UniqueTriangles || rep.After.Triangles != sa.UniqueTriangles ||
		rep.Removed.Meshes == 0 && rep.After.Triangles != rep.Before.Triangles-rep.DegenerateTriangles {
		t.Errorf("report triangles: %+v, %+v, degenerate %d", rep.Before, rep.After, rep.DegenerateTriangles)
	}
	limit := opts.withDefaults().MaxTextureSize
	for i := range out.Images {
		data, _ := out.ImageData(i)
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("image %d: %v", i, err)
		}
		if "image/"+format != out.Images[i].MimeType {
			t.Errorf("image %d is %s but says %s", i, format, out.Images[i].MimeType)
		}
		if limit > 0 && max(cfg.Width, cfg.Height) > limit {
			t.Errorf("image %d is %d×%d, over the %d limit", i, cfg.Width, cfg.Height, limit)
		}
	}
	for _, r := range rep.ResizedImages {
		if ra, rb := float64(r.FromWidth)/float64(r.FromHeight), float64(r.Width)/float64(r.Height); math.Abs(ra-rb)/ra > 2/float64(min(r.Width, r.Height)) {
			t.Errorf("image %d: aspect ratio %.3f became %.3f", r.Image, ra, rb)
		}
	}
	path := writeTemp(t, out, dir, name)
	if _, err := ReadFile(path); err != nil {
		t.Fatalf("reading the optimized file: %v", err)
	}
	return out, rep, path
}

func TestOptimizeCorpus(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var written []string
	for _, f := range corpusFiles(t, "models", "*.glb") {
		for _, limit := range []int{0, 256} {
			name := fmt.Sprintf("%s-max%d.glb", strings.TrimSuffix(filepath.Base(f), ".glb"), limit)
			t.Run(name, func(t *testing.T) {
				doc, err := ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				_, rep, path := optimizeAndCheck(t, doc, OptimizeOptions{MaxTextureSize: limit}, dir, name)
				js, _ := json.Marshal(rep)
				t.Logf("%s", js)
				if rep.After.Bytes > rep.Before.Bytes+1024 {
					t.Errorf("the file grew from %d to %d bytes", rep.Before.Bytes, rep.After.Bytes)
				}
				written = append(written, path)
			})
		}
	}
	ref := khronosValidate(t, written...)
	for _, f := range written {
		r := ref[f]
		if r.NumErrors != 0 {
			t.Errorf("%s: the Khronos validator finds %d error(s): %+v", filepath.Base(f), r.NumErrors, r.Messages)
		}
	}
}

func TestOptimizeSynthetic(t *testing.T) {
	t.Parallel()
	doc := syntheticDocument(t)
	if r := Validate(doc); r.HasErrors() {
		t.Fatalf("the test document is invalid: %v", r.Errors())
	}
	dir := t.TempDir()
	out, rep, path := optimizeAndCheck(t, doc, OptimizeOptions{MaxTextureSize: 64}, dir, "synthetic.glb")
	js, _ := json.MarshalIndent(rep, "", "  ")
	t.Logf("%s", js)

	want := ObjectCounts{Nodes: 2, Meshes: 1, Materials: 1, Textures: 1, Images: 1, Samplers: 1, Accessors: 3}
	if rep.Removed != want {
		t.Errorf("removed %+v, want %+v", rep.Removed, want)
	}
	if want := (ObjectCounts{Images: 1, Samplers: 1, Textures: 1, Accessors: 3}); rep.Merged != want {
		t.Errorf("merged %+v, want %+v", rep.Merged, want)
	}
	if rep.WeldedVertices != 2 || rep.UnusedVertices != 4 || rep.DegenerateTriangles != 1 || rep.DensifiedSparse != 1 {
		t.Errorf("welded %d (want 2), unused %d (want 4), degenerate %d (want 1), densified %d (want 1)",
			rep.WeldedVertices, rep.UnusedVertices, rep.DegenerateTriangles, rep.DensifiedSparse)
	}
	var sizes [][2]int
	for _, r := range rep.ResizedImages {
		sizes = append(sizes, [2]int{r.Width, r.Height})
	}
	if !reflect.DeepEqual(sizes, [][2]int{{64, 32}, {32, 64}}) {
		t.Errorf("resized to %v, want 64×32 and 32×64", sizes)
	}

	// Body: 5 vertices (A B C B' D), u16 indices, the morph delta on B only.
	body := out.Meshes[0].Primitives[0]
	if n := out.Accessors[body.Attributes["POSITION"]].Count; n != 5 {
		t.Errorf("Body has %d vertices, want 5", n)
	}
	if body.Indices == nil || out.Accessors[*body.Indices].ComponentType != ComponentUnsignedShort {
		t.Errorf("Body indices: %v, want UNSIGNED_SHORT", body.Indices)
	}
	delta, _, _ := ReadAccessorFloat32(out, body.Targets[0]["POSITION"])
	if want := []float32{0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}; !reflect.DeepEqual(delta, want) {
		t.Errorf("morph target %v, want %v", delta, want)
	}
	if out.Accessors[body.Targets[0]["POSITION"]].Sparse != nil {
		t.Error("the sparse accessor was not densified")
	}
	maps, _ := body.VariantMappings()
	if len(maps) != 1 || out.Materials[maps[0].Material].Name != "" || out.Materials[maps[0].Material].PBRMetallicRoughness == nil {
		t.Errorf("variant mapping %+v does not point to the unnamed variant material", maps)
	}
	// Texture references inside material extensions are renumbered too.
	unused := out.Materials[2]
	if cc := string(unused.Extensions["KHR_materials_clearcoat"]); unused.Name != "Unused" || !strings.Contains(cc, fmt.Sprintf(`"index":%d`, unused.EmissiveTexture.Index)) || unused.EmissiveTexture.Index != 1 {
		t.Errorf("material %q: emissive texture %d, clearcoat %s", unused.Name, unused.EmissiveTexture.Index, cc)
	}
	// Quantized mesh: formats kept, 4 used vertices, UNSIGNED_BYTE → UNSIGNED_SHORT indices.
	q := out.Meshes[1].Primitives[0]
	qp, qn := out.Accessors[q.Attributes["POSITION"]], out.Accessors[q.Attributes["NORMAL"]]
	if qp.ComponentType != ComponentShort || !qp.Normalized || qn.ComponentType != ComponentByte || !qn.Normalized || qp.Count != 4 {
		t.Errorf("quantized attributes became %s ×%d and %s", fmtAccessor(&qp), qp.Count, fmtAccessor(&qn))
	}
	if stride := out.BufferViews[*qp.BufferView].ByteStride; stride != 8 {
		t.Errorf("quantized positions have byteStride %d, want 8", stride)
	}
	if lines := out.Meshes[1].Primitives[1]; lines.Indices != nil {
		t.Error("a non-indexed primitive without duplicates got an index buffer")
	}
	if !slices.Contains(out.ExtensionsRequired, ExtMeshQuantization) {
		t.Error("KHR_mesh_quantization is no longer required")
	}
	// Skinned mesh: vertices differing only by their weights stay apart.
	if n := out.Accessors[out.Meshes[2].Primitives[0].Attributes["POSITION"]].Count; n != 4 {
		t.Errorf("skinned mesh has %d vertices, want 4", n)
	}
	// The animated orphan and the named orphan with its child are kept.
	if len(out.Nodes) != 9 || out.Nodes[3].Name != "Handle" || len(out.Nodes[3].Children) != 1 {
		t.Errorf("nodes: %+v", out.Nodes)
	}
	if *out.Animations[0].Channels[0].Target.Node != 7 || out.Skins[0].Joints[0] != 5 || out.Skins[0].Joints[1] != 8 {
		t.Errorf("animation target %d, joints %v: references were not renumbered", *out.Animations[0].Channels[0].Target.Node, out.Skins[0].Joints)
	}

	// Canonical: optimizing the result again changes nothing.
	out2, rep2, err := Optimize(out, OptimizeOptions{MaxTextureSize: 64})
	if err != nil {
		t.Fatal(err)
	}
	var b1, b2 bytes.Buffer
	WriteGLB(&b1, out)
	WriteGLB(&b2, out2)
	if !bytes.Equal(b1.Bytes(), b2.Bytes()) {
		t.Errorf("a second Optimize changed the file: %+v", rep2)
	}

	ref := khronosValidate(t, path)
	if r := ref[path]; r.NumErrors != 0 {
		t.Errorf("the Khronos validator finds %d error(s): %+v", r.NumErrors, r.Messages)
	}
}

// TestOptimizeAcceptedMutants optimizes every mutant of the differential
// test that the reader accepts: odd but valid files must come out valid
// (for both validators) and drawn the same.
func TestOptimizeAcceptedMutants(t *testing.T) {
	t.Parallel()
	dir := corpusDir(t, "models")
	out := t.TempDir()
	var written []string
	for i, mu := range mutations() {
		base, err := os.ReadFile(filepath.Join(dir, mu.model))
		if err != nil {
			t.Fatal(err)
		}
		j, bin := glbParts(t, base)
		mu.apply(j, bin)
		b := buildGLB(t, j, bin)
		doc, err := ReadGLB(bytes.NewReader(b), int64(len(b)), ReadOptions{})
		if err != nil {
			continue
		}
		if checkOptimizable(doc) != nil {
			if _, _, err := Optimize(doc, OptimizeOptions{}); err == nil || !strings.Contains(err.Error(), "does not support") {
				t.Errorf("%s: an unknown extension gave %v", mu.name, err)
			}
			continue
		}
		t.Run(mu.name, func(t *testing.T) {
			_, _, path := optimizeAndCheck(t, doc, OptimizeOptions{MaxTextureSize: 128}, out, fmt.Sprintf("m%03d.glb", i))
			written = append(written, path)
		})
	}
	ref := khronosValidate(t, written...)
	for _, f := range written {
		if r := ref[f]; r.NumErrors != 0 {
			t.Errorf("%s: the Khronos validator finds %d error(s): %+v", filepath.Base(f), r.NumErrors, r.Messages)
		}
	}
	t.Logf("%d accepted mutants optimized", len(written))
}

func TestOptimizeRefuses(t *testing.T) {
	t.Parallel()
	doc := syntheticDocument(t)
	doc.Nodes[1].Mesh = Ptr(42)
	var verr *ValidationError
	if _, _, err := Optimize(doc, OptimizeOptions{}); !errors.As(err, &verr) {
		t.Errorf("invalid input: got %v, want a *ValidationError", err)
	}
	doc = syntheticDocument(t)
	doc.UseExtension("EXT_mesh_gpu_instancing", false)
	if _, _, err := Optimize(doc, OptimizeOptions{}); err == nil || !strings.Contains(err.Error(), "EXT_mesh_gpu_instancing") {
		t.Errorf("unknown extension: got %v", err)
	}
	doc = syntheticDocument(t)
	doc.Materials[2].Extensions["KHR_materials_clearcoat"] = json.RawMessage(`{"clearcoatTexture":{"index":17}}`)
	if _, _, err := Optimize(doc, OptimizeOptions{}); err == nil || !strings.Contains(err.Error(), "texture 17") {
		t.Errorf("extension referring to a missing texture: got %v", err)
	}
	doc = syntheticDocument(t)
	doc.UseExtension("KHR_draco_mesh_compression", true)
	var uerr *UnsupportedExtensionError
	if _, _, err := Optimize(doc, OptimizeOptions{}); !errors.As(err, &uerr) {
		t.Errorf("required Draco: got %v, want an *UnsupportedExtensionError", err)
	}
}

func TestOptimizeKeepsLargeTexturesWhenDisabled(t *testing.T) {
	t.Parallel()
	doc := syntheticDocument(t)
	out, rep, err := Optimize(doc, OptimizeOptions{MaxTextureSize: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.ResizedImages) != 0 {
		t.Errorf("resized %v with resizing disabled", rep.ResizedImages)
	}
	a, _ := doc.ImageData(0)
	b, _ := out.ImageData(0)
	if !bytes.Equal(a, b) {
		t.Error("image bytes changed")
	}
}

// BenchmarkOptimize optimizes each corpus model with the default options
// (read and write excluded).
func BenchmarkOptimize(b *testing.B) {
	for _, f := range corpusFiles(b, "models", "*.glb") {
		doc, err := ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(f), func(b *testing.B) {
			st, _ := os.Stat(f)
			b.SetBytes(st.Size())
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := Optimize(doc, OptimizeOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
