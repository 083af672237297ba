package gltf_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/demo"
)

// TestSurfaceAt finds texture points on the demo mug, whose layout is known:
// the meridian u = 0.75 of the body faces +Z, and the print area's centre
// (u = 0.5) a quarter turn from it, on the wall.
func TestSurfaceAt(t *testing.T) {
	t.Parallel()
	glb, err := demo.Mug(demo.MugOptions{TextureSize: 256})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := gltf.Read(bytes.NewReader(glb), int64(len(glb)), gltf.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	body := -1
	for i, m := range doc.Materials {
		if m.Name == demo.MaterialBody {
			body = i
		}
	}
	z := demo.MugZone()
	v := (z.Rect.V0 + z.Rect.V1) / 2
	front, ok := gltf.SurfaceAt(doc, body, 0, 0.75, v)
	if !ok || math.Abs(front.Normal[2]-1) > 0.05 || math.Abs(front.Point[0]) > 1e-3 || front.Point[2] <= 0 {
		t.Fatalf("u = 0.75: %+v %v, want the wall's point facing +Z", front, ok)
	}
	centre, ok := gltf.SurfaceAt(doc, body, 0, 0.5, v)
	r := math.Hypot(centre.Point[0], centre.Point[2])
	if !ok || math.Abs(centre.Normal[1]) > 0.1 || math.Abs(centre.Normal[2]) > 0.05 || math.Abs(r-math.Hypot(front.Point[0], front.Point[2])) > 1e-3 {
		t.Fatalf("u = 0.5: %+v %v, want the wall a quarter turn from the front", centre, ok)
	}
	if _, ok := gltf.SurfaceAt(doc, body, 1, 0.5, v); ok {
		t.Error("found a point in a texture coordinate set the mug does not have")
	}
	if _, ok := gltf.SurfaceAt(doc, body+100, 0, 0.5, v); ok {
		t.Error("found a point of a material that does not exist")
	}
}
