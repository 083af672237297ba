package usdz

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/luneo/luneo/gltf"
)

// TestTextureTransformMatchesGLTF checks the KHR_texture_transform
// conversion numerically: for random transforms and UVs, the USD
// UsdTransform2d applied to the flipped UV must land on the flipped glTF
// result (glTF's own formula, from the extension's GLSL).
func TestTextureTransformMatchesGLTF(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 1000; i++ {
		tt := &gltf.TextureTransform{
			Offset:   &[2]float64{rng.Float64()*4 - 2, rng.Float64()*4 - 2},
			Rotation: gltf.Ptr(rng.Float64()*8 - 4),
			Scale:    &[2]float64{rng.Float64()*4 - 2, rng.Float64()*4 - 2},
		}
		u, v := rng.Float64(), rng.Float64()
		// glTF: T·R·S·uv, R = mat3(cos, sin, 0, −sin, cos, 0, …) column-major.
		r := *tt.Rotation
		su, sv := tt.Scale[0]*u, tt.Scale[1]*v
		gu := math.Cos(r)*su - math.Sin(r)*sv + tt.Offset[0]
		gv := math.Sin(r)*su + math.Cos(r)*sv + tt.Offset[1]
		// USD: scale, rotate counter-clockwise by degrees, translate.
		ut := usdTransform(tt)
		deg, sc, tr := ut.rot, ut.scale, ut.trans
		a := deg * math.Pi / 180
		x, y := sc[0]*u, sc[1]*(1-v)
		uu := math.Cos(a)*x - math.Sin(a)*y + tr[0]
		uv := math.Sin(a)*x + math.Cos(a)*y + tr[1]
		if math.Abs(uu-gu) > 1e-9 || math.Abs(uv-(1-gv)) > 1e-9 {
			t.Fatalf("transform %+v at (%g, %g): USD samples (%g, %g), glTF (%g, %g) flipped", tt, u, v, uu, uv, gu, 1-gv)
		}
	}
}

