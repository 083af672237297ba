package main

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gen2brain/webp"
)

// composeDir writes a scene, its images and a copy of a bundled font file
// under a font path, in a temporary folder.
func composeDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	base := image.NewNRGBA(image.Rect(0, 0, 200, 100))
	for i := range base.Pix {
		base.Pix[i] = uint8(i * 7)
		if i%4 == 3 {
			base.Pix[i] = 255
		}
	}
	over := image.NewNRGBA(image.Rect(0, 0, 40, 40))
	for i := 0; i < len(over.Pix); i += 4 {
		copy(over.Pix[i:], []byte{255, 0, 0, 160})
	}
	for name, img := range map[string]image.Image{"base.png": base, "over.png": over} {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	font, err := os.ReadFile(filepath.Join("..", "..", "compose", "fonts", "DejaVuSans-Bold.ttf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "f"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "f", "Brand.ttf"), font, 0o644); err != nil {
		t.Fatal(err)
	}
	scene := `{"width": 200, "height": 100, "dpi": 300, "layers": [
	 {"type": "image", "src": "base.png"},
	 {"type": "image", "src": "over.png", "x": 20, "y": 20},
	 {"type": "text", "text": "Hi שלום", "font": "f/Brand.ttf", "size": 30, "color": "#ffffff", "stroke": "#000000", "stroke_width": 2, "x": 10, "y": 90}]}`
	if err := os.WriteFile(filepath.Join(dir, "scene.json"), []byte(scene), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestComposeCommandWritesEachFormat(t *testing.T) {
	dir := composeDir(t)
	scene := filepath.Join(dir, "scene.json")
	for _, tt := range []struct {
		out  string
		args []string
		size image.Point
	}{
		{"out.png", nil, image.Pt(200, 100)},
		{"small.png", []string{"--size", "50"}, image.Pt(50, 25)},
		{"out.webp", []string{"--quality", "80", "--size", "100"}, image.Pt(100, 50)},
		{"out.pdf", nil, image.Point{}},
	} {
		out := filepath.Join(dir, tt.out)
		stdout, stderr, err := runLuneo(t, append(append([]string{"compose"}, tt.args...), scene, out)...)
		if err != nil {
			t.Fatalf("%s: %v %s", tt.out, err, stderr)
		}
		if !strings.Contains(stdout, out) {
			t.Errorf("%s: stdout %q", tt.out, stdout)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var img image.Image
		switch filepath.Ext(tt.out) {
		case ".png":
			img, err = png.Decode(bytes.NewReader(data))
		case ".webp":
			img, err = webp.Decode(bytes.NewReader(data))
		case ".pdf":
			if !bytes.HasPrefix(data, []byte("%PDF-")) {
				t.Errorf("pdf: starts %q", data[:8])
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tt.out, err)
		}
		if img.Bounds().Size() != tt.size {
			t.Errorf("%s: %v, want %v", tt.out, img.Bounds().Size(), tt.size)
		}
		// The overlay (red, alpha 160) lands at 20,20 of the scene.
		p := image.Pt(30*tt.size.X/200, 30*tt.size.X/200)
		if c := color.NRGBAModel.Convert(img.At(p.X, p.Y)).(color.NRGBA); c.R < 150 {
			t.Errorf("%s: overlay pixel %v not reddish", tt.out, c)
		}
	}
}

func TestComposeCommandErrors(t *testing.T) {
	dir := composeDir(t)
	scene := filepath.Join(dir, "scene.json")
	bad := func(name, js string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(js), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name  string
		args  []string
		usage bool
		want  string
	}{
		{"no args", []string{"compose"}, true, "compose needs SCENE.json"},
		{"bad extension", []string{"compose", scene, filepath.Join(dir, "x.jpg")}, true, "must end in .png, .webp or .pdf"},
		{"bad quality", []string{"compose", "--quality", "0", scene, filepath.Join(dir, "x.webp")}, true, "--quality 0"},
		{"bad flag", []string{"compose", "--colour", "x", scene, filepath.Join(dir, "x.png")}, true, "flag provided but not defined"},
		{"missing scene", []string{"compose", filepath.Join(dir, "nope.json"), filepath.Join(dir, "x.png")}, false, "no such file"},
		{"unknown font", []string{"compose", bad("f.json", `{"width":10,"height":10,"layers":[{"type":"text","text":"a","font":"Papyrus","size":5}]}`), filepath.Join(dir, "x.png")}, false, `unknown font "Papyrus"`},
		{"broken image", []string{"compose", bad("b.json", `{"width":10,"height":10,"layers":[{"type":"image","src":"scene.json"}]}`), filepath.Join(dir, "x.png")}, false, "read image header"},
		{"escaping src", []string{"compose", bad("e.json", `{"width":10,"height":10,"layers":[{"type":"image","src":"../../etc/passwd"}]}`), filepath.Join(dir, "x.png")}, false, "escapes"},
		{"bad colour", []string{"compose", bad("c.json", `{"width":10,"height":10,"layers":[{"type":"fill","color":"blue"}]}`), filepath.Join(dir, "x.png")}, false, `layer 0: color: "blue"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runLuneo(t, tt.args...)
			var ue usageError
			if err == nil || errors.As(err, &ue) != tt.usage || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v (usage error: %v), want %q", err, errors.As(err, &ue), tt.want)
			}
		})
	}
	// No failure leaves an output file, finished or not.
	for _, name := range []string{"x.png", "x.webp", "x.jpg"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s was written", name)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
