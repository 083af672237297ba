package intake

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// pngWith builds a PNG from an IHDR and raw (already filtered) scanlines.
func pngWith(w, h uint32, ctype byte, raw []byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, ctype, 0, 0, 0)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	zw.Write(raw)
	zw.Close()
	out := append([]byte(pngMagic), pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", z.Bytes())...)
	return append(out, pngChunk("IEND", nil)...)
}

func TestHostileImages(t *testing.T) {
	good := encodePNG(t, quadrants(64, 64))
	jpg := encodeJPEG(t, quadrants(64, 64))
	rnd := make([]byte, 4096)
	for i := range rnd {
		rnd[i] = byte(rand.N(256))
	}
	badCRC := append([]byte{}, good...)
	badCRC[20]++ // a byte of the width
	cmyk := append([]byte{0xFF, 0xD8}, jpegSegment(0xC0, []byte{8, 0, 16, 0, 16, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0})...)
	cmyk = append(cmyk, jpegSegment(0xDA, []byte{1, 1, 0})...)
	twelveBit := append([]byte{}, jpg...)
	sof := bytes.Index(twelveBit, []byte{0xFF, 0xC0})
	twelveBit[sof+4] = 12
	webp := readTestdata(t, "lossy_alpha.webp") // VP8X canvas 48×24
	lying := append([]byte{}, webp...)
	lying[24]++ // canvas width minus one: 48 → 49, the frame stays 48
	iccBomb := withPNGChunks(good, iccpChunk(t, make([]byte, 8<<20)))
	ihdrEnd := len(pngMagic) + 25
	noise := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for i := range noise.Pix {
		noise.Pix[i] = byte(rand.N(256)) | 3
	}
	noisy := encodeJPEG(t, noise)

	tests := []struct {
		name    string
		file    []byte
		lim     Limits
		want    error
		inspect bool   // fails already in InspectImage
		msg     string // part of the message
	}{
		{"empty", nil, Limits{}, ErrCorrupt, true, "empty"},
		{"random bytes", rnd, Limits{}, ErrUnsupported, true, "not a PNG, JPEG or WebP"},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), Limits{}, ErrUnsupported, true, "GIF"},
		{"heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"), Limits{}, ErrUnsupported, true, "HEIC"},
		{"over MaxBytes", good, Limits{MaxBytes: 100}, ErrTooLarge, true, "at most 100 bytes"},
		{"100k×100k PNG header", pngWith(100000, 100000, 0, nil), Limits{}, ErrTooLarge, true, "PNG is 100000×100000 pixels; at most 8192 per side"},
		{"over MaxSide", good, Limits{MaxSide: 63}, ErrTooLarge, true, "at most 63 per side"},
		{"over MaxPixels", good, Limits{MaxPixels: 64*64 - 1}, ErrTooLarge, true, "pixels are accepted"},
		{"zero width", pngWith(0, 10, 0, nil), Limits{}, ErrCorrupt, true, "0×10"},
		{"IHDR checksum", badCRC, Limits{}, ErrCorrupt, true, "checksum"},
		{"truncated PNG", good[:len(good)/2], Limits{}, ErrCorrupt, true, "cut short"},
		{"no IDAT", append(good[:ihdrEnd:ihdrEnd], pngChunk("IEND", nil)...), Limits{}, ErrCorrupt, true, "no image data"},
		{"bad colour type", pngWith(4, 4, 5, nil), Limits{}, ErrCorrupt, true, "colour type 5 with 8 bits"},
		{"lying IHDR: too little data", pngWith(64, 64, 0, make([]byte, 65)), Limits{}, ErrCorrupt, false, "damaged or cut short"},
		{"IDAT inflates past IHDR", pngWith(1000, 1000, 0, make([]byte, 100<<20)), Limits{}, ErrCorrupt, false, "damaged"},
		{"iCCP zlib bomb", iccBomb, Limits{}, ErrTooLarge, false, "colour profile"},
		{"truncated JPEG header", jpg[:200], Limits{}, ErrCorrupt, true, "cut short"},
		{"truncated JPEG data", noisy[:len(noisy)-200], Limits{}, ErrCorrupt, false, "damaged or cut short"},
		{"CMYK JPEG", cmyk, Limits{}, ErrUnsupported, true, "CMYK"},
		{"12-bit JPEG", twelveBit, Limits{}, ErrUnsupported, true, "12 bits"},
		{"animated WebP", readTestdata(t, "animated.webp"), Limits{}, ErrUnsupported, true, "animated WebP"},
		{"WebP canvas lies", lying, Limits{}, ErrCorrupt, true, "canvas is 49×24"},
		{"truncated WebP", webp[:len(webp)-10], Limits{}, ErrCorrupt, true, "cut short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ierr := InspectImage(tt.file, tt.lim)
			if tt.inspect != (ierr != nil) {
				t.Fatalf("InspectImage error = %v, want failure %v", ierr, tt.inspect)
			}
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			img, _, err := DecodeImage(context.Background(), tt.file, tt.lim)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if !errors.Is(err, tt.want) || img != nil {
				t.Fatalf("DecodeImage error = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q does not say %q", err, tt.msg)
			}
			// Bombs are refused without paying for them: the only
			// allocations proportional to pixels are what IHDR promised.
			if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
				t.Errorf("allocated %d MiB to refuse it", got>>20)
			}
		})
	}
}

// TestAPNGFirstFrame: an APNG decodes to its default image.
func TestAPNGFirstFrame(t *testing.T) {
	q := quadrants(8, 8)
	img, _, err := DecodeImage(context.Background(), withPNGChunks(encodePNG(t, q), pngChunk("acTL", make([]byte, 8))), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(img.Pix, q.Pix) || img.Rect != image.Rect(0, 0, 8, 8) {
		t.Error("APNG default image differs from the one encoded")
	}
}
