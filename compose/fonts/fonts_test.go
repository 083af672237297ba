package fonts

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	s := Bundled()
	for _, tt := range []struct {
		name string
		bold bool
		file string
	}{
		{"Noto Sans", false, "NotoSans-Regular.ttf"},
		{"noto sans", true, "NotoSans-Bold.ttf"},
		{"DejaVuSans.ttf", false, "DejaVuSans.ttf"},
		{"Noto Color Emoji", true, "NotoColorEmoji.ttf"}, // no bold: the regular
	} {
		f, err := s.Lookup(tt.name, tt.bold)
		if err != nil || f.File != tt.file {
			t.Errorf("Lookup(%q, %v) = %v, %v; want %s", tt.name, tt.bold, f, err, tt.file)
		}
	}
	_, err := s.Lookup("Helvetica", false)
	if err == nil || !strings.Contains(err.Error(), `unknown font "Helvetica"`) || !strings.Contains(err.Error(), "Noto Sans Devanagari") {
		t.Errorf("unknown font: %v", err)
	}
}

func TestEveryBundledFontParsesAndCoversItsScript(t *testing.T) {
	s := Bundled()
	for file, r := range map[string]rune{
		"NotoSans-Regular.ttf": 'Ж', "NotoSans-Bold.ttf": 'λ', "NotoSansArabic-Regular.ttf": 'م',
		"NotoSansArabic-Bold.ttf": 'ب', "NotoSansHebrew-Regular.ttf": 'ש', "NotoSansHebrew-Bold.ttf": 'א',
		"NotoSansDevanagari-Regular.ttf": 'क', "NotoSansDevanagari-Bold.ttf": 'ष', "DejaVuSans.ttf": '→',
		"DejaVuSans-Bold.ttf": 'é', "NotoColorEmoji.ttf": '😀',
	} {
		f, err := s.Lookup(file, false)
		if err != nil {
			t.Fatal(err)
		}
		if !f.Has(r) {
			t.Errorf("%s lacks %q", file, r)
		}
		if _, err := f.Canvas(); err != nil && !f.Color {
			t.Errorf("%s for PDF: %v", file, err)
		}
	}
}

func TestAddDirJoinsFallbackBeforeEmoji(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("DejaVuSans-Bold.ttf")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Extra.ttf"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("ignored"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := Bundled()
	if err := s.AddDir(dir); err != nil {
		t.Fatal(err)
	}
	fb := s.Fallback()
	if n := len(fb); fb[n-2].File != "Extra.ttf" || !fb[n-1].Color {
		t.Errorf("fallback tail: %s, %s", fb[n-2].File, fb[n-1].File)
	}
	if f, err := s.Lookup("Extra.ttf", false); err != nil || f.Family != "DejaVu Sans" || !f.Bold {
		t.Errorf("added font: %+v %v", f, err)
	}
	// A broken font file fails when added, naming it.
	if err := os.WriteFile(filepath.Join(dir, "Broken.otf"), []byte("OTTO not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Bundled().AddDir(dir); err == nil || !strings.Contains(err.Error(), "Broken.otf") {
		t.Errorf("broken font: %v", err)
	}
}
