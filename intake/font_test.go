package intake

import (
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"
)

func systemFont(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("font not installed here: %v", err)
	}
	return b
}

const dejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

func TestInspectFont(t *testing.T) {
	for _, tt := range []struct {
		path string
		want FontInfo
	}{
		{dejaVu, FontInfo{"DejaVu Sans", "Book", "ttf", 6253}},
		{"/usr/share/fonts/truetype/dejavu/DejaVuSans-BoldOblique.ttf", FontInfo{"DejaVu Sans", "Bold Oblique", "ttf", 0}},
	} {
		got, err := InspectFont(systemFont(t, tt.path), 0)
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		if tt.want.Glyphs == 0 {
			tt.want.Glyphs = got.Glyphs
		}
		if got != tt.want || got.Glyphs < 1000 {
			t.Errorf("%s: got %+v, want %+v", tt.path, got, tt.want)
		}
	}
}

// tableOffset finds a table's offset in an sfnt directory.
func tableOffset(t testing.TB, b []byte, tag string) int {
	n := int(binary.BigEndian.Uint16(b[4:]))
	for i := range n {
		e := b[12+16*i:]
		if string(e[:4]) == tag {
			return int(binary.BigEndian.Uint32(e[8:]))
		}
	}
	t.Fatalf("no %s table", tag)
	return 0
}

func TestHostileFonts(t *testing.T) {
	ttf := systemFont(t, dejaVu)
	mutate := func(tag string, at int, v ...byte) []byte {
		b := append([]byte{}, ttf...)
		copy(b[tableOffset(t, b, tag)+at:], v)
		return b
	}
	ttc := append([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10"), ttf...)
	for _, tt := range []struct {
		name string
		file []byte
		max  int64
		want error
		msg  string
	}{
		{"WOFF2", append([]byte("wOF2\x00\x01\x00\x00"), make([]byte, 64)...), 0, ErrUnsupported, "convert it to TTF or OTF"},
		{"WOFF", append([]byte("wOFF\x00\x01\x00\x00"), make([]byte, 64)...), 0, ErrUnsupported, "convert it to TTF or OTF"},
		{"collection", ttc, 0, ErrUnsupported, "collection (TTC)"},
		{"random", []byte(strings.Repeat("not a font at all", 10)), 0, ErrUnsupported, "not a TTF or OTF"},
		{"too short", []byte("OTTO"), 0, ErrCorrupt, "too short"},
		{"over maxBytes", ttf, 1000, ErrTooLarge, "at most 1 KB"},
		{"truncated", ttf[:len(ttf)/2], 0, ErrCorrupt, "damaged"},
		{"hmtx metrics count past maxp", mutate("hhea", 34, 0xFF, 0xFF), 0, ErrCorrupt, "hhea"},
		{"maxp zero glyphs", mutate("maxp", 4, 0, 0), 0, ErrCorrupt, "maxp"},
		{"GSUB lookup list out of the table", mutate("GSUB", 8, 0xFF, 0xFF), 0, ErrCorrupt, "GSUB"},
		{"no outlines", renameTable(ttf, "glyf", "gly_"), 0, ErrUnsupported, "no glyph outlines"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := InspectFont(tt.file, tt.max)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q does not say %q", err, tt.msg)
			}
		})
	}
}

// renameTable changes a table's tag in the directory, as if it were absent.
func renameTable(b []byte, from, to string) []byte {
	b = append([]byte{}, b...)
	for i := range int(binary.BigEndian.Uint16(b[4:])) {
		if e := b[12+16*i:]; string(e[:4]) == from {
			copy(e, to)
		}
	}
	return b
}
