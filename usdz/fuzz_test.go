package usdz

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/luneo/luneo/gltf"
)

// Fuzzing keeps each input cheap: small files, small textures.
var (
	fuzzRead    = gltf.ReadOptions{MaxSize: 4 << 20, MaxJSONSize: 1 << 20}
	fuzzConvert = Options{MaxTextureSize: 64, MaxImagePixels: 1 << 20}
)

// FuzzConvert converts whatever GLB the reader accepts, and what it reads
// without validation when it refuses (the converter must survive broken
// references too): no panic, and every package passes Check.
//
// Run it with a bound on minimization, which otherwise spends up to a
// minute on each new input of these 100 KB models:
//
//	go test ./usdz -run '^$' -fuzz FuzzConvert -fuzztime 3m -fuzzminimizetime 5s
func FuzzConvert(f *testing.F) {
	// Seeds: the corpus models small enough for the fuzzer to mutate
	// quickly, and the hand-built models.
	for _, file := range corpusModels(f) {
		if st, err := os.Stat(file); err == nil && st.Size() <= 128<<10 {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
	for _, doc := range []*gltf.Document{tinyDoc(f), mirroredDoc(f)} {
		var buf bytes.Buffer
		if err := gltf.WriteGLB(&buf, doc); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := gltf.ReadGLB(bytes.NewReader(b), int64(len(b)), fuzzRead)
		if err != nil {
			lax := fuzzRead
			lax.SkipValidation, lax.AllowUnsupportedExtensions = true, true
			if doc, err = gltf.ReadGLB(bytes.NewReader(b), int64(len(b)), lax); err != nil {
				return
			}
		}
		for _, a := range doc.Accessors {
			if a.BufferView == nil && a.Count > 1<<16 {
				return // legal (all zeros), but megabytes of text per run
			}
		}
		pkg, err := Convert(context.Background(), doc, fuzzConvert)
		if err != nil {
			t.Fatalf("Convert: %v", err)
		}
		if err := Check(bytes.NewReader(pkg.Bytes), int64(len(pkg.Bytes))); err != nil {
			t.Fatalf("the package breaks the layout rules: %v", err)
		}
	})
}
