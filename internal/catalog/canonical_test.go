package catalog

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
	"github.com/luneo/luneo/internal/platform/membudget"
)

// TestCanonicalIsOptimized checks that the stored canonical GLB is the
// optimizer's output for the upload (byte for byte), that an unnamed,
// unused mesh the upload carries is gone from it while every named
// material stays, and that a valid model the optimizer cannot handle is
// stored as uploaded instead of being refused.
func TestCanonicalIsOptimized(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join(corpus, "models", "BoxTextured.glb"))
	if err != nil {
		t.Skipf("the shared corpus is not checked out here: %v", err)
	}
	// BoxTextured plus a copy of its mesh that no node uses and no name
	// keeps: the optimizer prunes it.
	padded := editGLB(t, raw, func(j map[string]any) {
		meshes := j["meshes"].([]any)
		spare := map[string]any{}
		for k, v := range meshes[0].(map[string]any) {
			if k != "name" {
				spare[k] = v
			}
		}
		j["meshes"] = append(meshes, spare)
	})
	// The same with an extension the optimizer does not know how to
	// renumber (used, not required, so the file is valid and renders).
	foreign := editGLB(t, raw, func(j map[string]any) {
		j["extensionsUsed"] = []any{"EXT_luneo_unknown"}
	})

	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, c := range []struct {
			name      string
			data      []byte
			optimized bool
		}{{"box", raw, true}, {"padded", padded, true}, {"foreign", foreign, false}} {
			doc, err := gltf.Read(bytes.NewReader(c.data), int64(len(c.data)), gltf.ReadOptions{})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			want := doc
			if c.optimized {
				if want, _, err = gltf.Optimize(doc, gltf.OptimizeOptions{}); err != nil {
					t.Fatalf("%s: optimize: %v", c.name, err)
				}
			}
			var wantBytes bytes.Buffer
			if err := gltf.WriteGLB(&wantBytes, want); err != nil {
				t.Fatal(err)
			}

			p := f.product(t, c.name, "")
			m, err := f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: bytes.NewReader(c.data), Filename: c.name + ".glb"})
			if err != nil {
				t.Fatalf("%s: upload: %v", c.name, err)
			}
			got := f.get(t, m.Canonical.key)
			if !bytes.Equal(got, wantBytes.Bytes()) {
				t.Errorf("%s: canonical GLB (%d bytes) is not the expected document (%d bytes, optimized %v)", c.name, len(got), wantBytes.Len(), c.optimized)
			}
			canon, err := gltf.Read(bytes.NewReader(got), int64(len(got)), gltf.ReadOptions{})
			if err != nil {
				t.Fatalf("%s: canonical reads back: %v", c.name, err)
			}
			if c.name == "padded" && (len(canon.Meshes) != 1 || len(doc.Meshes) != 2) {
				t.Errorf("padded: %d meshes in the canonical GLB, want the unused one pruned", len(canon.Meshes))
			}
			if len(m.Materials) != len(canon.Materials) || m.Materials[0].Name != doc.Materials[0].Name {
				t.Errorf("%s: materials %+v, want the canonical document's", c.name, m.Materials)
			}
			if gltf.Stats(canon).Triangles != m.Stats.Triangles {
				t.Errorf("%s: stats describe another document than the canonical GLB", c.name)
			}
		}
	})
}

// editGLB rewrites the JSON chunk of a GLB with edit; the BIN chunk is kept.
func editGLB(t *testing.T, glb []byte, edit func(map[string]any)) []byte {
	t.Helper()
	jsonLen := binary.LittleEndian.Uint32(glb[12:])
	dec := json.NewDecoder(bytes.NewReader(glb[20 : 20+jsonLen]))
	dec.UseNumber()
	var j map[string]any
	if err := dec.Decode(&j); err != nil {
		t.Fatal(err)
	}
	edit(j)
	js, err := json.Marshal(j)
	if err != nil {
		t.Fatal(err)
	}
	for len(js)%4 != 0 {
		js = append(js, ' ')
	}
	rest := glb[20+jsonLen:]
	var out bytes.Buffer
	out.Write(glb[:8])
	_ = binary.Write(&out, binary.LittleEndian, uint32(12+8+len(js)+len(rest)))
	_ = binary.Write(&out, binary.LittleEndian, uint32(len(js)))
	out.WriteString("JSON")
	out.Write(js)
	out.Write(rest)
	return out.Bytes()
}

// TestCanonicalResizeReservesImageMemory checks that scaling an oversized
// texture down for the canonical GLB takes its decoded size from the
// process-wide image pool while it runs, gives it back afterwards, and
// really scales the texture to the optimizer's limit.
func TestCanonicalResizeReservesImageMemory(t *testing.T) {
	t.Parallel()
	img := image.NewNRGBA(image.Rect(0, 0, gltf.DefaultMaxTextureSize+4, 16))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	glb := texturedGLB(t, b.Bytes())
	decoded := int64(img.Rect.Dx() * img.Rect.Dy() * 4)

	d := dbtest.SQLite(t)
	f := newFixture(t, d)
	pool := membudget.New(64 << 20)
	f.svc.cfg.Images = pool
	p := f.product(t, "Wide", "")
	m, err := f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: bytes.NewReader(glb), Filename: "wide.glb"})
	if err != nil {
		t.Fatal(err)
	}
	if want := decoded + decoded/4; pool.Peak() != want {
		t.Errorf("pool peak %d bytes while optimizing, want %d (the image decoded, plus its scaled copy)", pool.Peak(), want)
	}
	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	if err := pool.Acquire(ctx, pool.Size()); err != nil {
		t.Errorf("the reservation was not given back: %v", err)
	} else {
		pool.Release(pool.Size())
	}
	canon := f.get(t, m.Canonical.key)
	doc, err := gltf.Read(bytes.NewReader(canon), int64(len(canon)), gltf.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := doc.ImageData(0)
	if err != nil {
		t.Fatal(err)
	}
	if info, err := gltf.ReadImageInfo(data); err != nil || info.Width != gltf.DefaultMaxTextureSize {
		t.Errorf("canonical texture %+v (%v), want it scaled to %d px", info, err, gltf.DefaultMaxTextureSize)
	}
}
