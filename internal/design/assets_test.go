package design

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

func TestUploadImage(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		plain := pngImage(t, 64, 32)
		a, err := f.svc.UploadImage(f.ctx, f.shopper, plain, "../../photo.png")
		if err != nil {
			t.Fatal(err)
		}
		if a.Format != "png" || a.Width != 64 || a.Height != 32 || a.Filename != "photo.png" || a.URL == "" || a.Size != int64(len(plain)) {
			t.Fatalf("asset %+v", a)
		}
		if got := f.blobBytes(t, a.key); !bytes.Equal(got, plain) {
			t.Error("an upright sRGB image was not kept as uploaded")
		}
		// The same file again: the same asset, nothing more stored.
		again, err := f.svc.UploadImage(f.ctx, f.owner, plain, "other.png")
		if err != nil || again.SHA256 != a.SHA256 || f.count(t, "design_assets") != 1 || len(f.blobList(t)) != 1 {
			t.Fatalf("dedup: %+v %v, %d rows", again, err, f.count(t, "design_assets"))
		}
		// Another brand gets its own copy, and cannot see brand A's.
		if b, err := f.svc.UploadImage(f.ctx, f.other, plain, "x.png"); err != nil || b.SHA256 != a.SHA256 || f.count(t, "design_assets") != 2 {
			t.Fatalf("brand B: %+v %v", b, err)
		}
		wantCode(t, second(f.svc.GetAsset(f.ctx, f.other, "0"+a.SHA256[1:])), apperr.NotFound)

		// A JPEG turned by EXIF: stored upright as a PNG, sizes as displayed.
		turned, err := f.svc.UploadImage(f.ctx, f.owner, withOrientation(t, jpegImage(t, 40, 20), 6), "cam.jpg")
		if err != nil || turned.Format != "png" || turned.Width != 20 || turned.Height != 40 {
			t.Fatalf("turned: %+v %v", turned, err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(f.blobBytes(t, turned.key)))
		if err != nil || cfg.Width != 20 || cfg.Height != 40 {
			t.Fatalf("stored turned image: %+v %v", cfg, err)
		}
		// An asset is usable in a design at once.
		if _, err := f.svc.Create(f.ctx, f.owner, Draft{Document: f.doc(`{"zone_id":"` + f.front +
			`","layers":[{"type":"image","asset":"` + turned.SHA256 + `","width_mm":2,"height_mm":4}]}`)}); err != nil {
			t.Fatal(err)
		}

		// Refusals: nothing stored.
		rows, blobs := f.count(t, "design_assets"), len(f.blobList(t))
		for name, c := range map[string]struct {
			data []byte
			code apperr.Code
		}{
			"gif":       {[]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), apperr.UnsupportedMedia},
			"random":    {bytes.Repeat([]byte{0x42}, 100), apperr.UnsupportedMedia},
			"truncated": {plain[:len(plain)/2], apperr.Unprocessable},
			"huge":      {withPNGSize(plain, 100000, 100000), apperr.TooLarge},
			"over size": {make([]byte, f.svc.MaxImageUpload()+1), apperr.TooLarge},
		} {
			if _, err := f.svc.UploadImage(f.ctx, f.owner, c.data, name); apperr.CodeOf(err) != c.code {
				t.Errorf("%s: %v, want %s", name, err, c.code)
			}
		}
		if f.count(t, "design_assets") != rows || len(f.blobList(t)) != blobs {
			t.Error("a refused upload stored something")
		}
		wantCode(t, second(f.svc.UploadImage(f.ctx, f.viewer, plain, "x.png")), apperr.Forbidden)
	})
}

func TestUploadFont(t *testing.T) {
	t.Parallel()
	ttf, err := os.ReadFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
	if err != nil {
		t.Skipf("DejaVu Sans is not installed here: %v", err)
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		font, err := f.svc.UploadFont(f.ctx, f.owner, ttf, "DejaVuSans.ttf")
		if err != nil || font.Family != "DejaVu Sans" || font.Format != "ttf" || font.Glyphs < 1000 {
			t.Fatalf("font %+v %v", font, err)
		}
		wantCode(t, second(f.svc.UploadFont(f.ctx, f.owner, ttf, "again.ttf")), apperr.Conflict, "already has")
		if len(f.blobList(t)) != 1 {
			t.Errorf("blobs after a refused duplicate: %v", f.blobList(t))
		}
		fonts, err := f.svc.ListFonts(f.ctx, f.shopper)
		if err != nil || len(fonts.Bundled) != 2 || len(fonts.Brand) != 1 {
			t.Fatalf("fonts %+v %v", fonts, err)
		}
		if other, _ := f.svc.ListFonts(f.ctx, f.other); len(other.Brand) != 0 {
			t.Fatalf("brand B sees brand A's fonts: %+v", other)
		}
		// The brand's font is usable in its designs, not in another brand's.
		if _, err := f.svc.Create(f.ctx, f.owner, Draft{Document: f.doc(f.text(`"font":"dejavu sans"`))}); err != nil {
			t.Fatal(err)
		}
		rc, _, err := f.svc.OpenFont(f.ctx, f.brandA, "DejaVu Sans", "")
		if err != nil {
			t.Fatal(err)
		}
		rc.Close()
		_, _, err = f.svc.OpenFont(f.ctx, f.brandB, "DejaVu Sans", "")
		wantCode(t, err, apperr.NotFound)

		// A family named like a bundled one is refused; so are shoppers,
		// WOFF2 and garbage.
		bundled := f.svc.cfg.Fonts
		f.svc.cfg.Fonts = func(context.Context, string) ([]string, error) { return []string{"DEJAVU SANS"}, nil }
		wantCode(t, second(f.svc.UploadFont(f.ctx, f.other, ttf, "x.ttf")), apperr.Conflict, "bundled")
		f.svc.cfg.Fonts = bundled
		wantCode(t, second(f.svc.UploadFont(f.ctx, f.shopper, ttf, "x.ttf")), apperr.Forbidden)
		wantCode(t, second(f.svc.UploadFont(f.ctx, f.owner, append([]byte("wOF2"), ttf[4:]...), "x.woff2")), apperr.UnsupportedMedia)
		wantCode(t, second(f.svc.UploadFont(f.ctx, f.owner, ttf[:2000], "x.ttf")), apperr.Unprocessable)
	})
}

