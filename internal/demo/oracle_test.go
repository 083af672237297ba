package demo

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The Khronos glTF-Validator and the independent USD readers (tinyusdz and
// three.js) are test oracles installed by `npm ci` in tools/: these helpers
// follow gltf/khronos_test.go and usdz/reader_test.go, which cannot be
// imported from here.

// khronosReport is the part of tools/gltf-validator/validate.mjs's output
// the tests read.
type khronosReport struct {
	File               string `json:"file"`
	NumErrors          int    `json:"numErrors"`
	NumWarnings        int    `json:"numWarnings"`
	NumInfos           int    `json:"numInfos"`
	TotalTriangleCount int    `json:"totalTriangleCount"`
	Messages           []struct {
		Code     string `json:"code"`
		Severity int    `json:"severity"`
		Pointer  string `json:"pointer"`
		Message  string `json:"message"`
	} `json:"messages"`
}

// usdReport is what tools/usd-check/check.mjs found in one package.
type usdReport struct {
	TinyUSDZ usdReader `json:"tinyusdz"`
	Three    usdReader `json:"three"`
}

// usdReader is one USD reader's view of a package.
type usdReader struct {
	OK              bool     `json:"ok"`
	Error           string   `json:"error"`
	Meshes          int      `json:"meshes"`
	Materials       int      `json:"materials"`
	Textures        int      `json:"textures"`
	MissingTextures []string `json:"missingTextures"`
	Triangles       int      `json:"triangles"`
	MeshesWithUV    int      `json:"meshesWithUV"`
}

// runOracle runs node on tools/<tool>/<script> with the file and decodes
// its JSON array into out. It skips the test when node or the tool's
// packages are missing, except under CI (LUNEO_TEST_NODE=1).
func runOracle(t *testing.T, tool, script string, packages []string, file string, out any) {
	t.Helper()
	skip := t.Skipf
	if os.Getenv("LUNEO_TEST_NODE") != "" {
		skip = t.Fatalf
	}
	node, err := exec.LookPath("node")
	if err != nil {
		skip("node is not installed: skipping the check with %s", tool)
	}
	dir, _ := filepath.Abs(filepath.Join("..", "..", "tools", tool))
	for _, p := range packages {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", p)); err != nil {
			skip("%s is not installed: run `npm ci` in %s", p, dir)
		}
	}
	cmd := exec.Command(node, filepath.Join(dir, script), file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, stderr.Bytes())
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("%s output: %v\n%s", script, err, b)
	}
}

// khronosValidate validates one GLB with the Khronos glTF-Validator.
func khronosValidate(t *testing.T, glb []byte) khronosReport {
	t.Helper()
	f := filepath.Join(t.TempDir(), "model.glb")
	if err := os.WriteFile(f, glb, 0o600); err != nil {
		t.Fatal(err)
	}
	var reps []khronosReport
	runOracle(t, "gltf-validator", "validate.mjs", []string{"gltf-validator"}, f, &reps)
	if len(reps) != 1 {
		t.Fatalf("validate.mjs reported on %d files, want 1", len(reps))
	}
	return reps[0]
}

// readUSDZ opens one USDZ package with tinyusdz and three.js.
func readUSDZ(t *testing.T, pkg []byte) usdReport {
	t.Helper()
	f := filepath.Join(t.TempDir(), "model.usdz")
	if err := os.WriteFile(f, pkg, 0o600); err != nil {
		t.Fatal(err)
	}
	var reps []usdReport
	runOracle(t, "usd-check", "check.mjs", []string{"tinyusdz", "three"}, f, &reps)
	if len(reps) != 1 {
		t.Fatalf("check.mjs reported on %d files, want 1", len(reps))
	}
	return reps[0]
}
