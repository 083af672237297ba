package webtest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// CorpusModel reads a model of the shared test corpus (../shared/corpus
// beside the repository; docs/test-corpus.md lists it), or skips the test
// when the corpus is absent — fails it instead when LUNEO_TEST_CORPUS is
// set, as CI does: there a missing corpus must not quietly turn the
// real-world checks into skips.
func CorpusModel(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir(), "models", name))
	if err != nil {
		if os.Getenv("LUNEO_TEST_CORPUS") != "" {
			t.Fatalf("LUNEO_TEST_CORPUS is set but the test corpus is absent: %v", err)
		}
		t.Skipf("test corpus absent (%v): the shared corpus is not checked out beside the repository", err)
	}
	return b
}

// corpusDir is ../shared/corpus from the repository root, found from this
// file's own path so it holds whichever package's test calls it.
func corpusDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "shared", "corpus")
}
