// Command memmodel writes the models bench/memory.sh measures: the texture
// bomb of Luneo issue 8 and the worst models the default texture budget
// (256 MiB decoded) accepts. Images are streamed row by row, so even the
// 3 GiB bomb is written in a few megabytes of memory.
//
// Usage: go run ./bench/memmodel -kind bomb|worst4|worst1|tiny|mask OUT
package main

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"strings"

	"github.com/luneo/luneo/gltf"
)

func main() {
	kind := flag.String("kind", "worst4", "bomb: six 8192² 16-bit PNGs (3 GiB decoded); worst4: four 4096² 8-bit PNGs (256 MiB); worst1: one 8192² 8-bit PNG (256 MiB); tiny: one 64² PNG; mask: a bare 8192² 8-bit PNG (256 MiB), a mask bomb")
	pad := flag.Int("pad", 0, "bytes of incompressible data added in a buffer view no accessor uses, to bring a model to the upload limit")
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*kind, flag.Arg(0), *pad); err != nil {
		fmt.Fprintln(os.Stderr, "memmodel:", err)
		os.Exit(1)
	}
}

// run writes the model of the given kind to out, with pad bytes of padding
// (GLB kinds only).
func run(kind, out string, pad int) error {
	var images [][]byte
	var err error
	add := func(side, depth, noiseBits, seed int) {
		if err == nil {
			var b []byte
			b, err = writePNG(side, side, depth, noiseBits, uint32(seed))
			images = append(images, b)
		}
	}
	switch kind {
	case "bomb":
		for i := range 6 {
			add(8192, 16, 0, i)
		}
	case "worst4":
		for i := range 4 {
			add(4096, 8, 1, i+1)
		}
	case "worst1":
		add(8192, 8, 1, 1)
	case "tiny":
		add(64, 8, 1, 1)
	case "mask":
		add(8192, 8, 0, 0)
		if err == nil {
			err = os.WriteFile(out, images[0], 0o644)
		}
		images = nil
	default:
		err = fmt.Errorf("unknown kind %q", kind)
	}
	if err == nil && images != nil {
		err = writeGLB(out, images, pad)
	}
	return err
}

// writeGLB writes a quad with one material per image, each image both the
// base colour and the metal-roughness-occlusion map of its material, so a
// converter scales it and splits all three channels: the most work an
// image can cause.
func writeGLB(path string, images [][]byte, pad int) error {
	var bin []byte
	for _, v := range []float32{0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0} {
		bin = binary.LittleEndian.AppendUint32(bin, math.Float32bits(v))
	}
	for _, i := range []uint16{0, 1, 2, 2, 1, 3} {
		bin = binary.LittleEndian.AppendUint16(bin, i)
	}
	var prims []string
	for i := range images {
		prims = append(prims, fmt.Sprintf(`{"attributes": {"POSITION": 0, "TEXCOORD_0": 1}, "indices": 2, "material": %d}`, i))
	}
	js := fmt.Sprintf(`{"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0}],
		"meshes": [{"primitives": [%s]}],
		"accessors": [
			{"bufferView": 0, "componentType": 5126, "count": 4, "type": "VEC3", "min": [0, 0, 0], "max": [1, 1, 0]},
			{"bufferView": 1, "componentType": 5126, "count": 4, "type": "VEC2"},
			{"bufferView": 2, "componentType": 5123, "count": 6, "type": "SCALAR"}],
		"bufferViews": [{"buffer": 0, "byteLength": 48}, {"buffer": 0, "byteOffset": 48, "byteLength": 32}, {"buffer": 0, "byteOffset": 80, "byteLength": 12}],
		"buffers": [{"byteLength": 92, "uri": "data:application/octet-stream;base64,%s"}]}`,
		strings.Join(prims, ", "), base64.StdEncoding.EncodeToString(bin))
	doc, err := gltf.ReadGLTF(strings.NewReader(js), int64(len(js)), gltf.ReadOptions{SkipValidation: true}) // materials are added below
	if err != nil {
		return err
	}
	if pad > 0 {
		b := &doc.Buffers[0]
		b.Data = append(b.Data, noise(pad)...)
		doc.BufferViews = append(doc.BufferViews, gltf.BufferView{ByteOffset: b.ByteLength, ByteLength: pad})
		b.ByteLength = len(b.Data)
	}
	for i, data := range images {
		doc.Images = append(doc.Images, gltf.Image{Name: fmt.Sprintf("map%d", i), MimeType: "image/png", Data: data})
		doc.Textures = append(doc.Textures, gltf.Texture{Source: gltf.Ptr(i)})
		doc.Materials = append(doc.Materials, gltf.Material{Name: fmt.Sprintf("M%d", i),
			PBRMetallicRoughness: &gltf.PBRMetallicRoughness{BaseColorTexture: &gltf.TextureInfo{Index: i},
				MetallicRoughnessTexture: &gltf.TextureInfo{Index: i}},
			OcclusionTexture: &gltf.OcclusionTextureInfo{Index: i}})
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := gltf.WriteGLB(w, doc); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writePNG encodes a w×h RGBA image at depth bits a channel, row by row: a
// smooth gradient with noiseBits of pseudo-random noise in each colour
// sample, or a flat grey (noiseBits 0) that compresses about 1000:1 like
// the bomb.
func writePNG(w, h, depth, noiseBits int, seed uint32) ([]byte, error) {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, uint32(w)), uint32(h))
	chunk(&out, "IHDR", append(ihdr, byte(depth), 6, 0, 0, 0))
	idat := &chunker{out: &out}
	zw, _ := zlib.NewWriterLevel(idat, zlib.DefaultCompression)
	bpp := 4 * depth / 8
	row := make([]byte, 1+w*bpp)
	state := seed*2654435761 + 1
	for y := range h {
		for x := range w {
			for c := range 4 {
				v := uint32(x*255/w+y*255/h*(c&1)) & 0xFF
				if noiseBits == 0 {
					v = 128
				}
				if c == 3 {
					v = 255
				}
				if noiseBits > 0 && c < 3 {
					state ^= state << 13
					state ^= state >> 17
					state ^= state << 5
					v ^= state & (1<<noiseBits - 1)
				}
				p := 1 + (x*4+c)*(depth/8)
				row[p] = byte(v)
				if depth == 16 {
					row[p+1] = byte(v)
				}
			}
		}
		if _, err := zw.Write(row); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	idat.flush()
	chunk(&out, "IEND", nil)
	return out.Bytes(), nil
}

// noise is n pseudo-random bytes: data no compression shrinks.
func noise(n int) []byte {
	out := make([]byte, n)
	state := uint32(2463534242)
	for i := range out {
		state ^= state << 13
		state ^= state >> 17
		state ^= state << 5
		out[i] = byte(state >> 24)
	}
	return out
}

// chunker cuts the zlib stream into IDAT chunks of up to 1 MiB.
type chunker struct {
	out *bytes.Buffer
	buf []byte
}

func (c *chunker) Write(p []byte) (int, error) {
	c.buf = append(c.buf, p...)
	if len(c.buf) >= 1<<20 {
		c.flush()
	}
	return len(p), nil
}

func (c *chunker) flush() {
	if len(c.buf) > 0 {
		chunk(c.out, "IDAT", c.buf)
		c.buf = c.buf[:0]
	}
}

func chunk(w io.Writer, typ string, data []byte) {
	binary.Write(w, binary.BigEndian, uint32(len(data)))
	io.WriteString(w, typ)
	w.Write(data)
	binary.Write(w, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}
