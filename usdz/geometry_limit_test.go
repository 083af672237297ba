package usdz

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// A package's geometry is bounded: counted from the accessors before
// anything is built, every instance and the back faces of double-sided
// materials included, refused with a message that says what to do.
func TestConvertRefusesGeometryPastTheLimits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	grid := gridDoc(t, 10, 10) // 121 vertices, 200 triangles
	for _, c := range []struct {
		name        string
		maxV, maxT  int
		wantRefused bool
	}{
		{"at the vertex limit", 121, 0, false},
		{"one vertex over", 120, 0, true},
		{"one triangle over", 0, 199, true},
		{"no limits", -1, -1, false},
	} {
		_, err := Convert(ctx, grid, Options{MaxVertices: c.maxV, MaxTriangles: c.maxT})
		if got := errors.Is(err, ErrGeometryTooLarge); got != c.wantRefused {
			t.Errorf("%s: %v", c.name, err)
		}
		if c.wantRefused && (err == nil || !strings.Contains(err.Error(), "121 vertices and 200 triangles") || !strings.Contains(err.Error(), "simplify")) {
			t.Errorf("%s: message %q", c.name, err)
		}
	}

	// tinyDoc draws a double-sided quad (4 vertices, 2 triangles, doubled),
	// a strip quad (4, 2) and one triangle mesh through two nodes (3, 1
	// each): 18 vertices and 8 triangles in the package.
	tiny := tinyDoc(t)
	if _, err := Convert(ctx, tiny, Options{MaxVertices: 18, MaxTriangles: 8}); err != nil {
		t.Fatalf("at the limits: %v", err)
	}
	_, err := Convert(ctx, tiny, Options{MaxVertices: 17})
	if !errors.Is(err, ErrGeometryTooLarge) || !strings.Contains(err.Error(), "18 vertices and 8 triangles") {
		t.Errorf("instances and back faces counted: %v", err)
	}
	_, err = Convert(ctx, tiny, Options{MaxTriangles: 7})
	if !errors.Is(err, ErrGeometryTooLarge) {
		t.Errorf("one triangle over: %v", err)
	}

	if o := (Options{}).withDefaults(); o.MaxVertices != DefaultMaxVertices || o.MaxTriangles != DefaultMaxTriangles {
		t.Errorf("defaults: %d vertices, %d triangles", o.MaxVertices, o.MaxTriangles)
	}
}
