package usdz

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/luneo/luneo/gltf"
)

// readerResult is what one USD reader of tools/usd-check/check.mjs found.
type readerResult struct {
	OK              bool     `json:"ok"`
	Error           string   `json:"error"`
	Meshes          int      `json:"meshes"`
	Materials       int      `json:"materials"`
	Textures        int      `json:"textures"`
	MissingTextures []string `json:"missingTextures"`
	Triangles       int      `json:"triangles"`
	MeshesWithUV    int      `json:"meshesWithUV"`
	MaterialKinds   []string `json:"materialKinds"`
	Bounds          *gltf.Box
	Facing          int `json:"facing"`
	// BoundTextures maps a mesh path (tinyusdz) or material path (three)
	// to the image file of each textured input or map.
	BoundTextures map[string]map[string]string `json:"boundTextures"`
}

type readerReport struct {
	File     string       `json:"file"`
	TinyUSDZ readerResult `json:"tinyusdz"`
	Three    readerResult `json:"three"`
}

// readWithUSDReaders runs tools/usd-check/check.mjs (tinyusdz and the
// three.js USDLoader, installed by `npm ci` there) on files. It skips the
// test when node or the packages are missing: the readers are test
// oracles, not dependencies of the package.
func readWithUSDReaders(t *testing.T, files ...string) map[string]readerReport {
	t.Helper()
	// CI sets LUNEO_TEST_NODE=1: there a missing reader is a failure.
	skip := t.Skipf
	if os.Getenv("LUNEO_TEST_NODE") != "" {
		skip = t.Fatalf
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skip("node is not installed: skipping the check with independent USD readers (tinyusdz, three.js)")
	}
	dir, _ := filepath.Abs(filepath.Join("..", "tools", "usd-check"))
	for _, pkg := range []string{"tinyusdz", "three"} {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", pkg)); err != nil {
			skip("the USD readers are not installed: run `npm ci` in %s", dir)
		}
	}
	cmd := exec.Command(node, append([]string{filepath.Join(dir, "check.mjs")}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("check.mjs: %v\n%s", err, stderr.Bytes())
	}
	var reports []readerReport
	if err := json.Unmarshal(out, &reports); err != nil {
		t.Fatalf("check.mjs output: %v\n%s", err, out)
	}
	m := map[string]readerReport{}
	for _, r := range reports {
		m[r.File] = r
	}
	return m
}

