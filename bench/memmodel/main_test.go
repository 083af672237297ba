package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/luneo/luneo/gltf"
)

// checkGLB reads path as Luneo would (with validation) and checks that it
// has n images of side² pixels at depth bits a channel, adding up to total
// decoded bytes, each used by its own material as base colour,
// metal-roughness and occlusion map.
func checkGLB(t *testing.T, path string, n, side, depth int, total int64) *gltf.Document {
	t.Helper()
	doc, err := gltf.ReadFile(path)
	if err != nil {
		t.Fatalf("gltf.ReadFile: %v", err)
	}
	fps, sum, err := gltf.ImageFootprints(doc)
	if err != nil {
		t.Fatalf("ImageFootprints: %v", err)
	}
	if len(fps) != n {
		t.Fatalf("%d images, want %d", len(fps), n)
	}
	for i, f := range fps {
		if f.MimeType != "image/png" || f.Width != side || f.Height != side || f.BitDepth != depth {
			t.Errorf("image %d: %s %d×%d %d-bit, want image/png %d² %d-bit", i, f.MimeType, f.Width, f.Height, f.BitDepth, side, depth)
		}
	}
	if sum != total {
		t.Errorf("decoded total %d bytes, want %d", sum, total)
	}
	if len(doc.Materials) != n || len(doc.Textures) != n {
		t.Fatalf("%d materials, %d textures, want %d", len(doc.Materials), len(doc.Textures), n)
	}
	for i, m := range doc.Materials {
		p := m.PBRMetallicRoughness
		if p == nil || p.BaseColorTexture == nil || p.BaseColorTexture.Index != i ||
			p.MetallicRoughnessTexture == nil || p.MetallicRoughnessTexture.Index != i ||
			m.OcclusionTexture == nil || m.OcclusionTexture.Index != i {
			t.Errorf("material %d does not use texture %d for all three maps", i, i)
		}
		if src := doc.Textures[i].Source; src == nil || *src != i {
			t.Errorf("texture %d source = %v, want %d", i, src, i)
		}
	}
	return doc
}

// The top-level tests run one at a time: the big kinds already run their
// subtests in parallel, and each holds hundreds of MiB while it writes, so
// more at once only adds memory pressure on a small CI machine.
func TestTiny(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tiny.glb")
	if err := run("tiny", path, 0); err != nil {
		t.Fatal(err)
	}
	doc := checkGLB(t, path, 1, 64, 8, 64*64*4)
	// The image is a real PNG, not just a header.
	data, err := doc.ImageData(0)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode tiny's PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 64 || b.Dy() != 64 {
		t.Fatalf("decoded %v", b)
	}
}

// TestPad: -pad adds exactly that many bytes of data to the buffer, in a
// buffer view of their own, and the model is still valid.
func TestPad(t *testing.T) {
	dir := t.TempDir()
	plain, padded := filepath.Join(dir, "plain.glb"), filepath.Join(dir, "padded.glb")
	const pad = 100_003
	if err := run("tiny", plain, 0); err != nil {
		t.Fatal(err)
	}
	if err := run("tiny", padded, pad); err != nil {
		t.Fatal(err)
	}
	a, b := checkGLB(t, plain, 1, 64, 8, 64*64*4), checkGLB(t, padded, 1, 64, 8, 64*64*4)
	if len(b.BufferViews) != len(a.BufferViews)+1 {
		t.Fatalf("%d buffer views with pad, %d without: want one more", len(b.BufferViews), len(a.BufferViews))
	}
	found := false
	for _, v := range b.BufferViews {
		found = found || v.ByteLength == pad
	}
	if !found {
		t.Errorf("no buffer view of %d bytes", pad)
	}
	if got, want := b.Buffers[0].ByteLength-a.Buffers[0].ByteLength, pad; got < want || got > want+3 {
		t.Errorf("buffer grew by %d bytes, want %d (+ alignment)", got, want)
	}
	sa, sb := size(t, plain), size(t, padded)
	// The file grows by the pad plus a few bytes of JSON for the new view.
	if d := sb - sa; d < pad || d > pad+128 {
		t.Errorf("file grew by %d bytes, want about %d", d, pad)
	}
}

