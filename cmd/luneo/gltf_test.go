package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luneo/luneo/gltf"
)

// gltfCorpus returns ../shared/corpus/<sub> seen from the repository root,
// skipping the test when the shared corpus is absent.
func gltfCorpus(t *testing.T, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "corpus", sub)
	if _, err := os.Stat(dir); err != nil {
		corpusMissing(t, "the test corpus (../shared/corpus from the repository root) is absent: %v", err)
	}
	return dir
}

// runLuneo runs the command in-process and returns its output.
func runLuneo(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(context.Background(), args, func(string) string { return "" }, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestGLTFValidateValidModels(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(gltfCorpus(t, "models"), "*.glb"))
	out, _, err := runLuneo(t, append([]string{"gltf", "validate"}, files...)...)
	if err != nil {
		t.Fatalf("valid models: %v\n%s", err, out)
	}
	if n := strings.Count(out, ": valid ("); n != len(files) {
		t.Errorf("%d files reported valid, want %d:\n%s", n, len(files), out)
	}
}

func TestGLTFValidateInvalidFiles(t *testing.T) {
	dir := gltfCorpus(t, "invalid-glb")
	f := filepath.Join(dir, "chunk_too_big.glb")
	out, _, err := runLuneo(t, "gltf", "validate", f)
	if err == nil {
		t.Fatal("an invalid file was accepted")
	}
	if want := f + ": error GLB_CHUNK_TOO_BIG byte 12: "; !strings.Contains(out, want) {
		t.Errorf("output lacks %q:\n%s", want, out)
	}
	// Every file of the hostile corpus: exit status as the Khronos verdict.
	files, _ := filepath.Glob(filepath.Join(dir, "*.glb"))
	for _, f := range files {
		raw, err := os.ReadFile(f + ".report.json")
		if err != nil {
			t.Fatal(err)
		}
		var ref struct {
			Issues struct {
				NumErrors int `json:"numErrors"`
			} `json:"issues"`
		}
		if err := json.Unmarshal(raw, &ref); err != nil {
			t.Fatal(err)
		}
		out, _, err := runLuneo(t, "gltf", "validate", f)
		if (err != nil) != (ref.Issues.NumErrors > 0) {
			t.Errorf("%s: error %v, Khronos finds %d error(s)\n%s", filepath.Base(f), err, ref.Issues.NumErrors, out)
		}
		if err != nil && !strings.Contains(out, f+": error ") {
			t.Errorf("%s: no error line:\n%s", filepath.Base(f), out)
		}
	}
}

func TestGLTFValidateJSON(t *testing.T) {
	good := filepath.Join(gltfCorpus(t, "models"), "Duck.glb")
	bad := filepath.Join(gltfCorpus(t, "requires-extension"), "DenseSphere-draco.glb")
	out, _, err := runLuneo(t, "gltf", "validate", "--json", good, bad)
	if err == nil {
		t.Error("a file requiring Draco was accepted")
	}
	var reports []struct {
		Valid  bool `json:"valid"`
		Issues []struct {
			Code     string `json:"code"`
			Severity string `json:"severity"` // gltf.Severity only marshals
		} `json:"issues"`
	}
	if err := json.Unmarshal([]byte(out), &reports); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if len(reports) != 2 || !reports[0].Valid || reports[1].Valid || reports[1].Issues[0].Code != "UNSUPPORTED_EXTENSION" || reports[1].Issues[0].Severity != "error" {
		t.Errorf("reports: %+v", reports)
	}
}

func TestGLTFInspect(t *testing.T) {
	for _, name := range []string{"Duck.glb", "CesiumMilkTruck.glb", "ShapeCollection.glb"} {
		f := filepath.Join(gltfCorpus(t, "models"), name)
		doc, err := gltf.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want := gltf.Stats(doc)
		out, _, err := runLuneo(t, "gltf", "inspect", "--json", f)
		if err != nil {
			t.Fatal(err)
		}
		var got gltf.Statistics
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("inspect --json: %v\n%s", err, out)
		}
		if got.Triangles != want.Triangles || got.UniqueTriangles != want.UniqueTriangles || got.Triangles == 0 {
			t.Errorf("%s: %d triangles (%d stored), want %d (%d)", name, got.Triangles, got.UniqueTriangles, want.Triangles, want.UniqueTriangles)
		}
		table, _, err := runLuneo(t, "gltf", "inspect", f)
		if err != nil || !strings.Contains(table, "triangles") || !strings.Contains(table, name) {
			t.Errorf("%s: table output (%v):\n%s", name, err, table)
		}
	}
	if _, _, err := runLuneo(t, "gltf", "inspect", filepath.Join(gltfCorpus(t, "invalid-glb"), "empty_file.glb")); err == nil {
		t.Error("inspecting an invalid file succeeded")
	}
}

func TestGLTFOptimize(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(gltfCorpus(t, "models"), "CesiumMilkTruck.glb")
	out := filepath.Join(dir, "truck.glb")
	report, _, err := runLuneo(t, "gltf", "optimize", in, out, "--max-texture", "1024")
	if err != nil {
		t.Fatalf("optimize: %v", err)
	}
	if !strings.Contains(report, "2048×2048 -> 1024×1024") || !strings.Contains(report, "bytes") {
		t.Errorf("report:\n%s", report)
	}
	if v, _, err := runLuneo(t, "gltf", "validate", out); err != nil {
		t.Errorf("the optimized file is invalid: %v\n%s", err, v)
	}
	doc, err := gltf.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if names := []string{doc.Materials[0].Name, doc.Materials[3].Name}; names[0] != "truck" || names[1] != "wheels" {
		t.Errorf("material names %v", names)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}

	// JSON report.
	js, _, err := runLuneo(t, "gltf", "optimize", "--json", in, out)
	var rep gltf.OptimizeReport
	if err != nil || json.Unmarshal([]byte(js), &rep) != nil || rep.After.Triangles != rep.Before.Triangles {
		t.Errorf("optimize --json (%v): %s", err, js)
	}

	// Invalid input: refused with its issues, nothing written.
	bad := filepath.Join(dir, "bad.glb")
	_, stderr, err := runLuneo(t, "gltf", "optimize", filepath.Join(gltfCorpus(t, "invalid-glb"), "invalid_magic.glb"), bad)
	if err == nil || !strings.Contains(stderr, "GLB_INVALID_MAGIC") {
		t.Errorf("invalid input: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(bad); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an output was written for invalid input: %v", err)
	}
}

func TestGLTFUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"gltf"}, {"gltf", "convert"}, {"gltf", "validate"}, {"gltf", "inspect", "a.glb", "b.glb"},
		{"gltf", "optimize", "only-one.glb"}, {"gltf", "optimize", "--max-texture", "big", "a.glb", "b.glb"},
	} {
		_, _, err := runLuneo(t, args...)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%q: got %v, want a usage error", args, err)
		}
	}
	if _, _, err := runLuneo(t, "migrate", "extra"); err == nil {
		t.Error("other commands must still refuse arguments")
	}
}

// corpusMissing skips the test when the shared corpus (../shared/corpus
// from the repository root) is absent, or fails it when LUNEO_TEST_CORPUS
// is set, as CI does: there a missing corpus must not quietly turn the
// real-world checks into skips.
func corpusMissing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("LUNEO_TEST_CORPUS") != "" {
		t.Fatalf("LUNEO_TEST_CORPUS is set but "+format, args...)
	}
	t.Skipf(format, args...)
}