// blobList lists every stored blob key.
func (f *fixture) blobList(t *testing.T) []string {
	t.Helper()
	var keys []string
	if err := f.blobs.List(f.ctx, "", func(i blob.Info) bool { keys = append(keys, i.Key); return true }); err != nil {
		t.Fatal(err)
	}
	return keys
}

func (f *fixture) blobBytes(t *testing.T, key string) []byte {
	t.Helper()
	rc, _, err := f.blobs.Get(f.ctx, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(rc)
	return b.Bytes()
}

func pngImage(t *testing.T, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegImage(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 6), uint8(y * 12), 90, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withOrientation splices an EXIF APP1 segment with orientation o after
// the JPEG's SOI marker.
func withOrientation(t *testing.T, j []byte, o uint16) []byte {
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a")
	_ = binary.Write(&tiff, binary.BigEndian, uint32(8))
	_ = binary.Write(&tiff, binary.BigEndian, uint16(1))           // one entry
	_ = binary.Write(&tiff, binary.BigEndian, []uint16{0x0112, 3}) // Orientation, SHORT
	_ = binary.Write(&tiff, binary.BigEndian, uint32(1))           // count
	_ = binary.Write(&tiff, binary.BigEndian, []uint16{o, 0})      // value, padded
	_ = binary.Write(&tiff, binary.BigEndian, uint32(0))           // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := append([]byte{0xff, 0xe1, 0, 0}, payload...)
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	if !strings.HasPrefix(string(j), "\xff\xd8") {
		t.Fatal("not a JPEG")
	}
	return append(append([]byte{0xff, 0xd8}, seg...), j[2:]...)
}

// withPNGSize rewrites the size in a PNG's header (with a valid CRC), the
// way a decompression bomb claims another size.
func withPNGSize(b []byte, w, h uint32) []byte {
	out := bytes.Clone(b)
	binary.BigEndian.PutUint32(out[16:], w)
	binary.BigEndian.PutUint32(out[20:], h)
	binary.BigEndian.PutUint32(out[29:], crc32.ChecksumIEEE(out[12:29]))
	return out
}

// TestOpenFontPrefersRegular: a design names a family, not a style, so the
// family is drawn with its regular file even when another style sorts
// first ("Bold" < "Book" < "Regular"), and the widget fetches that same
// file; a named style is opened as asked.
func TestOpenFontPrefersRegular(t *testing.T) {
	t.Parallel()
	bold, err1 := os.ReadFile("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
	regular, err2 := os.ReadFile("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
	if err1 != nil || err2 != nil {
		t.Skipf("DejaVu Serif is not installed here: %v %v", err1, err2)
	}
	f := newFixture(t, dbtest.SQLite(t))
	b, err := f.svc.UploadFont(f.ctx, f.owner, bold, "DejaVuSerif-Bold.ttf")
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.svc.UploadFont(f.ctx, f.owner, regular, "DejaVuSerif.ttf")
	if err != nil {
		t.Fatal(err)
	}
	for style, want := range map[string]string{"": r.SHA256, "bold": b.SHA256, "BOLD": b.SHA256, r.Style: r.SHA256} {
		rc, got, err := f.svc.OpenFont(f.ctx, f.brandA, "dejavu serif", style)
		if err != nil {
			t.Fatalf("style %q: %v", style, err)
		}
		rc.Close()
		if got.SHA256 != want {
			t.Errorf("style %q opened %s (%s), want %s", style, got.Filename, got.Style, want)
		}
	}
	wantCode(t, third(f.svc.OpenFont(f.ctx, f.brandA, "DejaVu Serif", "italic")), apperr.NotFound)
}

func third[A, B any](_ A, _ B, err error) error { return err }

func TestPickFont(t *testing.T) {
	files := []Font{{Family: "Acme", Style: "Bold", SHA256: "b"}, {Family: "Acme", Style: "Book", SHA256: "k"},
		{Family: "Acme", Style: "Regular", SHA256: "r"}, {Family: "Solo", Style: "Black", SHA256: "s"}}
	for _, c := range []struct{ family, style, want string }{
		{"acme", "", "k"}, {"ACME", "bold", "b"}, {"Acme", "regular", "r"}, {"Solo", "", "s"}, {"Acme", "italic", ""}, {"None", "", ""},
	} {
		f, ok := PickFont(files, c.family, c.style)
		if f.SHA256 != c.want || ok != (c.want != "") {
			t.Errorf("PickFont(%s, %q) = %q %v, want %q", c.family, c.style, f.SHA256, ok, c.want)
		}
	}
}