func size(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// TestMask: the mask kind is a bare 8192² 8-bit PNG, 256 MiB decoded, that
// compresses far below a megabyte.
func TestMask(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mask.png")
	if err := run("mask", path, 0); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	info, err := gltf.ReadImageInfo(data)
	if err != nil {
		t.Fatal(err)
	}
	if info.MimeType != "image/png" || info.Width != 8192 || info.Height != 8192 || info.BitDepth != 8 {
		t.Fatalf("mask is %+v", info)
	}
	if got := info.DecodedBytes(); got != 256<<20 {
		t.Fatalf("mask decodes to %d bytes, want 256 MiB", got)
	}
	if len(data) > 1<<20 {
		t.Errorf("mask is %d bytes, want a bomb under 1 MiB", len(data))
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width != 8192 || cfg.Height != 8192 || cfg.ColorModel != color.NRGBAModel {
		t.Fatalf("png.DecodeConfig = %+v, %v", cfg, err)
	}
}

func TestUnknownKind(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.glb")
	if err := run("huge", path, 0); err == nil {
		t.Fatal("unknown kind accepted")
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("unknown kind wrote a file (stat: %v)", err)
	}
}

// TestWritePNG decodes small images of every depth and noise setting the
// kinds use: the big kinds are the same code at a larger size.
func TestWritePNG(t *testing.T) {
	for _, tt := range []struct {
		name             string
		w, h, depth, bit int
	}{
		{"8-bit noisy", 40, 24, 8, 1},
		{"8-bit flat", 33, 17, 8, 0},
		{"16-bit flat (bomb)", 32, 32, 16, 0},
		{"16-bit noisy", 16, 8, 16, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data, err := writePNG(tt.w, tt.h, tt.depth, tt.bit, 3)
			if err != nil {
				t.Fatal(err)
			}
			info, err := gltf.ReadImageInfo(data)
			if err != nil || info.Width != tt.w || info.Height != tt.h || info.BitDepth != tt.depth {
				t.Fatalf("ReadImageInfo = %+v, %v", info, err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("png.Decode: %v", err)
			}
			if b := img.Bounds(); b != image.Rect(0, 0, tt.w, tt.h) {
				t.Fatalf("bounds %v", b)
			}
			distinct := map[color.NRGBA64]bool{}
			for y := range tt.h {
				for x := range tt.w {
					c := color.NRGBA64Model.Convert(img.At(x, y)).(color.NRGBA64)
					if c.A != 0xFFFF {
						t.Fatalf("pixel (%d,%d) is not opaque: %v", x, y, c)
					}
					distinct[c] = true
				}
			}
			if tt.bit == 0 {
				want := color.NRGBA64{0x8080, 0x8080, 0x8080, 0xFFFF}
				if len(distinct) != 1 || !distinct[want] {
					t.Fatalf("flat image has colours %v, want only %v", distinct, want)
				}
			} else if len(distinct) < 10 {
				t.Fatalf("noisy image has only %d colours", len(distinct))
			}
		})
	}
}

// TestBigKinds writes the kinds bench/memory.sh measures and checks they
// are what they claim: each takes about 10 s, so -short skips them.
func TestBigKinds(t *testing.T) {
	if testing.Short() {
		t.Skip("writes hundreds of MiB of pixels; skipped with -short")
	}
	for _, tt := range []struct {
		kind         string
		n, side, bit int
		total        int64
	}{
		{"bomb", 6, 8192, 16, 3 << 30},    // six 512 MiB images
		{"worst4", 4, 4096, 8, 256 << 20}, // exactly the default budget
		{"worst1", 1, 8192, 8, 256 << 20},
	} {
		t.Run(tt.kind, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), tt.kind+".glb")
			if err := run(tt.kind, path, 0); err != nil {
				t.Fatal(err)
			}
			checkGLB(t, path, tt.n, tt.side, tt.bit, tt.total)
			if tt.kind == "bomb" && size(t, path) > 16<<20 {
				t.Errorf("bomb is %d bytes, want a small file", size(t, path))
			}
		})
	}
}
