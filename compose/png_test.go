package compose

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math/rand/v2"

	xdraw "golang.org/x/image/draw"
	"testing"
)

// chunks lists a PNG's chunk types and bodies.
func chunks(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for p := 8; p+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[p:]))
		out[string(data[p+4:p+8])] = data[p+8 : p+8+n]
		p += 12 + n
	}
	return out
}

func TestWritePNGCarriesDPIAndSRGB(t *testing.T) {
	img := render(t, parse(t, `{"width":40,"height":30,"layers":[{"type":"fill","color":"#ff000080"}]}`), nil)
	var buf bytes.Buffer
	if err := WritePNG(&buf, img, 300); err != nil {
		t.Fatal(err)
	}
	c := chunks(t, buf.Bytes())
	phys := c["pHYs"]
	if len(phys) != 9 || phys[8] != 1 {
		t.Fatalf("pHYs %v", phys)
	}
	// 300 dpi = 11811 pixels per metre (300 / 0.0254, rounded).
	if x, y := binary.BigEndian.Uint32(phys), binary.BigEndian.Uint32(phys[4:]); x != 11811 || y != 11811 {
		t.Errorf("pHYs %d×%d px/m, want 11811", x, y)
	}
	if s, ok := c["sRGB"]; !ok || len(s) != 1 {
		t.Errorf("no sRGB chunk: %v", c)
	}
	back, err := png.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	// Straight alpha in the file: half-transparent pure red reads back as such.
	if got := color.NRGBAModel.Convert(back.At(5, 5)).(color.NRGBA); got.R != 255 || got.G != 0 || got.A != 128 {
		t.Errorf("pixel %v, want red at alpha 128", got)
	}
}

func TestWritePNGBandsEqualsWholeRender(t *testing.T) {
	src := memSources{"grad": gradient(64, 48), "disc": disc(40), "zone": disc(16)}
	s := parse(t, `{"width":150,"height":130,"dpi":150,"background":"#102030","mask":"zone","clip":{"x":3,"y":4,"width":140,"height":120},"layers":[
	 {"type":"image","src":"grad","x":5,"y":5,"width":140,"height":100,"rotation":10},
	 {"type":"image","src":"disc","x":50,"y":40},
	 {"type":"text","text":"Bands","font":"Noto Sans","size":30,"color":"#ffffff","stroke":"#000000","stroke_width":2,"x":20,"y":120}]}`)
	whole := render(t, s, src)
	var want, got bytes.Buffer
	if err := WritePNG(&want, whole, 150); err != nil {
		t.Fatal(err)
	}
	if err := WritePNGBands(context.Background(), &got, s, Options{Fonts: testFonts, Sources: src}, 17); err != nil {
		t.Fatal(err)
	}
	a, _ := png.Decode(bytes.NewReader(want.Bytes()))
	b, err := png.Decode(bytes.NewReader(got.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := compare(a, b); d.mean > 0.05 || d.badShare > 0 {
		t.Errorf("bands differ from the whole render: %+v", d)
	}
}

// pngOf encodes img with the standard encoder (which picks filters per
// row, so every filter type gets exercised).
func pngOf(t *testing.T, img image.Image) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // encoding an in-memory image cannot fail
	}
	return buf.Bytes()
}

func noisy(w, h int, alpha bool) image.Image {
	r := rand.New(rand.NewPCG(1, 2))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.IntN(256) / 3 * ((i / 4 % w) % 3)) // some runs, some noise
		if i%4 == 3 && !alpha {
			img.Pix[i] = 255
		}
	}
	return img
}

func TestFastPNGMatchesImagePNG(t *testing.T) {
	for _, alpha := range []bool{false, true} {
		data := pngOf(t, noisy(97, 61, alpha))
		want, _ := png.Decode(bytes.NewReader(data))
		for _, system := range []bool{true, false} {
			got, ok, err := decodePNGWith(append([]byte(nil), data...), system, true, &Buffers{})
			if !ok || err != nil {
				t.Fatalf("alpha=%v system=%v: ok=%v err=%v", alpha, system, ok, err)
			}
			wr := image.NewRGBA(want.Bounds())
			draw.Draw(wr, wr.Bounds(), want, image.Point{}, draw.Src)
			if !bytes.Equal(wr.Pix, toRGBA(got).(*image.RGBA).Pix) {
				t.Errorf("alpha=%v system=%v: pixels differ from image/png", alpha, system)
			}
		}
	}
}

func TestFastPNGRejectsCorruption(t *testing.T) {
	data := pngOf(t, noisy(64, 64, false))
	idat := bytes.Index(data, []byte("IDAT"))
	// A flipped byte inside the image data fails the chunk checksum.
	bad := append([]byte(nil), data...)
	bad[idat+40] ^= 0xff
	if _, err := DecodeImage(bad, 0); err == nil {
		t.Error("corrupt IDAT accepted")
	}
	// Image data that inflates to less than the header announces.
	short := rewriteIHDRHeight(t, data, 65)
	if _, err := DecodeImage(short, 0); err == nil {
		t.Error("short image data accepted")
	}
	// Truncated file.
	if _, err := DecodeImage(data[:len(data)/2], 0); err == nil {
		t.Error("truncated file accepted")
	}
}

