package intake

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"testing"
)

// makeICC writes a minimal profile of the given colour space with tags.
func makeICC(space string, tags [][2][]byte) []byte {
	off := 132 + 12*len(tags)
	var table, data []byte
	for _, tg := range tags {
		d := append([]byte{}, tg[1]...)
		for len(d)%4 != 0 {
			d = append(d, 0)
		}
		table = append(table, tg[0]...)
		table = binary.BigEndian.AppendUint32(table, uint32(off+len(data)))
		table = binary.BigEndian.AppendUint32(table, uint32(len(d)))
		data = append(data, d...)
	}
	head := make([]byte, 128)
	binary.BigEndian.PutUint32(head, uint32(off+len(data)))
	copy(head[12:], "mntr")
	copy(head[16:], space)
	copy(head[20:], "XYZ ")
	copy(head[36:], "acsp")
	out := binary.BigEndian.AppendUint32(head, uint32(len(tags)))
	return append(append(out, table...), data...)
}

func xyzTag(x, y, z float64) []byte {
	out := []byte("XYZ \x00\x00\x00\x00")
	for _, v := range []float64{x, y, z} {
		out = binary.BigEndian.AppendUint32(out, uint32(int32(math.Round(v*65536))))
	}
	return out
}

// srgbPara is sRGB's curve as a parametric type-3 curve.
func srgbPara() []byte {
	out := []byte("para\x00\x00\x00\x00\x00\x03\x00\x00")
	for _, v := range []float64{2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045} {
		out = binary.BigEndian.AppendUint32(out, uint32(int32(math.Round(v*65536))))
	}
	return out
}

func iccpChunk(t testing.TB, profile []byte) []byte {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(profile)
	zw.Close()
	return pngChunk("iCCP", append([]byte("test\x00\x00"), z.Bytes()...))
}

// p3ToSRGB is the expected conversion, from the published linear Display P3
// → linear sRGB matrix (not from the profile's colorants, which the code
// uses), so the test checks the code's matrix arithmetic independently.
func p3ToSRGB(c color.NRGBA) color.NRGBA {
	m := [3][3]float64{{1.2249401, -0.2249404, 0}, {-0.0420569, 1.0420571, 0}, {-0.0196376, -0.0786361, 1.0982735}}
	in := [3]float64{srgbDecode(float64(c.R) / 255), srgbDecode(float64(c.G) / 255), srgbDecode(float64(c.B) / 255)}
	var out [3]uint8
	for r := range 3 {
		v := m[r][0]*in[0] + m[r][1]*in[1] + m[r][2]*in[2]
		out[r] = uint8(math.Round(255 * srgbEncode(min(max(v, 0), 1))))
	}
	return color.NRGBA{out[0], out[1], out[2], c.A}
}

func TestICCDisplayP3(t *testing.T) {
	p3 := readTestdata(t, "p3.icc")
	colours := []color.NRGBA{{200, 100, 50, 255}, {30, 180, 90, 255}, {255, 255, 255, 255}, {90, 60, 220, 128}, {128, 128, 128, 255}}
	src := image.NewNRGBA(image.Rect(0, 0, len(colours), 1))
	for x, c := range colours {
		src.SetNRGBA(x, 0, c)
	}
	img, info, err := DecodeImage(context.Background(), withPNGChunks(encodePNG(t, src), iccpChunk(t, p3)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !info.HasICC {
		t.Error("HasICC = false")
	}
	for x, c := range colours {
		if got, want := img.NRGBAAt(x, 0), p3ToSRGB(c); !near(got, want, 2) {
			t.Errorf("P3 %v → %v, want %v", c, got, want)
		}
	}
	// The saturated orange gets more saturated in sRGB: red up, blue down.
	if got := img.NRGBAAt(0, 0); got.R <= 200 || got.B >= 50 {
		t.Errorf("P3 orange became %v: not more saturated", got)
	}

	// JPEG: the same profile split over two APP2 segments.
	flat := image.NewNRGBA(image.Rect(0, 0, 16, 16))
	for i := range flat.Pix {
		flat.Pix[i] = []uint8{200, 100, 50, 255}[i%4]
	}
	half := len(p3) / 2
	seg := func(n int, part []byte) []byte {
		return jpegSegment(0xE2, append([]byte{'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0, byte(n), 2}, part...))
	}
	jimg, _, err := DecodeImage(context.Background(), withJPEGSegments(encodeJPEG(t, flat), seg(2, p3[half:]), seg(1, p3[:half])), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := jimg.NRGBAAt(8, 8), p3ToSRGB(color.NRGBA{200, 100, 50, 255}); !near(got, want, 4) {
		t.Errorf("JPEG P3 orange → %v, want %v", got, want)
	}
}

func TestICCKinds(t *testing.T) {
	srgb := makeICC("RGB ", [][2][]byte{
		{[]byte("rXYZ"), xyzTag(0.4360747, 0.2225045, 0.0139322)},
		{[]byte("gXYZ"), xyzTag(0.3850649, 0.7168786, 0.0971045)},
		{[]byte("bXYZ"), xyzTag(0.1430804, 0.0606169, 0.7141733)},
		{[]byte("rTRC"), srgbPara()}, {[]byte("gTRC"), srgbPara()}, {[]byte("bTRC"), srgbPara()},
	})
	linearGray := makeICC("GRAY", [][2][]byte{{[]byte("kTRC"), []byte("curv\x00\x00\x00\x00\x00\x00\x00\x00")}})
	lutOnly := makeICC("RGB ", [][2][]byte{{[]byte("A2B0"), []byte("mAB \x00\x00\x00\x00")}})
	gamma22 := makeICC("GRAY", [][2][]byte{{[]byte("kTRC"), []byte("curv\x00\x00\x00\x00\x00\x00\x00\x01\x02\x33")}})

	rgb := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	rgb.SetNRGBA(0, 0, color.NRGBA{200, 100, 50, 255})
	gray := image.NewGray(image.Rect(0, 0, 1, 1))
	gray.SetGray(0, 0, color.Gray{128})
	for _, tt := range []struct {
		name    string
		img     image.Image
		profile []byte
		want    color.NRGBA
	}{
		{"sRGB profile leaves pixels alone", rgb, srgb, color.NRGBA{200, 100, 50, 255}},
		{"LUT-only profile is taken as sRGB", rgb, lutOnly, color.NRGBA{200, 100, 50, 255}},
		{"grey profile on an RGB image is ignored", rgb, linearGray, color.NRGBA{200, 100, 50, 255}},
		{"linear grey becomes sRGB grey", gray, linearGray, color.NRGBA{188, 188, 188, 255}},
		{"gamma 2.2 grey is near sRGB", gray, gamma22, color.NRGBA{128, 128, 128, 255}},
	} {
		img, _, err := DecodeImage(context.Background(), withPNGChunks(encodePNG(t, tt.img), iccpChunk(t, tt.profile)), Limits{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := img.NRGBAAt(0, 0); !near(got, tt.want, 1) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
