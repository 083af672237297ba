package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUSDZCommand converts every corpus model with `luneo usdz`, checks the
// packages with `luneo usdz --check`, and refuses bad input without writing.
func TestUSDZCommand(t *testing.T) {
	models, _ := filepath.Glob(filepath.Join(gltfCorpus(t, "models"), "*.glb"))
	if len(models) == 0 {
		corpusMissing(t, "no corpus models")
	}
	dir := t.TempDir()
	for _, m := range models {
		out := filepath.Join(dir, strings.TrimSuffix(filepath.Base(m), ".glb")+".usdz")
		stdout, stderr, err := runLuneo(t, "usdz", "--max-texture", "1024", m, out)
		if err != nil || !strings.Contains(stdout, "triangles") {
			t.Fatalf("usdz %s: %v\n%s%s", m, err, stdout, stderr)
		}
		if stdout, _, err := runLuneo(t, "usdz", "--check", out); err != nil || !strings.Contains(stdout, "valid USDZ") {
			t.Fatalf("check %s: %v %s", out, err, stdout)
		}
	}
	// A GLB is not a USDZ package; an invalid model writes nothing.
	if _, _, err := runLuneo(t, "usdz", "--check", models[0]); err == nil {
		t.Fatal("--check accepted a GLB")
	}
	bad := filepath.Join(gltfCorpus(t, "invalid-glb"), "bom.glb")
	out := filepath.Join(dir, "bad.usdz")
	if _, stderr, err := runLuneo(t, "usdz", bad, out); err == nil || !strings.Contains(stderr, "INVALID_JSON") {
		t.Fatalf("invalid input: %v %s", err, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("an invalid model left an output file")
	}
	if _, _, err := runLuneo(t, "usdz", models[0]); err == nil {
		t.Fatal("missing OUT accepted")
	}
}

// TestUSDZCommandMemoryBudget converts within --memory: an image whose
// bitmap is larger than the budget fails the conversion, writing nothing.
func TestUSDZCommandMemoryBudget(t *testing.T) {
	box := filepath.Join(gltfCorpus(t, "models"), "BoxTextured.glb")
	if _, err := os.Stat(box); err != nil {
		t.Skipf("corpus: %v", err)
	}
	out := filepath.Join(t.TempDir(), "box.usdz")
	_, _, err := runLuneo(t, "usdz", "--max-texture", "16", "--memory", "1000", box, out)
	if err == nil || !strings.Contains(err.Error(), "more than the 1000 bytes memory budget") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a refused conversion left an output file")
	}
	stdout, _, err := runLuneo(t, "usdz", "--max-texture", "16", box, out)
	if err != nil || !strings.Contains(stdout, "of images at most at once") {
		t.Fatalf("default budget: %v %s", err, stdout)
	}
}
