package usdz

import (
	"archive/zip"
	"bytes"
	"errors"
	"hash/crc32"
	"strings"
	"testing"
)

var (
	testLayer = []byte("#usda 1.0\n")
	testPNG8  = []byte("\x89PNG\r\n\x1a\n and the rest")
)

// rawEntry is an entry for a zip built by zipWith.
type rawEntry struct {
	name   string
	data   []byte
	method uint16 // zip.Store or zip.Deflate
	// descriptor writes it with CreateHeader (sizes in a data descriptor).
	descriptor bool
	// noAlign skips the padding (data at whatever offset it lands).
	noAlign bool
	// badCRC records a wrong CRC.
	badCRC bool
}

// zipWith builds an archive the way a careless tool would, to give Check
// every kind of mistake.
func zipWith(t *testing.T, entries ...rawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	offset := 0
	for _, e := range entries {
		var err error
		switch {
		case e.descriptor || e.method == zip.Deflate:
			var w interface{ Write([]byte) (int, error) }
			w, err = zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: e.method})
			if err == nil {
				_, err = w.Write(e.data)
			}
			offset = -1 // unknown from here on; those tests do not need it
		default:
			var extra []byte
			if !e.noAlign && offset >= 0 {
				extra = padding(offset + localHeaderLen + len(e.name))
			}
			crc := crc32.ChecksumIEEE(e.data)
			if e.badCRC {
				crc++
			}
			fh := &zip.FileHeader{Name: e.name, Method: zip.Store, CRC32: crc, CompressedSize64: uint64(len(e.data)), UncompressedSize64: uint64(len(e.data)), Extra: extra}
			var w interface{ Write([]byte) (int, error) }
			w, err = zw.CreateRaw(fh)
			if err == nil {
				_, err = w.Write(e.data)
			}
			if offset >= 0 {
				offset += localHeaderLen + len(e.name) + len(extra) + len(e.data)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCheckAcceptsOurLayout(t *testing.T) {
	t.Parallel()
	b, err := writeZip([]file{{name: rootLayer, data: testLayer}, {name: "textures/a.png", data: testPNG8}, {name: "textures/b.jpg", data: []byte{0xff, 0xd8, 0xff, 0xe0}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(bytes.NewReader(b), int64(len(b))); err != nil {
		t.Fatal(err)
	}
	// Every name length: the padding must always land data on 64.
	for n := 1; n <= 130; n++ {
		name := strings.Repeat("x", n) + ".usda"
		b, err := writeZip([]file{{name: name, data: testLayer}, {name: "t/" + name[:n] + ".png", data: testPNG8}})
		if err != nil {
			t.Fatal(err)
		}
		if err := Check(bytes.NewReader(b), int64(len(b))); err != nil {
			t.Fatalf("name length %d: %v", n, err)
		}
	}
}

func TestCheckRefusals(t *testing.T) {
	t.Parallel()
	layer := rawEntry{name: rootLayer, data: testLayer}
	cases := []struct {
		name    string
		entries []rawEntry
		want    string
	}{
		{"compressed", []rawEntry{layer, {name: "a.png", data: testPNG8, method: zip.Deflate}}, "is compressed"},
		{"data descriptor", []rawEntry{layer, {name: "a.png", data: testPNG8, descriptor: true}}, "data descriptor"},
		{"misaligned", []rawEntry{{name: "m.usda", data: testLayer, noAlign: true}}, "not a multiple of 64"},
		{"texture first", []rawEntry{{name: "a.png", data: testPNG8}, layer}, "must be the root USD layer"},
		{"absolute path", []rawEntry{layer, {name: "/etc/a.png", data: testPNG8}}, "not a relative path"},
		{"parent folder", []rawEntry{layer, {name: "../a.png", data: testPNG8}}, "leaves the package"},
		{"backslash", []rawEntry{layer, {name: `textures\a.png`, data: testPNG8}}, "forward slashes"},
		{"file type", []rawEntry{layer, {name: "a.webp", data: []byte("RIFF")}}, "file type usdz does not allow"},
		{"not a png", []rawEntry{layer, {name: "a.png", data: []byte("GIF89a...")}}, "is not a PNG image"},
		{"bad crc", []rawEntry{layer, {name: "a.png", data: testPNG8, badCRC: true}}, "CRC does not match"},
		{"empty", nil, "the archive is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := zipWith(t, tc.entries...)
			err := Check(bytes.NewReader(b), int64(len(b)))
			var ce *CheckError
			if !errors.As(err, &ce) {
				t.Fatalf("want a *CheckError, got %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

func TestCheckNotAZip(t *testing.T) {
	t.Parallel()
	b := []byte("glTF this is not a zip at all")
	err := Check(bytes.NewReader(b), int64(len(b)))
	var ce *CheckError
	if err == nil || errors.As(err, &ce) {
		t.Fatalf("want a plain error, got %v", err)
	}
}

func TestPaddingField(t *testing.T) {
	t.Parallel()
	for end := 0; end < 200; end++ {
		p := padding(end)
		if (end+len(p))%dataAlign != 0 {
			t.Fatalf("end %d: padding %d does not align", end, len(p))
		}
		if len(p) != 0 && (len(p) < 4 || int(p[2])|int(p[3])<<8 != len(p)-4) {
			t.Fatalf("end %d: extra field of %d bytes is malformed", end, len(p))
		}
	}
}