// rewriteIHDRHeight changes the announced height (fixing the CRC).
func rewriteIHDRHeight(t *testing.T, data []byte, h uint32) []byte {
	out := append([]byte(nil), data...)
	binary.BigEndian.PutUint32(out[20:], h)
	binary.BigEndian.PutUint32(out[29:], crc32.ChecksumIEEE(out[12:29]))
	return out
}

func TestDecodeImageRefusesBombsFromTheHeader(t *testing.T) {
	// A tiny file announcing 100000×100000 pixels: refused before decoding.
	data := rewriteIHDRHeight(t, pngOf(t, noisy(100000/1000, 4, false)), 100000*1000)
	_, err := DecodeImage(data, 1<<20)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
	if _, err := DecodeImage([]byte("not an image"), 0); err == nil {
		t.Error("garbage accepted")
	}
}

func TestScaleOverMatchesXImageBilinear(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 200, 150))
	draw.Draw(src, src.Bounds(), gradient(200, 150), image.Point{}, draw.Src)
	for _, size := range []image.Point{{100, 75}, {37, 91}, {300, 220}} {
		got := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
		rs, _ := rowsOf(src)
		scaleOver(got, got.Bounds(), rs, src.Bounds(), got.Bounds())
		want := image.NewRGBA(got.Bounds())
		Fit(src, 0) // no-op, keeps Fit covered for n <= 0
		xdrawBiLinear(want, src)
		if d, _ := compare(got, want); d.mean > 1.5 || d.badShare > 0.01 {
			t.Errorf("%v: %+v", size, d)
		}
	}
}

func xdrawBiLinear(dst *image.RGBA, src image.Image) {
	xdraw.BiLinear.Scale(dst, dst.Bounds(), src, src.Bounds(), xdraw.Src, nil)
}

// FuzzDecodeImage: any bytes decode or fail, never panic, and when the fast
// PNG path takes a file its pixels are image/png's.
func FuzzDecodeImage(f *testing.F) {
	f.Add(pngOf(nil, noisy(7, 5, true)))
	f.Add(pngOf(nil, noisy(9, 3, false)))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := DecodeImage(data, 1<<16)
		if err != nil {
			return
		}
		want, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return // another format, or image/png stricter about trailing chunks
		}
		wr := image.NewRGBA(want.Bounds())
		draw.Draw(wr, wr.Bounds(), want, want.Bounds().Min, draw.Src)
		gr := image.NewRGBA(img.Bounds())
		draw.Draw(gr, gr.Bounds(), img, img.Bounds().Min, draw.Src)
		if !bytes.Equal(wr.Pix, gr.Pix) {
			t.Fatalf("fast decode differs from image/png")
		}
	})
}

func TestResampleReadsRGBRowsAsRGBA(t *testing.T) {
	data := pngOf(t, noisy(80, 52, false)) // 2:1 exercises the unrolled 4-tap path
	img, ok, err := decodePNGWith(data, true, false, nil)
	if !ok || err != nil {
		t.Fatal(ok, err)
	}
	if _, isRGB := img.(*rgbImage); !isRGB {
		t.Fatalf("an RGB PNG decoded to %T", img)
	}
	a, _ := rowsOf(img)
	b, _ := rowsOf(toRGBA(img))
	for _, size := range []image.Point{{40, 26}, {80, 52}, {31, 20}, {200, 90}} {
		ga := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
		gb := image.NewRGBA(ga.Rect)
		scaleOver(ga, ga.Rect, a, a.rect, ga.Rect)
		scaleOver(gb, gb.Rect, b, b.rect, gb.Rect)
		if !bytes.Equal(ga.Pix, gb.Pix) {
			t.Errorf("%v: RGB rows resample differently from RGBA", size)
		}
	}
}

// TestBuffersReused: one Buffers lent to decodes of different images (a
// bigger one first, so the smaller reuses its dirty buffer) decodes each
// exactly as image/png does.
func TestBuffersReused(t *testing.T) {
	bufs := &Buffers{}
	for _, size := range [][2]int{{120, 90}, {33, 17}, {120, 90}} {
		data := pngOf(t, noisy(size[0], size[1], true))
		want, _ := png.Decode(bytes.NewReader(data))
		got, ok, err := decodePNGWith(data, true, false, bufs)
		if !ok || err != nil {
			t.Fatalf("%v: ok=%v err=%v", size, ok, err)
		}
		wr := image.NewRGBA(want.Bounds())
		draw.Draw(wr, wr.Bounds(), want, image.Point{}, draw.Src)
		gr := image.NewRGBA(got.Bounds())
		draw.Draw(gr, gr.Bounds(), got, image.Point{}, draw.Src)
		if !bytes.Equal(wr.Pix, gr.Pix) {
			t.Fatalf("%v: decoded pixels differ from image/png's with a reused buffer", size)
		}
	}
}
