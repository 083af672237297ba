package gltf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

// pngHeaderOnly is a PNG that is nothing but a header claiming w×h at the
// given bit depth (colour type 6, RGBA): the shape of a texture bomb, whose
// header is all a budget check may read.
func pngHeaderOnly(w, h uint32, depth byte) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	chunk("IHDR", append(ihdr, depth, 6, 0, 0, 0))
	chunk("IEND", nil)
	return b.Bytes()
}

func encodePNG(t *testing.T, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadImageInfo(t *testing.T) {
	t.Parallel()
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, image.NewRGBA(image.Rect(0, 0, 33, 17)), nil); err != nil {
		t.Fatal(err)
	}
	webp := func(chunk string, payload []byte) []byte {
		b := []byte("RIFF\x00\x00\x00\x00WEBP" + chunk + "\x00\x00\x00\x00")
		return append(b, append(payload, make([]byte, 16)...)...)
	}
	vp8 := []byte{0, 0, 0, 0x9D, 0x01, 0x2A}
	vp8 = binary.LittleEndian.AppendUint16(vp8, 640|2<<14) // scale bits are not size
	vp8 = binary.LittleEndian.AppendUint16(vp8, 480)
	vp8l := binary.LittleEndian.AppendUint32([]byte{0x2F}, (100-1)|(50-1)<<14)
	vp8x := []byte{0x10, 0, 0, 0, 0xFF, 0x3F, 0, 0xFF, 0x1F, 0} // 16384×8192 canvas
	ktx2 := func(vk, w, h, layers, faces, levels uint32) []byte {
		b := []byte("\xABKTX 20\xBB\r\n\x1A\n")
		for _, v := range []uint32{vk, 1, w, h, 0, layers, faces, levels, 0} {
			b = binary.LittleEndian.AppendUint32(b, v)
		}
		return b
	}
	// A progressive 4:2:0 frame header (SOF2): its decoder keeps 4 bytes
	// of coefficients per luma sample and per chroma sample.
	progressive := []byte{0xFF, 0xD8, 0xFF, 0xC2, 0x00, 0x11, 8, 0, 64, 0, 64, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1}
	tests := []struct {
		name          string
		data          []byte
		mime          string
		w, h, depth   int
		levels, layer int
		bytes         int64
	}{
		{"png 8-bit", encodePNG(t, image.NewNRGBA(image.Rect(0, 0, 10, 20))), "image/png", 10, 20, 8, 1, 1, 800},
		{"png gray counts as RGBA", encodePNG(t, image.NewGray(image.Rect(0, 0, 10, 10))), "image/png", 10, 10, 8, 1, 1, 400},
		{"png 16-bit counts double", encodePNG(t, image.NewNRGBA64(image.Rect(0, 0, 10, 10))), "image/png", 10, 10, 16, 1, 1, 800},
		{"png 1-bit palette", encodePNG(t, image.NewPaletted(image.Rect(0, 0, 8, 8), color.Palette{color.Black, color.White})), "image/png", 8, 8, 8, 1, 1, 256},
		{"png bomb header", pngHeaderOnly(8192, 8192, 16), "image/png", 8192, 8192, 16, 1, 1, 512 << 20},
		{"jpeg", jb.Bytes(), "image/jpeg", 33, 17, 8, 1, 1, 33 * 17 * 4},
		{"jpeg progressive", progressive, "image/jpeg", 64, 64, 8, 1, 1, 64*64*4 + 64*64*4 + 2*32*32*4},
		{"webp lossy", webp("VP8 ", vp8), "image/webp", 640, 480, 8, 1, 1, 640 * 480 * 4},
		{"webp lossless", webp("VP8L", vp8l), "image/webp", 100, 50, 8, 1, 1, 100 * 50 * 4},
		{"webp extended", webp("VP8X", vp8x), "image/webp", 16384, 8192, 8, 1, 1, 16384 * 8192 * 4},
		{"ktx2 basis with mips", ktx2(0, 4, 4, 0, 1, 3), "image/ktx2", 4, 4, 8, 3, 1, (16 + 4 + 1) * 4},
		{"ktx2 half-float cube", ktx2(97, 2, 2, 0, 6, 1), "image/ktx2", 2, 2, 16, 1, 6, 2 * 2 * 8 * 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := ReadImageInfo(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if info.MimeType != tt.mime || info.Width != tt.w || info.Height != tt.h || info.BitDepth != tt.depth || info.Levels != tt.levels || info.Layers != tt.layer {
				t.Errorf("got %+v", info)
			}
			if got := info.DecodedBytes(); got != tt.bytes {
				t.Errorf("DecodedBytes = %d, want %d", got, tt.bytes)
			}
		})
	}
}

