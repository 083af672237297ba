package raster

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/luneo/luneo/gltf"
)

// BenchmarkRender draws every corpus model at 1024² (Load excluded; see
// BenchmarkLoad). Goal on a 2-core machine: ≤ 150 ms per image.
func BenchmarkRender(b *testing.B) {
	models := corpusModels(b)
	names := make([]string, 0, len(models))
	for n := range models {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		m := loadModel(b, models[name])
		b.Run(name, func(b *testing.B) {
			start := cpuTime()
			for b.Loop() {
				if _, err := m.Render(context.Background(), Options{Size: 1024}); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start)
		})
	}
}

// BenchmarkLoad prepares every corpus model from a parsed document:
// geometry to world space, texture decoding and mipmaps.
func BenchmarkLoad(b *testing.B) {
	models := corpusModels(b)
	names := make([]string, 0, len(models))
	for n := range models {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		doc, err := gltf.ReadFile(models[name])
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			start := cpuTime()
			for b.Loop() {
				if _, err := Load(doc, LoadOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, start)
		})
	}
}

// reportCPU adds the CPU milliseconds per operation to the benchmark line.
func reportCPU(b *testing.B, start time.Duration) {
	if b.N > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e6, "cpu-ms/op")
	}
}
