package usdz

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/luneo/luneo/gltf"
)

// expectation is what a conversion should produce, computed from the glTF
// alone: one Mesh prim per drawn triangle primitive per node, one Material
// per material used (the default one included), triangles doubled for
// double-sided materials.
type expectation struct {
	meshes, materials, triangles int
}

func expect(doc *gltf.Document) expectation {
	var roots []int
	switch {
	case doc.Scene != nil:
		roots = doc.Scenes[*doc.Scene].Nodes
	case len(doc.Scenes) > 0:
		roots = doc.Scenes[0].Nodes
	}
	var e expectation
	mats := map[int]bool{}
	var walk func(int)
	walk = func(i int) {
		n := &doc.Nodes[i]
		if n.Mesh != nil {
			for _, pr := range doc.Meshes[*n.Mesh].Primitives {
				pos, ok := pr.Attributes["POSITION"]
				if !ok {
					continue
				}
				count := doc.Accessors[pos].Count
				if pr.Indices != nil {
					count = doc.Accessors[*pr.Indices].Count
				}
				tris := 0
				switch pr.ModeOrDefault() {
				case gltf.ModeTriangles:
					tris = count / 3
				case gltf.ModeTriangleStrip, gltf.ModeTriangleFan:
					tris = max(count-2, 0)
				default:
					continue
				}
				m := -1
				if pr.Material != nil {
					m = *pr.Material
					if doc.Materials[m].DoubleSided {
						tris *= 2
					}
				}
				e.meshes++
				e.triangles += tris
				mats[m] = true
			}
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	e.materials = len(mats)
	return e
}

// convertChecked converts doc and checks what every package must satisfy:
// the layout rules, the root layer's metadata and that every texture the
// layer names is in the package (and nothing else is).
func convertChecked(t *testing.T, doc *gltf.Document, opts Options) (*Package, string) {
	t.Helper()
	pkg, err := Convert(context.Background(), doc, opts)
	if err != nil {
		t.Fatalf("Convert: %v", err)
	}
	if err := Check(bytes.NewReader(pkg.Bytes), int64(len(pkg.Bytes))); err != nil {
		t.Fatalf("Check: %v", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(pkg.Bytes), int64(len(pkg.Bytes)))
	if err != nil {
		t.Fatal(err)
	}
	if zr.File[0].Name != rootLayer {
		t.Fatalf("first entry is %s", zr.File[0].Name)
	}
	rc, _ := zr.File[0].Open()
	layer, _ := io.ReadAll(rc)
	text := string(layer)
	for _, want := range []string{`defaultPrim = "Root"`, `metersPerUnit = 1`, `upAxis = "Y"`, "#usda 1.0\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("the root layer lacks %s", want)
		}
	}
	named := map[string]bool{}
	for _, m := range regexp.MustCompile(`@([^@]+)@`).FindAllStringSubmatch(text, -1) {
		named[m[1]] = true
	}
	inZip := map[string]bool{}
	for _, f := range zr.File[1:] {
		inZip[f.Name] = true
		if !named[f.Name] {
			t.Errorf("%s is in the package but no shader uses it", f.Name)
		}
	}
	for n := range named {
		if !inZip[n] {
			t.Errorf("the layer names %s, which is not in the package", n)
		}
	}
	if pkg.Stats.Textures != len(zr.File)-1 {
		t.Errorf("Stats.Textures = %d, the package holds %d images", pkg.Stats.Textures, len(zr.File)-1)
	}
	return pkg, text
}

func TestCorpusModelsConvert(t *testing.T) {
	t.Parallel()
	for _, f := range corpusModels(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			doc, err := gltf.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			pkg, _ := convertChecked(t, doc, Options{})
			want := expect(doc)
			got := pkg.Stats
			if got.Meshes != want.meshes || got.Materials != want.materials || got.Triangles != want.triangles {
				t.Errorf("stats %+v, want %d meshes, %d materials, %d triangles", got, want.meshes, want.materials, want.triangles)
			}
			t.Logf("%d bytes, %+v, warnings %q", len(pkg.Bytes), got, pkg.Warnings)
		})
	}
}

func TestTinyModel(t *testing.T) {
	t.Parallel()
	doc := tinyDoc(t)
	// The hand-built model must be a valid glTF: write and read it back
	// through the validating reader.
	var glb bytes.Buffer
	if err := gltf.WriteGLB(&glb, doc); err != nil {
		t.Fatal(err)
	}
	doc, err := gltf.ReadGLB(bytes.NewReader(glb.Bytes()), int64(glb.Len()), gltf.ReadOptions{})
	if err != nil {
		t.Fatalf("the tiny model is not valid glTF: %v", err)
	}
	pkg, text := convertChecked(t, doc, Options{})
	want := expect(doc)
	if s := pkg.Stats; s.Meshes != want.meshes || s.Materials != want.materials || s.Triangles != want.triangles || s.Textures != 3 {
		t.Errorf("stats %+v, want %+v and 3 textures (colour, normal, ORM read by channel)", s, want)
	}
	if len(pkg.Warnings) != 0 {
		t.Errorf("unexpected warnings %q", pkg.Warnings)
	}
	for _, want := range []string{
		`uniform token info:id = "UsdTransform2d"`,
		`float inputs:opacityThreshold = 0.3`,
		`token inputs:wrapS = "clamp"`,
		`token inputs:wrapT = "mirror"`,
		`float4 inputs:bias = (-0.5, -0.5, -1, 0)`,
		`float4 inputs:scale = (1, 1, 2, 1)`,
		`color3f inputs:emissiveColor = (2, 1, 0)`,
		`interpolation = "faceVarying"`,
		`rel material:binding = </Root/Materials/DefaultMaterial>`,
		`float inputs:roughness.connect = </Root/Materials/Glow/RoughnessTexture.outputs:g>`,
		`float inputs:metallic.connect = </Root/Materials/Glow/MetallicTexture.outputs:b>`,
		`float inputs:occlusion.connect = </Root/Materials/Glow/OcclusionTexture.outputs:r>`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the layer lacks %s", want)
		}
	}
}

func TestNilDocument(t *testing.T) {
	t.Parallel()
	if _, err := Convert(context.Background(), nil, Options{}); err != ErrNilDocument {
		t.Fatalf("got %v", err)
	}
}

func TestWriteTo(t *testing.T) {
	t.Parallel()
	pkg, err := Convert(context.Background(), tinyDoc(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := pkg.WriteTo(&buf)
	if err != nil || n != int64(len(pkg.Bytes)) || !bytes.Equal(buf.Bytes(), pkg.Bytes) {
		t.Fatalf("WriteTo wrote %d bytes, %v", n, err)
	}
}

func TestConversionIsDeterministic(t *testing.T) {
	t.Parallel()
	a, err := Convert(context.Background(), tinyDoc(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Convert(context.Background(), tinyDoc(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes, b.Bytes) {
		t.Fatal("two conversions of the same document differ")
	}
}
