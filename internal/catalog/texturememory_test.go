package catalog

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// pngClaiming is a PNG that is only a header claiming w×h RGBA pixels at
// depth bits a channel: all a texture bomb needs to show to be refused.
func pngClaiming(w, h uint32, depth byte) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, w), h)
	chunk("IHDR", append(ihdr, depth, 6, 0, 0, 0))
	chunk("IEND", nil)
	return b.Bytes()
}

// texturedGLB is the triangle of triangleGLTF with the given images, each
// the base colour of a material of its own.
func texturedGLB(t *testing.T, images ...[]byte) []byte {
	t.Helper()
	js := triangleGLTF()
	doc, err := gltf.ReadGLTF(strings.NewReader(js), int64(len(js)), gltf.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, data := range images {
		doc.Images = append(doc.Images, gltf.Image{Name: fmt.Sprintf("wood%d", i), MimeType: "image/png", Data: data})
		doc.Textures = append(doc.Textures, gltf.Texture{Source: gltf.Ptr(i)})
		doc.Materials = append(doc.Materials, gltf.Material{Name: fmt.Sprintf("M%d", i),
			PBRMetallicRoughness: &gltf.PBRMetallicRoughness{BaseColorTexture: &gltf.TextureInfo{Index: i}}})
	}
	var b bytes.Buffer
	if err := gltf.WriteGLB(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The issue's bomb: a GLB of a few kilobytes holding six 8192×8192 16-bit
// PNGs (3 GiB once decoded) is refused with a 422 naming the images and the
// budget, and nothing is stored.
func TestUploadRefusesTextureBomb(t *testing.T) {
	t.Parallel()
	var bombs [][]byte
	for range 6 {
		bombs = append(bombs, pngClaiming(8192, 8192, 16))
	}
	glb := texturedGLB(t, bombs...)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.product(t, "Bomb", "")
		_, err := f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: bytes.NewReader(glb), Filename: "bomb.glb"})
		wantCode(t, err, apperr.Unprocessable, "3072 MiB once decoded", "more than the 256 MiB allowed", "LUNEO_MAX_TEXTURE_MEMORY",
			`image 0 "wood0" (8192×8192 PNG, 16-bit, 512 MiB decoded)`, "and 1 more")
		ae, _ := err.(*apperr.Error)
		if issues, _ := ae.Details.([]gltf.Issue); len(issues) != 6 || issues[5].Pointer != "/images/5" || issues[5].Code != "TEXTURE_MEMORY_EXCEEDED" {
			t.Errorf("details: %+v", ae.Details)
		}
		if keys := f.blobKeys(t); len(keys) != 0 || f.count(t, "product_models") != 0 {
			t.Errorf("a refused model left blobs %v or rows", keys)
		}

		// The budget is a setting: the same images fit a larger one, and
		// the check counts what the images decode to, not what they weigh.
		f.svc.cfg.MaxTextureMemory = 4 << 30
		if _, err := f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: bytes.NewReader(glb), Filename: "bomb.glb"}); err != nil {
			t.Fatalf("within a 4 GiB budget: %v", err)
		}
		f.svc.cfg.MaxTextureMemory = 256 << 20
		fits := texturedGLB(t, pngClaiming(4096, 4096, 8), pngClaiming(4096, 4096, 8), pngClaiming(4096, 4096, 8), pngClaiming(4096, 4095, 8))
		if _, err := f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: bytes.NewReader(fits), Filename: "fits.glb"}); err != nil {
			t.Fatalf("images of just under 256 MiB: %v", err)
		}
	})
}

// An image whose size cannot be read cannot be budgeted: refused, named.
func TestUploadRefusesUnmeasurableImage(t *testing.T) {
	t.Parallel()
	glb := texturedGLB(t, []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.product(t, "Gif", "")
		_, err := f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: bytes.NewReader(glb), Filename: "gif.glb"})
		wantCode(t, err, apperr.Unprocessable, `image 0 "wood0"`, "not a PNG, JPEG, WebP or KTX2 image")
		if keys := f.blobKeys(t); len(keys) != 0 {
			t.Errorf("blobs stored: %v", keys)
		}
	})
}
