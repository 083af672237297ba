package usdz

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/luneo/luneo/gltf"
)

// retexDoc is a quad with two UV sets drawn with four materials: a BLEND
// colour-only one, an unlit colour-only one, and two that share one image.
func retexDoc(t testing.TB) *gltf.Document {
	b := newBuilder()
	d := &b.doc
	d.ExtensionsUsed = []string{gltf.ExtMaterialsUnlit}
	pos := b.floats(gltf.TypeVec3, []float32{0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0})
	nrm := b.floats(gltf.TypeVec3, []float32{0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1})
	uv0 := b.floats(gltf.TypeVec2, []float32{0, 1, 1, 1, 0, 0, 1, 0})
	uv1 := b.floats(gltf.TypeVec2, []float32{0, 0.5, 0.5, 0.5, 0, 0, 0.5, 0})
	idx := b.indices([]uint16{0, 1, 2, 2, 1, 3})
	shared := b.image(testPNG(t, 4, 4, func(x, y int) color.NRGBA { return color.NRGBA{uint8(60 * x), 10, uint8(60 * y), 255} }), nil)
	d.Materials = []gltf.Material{
		{Name: "Plain", AlphaMode: gltf.AlphaBlend, PBRMetallicRoughness: &gltf.PBRMetallicRoughness{BaseColorFactor: &[4]float64{0.5, 0.25, 1, 0.5}}},
		{Name: "Flat", Extensions: rawExt(gltf.ExtMaterialsUnlit, `{}`), PBRMetallicRoughness: &gltf.PBRMetallicRoughness{BaseColorFactor: &[4]float64{1, 0, 0, 1}}},
		{Name: "SharedA", PBRMetallicRoughness: &gltf.PBRMetallicRoughness{BaseColorTexture: &gltf.TextureInfo{Index: shared}, BaseColorFactor: &[4]float64{1, 0.5, 1, 1}}},
		{Name: "SharedB", PBRMetallicRoughness: &gltf.PBRMetallicRoughness{BaseColorTexture: &gltf.TextureInfo{Index: shared}}},
		{Name: "Unused"},
	}
	attrs := map[string]int{"POSITION": pos, "NORMAL": nrm, "TEXCOORD_0": uv0, "TEXCOORD_1": uv1}
	var prims []gltf.Primitive
	for m := 0; m < 4; m++ {
		prims = append(prims, gltf.Primitive{Attributes: attrs, Indices: gltf.Ptr(idx), Material: gltf.Ptr(m)})
	}
	// A second mesh without TEXCOORD_1 on SharedB: that material can only
	// take an image on set 0.
	prims = append(prims, gltf.Primitive{Attributes: map[string]int{"POSITION": pos, "NORMAL": nrm, "TEXCOORD_0": uv0}, Indices: gltf.Ptr(idx), Material: gltf.Ptr(3)})
	d.Meshes = []gltf.Mesh{{Name: "Quads", Primitives: prims}}
	d.Nodes = []gltf.Node{{Name: "Quads", Mesh: gltf.Ptr(0)}}
	d.Scenes = []gltf.Scene{{Nodes: []int{0}}}
	d.Scene = gltf.Ptr(0)
	return b.finish()
}

// retexDocs are the documents Retexture is tested on: the hand-built ones
// and every corpus model.
func retexDocs(t *testing.T) map[string]*gltf.Document {
	docs := map[string]*gltf.Document{"tiny": tinyDoc(t), "retex": retexDoc(t), "mirrored": mirroredDoc(t)}
	for _, f := range corpusModels(t) {
		doc, err := gltf.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[filepath.Base(f)] = doc
	}
	return docs
}

// zipFiles returns a package's entries by name, in order.
func zipFiles(t *testing.T, pkg []byte) (names []string, data map[string][]byte) {
	t.Helper()
	if err := Check(bytes.NewReader(pkg), int64(len(pkg))); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	data = map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(rc); err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Name)
		data[f.Name] = buf.Bytes()
	}
	return names, data
}

