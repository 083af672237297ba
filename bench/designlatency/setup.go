package main

import (
	"context"
	"fmt"

	"github.com/luneo/luneo/bench/internal/benchapi"
)

// fixture is one brand ready to save designs (benchapi.Brand) and the
// design whose versions the benchmark saves.
type fixture struct {
	*benchapi.Brand
	designID string
	// starts counts the render jobs this brand has started, so a client
	// moves to a fresh brand before the per-brand start limit (100 a
	// minute) would snooze a job and measure the limiter instead of the
	// pipeline.
	starts int
}

// newFixture sets up a brand and saves its design's first version; the
// caller waits for its renders before measuring.
func newFixture(ctx context.Context, base, tag string, in benchapi.Inputs) (*fixture, error) {
	b, err := benchapi.NewBrand(ctx, base, tag, in)
	if err != nil {
		return nil, err
	}
	out, err := b.C.Call(ctx, "POST", "/api/designs", map[string]any{"product_id": b.Product, "name": "Bench",
		"document": b.Document("first " + tag)}, 201)
	if err != nil {
		return nil, fmt.Errorf("create design: %w", err)
	}
	return &fixture{Brand: b, designID: benchapi.Str(out, "design", "id"), starts: 1}, nil
}
