package demo

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/usdz"
)

// readMug generates the mug with opt and reads it back with our own
// reader, which validates it.
func readMug(t *testing.T, opt MugOptions) ([]byte, *gltf.Document) {
	t.Helper()
	glb, err := Mug(opt)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := gltf.Read(bytes.NewReader(glb), int64(len(glb)), gltf.ReadOptions{})
	if err != nil {
		t.Fatalf("our reader refuses the mug: %v", err)
	}
	return glb, doc
}

func TestMugIsValidGLTF(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opt  MugOptions
	}{
		{"default", MugOptions{}},
		{"untextured", MugOptions{NoTexture: true}},
		{"coarse", MugOptions{Segments: 24, TextureSize: 256}},
		{"fine", MugOptions{Segments: 256, TextureSize: 4096}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			glb, doc := readMug(t, tc.opt)
			for _, is := range doc.Report.Issues {
				if is.Severity <= gltf.SeverityWarning {
					t.Errorf("our validator: %s", is)
				}
			}
			if u := gltf.Undrawable(doc); len(u) > 0 {
				t.Errorf("undrawable: %v", u)
			}
			st := gltf.Stats(doc)
			t.Logf("%d bytes, %d triangles, %d vertices", len(glb), st.Triangles, st.Vertices)
			if tc.opt.Segments == 0 && (st.Triangles < 2000 || st.Triangles > 5000) {
				t.Errorf("%d triangles: want a few thousand", st.Triangles)
			}
			var names []string
			for _, m := range st.Materials {
				names = append(names, m.Name)
			}
			if got := strings.Join(names, ","); got != "Body,Inside,Handle" {
				t.Errorf("materials %s, want Body,Inside,Handle", got)
			}
			if st.UVSets != 1 {
				t.Errorf("%d UV sets, want 1", st.UVSets)
			}
			wantTextures := 1
			if tc.opt.NoTexture {
				wantTextures = 0
			}
			if len(st.Textures) != wantTextures {
				t.Errorf("%d textures, want %d", len(st.Textures), wantTextures)
			}

			rep := khronosValidate(t, glb)
			for _, m := range rep.Messages {
				if m.Severity <= 1 {
					t.Errorf("Khronos: %s %s: %s", m.Code, m.Pointer, m.Message)
				}
			}
			if rep.NumErrors != 0 || rep.NumWarnings != 0 {
				t.Errorf("Khronos: %d errors, %d warnings", rep.NumErrors, rep.NumWarnings)
			}
			if rep.TotalTriangleCount != st.UniqueTriangles {
				t.Errorf("Khronos counts %d triangles, we %d", rep.TotalTriangleCount, st.UniqueTriangles)
			}
			for _, m := range rep.Messages {
				t.Logf("Khronos info: %s %s: %s", m.Code, m.Pointer, m.Message)
			}
		})
	}
}

// TestMugConvertsToUSDZ converts the mug for AR Quick Look, checks the
// package's layout with usdz.Check and has two independent USD readers
// open it: both must find the three meshes, materials, the texture and
// every triangle.
func TestMugConvertsToUSDZ(t *testing.T) {
	t.Parallel()
	_, doc := readMug(t, MugOptions{})
	pkg, err := usdz.Convert(context.Background(), doc, usdz.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range pkg.Warnings {
		t.Errorf("conversion warning: %s", w)
	}
	if err := usdz.Check(bytes.NewReader(pkg.Bytes), int64(len(pkg.Bytes))); err != nil {
		t.Fatal(err)
	}
	if pkg.Stats.Meshes != 3 || pkg.Stats.Materials != 3 || pkg.Stats.Textures != 1 {
		t.Errorf("package stats %+v, want 3 meshes, 3 materials, 1 texture", pkg.Stats)
	}
	triangles := gltf.Stats(doc).Triangles
	rep := readUSDZ(t, pkg.Bytes)
	for _, r := range []struct {
		name string
		res  usdReader
	}{{"tinyusdz", rep.TinyUSDZ}, {"three.js", rep.Three}} {
		res := r.res
		if !res.OK {
			t.Errorf("%s cannot read the package: %s", r.name, res.Error)
			continue
		}
		if res.Meshes != 3 || res.Materials != 3 || res.Textures != 1 || len(res.MissingTextures) > 0 || res.MeshesWithUV != 3 {
			t.Errorf("%s: %+v, want 3 meshes with UVs, 3 materials, 1 texture", r.name, res)
		}
		if res.Triangles != triangles {
			t.Errorf("%s finds %d triangles, want %d", r.name, res.Triangles, triangles)
		}
	}
}
