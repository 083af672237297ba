package gltf

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkReadValidate reads and fully validates each corpus model from
// memory (container, JSON structure, references, data checks).
func BenchmarkReadValidate(b *testing.B) {
	for _, f := range corpusFiles(b, "models", "*.glb") {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(f), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Read(bytes.NewReader(data), int64(len(data)), ReadOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWriteGLB packs and writes each corpus model.
func BenchmarkWriteGLB(b *testing.B) {
	for _, f := range corpusFiles(b, "models", "*.glb") {
		doc, err := ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteGLB(io.Discard, doc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkStats computes the statistics (with exact scene bounds) of each model.
func BenchmarkStats(b *testing.B) {
	for _, f := range corpusFiles(b, "models", "*.glb") {
		doc, err := ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Stats(doc)
			}
		})
	}
}