// TestIndependentReaders converts every corpus model and the hand-built
// ones, then has two USD readers that share no code with this package
// open the packages. Both must find the meshes, materials, textures and
// triangles the glTF implies, the same world-space bounds as the glTF
// (node transforms, quantized positions and mirroring all matter there),
// and three.js the same front faces as the glTF has.
func TestIndependentReaders(t *testing.T) {
	t.Parallel()
	docs := map[string]*gltf.Document{"tiny": tinyDoc(t), "mirrored": mirroredDoc(t)}
	for _, f := range corpusModels(t) {
		doc, err := gltf.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[filepath.Base(f)] = doc
	}
	dir := t.TempDir()
	pkgs := map[string]*Package{}
	var files []string
	for name, doc := range docs {
		pkg, err := Convert(context.Background(), doc, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f := filepath.Join(dir, name+".usdz")
		if err := os.WriteFile(f, pkg.Bytes, 0o644); err != nil {
			t.Fatal(err)
		}
		pkgs[f] = pkg
		files = append(files, f)
	}
	reports := readWithUSDReaders(t, files...)
	for name, doc := range docs {
		f := filepath.Join(dir, name+".usdz")
		t.Run(name, func(t *testing.T) {
			rep, pkg, want := reports[f], pkgs[f], expect(doc)
			bounds := gltf.Stats(doc).Bounds
			facing := gltfFacing(doc)
			for _, r := range []struct {
				reader string
				res    readerResult
			}{{"tinyusdz", rep.TinyUSDZ}, {"three.js", rep.Three}} {
				res := r.res
				t.Logf("%s: ok=%v meshes=%d materials=%d textures=%d triangles=%d uv=%d kinds=%q",
					r.reader, res.OK, res.Meshes, res.Materials, res.Textures, res.Triangles, res.MeshesWithUV, res.MaterialKinds)
				if !res.OK {
					t.Errorf("%s cannot read the package: %s", r.reader, res.Error)
					continue
				}
				if res.Meshes != want.meshes || res.Materials != want.materials {
					t.Errorf("%s finds %d meshes and %d materials, the glTF has %d and %d", r.reader, res.Meshes, res.Materials, want.meshes, want.materials)
				}
				if res.Textures != pkg.Stats.Textures || len(res.MissingTextures) > 0 {
					t.Errorf("%s uses %d textures (missing %q), the package holds %d", r.reader, res.Textures, res.MissingTextures, pkg.Stats.Textures)
				}
				if res.Triangles != want.triangles {
					t.Errorf("%s finds %d triangles, want %d", r.reader, res.Triangles, want.triangles)
				}
				if !sameBox(res.Bounds, bounds) {
					t.Errorf("%s: world bounds %+v, the glTF's %+v", r.reader, res.Bounds, bounds)
				}
			}
			t.Logf("front faces agreeing with normals: three.js %d, glTF %d", rep.Three.Facing, facing)
			if rep.Three.OK && rep.Three.Facing != facing {
				t.Errorf("three.js: %d triangles face the way their normals do, %d in the glTF", rep.Three.Facing, facing)
			}
		})
	}
}

// sameBox compares two bounding boxes up to float32 precision.
func sameBox(a, b *gltf.Box) bool {
	if a == nil || b == nil {
		return a == b
	}
	for k := 0; k < 3; k++ {
		tol := 1e-5 * max(1, b.Max[k]-b.Min[k], math.Abs(b.Max[k]), math.Abs(b.Min[k]))
		if math.Abs(a.Min[k]-b.Min[k]) > tol || math.Abs(a.Max[k]-b.Max[k]) > tol {
			return false
		}
	}
	return true
}

// gltfFacing counts, as a glTF renderer sees the default scene, the
// triangles whose front face (counter-clockwise, or clockwise under a
// mirroring transform) points the same way as the sum of their vertex
// normals; triangles of double-sided materials count twice (both faces),
// and primitives without normals count their non-degenerate triangles
// (glTF then asks for flat normals, which always agree).
func gltfFacing(doc *gltf.Document) int {
	total := 0
	var walk func(int, gltf.Mat4)
	walk = func(i int, parent gltf.Mat4) {
		n := &doc.Nodes[i]
		w := parent.Mul(n.LocalMatrix())
		if n.Mesh != nil {
			for _, pr := range doc.Meshes[*n.Mesh].Primitives {
				c := primitiveFacing(doc, &pr, w)
				if pr.Material != nil && doc.Materials[*pr.Material].DoubleSided {
					c *= 2
				}
				total += c
			}
		}
		for _, ch := range n.Children {
			walk(ch, w)
		}
	}
	for _, r := range doc.Scenes[*doc.Scene].Nodes {
		walk(r, gltf.Identity)
	}
	return total
}

func primitiveFacing(doc *gltf.Document, pr *gltf.Primitive, w gltf.Mat4) int {
	pos, _, err := gltf.ReadAccessorFloat32(doc, pr.Attributes["POSITION"])
	if err != nil {
		return 0
	}
	var nrm []float32
	if a, ok := pr.Attributes["NORMAL"]; ok {
		nrm, _, _ = gltf.ReadAccessorFloat32(doc, a)
	}
	var idx []uint32
	if pr.Indices != nil {
		idx, _ = gltf.ReadIndices(doc, *pr.Indices)
	} else {
		for i := 0; i < len(pos)/3; i++ {
			idx = append(idx, uint32(i))
		}
	}
	var tris [][3]uint32
	switch pr.ModeOrDefault() {
	case gltf.ModeTriangles:
		for i := 0; i+2 < len(idx); i += 3 {
			tris = append(tris, [3]uint32{idx[i], idx[i+1], idx[i+2]})
		}
	case gltf.ModeTriangleStrip:
		for i := 0; i+2 < len(idx); i++ {
			if i%2 == 0 {
				tris = append(tris, [3]uint32{idx[i], idx[i+1], idx[i+2]})
			} else {
				tris = append(tris, [3]uint32{idx[i], idx[i+2], idx[i+1]})
			}
		}
	case gltf.ModeTriangleFan:
		for i := 1; i+1 < len(idx); i++ {
			tris = append(tris, [3]uint32{idx[i], idx[i+1], idx[0]})
		}
	}
	col := func(j int) [3]float64 { return [3]float64{w[4*j], w[4*j+1], w[4*j+2]} }
	// Normals transform by the cofactor matrix (det × inverse transpose),
	// which also flips them under a mirror, as the front face flips.
	cof := [3][3]float64{cross(col(1), col(2)), cross(col(2), col(0)), cross(col(0), col(1))}
	pt := func(i uint32) [3]float64 {
		return w.Apply([3]float64{float64(pos[3*i]), float64(pos[3*i+1]), float64(pos[3*i+2])})
	}
	agree := 0
	for _, t := range tris {
		a, b, c := pt(t[0]), pt(t[1]), pt(t[2])
		face := cross(sub(b, a), sub(c, a))
		if nrm == nil {
			if face != [3]float64{} {
				agree++
			}
			continue
		}
		var s [3]float64
		for _, i := range t {
			for k := 0; k < 3; k++ {
				s[k] += float64(nrm[3*i+uint32(k)])
			}
		}
		var ws [3]float64
		for k := 0; k < 3; k++ {
			ws[k] = cof[0][k]*s[0] + cof[1][k]*s[1] + cof[2][k]*s[2]
		}
		if face[0]*ws[0]+face[1]*ws[1]+face[2]*ws[2] > 0 {
			agree++
		}
	}
	return agree
}

func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

func sub(a, b [3]float64) [3]float64 { return [3]float64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
