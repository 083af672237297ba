package gltf

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// designPNG is a small opaque PNG standing in for a composed design texture.
func designPNG(t testing.TB) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 64, 32))
	for i := range img.Pix {
		img.Pix[i] = 0xC0
	}
	img.SetNRGBA(3, 4, color.NRGBA{R: 255, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// reread writes doc as a GLB and reads it back.
func reread(t *testing.T, doc *Document) (*Document, []byte) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteGLB(&b, doc); err != nil {
		t.Fatal(err)
	}
	back, err := Read(bytes.NewReader(b.Bytes()), int64(b.Len()), ReadOptions{})
	if err != nil {
		t.Fatalf("read the swapped GLB: %v", err)
	}
	return back, b.Bytes()
}

func baseColorBytes(t *testing.T, doc *Document, m int) []byte {
	t.Helper()
	tex := doc.Materials[m].PBRMetallicRoughness.BaseColorTexture
	b, err := doc.ImageData(*doc.Textures[tex.Index].Source)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWithBaseColorsReplacesAnExclusiveImage(t *testing.T) {
	doc := readCorpus(t, "Duck.glb")
	_, orig := reread(t, doc)
	oldImage := baseColorBytes(t, doc, 0)
	design := designPNG(t)
	swapped, err := WithBaseColors(doc, []BaseColorSwap{{Material: 0, Data: design}})
	if err != nil {
		t.Fatal(err)
	}
	back, glb := reread(t, swapped)
	if got := baseColorBytes(t, back, 0); !bytes.Equal(got, design) {
		t.Fatal("material 0 does not sample the design image")
	}
	if len(back.Images) != len(doc.Images) || len(back.Textures) != len(doc.Textures) {
		t.Fatalf("images/textures %d/%d, want %d/%d: an exclusive image is replaced in place", len(back.Images), len(back.Textures), len(doc.Images), len(doc.Textures))
	}
	if want := len(orig) - len(oldImage) + len(design); len(glb) > want+8 {
		t.Fatalf("GLB is %d bytes, want about %d: the old image's bytes are still in it", len(glb), want)
	}
	if !bytes.Equal(baseColorBytes(t, doc, 0), oldImage) {
		t.Fatal("the source document was modified")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "duck-design.glb")
	if err := os.WriteFile(p, glb, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := khronosValidate(t, p)[p]; r.NumErrors != 0 {
		t.Fatalf("Khronos validator: %d errors: %+v", r.NumErrors, r.Messages)
	}
}

func TestWithBaseColorsCopiesASharedImage(t *testing.T) {
	doc := readCorpus(t, "Duck.glb")
	shared := *doc
	second := doc.Materials[0]
	second.Name = "other"
	shared.Materials = append(slices.Clone(doc.Materials), second)
	oldImage := baseColorBytes(t, &shared, 0)
	design := designPNG(t)
	swapped, err := WithBaseColors(&shared, []BaseColorSwap{{Material: 1, Data: design, FactorWhite: true}})
	if err != nil {
		t.Fatal(err)
	}
	back, glb := reread(t, swapped)
	if !bytes.Equal(baseColorBytes(t, back, 1), design) {
		t.Fatal("the swapped material does not sample the design image")
	}
	if !bytes.Equal(baseColorBytes(t, back, 0), oldImage) {
		t.Fatal("the other material lost its own image")
	}
	if len(back.Images) != len(doc.Images)+1 {
		t.Fatalf("%d images, want %d: a shared image is copied for the swapped material", len(back.Images), len(doc.Images)+1)
	}
	if f := back.Materials[1].PBRMetallicRoughness.BaseColorFactor; f != nil {
		t.Fatalf("FactorWhite left baseColorFactor %v", *f)
	}
	p := filepath.Join(t.TempDir(), "shared.glb")
	if err := os.WriteFile(p, glb, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := khronosValidate(t, p)[p]; r.NumErrors != 0 {
		t.Fatalf("Khronos validator: %d errors: %+v", r.NumErrors, r.Messages)
	}
}

func TestWithBaseColorsAddsATextureToAPlainMaterial(t *testing.T) {
	doc := readCorpus(t, "Duck.glb")
	plain := *doc
	m := doc.Materials[0]
	m.PBRMetallicRoughness = &PBRMetallicRoughness{BaseColorFactor: &[4]float64{1, 0, 0, 1}}
	plain.Materials = []Material{m}
	swapped, err := WithBaseColors(&plain, []BaseColorSwap{{Material: 0, Data: designPNG(t), FactorWhite: true}})
	if err != nil {
		t.Fatal(err)
	}
	back, _ := reread(t, swapped)
	if got := back.Materials[0].PBRMetallicRoughness; got.BaseColorTexture == nil || got.BaseColorFactor != nil {
		t.Fatalf("material: %+v, want the design texture and a white factor", got)
	}
}

func TestWithBaseColorsRefusesBadSwaps(t *testing.T) {
	doc := readCorpus(t, "Duck.glb")
	for name, s := range map[string]BaseColorSwap{
		"no material":  {Material: 7, Data: designPNG(t)},
		"not an image": {Material: 0, Data: []byte("GIF89a…")},
		"bad texCoord": {Material: 0, Data: designPNG(t), TexCoord: -1},
	} {
		if _, err := WithBaseColors(doc, []BaseColorSwap{s}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// WithBaseColors only reads its document: designs of one product are
// built at the same time from the product's one cached document (run
// with -race to see a write).
func TestWithBaseColorsConcurrently(t *testing.T) {
	doc := readCorpus(t, "Duck.glb")
	design := designPNG(t)
	done := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := WithBaseColors(doc, []BaseColorSwap{{Material: 0, Data: design}})
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
