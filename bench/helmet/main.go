// Command helmet writes a stand-in for the public DamagedHelmet sample
// (not available offline here) for bench/usdz.sh: a UV sphere of about
// 46,000 triangles with one material using five 2048² JPEG textures (base
// colour, metal-roughness, normal, occlusion, emissive), photo-like in
// size. It is generated, never committed.
//
// Usage: go run ./bench/helmet OUT.glb
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"

	"github.com/luneo/luneo/gltf"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: helmet OUT.glb")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "helmet:", err)
		os.Exit(1)
	}
}

type builder struct {
	doc gltf.Document
	bin []byte
}

// view appends data, 4-byte aligned, as a buffer view.
func (b *builder) view(data []byte) int {
	for len(b.bin)%4 != 0 {
		b.bin = append(b.bin, 0)
	}
	b.doc.BufferViews = append(b.doc.BufferViews, gltf.BufferView{ByteOffset: len(b.bin), ByteLength: len(data)})
	b.bin = append(b.bin, data...)
	return len(b.doc.BufferViews) - 1
}

func (b *builder) accessor(typ string, ctype, count int, values any, lo, hi []float64) int {
	var raw bytes.Buffer
	_ = binary.Write(&raw, binary.LittleEndian, values)
	b.doc.Accessors = append(b.doc.Accessors, gltf.Accessor{BufferView: gltf.Ptr(b.view(raw.Bytes())), ComponentType: ctype, Count: count, Type: typ, Min: lo, Max: hi})
	return len(b.doc.Accessors) - 1
}

// texture adds a 2048² JPEG: smooth colour with noise, seeded by k.
func (b *builder) texture(k int) (int, error) {
	const side = 2048
	img := image.NewRGBA(image.Rect(0, 0, side, side))
	rng := rand.New(rand.NewPCG(uint64(k), 7))
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			n := uint8(rng.IntN(48))
			img.SetRGBA(x, y, color.RGBA{uint8(x/8) + n, uint8(y/8) + n, uint8(k*50) + n, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		return 0, err
	}
	b.doc.Images = append(b.doc.Images, gltf.Image{BufferView: gltf.Ptr(b.view(buf.Bytes())), MimeType: "image/jpeg"})
	b.doc.Textures = append(b.doc.Textures, gltf.Texture{Source: gltf.Ptr(len(b.doc.Images) - 1)})
	return len(b.doc.Textures) - 1, nil
}

func write(out string) error {
	b := &builder{doc: gltf.Document{Asset: gltf.Asset{Version: "2.0"}}}
	const rings, segs = 120, 194 // 2·120·194 ≈ 46,560 triangles
	var pos, nrm, uv []float32
	for r := 0; r <= rings; r++ {
		th := math.Pi * float64(r) / rings
		for s := 0; s <= segs; s++ {
			ph := 2 * math.Pi * float64(s) / segs
			x, y, z := math.Sin(th)*math.Cos(ph), math.Cos(th), math.Sin(th)*math.Sin(ph)
			pos = append(pos, float32(x), float32(y), float32(z))
			nrm = append(nrm, float32(x), float32(y), float32(z))
			uv = append(uv, float32(s)/segs, float32(r)/rings)
		}
	}
	var idx []uint32
	for r := 0; r < rings; r++ {
		for s := 0; s < segs; s++ {
			a := uint32(r*(segs+1) + s)
			c := a + segs + 1
			idx = append(idx, a, c, a+1, a+1, c, c+1)
		}
	}
	n := len(pos) / 3
	lo, hi := []float64{math.Inf(1), math.Inf(1), math.Inf(1)}, []float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	for i, v := range pos {
		lo[i%3], hi[i%3] = min(lo[i%3], float64(v)), max(hi[i%3], float64(v))
	}
	attrs := map[string]int{
		"POSITION":   b.accessor(gltf.TypeVec3, gltf.ComponentFloat, n, pos, lo, hi),
		"NORMAL":     b.accessor(gltf.TypeVec3, gltf.ComponentFloat, n, nrm, nil, nil),
		"TEXCOORD_0": b.accessor(gltf.TypeVec2, gltf.ComponentFloat, n, uv, nil, nil),
	}
	ind := b.accessor(gltf.TypeScalar, gltf.ComponentUnsignedInt, len(idx), idx, nil, nil)
	var tex [5]int
	for k := range tex {
		t, err := b.texture(k)
		if err != nil {
			return err
		}
		tex[k] = t
	}
	b.doc.Materials = []gltf.Material{{
		Name: "Material_MR",
		PBRMetallicRoughness: &gltf.PBRMetallicRoughness{
			BaseColorTexture:         &gltf.TextureInfo{Index: tex[0]},
			MetallicRoughnessTexture: &gltf.TextureInfo{Index: tex[1]},
		},
		NormalTexture:    &gltf.NormalTextureInfo{Index: tex[2]},
		OcclusionTexture: &gltf.OcclusionTextureInfo{Index: tex[3]},
		EmissiveTexture:  &gltf.TextureInfo{Index: tex[4]},
		EmissiveFactor:   &[3]float64{1, 1, 1},
	}}
	b.doc.Meshes = []gltf.Mesh{{Name: "Helmet", Primitives: []gltf.Primitive{{Attributes: attrs, Indices: gltf.Ptr(ind), Material: gltf.Ptr(0)}}}}
	b.doc.Nodes = []gltf.Node{{Name: "Helmet", Mesh: gltf.Ptr(0)}}
	b.doc.Scenes = []gltf.Scene{{Nodes: []int{0}}}
	b.doc.Scene = gltf.Ptr(0)
	b.doc.Buffers = []gltf.Buffer{{ByteLength: len(b.bin), Data: b.bin}}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := gltf.WriteGLB(f, &b.doc); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
