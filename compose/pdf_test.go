package compose

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// poppler returns the path of a poppler-utils tool, skipping the test when
// it is absent unless LUNEO_TEST_PDF=1 (CI installs poppler-utils).
func poppler(t *testing.T, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("LUNEO_TEST_PDF") == "1" {
			t.Fatalf("%s not found and LUNEO_TEST_PDF=1: install poppler-utils", tool)
		}
		t.Skipf("%s not found (install poppler-utils, or set LUNEO_TEST_PDF=1 to require it)", tool)
	}
	return p
}

func TestWritePDFIsVectorWithEmbeddedSubsetFonts(t *testing.T) {
	pdffonts, pdftotext, pdfinfo := poppler(t, "pdffonts"), poppler(t, "pdftotext"), poppler(t, "pdfinfo")
	s := parse(t, `{"width": 600, "height": 300, "dpi": 150, "background": "#ffffff", "layers": [
	 {"type": "image", "src": "grad", "x": 400, "y": 20, "width": 180, "height": 120, "rotation": 10},
	 {"type": "fill", "color": "#3366cc", "x": 20, "y": 200, "width": 100, "height": 60},
	 {"type": "text", "text": "Luneo print", "font": "DejaVu Sans", "size": 40, "color": "#000000", "stroke": "#ff0000", "stroke_width": 2, "x": 20, "y": 50},
	 {"type": "text", "text": "Привет Γειά", "font": "Noto Sans", "size": 30, "color": "#000000", "x": 20, "y": 100},
	 {"type": "text", "text": "שלום", "font": "Noto Sans", "size": 30, "color": "#000000", "x": 20, "y": 140},
	 {"type": "text", "text": "مرحبا 😀", "font": "Noto Sans", "size": 30, "color": "#000000", "x": 200, "y": 140}]}`)
	dir := t.TempDir()
	path := filepath.Join(dir, "zone.pdf")
	var buf bytes.Buffer
	if err := WritePDF(context.Background(), &buf, s, Options{Fonts: testFonts, Sources: memSources{"grad": gradient(64, 48)}}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdffonts, path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdffonts: %v\n%s", err, out)
	}
	fontsOut := string(out)
	for _, want := range []string{"DejaVuSans", "NotoSans-Regular", "NotoSansHebrew", "NotoSansArabic"} {
		line := lineWith(fontsOut, want)
		if line == "" {
			t.Errorf("pdffonts lists no %s:\n%s", want, fontsOut)
			continue
		}
		// Columns: … emb sub uni: all "yes", and a SUBSET+ name prefix.
		f := strings.Fields(line)
		if len(f) < 5 || f[len(f)-5] != "yes" || f[len(f)-4] != "yes" || !strings.Contains(f[0], "+") {
			t.Errorf("%s not embedded as a subset: %q", want, line)
		}
	}
	out, err = exec.Command(pdftotext, path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{"Luneo print", "Привет", "Γειά", "שלום"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, text)
		}
	}
	// Arabic extracts in presentation forms; its letters must be there.
	if !strings.ContainsAny(text, "مرحباﻣﺮﺣﺒﺎ") {
		t.Errorf("pdftotext lacks the Arabic line:\n%s", text)
	}
	out, err = exec.Command(pdfinfo, path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	// 600×300 px at 150 dpi = 4×2 in = 288×144 pt.
	if !strings.Contains(string(out), "288 x 144 pts") {
		t.Errorf("page size:\n%s", out)
	}
}

func lineWith(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}
