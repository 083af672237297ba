package gltf

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestStatsGolden compares Stats of each corpus model with
// testdata/stats/<model>.json; run with -update after an intended change.
func TestStatsGolden(t *testing.T) {
	t.Parallel()
	for _, f := range corpusFiles(t, "models", "*.glb") {
		name := strings.TrimSuffix(filepath.Base(f), ".glb")
		t.Run(name, func(t *testing.T) {
			doc, err := ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			st := Stats(doc)
			// Round the box: fused multiply-add on some CPUs changes the last bits.
			for k := 0; k < 3; k++ {
				if st.Bounds != nil {
					st.Bounds.Min[k], st.Bounds.Max[k] = round9(st.Bounds.Min[k]), round9(st.Bounds.Max[k])
				}
				st.Dimensions[k] = round9(st.Dimensions[k])
			}
			got, err := json.MarshalIndent(st, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "stats", name+".json")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Stats differ from %s:\n%s", golden, got)
			}
		})
	}
}

func TestStatsInstancingAndModes(t *testing.T) {
	t.Parallel()
	doc := readCorpus(t, "ShapeCollection.glb")
	st := Stats(doc)
	// The torus mesh is used by two nodes: drawn twice, stored once.
	if st.Triangles != st.UniqueTriangles+3456/3 || st.DrawCalls != 7 || st.Primitives != 6 {
		t.Errorf("instancing: triangles %d (unique %d), draw calls %d, primitives %d", st.Triangles, st.UniqueTriangles, st.DrawCalls, st.Primitives)
	}
	for mode, want := range map[int][3]int{ModeTriangleStrip: {34, 0, 0}, ModeTriangleFan: {34, 0, 0}, ModeLines: {0, 18, 0}, ModeLineLoop: {0, 36, 0}, ModeLineStrip: {0, 35, 0}, ModePoints: {0, 0, 36}} {
		pr := Primitive{Attributes: map[string]int{"POSITION": 0}, Mode: Ptr(mode)}
		d := &Document{Accessors: []Accessor{{Count: 36, Type: TypeVec3, ComponentType: ComponentFloat}}}
		tri, lines, points, _ := primitiveCounts(d, &pr)
		if [3]int{tri, lines, points} != want {
			t.Errorf("mode %d: got %d/%d/%d, want %v", mode, tri, lines, points, want)
		}
	}
}

func round9(x float64) float64 { return math.Round(x*1e9) / 1e9 }
