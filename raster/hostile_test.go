package raster

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/luneo/luneo/gltf"
)

// hugePNG is a PNG header claiming w×h pixels, with no pixel data.
func hugePNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestHugeImageRefusedFromHeader(t *testing.T) {
	b := newDoc()
	tex := b.imageBytes(hugePNG(100000, 100000))
	m := gltf.Material{PBRMetallicRoughness: &gltf.PBRMetallicRoughness{BaseColorTexture: &gltf.TextureInfo{Index: tex}}}
	b.quad(-1, -1, 1, 1, 0, b.material(m, false), false)
	_, err := Load(b.build(), LoadOptions{})
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "100000×100000") {
		t.Fatalf("err = %v, want a limit error naming the size", err)
	}
}

func TestTriangleLimit(t *testing.T) {
	b := newDoc()
	b.quad(-1, -1, 1, 1, 0, b.material(unlitColor(1, 0, 0, 1), true), false)
	if _, err := Load(b.build(), LoadOptions{MaxTriangles: 1}); !errors.Is(err, ErrLimit) {
		t.Fatalf("err = %v, want ErrLimit", err)
	}
}

// TestDegenerateAndNaN: zero-area triangles draw nothing, a NaN vertex
// drops its triangles only, and neither moves the camera.
func TestDegenerateAndNaN(t *testing.T) {
	b := newDoc()
	mat := b.material(unlitColor(1, 0, 0, 1), true)
	pos := b.floats(gltf.TypeVec3, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2) // repeated and collinear points
	b.mesh(map[string]int{"POSITION": pos}, nil, &mat, gltf.Ptr(gltf.ModeTriangleStrip))
	img := draw(t, b.build(), Options{Size: 32})
	for i := 3; i < len(img.Pix); i += 4 {
		if img.Pix[i] != 0 {
			t.Fatal("a degenerate triangle was drawn")
		}
	}
	nan := float32(math.NaN())
	b = newDoc()
	mat = b.material(unlitColor(1, 0, 0, 1), true)
	b.quad(-1, -1, 1, 1, 0, mat, false)
	bad := b.floats(gltf.TypeVec3, nan, 0, 0, 0.5, 0.5, 0, 0, 0, nan)
	b.mesh(map[string]int{"POSITION": bad}, nil, &mat, nil)
	m, err := Load(b.build(), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Triangles() != 2 {
		t.Errorf("%d triangles kept, want the quad's 2", m.Triangles())
	}
	img, err = m.Render(t.Context(), Options{Size: 32, View: ViewFront})
	if err != nil {
		t.Fatal(err)
	}
	if c := img.NRGBAAt(16, 16); c != red {
		t.Errorf("centre %v, want the quad's red (NaN must not move the camera)", c)
	}
}

func TestEmptyScene(t *testing.T) {
	img := draw(t, newDoc().build(), Options{Size: 16, Background: &color.NRGBA{1, 2, 3, 255}})
	if c := img.NRGBAAt(8, 8); c != (color.NRGBA{1, 2, 3, 255}) {
		t.Errorf("empty scene pixel %v, want the background", c)
	}
	if _, err := Load(nil, LoadOptions{}); err == nil {
		t.Error("nil document accepted")
	}
}

func TestRenderOptionsRefused(t *testing.T) {
	b := newDoc()
	b.quad(-1, -1, 1, 1, 0, b.material(unlitColor(1, 0, 0, 1), true), false)
	m, err := Load(b.build(), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []Options{
		{Size: MaxSize + 1}, {Size: -1}, {View: "side"},
		{BaseColor: map[int]Texture{7: {Image: halves()}}},
		{BaseColor: map[int]Texture{0: {}}},
		{BaseColor: map[int]Texture{0: {Image: image.NewNRGBA(image.Rect(0, 0, 9000, 9000))}}},
	} {
		if _, err := m.Render(t.Context(), opt); err == nil {
			t.Errorf("options %+v accepted", opt)
		}
	}
}

// TestQuantized draws the same quad from float positions and from
// KHR_mesh_quantization shorts scaled by the node, with normalized byte
// normals: the images match.
func TestQuantized(t *testing.T) {
	float := newDoc()
	m := gltf.Material{PBRMetallicRoughness: &gltf.PBRMetallicRoughness{MetallicFactor: gltf.Ptr(0.0)}}
	float.quad(-1, -1, 1, 1, 0, float.material(m, false), false)
	want := draw(t, float.build(), Options{Size: 48})

	q := newDoc()
	q.doc.ExtensionsUsed = []string{gltf.ExtMeshQuantization}
	var pos, nrm bytes.Buffer
	binary.Write(&pos, binary.LittleEndian, []int16{-1000, -1000, 0, 1000, -1000, 0, 1000, 1000, 0, -1000, 1000, 0})
	binary.Write(&nrm, binary.LittleEndian, []int8{0, 0, 127, 0, 0, 0, 127, 0, 0, 0, 127, 0, 0, 0, 127, 0})
	pa := q.accessor(pos.Bytes(), gltf.ComponentShort, gltf.TypeVec3, 4, false)
	q.doc.BufferViews[len(q.doc.BufferViews)-1].ByteStride = 6
	na := q.accessor(nrm.Bytes(), gltf.ComponentByte, gltf.TypeVec3, 4, true)
	q.doc.BufferViews[len(q.doc.BufferViews)-1].ByteStride = 4
	var idx bytes.Buffer
	binary.Write(&idx, binary.LittleEndian, []uint16{0, 1, 2, 0, 2, 3})
	ia := q.accessor(idx.Bytes(), gltf.ComponentUnsignedShort, gltf.TypeScalar, 6, false)
	mat := q.material(m, false)
	n := q.mesh(map[string]int{"POSITION": pa, "NORMAL": na}, &ia, &mat, nil)
	q.doc.Nodes[n].Scale = &[3]float64{0.001, 0.001, 0.001}
	got := draw(t, q.build(), Options{Size: 48})
	// The float quad has no normals (flat shading): same normal +Z.
	if mean, p99 := deltaE(want, got); mean > 0.2 || p99 > 2 {
		t.Errorf("quantized quad differs from the float one: ΔE mean %.2f p99 %.2f", mean, p99)
	}
	if c := got.NRGBAAt(24, 24); c.A != 255 {
		t.Errorf("quantized quad not drawn: %v", c)
	}
}

// TestBaseColorOverride replaces a material's base colour per render,
// concurrently on one model, without touching the model.
func TestBaseColorOverride(t *testing.T) {
	b := newDoc()
	tex := b.image(halves())
	m := gltf.Material{PBRMetallicRoughness: &gltf.PBRMetallicRoughness{BaseColorTexture: &gltf.TextureInfo{Index: tex}, BaseColorFactor: &[4]float64{0, 0, 1, 1}}}
	b.quad(-1, -1, 1, 1, 0, b.material(m, true), false)
	model, err := Load(b.build(), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	design := image.NewNRGBA(image.Rect(0, 0, 8, 8))
	for i := range design.Pix {
		design.Pix[i] = 255
	}
	var wg sync.WaitGroup
	results := make([]color.NRGBA, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			opt := Options{Size: 32, View: ViewFront}
			if i%2 == 1 {
				opt.BaseColor = map[int]Texture{0: {Image: design, FactorWhite: true}}
			}
			img, err := model.Render(t.Context(), opt)
			if err != nil {
				t.Error(err)
				return
			}
			results[i] = img.NRGBAAt(16, 16)
		}()
	}
	wg.Wait()
	for i, c := range results {
		want := color.NRGBA{0, 0, 0, 255} // blue factor × red or green texels: no blue light, black
		if i%2 == 1 {
			want = color.NRGBA{255, 255, 255, 255}
		}
		if !near(c, want, 2) {
			t.Errorf("render %d: %v, want %v", i, c, want)
		}
	}
}

func TestCancelled(t *testing.T) {
	b := newDoc()
	b.quad(-1, -1, 1, 1, 0, b.material(unlitColor(1, 0, 0, 1), true), false)
	m, err := Load(b.build(), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := m.Render(ctx, Options{Size: 32}); err == nil {
		t.Error("a cancelled render returned an image")
	}
}
