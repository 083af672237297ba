package usdz

import (
	"archive/zip"
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/luneo/luneo/gltf"
)

var update = flag.Bool("update", false, "rewrite the golden .usda files in testdata/")

// rootLayerText returns the model.usda of a package.
func rootLayerText(t *testing.T, pkg *Package) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg.Bytes), int64(len(pkg.Bytes)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGoldenLayers compares the root layer of small conversions with the
// reviewed text in testdata/ (go test -run Golden -update rewrites it).
func TestGoldenLayers(t *testing.T) {
	t.Parallel()
	cases := map[string]func(t *testing.T) *gltf.Document{
		"tiny": func(t *testing.T) *gltf.Document { return tinyDoc(t) },
		"BoxTextured": func(t *testing.T) *gltf.Document {
			for _, f := range corpusModels(t) {
				if filepath.Base(f) == "BoxTextured.glb" {
					doc, err := gltf.ReadFile(f)
					if err != nil {
						t.Fatal(err)
					}
					return doc
				}
			}
			corpusMissing(t, "BoxTextured.glb is not in the corpus")
			return nil
		},
	}
	for name, load := range cases {
		t.Run(name, func(t *testing.T) {
			pkg, err := Convert(context.Background(), load(t), Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := rootLayerText(t, pkg)
			golden := filepath.Join("testdata", name+".usda")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run Golden -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the conversion (run go test -run Golden -update after reviewing):\n%s", golden, firstDiff(string(want), string(got)))
			}
		})
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got string) string {
	wl, gl := bytes.Split([]byte(want), []byte("\n")), bytes.Split([]byte(got), []byte("\n"))
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return "line " + itoa(i+1) + ":\n want: " + string(w) + "\n  got: " + string(g)
		}
	}
	return "(same lines, different line endings)"
}