// TestNoMirroringTransforms checks that no Xform of a converted model with
// mirrored nodes has a negative determinant (the geometry carries it).
func TestNoMirroringTransforms(t *testing.T) {
	t.Parallel()
	pkg, err := Convert(context.Background(), mirroredDoc(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := string(rootLayerText(t, pkg))
	num := `(-?[0-9.e+-]+)`
	row := `\(` + num + `, ` + num + `, ` + num + `, ` + num + `\)`
	re := regexp.MustCompile(`matrix4d xformOp:transform = \(` + row + `, ` + row + `, ` + row + `, ` + row + `\)`)
	ms := re.FindAllStringSubmatch(text, -1)
	if len(ms) < 3 {
		t.Fatalf("found %d transforms, want at least 3:\n%s", len(ms), text)
	}
	for _, m := range ms {
		var v gltf.Mat4
		for i := range v {
			v[i], _ = strconv.ParseFloat(m[i+1], 64)
		}
		if d := det3(v); d <= 0 {
			t.Errorf("transform %s has determinant %g", m[0], d)
		}
	}
}

// TestTexturesScaledAndSplit converts with a tiny texture limit: colour
// images are scaled down, packed metal-roughness-occlusion images become
// one grayscale image per channel, scaled too.
func TestTexturesScaledAndSplit(t *testing.T) {
	t.Parallel()
	pkg, err := Convert(context.Background(), tinyDoc(t), Options{MaxTextureSize: 2, SplitChannels: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(pkg.Warnings, "\n"), "image 0 was scaled down from 4×4 to 2×2") {
		t.Errorf("no scaling warning in %q", pkg.Warnings)
	}
	zr, err := zip.NewReader(bytes.NewReader(pkg.Bytes), int64(len(pkg.Bytes)))
	if err != nil {
		t.Fatal(err)
	}
	imgs := map[string]image.Image{}
	for _, f := range zr.File[1:] {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		imgs[f.Name] = img
		if b := img.Bounds(); b.Dx() > 2 || b.Dy() > 2 {
			t.Errorf("%s is %v, over the limit", f.Name, b)
		}
	}
	// image1 (2×2) holds R = 200, G = 100 + 50x, B = 50y.
	for name, want := range map[string]func(x, y int) uint8{
		"textures/image1_r.png": func(x, y int) uint8 { return 200 },
		"textures/image1_g.png": func(x, y int) uint8 { return uint8(100 + 50*x) },
		"textures/image1_b.png": func(x, y int) uint8 { return uint8(50 * y) },
	} {
		g, ok := imgs[name].(*image.Gray)
		if !ok {
			t.Fatalf("%s is %T, want a grayscale image", name, imgs[name])
		}
		for y := 0; y < 2; y++ {
			for x := 0; x < 2; x++ {
				if got := g.GrayAt(x, y).Y; got != want(x, y) {
					t.Errorf("%s at (%d, %d) = %d, want %d", name, x, y, got, want(x, y))
				}
			}
		}
	}
}

// TestQuantizedAttributes reads KHR_mesh_quantization data: integer
// positions (the node's scale brings them back), normalized byte normals
// and normalized unsigned byte UVs.
func TestQuantizedAttributes(t *testing.T) {
	t.Parallel()
	b := newBuilder()
	b.doc.ExtensionsUsed = []string{gltf.ExtMeshQuantization}
	b.doc.ExtensionsRequired = []string{gltf.ExtMeshQuantization}
	pos := b.accessor(gltf.TypeVec3, gltf.ComponentShort, false, []int16{0, 0, 0, 1000, 0, 0, 0, 0, 1000})
	b.doc.Accessors[pos].Min, b.doc.Accessors[pos].Max = []float64{0, 0, 0}, []float64{1000, 0, 1000}
	// Byte normals padded to a 4-byte stride, as the extension requires.
	nrm := b.accessor(gltf.TypeVec3, gltf.ComponentByte, true, []int8{0, 127, 0, 0, 0, 127, 0, 0, 0, 127, 0, 0})
	b.doc.Accessors[nrm].Count = 3
	b.doc.BufferViews[*b.doc.Accessors[nrm].BufferView].ByteStride = 4
	uv := b.accessor(gltf.TypeVec2, gltf.ComponentUnsignedByte, true, []uint8{0, 0, 255, 0, 0, 255})
	b.doc.Meshes = []gltf.Mesh{{Primitives: []gltf.Primitive{{Attributes: map[string]int{"POSITION": pos, "NORMAL": nrm, "TEXCOORD_0": uv}}}}}
	b.doc.Nodes = []gltf.Node{{Mesh: gltf.Ptr(0), Scale: &[3]float64{0.001, 0.001, 0.001}}}
	b.doc.Scenes = []gltf.Scene{{Nodes: []int{0}}}
	pkg, err := Convert(context.Background(), b.finish(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := string(rootLayerText(t, pkg))
	for _, want := range []string{
		`point3f[] points = [(0, 0, 0), (1000, 0, 0), (0, 0, 1000)]`,
		`normal3f[] normals = [(0, 1, 0), (0, 1, 0), (0, 1, 0)]`,
		`texCoord2f[] primvars:st = [(0, 1), (1, 1), (0, 0)]`,
		`matrix4d xformOp:transform = ((0.001, 0, 0, 0), (0, 0.001, 0, 0), (0, 0, 0.001, 0), (0, 0, 0, 1))`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the layer lacks %s:\n%s", want, text)
		}
	}
}

// TestUnlitMaterial checks that KHR_materials_unlit colours are emitted.
func TestUnlitMaterial(t *testing.T) {
	t.Parallel()
	doc := tinyDoc(t)
	doc.ExtensionsUsed = append(doc.ExtensionsUsed, gltf.ExtMaterialsUnlit)
	doc.Materials[0].Extensions = map[string]json.RawMessage{gltf.ExtMaterialsUnlit: json.RawMessage(`{}`)}
	pkg, err := Convert(context.Background(), doc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := string(rootLayerText(t, pkg))
	for _, want := range []string{
		`color3f inputs:diffuseColor = (0, 0, 0)`,
		`color3f inputs:emissiveColor.connect = </Root/Materials/Painted/BaseColorTexture.outputs:rgb>`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the layer lacks %s", want)
		}
	}
}

// TestWarnings gives the converter everything it cannot keep.
func TestWarnings(t *testing.T) {
	t.Parallel()
	doc := tinyDoc(t)
	doc.ExtensionsUsed = append(doc.ExtensionsUsed, "KHR_lights_punctual", gltf.ExtMaterialsVariants)
	quad := doc.Meshes[0].Primitives[0]
	lines, points, colored := quad, quad, quad
	lines.Mode, points.Mode = gltf.Ptr(gltf.ModeLines), gltf.Ptr(gltf.ModePoints)
	red := len(doc.Accessors)
	doc.Accessors = append(doc.Accessors, gltf.Accessor{ComponentType: gltf.ComponentFloat, Count: 4, Type: gltf.TypeVec3, Sparse: nil})
	colored.Attributes = map[string]int{"POSITION": quad.Attributes["POSITION"], "COLOR_0": red}
	colored.Targets = []map[string]int{{"POSITION": quad.Attributes["POSITION"]}}
	doc.Meshes[0].Primitives = append(doc.Meshes[0].Primitives, lines, points, colored)
	doc.Meshes[0].Weights = []float64{0.5}
	doc.Animations = []gltf.Animation{{}}
	doc.Textures = append(doc.Textures, gltf.Texture{}) // a WebP-only texture, say
	doc.Materials[1].EmissiveTexture = &gltf.TextureInfo{Index: len(doc.Textures) - 1}
	doc.Nodes[0].Skin = gltf.Ptr(0)
	pkg, err := Convert(context.Background(), doc, Options{TriangleBudget: 3})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(pkg.Warnings, "\n")
	for _, want := range []string{
		"KHR_lights_punctual is not supported",
		"KHR_materials_variants: only the default material",
		"line primitives were left out",
		"point primitives were left out",
		"vertex colours (COLOR_0) are ignored",
		"morph targets are baked",
		"1 animation(s) were not exported",
		"texture 3 has no PNG or JPEG image",
		"skins are not exported",
		"more than the 3 AR Quick Look recommends",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no warning says %q in:\n%s", want, all)
		}
	}
	if err := Check(bytes.NewReader(pkg.Bytes), int64(len(pkg.Bytes))); err != nil {
		t.Fatal(err)
	}
}

// TestBrokenReferences feeds documents whose references point nowhere (a
// reader with SkipValidation could produce them): no panic, a package
// that passes Check, and warnings.
func TestBrokenReferences(t *testing.T) {
	t.Parallel()
	breakers := map[string]func(d *gltf.Document){
		"mesh":         func(d *gltf.Document) { d.Nodes[0].Mesh = gltf.Ptr(99) },
		"material":     func(d *gltf.Document) { d.Meshes[0].Primitives[0].Material = gltf.Ptr(-5) },
		"accessor":     func(d *gltf.Document) { d.Meshes[0].Primitives[0].Attributes["POSITION"] = 99 },
		"indices":      func(d *gltf.Document) { d.Meshes[0].Primitives[0].Indices = gltf.Ptr(99) },
		"index type":   func(d *gltf.Document) { d.Meshes[0].Primitives[0].Indices = gltf.Ptr(0) },
		"index range":  func(d *gltf.Document) { d.Meshes[1].Primitives[0].Indices = gltf.Ptr(3) },
		"texture":      func(d *gltf.Document) { d.Materials[0].PBRMetallicRoughness.BaseColorTexture.Index = 42 },
		"image":        func(d *gltf.Document) { d.Textures[0].Source = gltf.Ptr(7) },
		"image data":   func(d *gltf.Document) { d.Images[0].BufferView = nil },
		"sampler":      func(d *gltf.Document) { d.Textures[1].Sampler = gltf.Ptr(3) },
		"cycle":        func(d *gltf.Document) { d.Nodes[0].Children = []int{2, 1, 0} },
		"child":        func(d *gltf.Document) { d.Nodes[1].Children = []int{-1, 1000} },
		"scene":        func(d *gltf.Document) { d.Scene = gltf.Ptr(9) },
		"uv set":       func(d *gltf.Document) { d.Materials[0].PBRMetallicRoughness.BaseColorTexture.TexCoord = 40 },
		"normal count": func(d *gltf.Document) { d.Meshes[0].Primitives[0].Attributes["NORMAL"] = 4 },
		"buffer":       func(d *gltf.Document) { d.Buffers = nil },
		"transform":    func(d *gltf.Document) { d.Nodes[2].Scale = &[3]float64{math.NaN(), 1, 1} },
		"no scenes":    func(d *gltf.Document) { d.Scenes, d.Scene = nil, nil },
		"nothing":      func(d *gltf.Document) { *d = gltf.Document{} },
		"image pixels": func(d *gltf.Document) {
			d.Buffers[0].Data = append([]byte(nil), d.Buffers[0].Data...)
			view := d.BufferViews[*d.Images[1].BufferView]
			copy(d.Buffers[0].Data[view.ByteOffset+view.ByteLength-20:], "garbage!")
		},
		"image bytes": func(d *gltf.Document) {
			d.Buffers[0].Data = append([]byte(nil), d.Buffers[0].Data...)
			view := d.BufferViews[*d.Images[0].BufferView]
			copy(d.Buffers[0].Data[view.ByteOffset+8:], "garbage!")
		},
	}
	for name, breakDoc := range breakers {
		t.Run(name, func(t *testing.T) {
			doc := tinyDoc(t)
			breakDoc(doc)
			// Corrupt pixels are only met when the image is decoded: split.
			pkg, err := Convert(context.Background(), doc, Options{SplitChannels: name == "image pixels"})
			if err != nil {
				t.Fatal(err)
			}
			if err := Check(bytes.NewReader(pkg.Bytes), int64(len(pkg.Bytes))); err != nil {
				t.Fatal(err)
			}
			silent := map[string]bool{"cycle": true, "child": true, "sampler": true, "scene": true, "no scenes": true}
			if len(pkg.Warnings) == 0 && !silent[name] {
				t.Errorf("no warning")
			}
			t.Logf("%q", pkg.Warnings)
		})
	}
}

// TestPrimNames checks the names USD readers accept.
func TestPrimNames(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Chair":         "Chair",
		"Chair.001":     "Chair_001",
		"2nd leg":       "_2nd_leg",
		"Stuhl – Lehne": "Stuhl_Lehne",
		"椅子":            "fallback",
		"":              "fallback",
		"__":            "fallback",
		"a/b\\c":        "a_b_c",
	} {
		if got := primName(in, "fallback"); got != want {
			t.Errorf("primName(%q) = %q, want %q", in, got, want)
		}
	}
	n := names{}
	if a, b, c := n.unique("x"), n.unique("x"), n.unique("x"); a != "x" || b != "x_2" || c != "x_3" {
		t.Errorf("unique gave %s %s %s", a, b, c)
	}
	_ = color.White
}

// TestDeepHierarchy converts a chain of 20,000 nested nodes: the layer
// stays linear in size (indentation is capped) and readable.
func TestDeepHierarchy(t *testing.T) {
	t.Parallel()
	doc := tinyDoc(t)
	const depth = 20000
	first := len(doc.Nodes)
	for i := 0; i < depth; i++ {
		n := gltf.Node{Translation: &[3]float64{0, 0.001, 0}}
		if i < depth-1 {
			n.Children = []int{first + i + 1}
		} else {
			n.Mesh = gltf.Ptr(1)
		}
		doc.Nodes = append(doc.Nodes, n)
	}
	doc.Scenes[0].Nodes = []int{first}
	pkg, err := Convert(context.Background(), doc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkg.Bytes) > 10<<20 || pkg.Stats.Meshes != 1 {
		t.Fatalf("%d bytes, %+v", len(pkg.Bytes), pkg.Stats)
	}
}

// TestChannelsReadFromOneImage: metallic, roughness and occlusion read the
// b, g and r outputs of glTF's packed image kept as it is, and both USD
// readers bind that one file to all three inputs.
func TestChannelsReadFromOneImage(t *testing.T) {
	t.Parallel()
	pkg, err := Convert(context.Background(), tinyDoc(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "tiny.usdz")
	if err := os.WriteFile(f, pkg.Bytes, 0o644); err != nil {
		t.Fatal(err)
	}
	rep := readWithUSDReaders(t, f)[f]
	const orm = "textures/image1.png"
	three := rep.Three.BoundTextures["/Root/Materials/Glow"]
	for _, k := range []string{"roughnessMap", "metalnessMap", "aoMap"} {
		if three[k] != orm {
			t.Errorf("three binds %s = %q, want %s", k, three[k], orm)
		}
	}
	tiny := rep.TinyUSDZ.BoundTextures["/Root/Base/Quad_1"]
	for _, k := range []string{"roughness", "metallic", "occlusion"} {
		if tiny[k] != orm {
			t.Errorf("tinyusdz binds %s = %q, want %s (all: %v)", k, tiny[k], orm, tiny)
		}
	}
}
