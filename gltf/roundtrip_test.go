package gltf

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// writeTemp writes doc as a GLB in the test's temp dir and returns its path.
func writeTemp(t *testing.T, doc *Document, dir, name string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteGLB(&buf, doc); err != nil {
		t.Fatalf("WriteGLB: %v", err)
	}
	checkGLBLayout(t, buf.Bytes())
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkGLBLayout checks the container rules of a GLB we wrote, byte by byte.
func checkGLBLayout(t *testing.T, b []byte) {
	t.Helper()
	var rep Report
	chunks := parseGLB(b, &rep)
	if len(rep.Issues) > 0 {
		t.Fatalf("written GLB container has issues: %v", rep.Issues)
	}
	if len(b)%4 != 0 {
		t.Errorf("GLB length %d is not a multiple of 4", len(b))
	}
	if js := chunks.json; len(js) > 0 {
		trimmed := bytes.TrimRight(js, " ")
		if len(js)-len(trimmed) > 3 || bytes.ContainsRune(js, 0) {
			t.Errorf("JSON chunk padding is not 0-3 spaces")
		}
	}
}

// sameDocument compares what a round trip must keep: structure, names and
// every accessor's data and image's bytes.
func sameDocument(t *testing.T, a, b *Document) {
	t.Helper()
	if len(a.Nodes) != len(b.Nodes) || len(a.Meshes) != len(b.Meshes) || len(a.Materials) != len(b.Materials) ||
		len(a.Accessors) != len(b.Accessors) || len(a.Images) != len(b.Images) || len(a.Textures) != len(b.Textures) ||
		len(a.Animations) != len(b.Animations) || len(a.Scenes) != len(b.Scenes) {
		t.Fatalf("object counts differ after round trip")
	}
	for i := range a.Nodes {
		if a.Nodes[i].Name != b.Nodes[i].Name || !reflect.DeepEqual(a.Nodes[i].LocalMatrix(), b.Nodes[i].LocalMatrix()) {
			t.Errorf("node %d differs", i)
		}
	}
	for i := range a.Meshes {
		if a.Meshes[i].Name != b.Meshes[i].Name || !reflect.DeepEqual(a.Meshes[i].Primitives[0].Attributes, b.Meshes[i].Primitives[0].Attributes) {
			t.Errorf("mesh %d differs", i)
		}
	}
	for i := range a.Materials {
		if !reflect.DeepEqual(a.Materials[i], b.Materials[i]) {
			t.Errorf("material %d differs", i)
		}
	}
	for i := range a.Accessors {
		va, ca, err1 := ReadAccessorFloat32(a, i)
		vb, cb, err2 := ReadAccessorFloat32(b, i)
		if err1 != nil || err2 != nil || ca != cb || !reflect.DeepEqual(va, vb) {
			t.Errorf("accessor %d data differs (%v, %v)", i, err1, err2)
		}
	}
	for i := range a.Images {
		da, err1 := a.ImageData(i)
		db, err2 := b.ImageData(i)
		if err1 != nil || err2 != nil || !bytes.Equal(da, db) {
			t.Errorf("image %d bytes differ (%v, %v)", i, err1, err2)
		}
	}
	sa, sb := Stats(a), Stats(b)
	if !reflect.DeepEqual(sa, sb) {
		t.Errorf("statistics differ:\n%+v\n%+v", sa, sb)
	}
}

func TestRoundTripCorpusModels(t *testing.T) {
	t.Parallel()
	var written []string
	dir := t.TempDir() // the parent's: subtests' temp dirs vanish before the Khronos run
	for _, f := range corpusFiles(t, "models", "*.glb") {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			orig, err := ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out := writeTemp(t, orig, dir, name)
			again, err := ReadFile(out)
			if err != nil {
				t.Fatalf("reading what we wrote: %v", err)
			}
			sameDocument(t, orig, again)
			written = append(written, out)
		})
	}
	ref := khronosValidate(t, written...)
	for _, f := range written {
		r := ref[f]
		if r.NumErrors != 0 {
			t.Errorf("%s: the Khronos validator finds %d error(s) in the GLB we wrote: %+v", filepath.Base(f), r.NumErrors, r.Messages)
		}
		t.Logf("%s: Khronos errors=%d warnings=%d", filepath.Base(f), r.NumErrors, r.NumWarnings)
	}
}
