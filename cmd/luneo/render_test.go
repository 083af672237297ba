package main

import (
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRenderCommand draws a corpus model with `luneo render` in two views
// and backgrounds, and refuses bad flags and bad input without writing.
func TestRenderCommand(t *testing.T) {
	duck := filepath.Join(gltfCorpus(t, "models"), "Duck.glb")
	if _, err := os.Stat(duck); err != nil {
		corpusMissing(t, "corpus: %v", err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "duck.png")
	stdout, stderr, err := runLuneo(t, "render", "--size", "64", duck, out)
	if err != nil || !strings.Contains(stdout, "4212 triangles") {
		t.Fatalf("render: %v\n%s%s", err, stdout, stderr)
	}
	img := decodePNGFile(t, out)
	if b := img.Bounds(); b.Dx() != 64 || b.Dy() != 64 {
		t.Fatalf("size %v", b)
	}
	if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
		t.Errorf("corner alpha %d, want a transparent background", a)
	}
	if _, _, _, a := img.At(32, 32).RGBA(); a != 0xffff {
		t.Errorf("centre alpha %d, want the duck", a)
	}
	if _, _, err := runLuneo(t, "render", "--size", "32", "--view", "top", "--background", "#102030", duck, out); err != nil {
		t.Fatal(err)
	}
	if r, g, b, a := decodePNGFile(t, out).At(0, 0).RGBA(); r>>8 != 0x10 || g>>8 != 0x20 || b>>8 != 0x30 || a != 0xffff {
		t.Errorf("background %x %x %x %x, want #102030", r>>8, g>>8, b>>8, a>>8)
	}

	bad := filepath.Join(dir, "bad.png")
	for _, args := range [][]string{
		{"--size", "0", duck, bad},
		{"--size", "5000", duck, bad},
		{"--view", "side", duck, bad},
		{"--background", "red", duck, bad},
		{"--background", "#12345", duck, bad},
		{duck, filepath.Join(dir, "out.jpg")},
		{duck},
	} {
		_, _, err := runLuneo(t, append([]string{"render"}, args...)...)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("render %v: err = %v, want a usage error", args, err)
		}
	}
	invalid := filepath.Join(gltfCorpus(t, "invalid-glb"), "bom.glb")
	if _, stderr, err := runLuneo(t, "render", invalid, bad); err == nil || !strings.Contains(stderr, "INVALID_JSON") {
		t.Errorf("invalid model: %v %s", err, stderr)
	}
	if _, _, err := runLuneo(t, "render", filepath.Join(dir, "missing.glb"), bad); err == nil {
		t.Error("missing input accepted")
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("a refused render left an output file")
	}
	if stdout, _, _ := runLuneo(t, "help"); !strings.Contains(stdout, "luneo render") {
		t.Error("help does not list render")
	}
}

func decodePNGFile(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}