// materialsOf reads the Materials scope of a layer back: the text before
// and after it, and each material's text and surface by glTF index.
func materialsOf(t *testing.T, layer []byte) (outside string, text map[int]string, surf map[int]*surface) {
	t.Helper()
	start, end, _, scope, err := findScope(layer)
	if err != nil || scope == nil {
		t.Fatalf("no Materials scope: %v", err)
	}
	outside = string(layer[:start]) + "|" + string(layer[end:])
	text, surf = map[int]string{}, map[int]*surface{}
	body := string(layer[start:end])
	parts := strings.Split(body, "\n        def Material ")
	for i, m := range scope.children {
		s, err := readSurface(m)
		if err != nil {
			t.Fatal(err)
		}
		surf[s.index] = s
		text[s.index] = parts[i+1]
	}
	return outside, text, surf
}

// TestRetextureWithoutSwapsIsIdentity reads every material back and writes
// it again: the package must come out byte for byte the same, which proves
// the reader of the Materials scope loses nothing.
func TestRetextureWithoutSwapsIsIdentity(t *testing.T) {
	t.Parallel()
	for name, doc := range retexDocs(t) {
		pkg, err := Convert(context.Background(), doc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		out, err := Retexture(pkg.Bytes, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(out, pkg.Bytes) {
			_, want := zipFiles(t, pkg.Bytes)
			_, got := zipFiles(t, out)
			t.Errorf("%s: Retexture without swaps changed the package:\n%s", name, firstDiff(string(want[rootLayer]), string(got[rootLayer])))
		}
	}
}

// swapImage is a small PNG distinct for each material.
func swapImage(t testing.TB, m int) []byte {
	return testPNG(t, 8, 4, func(x, y int) color.NRGBA {
		return color.NRGBA{uint8(m * 40), uint8(30 * x), uint8(60 * y), uint8(255 - 20*x)}
	})
}

// TestRetextureSwaps swaps every other material of each model (every
// material of the hand-built ones) and checks the result: a valid package,
// the same bytes twice, geometry and unswapped materials unchanged to the
// byte, swapped materials reading their image with the asked UV set and
// factor, opacity from the new image's alpha, unused images dropped — and
// then both USD readers find each new image bound to its material and
// everything else bound as before.
func TestRetextureSwaps(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	type result struct {
		orig, out string
		swapped   map[int]string // glTF material → its new file
		paths     map[int]string // glTF material → prim path
		layer     []byte
	}
	var results []result
	for name, doc := range retexDocs(t) {
		pkg, err := Convert(context.Background(), doc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, before := zipFiles(t, pkg.Bytes)
		outside, oldText, oldSurf := materialsOf(t, before[rootLayer])
		var swaps []Swap
		hand := name == "tiny" || name == "retex"
		for m := range len(doc.Materials) {
			s := oldSurf[m]
			if s == nil || (!hand && m%2 == 1) || s.uvSets == 0 {
				continue
			}
			set := 0
			for s.uvSets&(1<<set) == 0 {
				set++
			}
			if name == "retex" && m < 3 {
				set = 1
			}
			swaps = append(swaps, Swap{Material: m, Data: swapImage(t, m), TexCoord: set, FactorWhite: m%4 == 2})
		}
		out, err := Retexture(pkg.Bytes, swaps)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		again, _ := Retexture(pkg.Bytes, swaps)
		if !bytes.Equal(out, again) {
			t.Errorf("%s: two retextures of the same input differ", name)
		}
		names, after := zipFiles(t, out)
		if names[0] != rootLayer {
			t.Fatalf("%s: first entry %s", name, names[0])
		}
		outside2, newText, newSurf := materialsOf(t, after[rootLayer])
		if outside2 != outside {
			t.Errorf("%s: the layer outside the Materials scope changed", name)
		}
		res := result{orig: filepath.Join(dir, name+".usdz"), out: filepath.Join(dir, name+".retex.usdz"), swapped: map[int]string{}, paths: map[int]string{}, layer: after[rootLayer]}
		used := map[string]bool{rootLayer: true}
		for m, s := range newSurf {
			res.paths[m] = s.path
			for _, sl := range s.slots {
				used[sl.file] = true
			}
		}
		for _, sw := range swaps {
			checkSwapped(t, name, sw, oldSurf[sw.Material], newSurf[sw.Material], after)
			res.swapped[sw.Material] = newSurf[sw.Material].slot("BaseColor").file
		}
		for m, txt := range oldText {
			if _, ok := res.swapped[m]; !ok && newText[m] != txt {
				t.Errorf("%s: material %d was not swapped but changed:\n%s", name, m, firstDiff(txt, newText[m]))
			}
		}
		for _, n := range names {
			if !used[n] {
				t.Errorf("%s: %s is in the package but no material uses it", name, n)
			}
			delete(used, n)
		}
		if len(used) > 0 {
			t.Errorf("%s: materials use files the package lacks: %v", name, used)
		}
		if err := os.WriteFile(res.orig, pkg.Bytes, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(res.out, out, 0o644); err != nil {
			t.Fatal(err)
		}
		results = append(results, res)
	}
	var files []string
	for _, r := range results {
		files = append(files, r.orig, r.out)
	}
	reports := readWithUSDReaders(t, files...)
	for _, r := range results {
		checkReaders(t, r.out, reports[r.orig], reports[r.out], r.swapped, r.paths, r.layer)
	}
}

// checkSwapped checks one swapped material as Retexture wrote it.
func checkSwapped(t *testing.T, name string, sw Swap, old, s *surface, files map[string][]byte) {
	t.Helper()
	bc := s.slot("BaseColor")
	if bc == nil || !bytes.Equal(files[bc.file], sw.Data) || bc.uvSet != sw.TexCoord || !bc.srgb {
		t.Fatalf("%s: material %d: base colour slot %+v, want the new image on set %d", name, sw.Material, bc, sw.TexCoord)
	}
	if c := s.input("color3f inputs:" + s.baseColorInput()); c == nil || c.connect != s.path+"/BaseColorTexture.outputs:rgb" {
		t.Errorf("%s: material %d: base colour input %+v is not connected to the new texture", name, sw.Material, c)
	}
	if o := s.input("float inputs:opacity"); o != nil && o.connect != s.path+"/BaseColorTexture.outputs:a" {
		t.Errorf("%s: material %d: opacity %+v does not read the new image's alpha", name, sw.Material, o)
	}
	if (old.input("float inputs:opacity") == nil) != (s.input("float inputs:opacity") == nil) {
		t.Errorf("%s: material %d: opacity appeared or vanished", name, sw.Material)
	}
	want := []float64{1, 1, 1, 1}
	if ob := old.slot("BaseColor"); !sw.FactorWhite && ob != nil && ob.scale != nil {
		want = ob.scale
	} else if !sw.FactorWhite && ob == nil {
		rgb, _ := floats(old.input("color3f inputs:"+old.baseColorInput()).value, '(', ')')
		copy(want, rgb)
		if o := old.input("float inputs:opacity"); o != nil {
			want[3] = float64(float32(parseF(t, o.value)))
		}
	}
	got := bc.scale
	if got == nil {
		got = []float64{1, 1, 1, 1}
	}
	for k := range want {
		if float32(got[k]) != float32(want[k]) {
			t.Errorf("%s: material %d: texture scale %v, want the factor %v", name, sw.Material, got, want)
			break
		}
	}
	if ob := old.slot("BaseColor"); ob != nil && (ob.transform == nil) != (bc.transform == nil) {
		t.Errorf("%s: material %d: the texture transform was not kept", name, sw.Material)
	}
}

func parseF(t *testing.T, s string) float64 {
	f, err := floats("("+s+")", '(', ')')
	if err != nil || len(f) != 1 {
		t.Fatalf("%q: %v", s, err)
	}
	return f[0]
}

// checkReaders compares what both readers bind before and after a
// retexture: the new image on each swapped material (its meshes for
// tinyusdz), everything else as before.
func checkReaders(t *testing.T, file string, before, after readerReport, swapped map[int]string, paths map[int]string, layer []byte) {
	t.Helper()
	if !after.TinyUSDZ.OK || !after.Three.OK {
		t.Fatalf("%s: a reader cannot read it: tinyusdz %q, three %q", file, after.TinyUSDZ.Error, after.Three.Error)
	}
	for _, r := range []readerResult{after.TinyUSDZ, after.Three} {
		if len(r.MissingTextures) > 0 {
			t.Errorf("%s: missing textures %v", file, r.MissingTextures)
		}
	}
	t.Logf("%s: %d swapped; three %v; tinyusdz %v", file, len(swapped), after.Three.BoundTextures, after.TinyUSDZ.BoundTextures)
	newFile := map[string]string{} // material path → new file
	for m, f := range swapped {
		newFile[paths[m]] = f
	}
	for path, maps := range after.Three.BoundTextures {
		want := before.Three.BoundTextures[path]
		if f, ok := newFile[path]; ok {
			key := "map"
			if _, ok := maps["emissiveMap"]; ok && maps["map"] == "" {
				key = "emissiveMap" // unlit
			}
			if maps[key] != f {
				t.Errorf("%s: three binds %v to %s, want %s as its colour", file, maps, path, f)
			}
			continue
		}
		if !maps2Equal(maps, want) {
			t.Errorf("%s: three binds %v to unswapped %s, %v before", file, maps, path, want)
		}
	}
	binding := meshBindings(layer)
	for mesh, maps := range after.TinyUSDZ.BoundTextures {
		want := before.TinyUSDZ.BoundTextures[mesh]
		if f, ok := newFile[binding[mesh]]; ok {
			if maps["diffuseColor"] != f && maps["emissiveColor"] != f {
				t.Errorf("%s: tinyusdz binds %v to mesh %s, want %s as its colour", file, maps, mesh, f)
			}
			if _, ok := maps["opacity"]; ok && maps["opacity"] != f {
				t.Errorf("%s: tinyusdz reads opacity of %s from %s, want %s", file, mesh, maps["opacity"], f)
			}
			continue
		}
		if !maps2Equal(maps, want) {
			t.Errorf("%s: tinyusdz binds %v to unswapped mesh %s, %v before", file, maps, mesh, want)
		}
	}
	if len(after.TinyUSDZ.BoundTextures) == 0 || len(after.Three.BoundTextures) == 0 {
		t.Errorf("%s: the readers report no bindings", file)
	}
}

func maps2Equal(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// meshBindings maps each Mesh prim path of a layer to its material's path,
// following the prim nesting of the text.
func meshBindings(layer []byte) map[string]string {
	out := map[string]string{}
	var stack []string // prim names; "" for a dictionary or metadata block
	pending := ""
	for _, l := range strings.Split(string(layer), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "def "):
			q := strings.Index(l, `"`)
			pending = l[q+1 : q+1+strings.Index(l[q+1:], `"`)]
		case l == "{":
			stack = append(stack, pending)
			pending = ""
		case strings.HasSuffix(l, "= {"):
			stack = append(stack, "")
		case l == "}":
			stack = stack[:len(stack)-1]
		case strings.HasPrefix(l, "rel material:binding = <"):
			var names []string
			for _, s := range stack {
				if s != "" {
					names = append(names, s)
				}
			}
			out["/"+strings.Join(names, "/")] = strings.TrimSuffix(strings.TrimPrefix(l, "rel material:binding = <"), ">")
		}
	}
	return out
}

// TestRetextureRefusals: every bad swap is refused with a clear error and
// no package.
func TestRetextureRefusals(t *testing.T) {
	t.Parallel()
	pkg, err := Convert(context.Background(), retexDoc(t), Options{MaxTextureSize: 16})
	if err != nil {
		t.Fatal(err)
	}
	img := swapImage(t, 1)
	big := testPNG(t, 17, 2, func(x, y int) color.NRGBA { return color.NRGBA{A: 255} })
	old := bytes.Replace(slices.Clone(pkg.Bytes), []byte("int luneoMaterials = 5"), []byte("int luneoMaterialz = 5"), 1)
	for _, c := range []struct {
		name  string
		pkg   []byte
		swaps []Swap
		want  error
		msg   string
	}{
		{"no such material", pkg.Bytes, []Swap{{Material: 5, Data: img}}, ErrBadSwap, "material 5 does not exist"},
		{"negative material", pkg.Bytes, []Swap{{Material: -1, Data: img}}, ErrBadSwap, "does not exist"},
		{"missing UV set", pkg.Bytes, []Swap{{Material: 3, Data: img, TexCoord: 1}}, ErrBadSwap, "TEXCOORD_1"},
		{"UV set past the last", pkg.Bytes, []Swap{{Material: 0, Data: img, TexCoord: 7}}, ErrBadSwap, "TEXCOORD_7"},
		{"not an image", pkg.Bytes, []Swap{{Material: 0, Data: []byte("GIF89a......")}}, ErrBadSwap, "neither PNG nor JPEG"},
		{"truncated PNG", pkg.Bytes, []Swap{{Material: 0, Data: img[:20]}}, ErrBadSwap, "unreadable image header"},
		{"too large", pkg.Bytes, []Swap{{Material: 0, Data: big}}, ErrBadSwap, "17×2, larger than the package's 16"},
		{"twice", pkg.Bytes, []Swap{{Material: 0, Data: img}, {Material: 0, Data: img}}, ErrBadSwap, "swapped twice"},
		{"no markers", old, nil, ErrNotRetexturable, "convert the model again"},
		{"not a zip", []byte("hello"), nil, ErrNotRetexturable, ""},
	} {
		out, err := Retexture(c.pkg, c.swaps)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) || out != nil {
			t.Errorf("%s: got %v, want %v with %q", c.name, err, c.want, c.msg)
		}
	}
	// A material no mesh uses exists in the glTF: swapping it changes nothing.
	out, err := Retexture(pkg.Bytes, []Swap{{Material: 4, Data: img}})
	if err != nil || !bytes.Equal(out, pkg.Bytes) {
		t.Errorf("swap of an unused material: %v, same bytes %v", err, bytes.Equal(out, pkg.Bytes))
	}
}

// TestRetextureAgainAndShared retextures a retextured package and swaps
// both materials sharing an image: the old image goes, the first swap's
// image goes when replaced, identical images are stored once.
func TestRetextureAgainAndShared(t *testing.T) {
	t.Parallel()
	pkg, err := Convert(context.Background(), retexDoc(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	names, _ := zipFiles(t, pkg.Bytes)
	img := swapImage(t, 7)
	one, err := Retexture(pkg.Bytes, []Swap{{Material: 2, Data: img}})
	if err != nil {
		t.Fatal(err)
	}
	n1, _ := zipFiles(t, one)
	if len(n1) != len(names)+1 {
		t.Errorf("after swapping one of two materials sharing an image: %v (before %v): the shared image must stay", n1, names)
	}
	both, err := Retexture(one, []Swap{{Material: 3, Data: img}, {Material: 0, Data: img, FactorWhite: true}})
	if err != nil {
		t.Fatal(err)
	}
	n2, files := zipFiles(t, both)
	if len(n2) != 2 || !bytes.Equal(files[n2[1]], img) {
		t.Errorf("after swapping both sharers with one image: %v, want the layer and that image once", n2)
	}
	other := swapImage(t, 8)
	again, err := Retexture(both, []Swap{{Material: 2, Data: other}, {Material: 3, Data: other}, {Material: 0, Data: other}})
	if err != nil {
		t.Fatal(err)
	}
	n3, files := zipFiles(t, again)
	if len(n3) != 2 || !bytes.Equal(files[n3[1]], other) {
		t.Errorf("after replacing the swapped image: %v", n3)
	}
}
