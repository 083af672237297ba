package raster

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/luneo/luneo/gltf"
)

// corpusDir returns ../shared/corpus/<sub> relative to the repository root
// (the folder holding go.mod), skipping the test when it is absent, or
// failing it when LUNEO_TEST_CORPUS is set (as in CI).
func corpusDir(t testing.TB, sub string) string {
	t.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus", sub)
	if _, err := os.Stat(c); err != nil {
		if os.Getenv("LUNEO_TEST_CORPUS") != "" {
			t.Fatalf("LUNEO_TEST_CORPUS is set but the corpus is absent: %v", err)
		}
		t.Skipf("the test corpus (../shared/corpus from the repository root) is absent: %v", err)
	}
	return c
}

// corpusModels lists the corpus models by name (file name without .glb).
func corpusModels(t testing.TB) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(corpusDir(t, "models"), "*.glb"))
	if len(files) == 0 {
		t.Fatal("no corpus models")
	}
	sort.Strings(files)
	out := map[string]string{}
	for _, f := range files {
		out[strings.TrimSuffix(filepath.Base(f), ".glb")] = f
	}
	return out
}

// modelCache loads each corpus model once per test binary: several tests
// render the same models.
type modelCache struct {
	mu     sync.Mutex
	models map[string]*Model
}

var loaded = &modelCache{models: map[string]*Model{}}

func loadModel(t testing.TB, path string) *Model {
	t.Helper()
	loaded.mu.Lock()
	defer loaded.mu.Unlock()
	if m := loaded.models[path]; m != nil {
		return m
	}
	doc, err := gltf.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	m, err := Load(doc, LoadOptions{})
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	loaded.models[path] = m
	return m
}
