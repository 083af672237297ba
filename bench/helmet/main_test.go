package main

import (
	"path/filepath"
	"testing"

	"github.com/luneo/luneo/gltf"
)

// The stand-in is what bench/usdz.sh relies on: a valid GLB (the reader
// validates it) of about 46,000 triangles whose one material uses five
// distinct 2048² JPEG textures in the five PBR slots.
func TestHelmetStandIn(t *testing.T) {
	out := filepath.Join(t.TempDir(), "helmet.glb")
	if err := write(out); err != nil {
		t.Fatal(err)
	}
	doc, err := gltf.ReadFile(out)
	if err != nil {
		t.Fatalf("the stand-in does not read as a valid GLB: %v", err)
	}
	st := gltf.Stats(doc)
	if st.Triangles < 45000 || st.Triangles > 48000 {
		t.Errorf("%d triangles, want about 46,000", st.Triangles)
	}
	if len(doc.Materials) != 1 || len(doc.Images) != 5 {
		t.Fatalf("%d materials, %d images; want 1 and 5", len(doc.Materials), len(doc.Images))
	}
	seen := map[string]bool{}
	for i := range doc.Images {
		b, err := doc.ImageData(i)
		if err != nil {
			t.Fatal(err)
		}
		info, err := gltf.ReadImageInfo(b)
		if err != nil || gltf.ImageMIME(b) != "image/jpeg" || info.Width != 2048 || info.Height != 2048 {
			t.Errorf("image %d: %s %+v %v, want a 2048² JPEG", i, gltf.ImageMIME(b), info, err)
		}
		seen[string(b[len(b)-64:])] = true
	}
	if len(seen) != 5 {
		t.Errorf("%d distinct images, want 5 (each texture its own file)", len(seen))
	}
	m := doc.Materials[0]
	if m.PBRMetallicRoughness.BaseColorTexture == nil || m.PBRMetallicRoughness.MetallicRoughnessTexture == nil ||
		m.NormalTexture == nil || m.OcclusionTexture == nil || m.EmissiveTexture == nil {
		t.Errorf("material %+v: want all five texture slots used", m)
	}
}