func TestReadImageInfoRefusesWhatItCannotRead(t *testing.T) {
	t.Parallel()
	for name, data := range map[string][]byte{
		"gif":            []byte("GIF89a\x01\x00\x01\x00"),
		"empty":          nil,
		"png no IHDR":    []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIDAT"),
		"png zero size":  pngHeaderOnly(0, 10, 8),
		"png bad depth":  pngHeaderOnly(4, 4, 7),
		"jpeg no frame":  {0xFF, 0xD8, 0xFF, 0xD9},
		"jpeg truncated": {0xFF, 0xD8, 0xFF, 0xE0, 0x40, 0x00},
		"webp short":     []byte("RIFF\x00\x00\x00\x00WEBPVP8 "),
		"ktx2 short":     []byte("\xABKTX 20\xBB\r\n\x1A\n\x00"),
	} {
		if _, err := ReadImageInfo(data); !errors.Is(err, ErrImageFormat) {
			t.Errorf("%s: err = %v, want ErrImageFormat", name, err)
		}
	}
}

func TestDecodedBytesSaturates(t *testing.T) {
	t.Parallel()
	i := ImageInfo{Width: 1 << 31, Height: 1 << 31, BitDepth: 32, Levels: 32, Layers: 1 << 20}
	if got := i.DecodedBytes(); got <= 0 {
		t.Fatalf("DecodedBytes = %d: overflowed", got)
	}
}

func TestImageFootprints(t *testing.T) {
	t.Parallel()
	bomb := pngHeaderOnly(8192, 8192, 16)
	small := encodePNG(t, image.NewNRGBA(image.Rect(0, 0, 4, 4)))
	doc := &Document{Images: []Image{
		{Name: "wood", Data: bomb},
		{URI: "maps/small.png", Data: small},
		{URI: "data:image/png;base64,AAAA", Data: small},
		{URI: "missing.png"}, // no data: nothing to decode
	}}
	fps, total, err := ImageFootprints(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(fps) != 3 || total != 512<<20+2*64 {
		t.Fatalf("got %d images, %d bytes: %+v", len(fps), total, fps)
	}
	if fps[1].Name != "maps/small.png" || fps[2].Name != "" {
		t.Errorf("names: %q %q", fps[1].Name, fps[2].Name)
	}
	if s := fps[0].String(); s != `image 0 "wood" (8192×8192 PNG, 16-bit, 512 MiB decoded)` {
		t.Errorf("String = %s", s)
	}
	prog := ImageFootprint{Index: 1, MimeType: "image/jpeg", Width: 4096, Height: 4096, BitDepth: 8, Progressive: true, Bytes: 160 << 20}
	if s := prog.String(); s != `image 1 (4096×4096 JPEG, progressive, 160 MiB decoded)` {
		t.Errorf("String = %s", s)
	}
	doc.Images = append(doc.Images, Image{Name: "anim", Data: []byte("GIF89a........")})
	_, _, err = ImageFootprints(doc)
	var herr *ImageHeaderError
	if !errors.As(err, &herr) || len(herr.Images) != 1 || herr.Images[0].Index != 4 || !strings.Contains(err.Error(), `image 4 "anim"`) {
		t.Fatalf("err = %v", err)
	}
}

func FuzzReadImageInfo(f *testing.F) {
	f.Add(pngHeaderOnly(8192, 8192, 16))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 8, 0, 1, 0, 1, 3})
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP8X\x00\x00\x00\x00\x10\x00\x00\x00\xff\xff\xff\xff\xff\xff\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := ReadImageInfo(data)
		if err == nil && (info.Width <= 0 || info.Height <= 0 || info.DecodedBytes() <= 0) {
			t.Fatalf("accepted %+v", info)
		}
	})
}
