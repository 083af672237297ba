package catalog

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

func TestBaseColorTextures(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.product(t, "Duck", "")
		_, err := f.svc.BaseColorTextures(f.ctx, f.owner, p.ID)
		wantCode(t, err, apperr.NotFound, "no 3D model")

		path := filepath.Join(corpus, "models", "Duck.glb")
		m, err := f.upload(t, p.ID, path)
		if err != nil {
			t.Fatal(err)
		}
		// The Duck's one material has its one texture, 512×512.
		list, err := f.svc.BaseColorTextures(f.ctx, f.viewer, p.ID)
		if err != nil || len(list) != 1 || list[0].Material != "blinn3-fx" || list[0].Texture != 0 {
			t.Fatalf("textures %+v %v", list, err)
		}
		if ts := m.Stats.Textures[list[0].Texture]; ts.Width != 512 || ts.Height != 512 {
			t.Errorf("texture stats %+v", ts)
		}

		// The image is the very bytes the model holds.
		img, err := f.svc.BaseColorTexture(f.ctx, f.reader, p.ID, "blinn3-fx")
		if err != nil {
			t.Fatal(err)
		}
		doc, err := gltf.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := doc.ImageData(0)
		if img.MimeType != "image/png" || img.ModelID != m.ID || !bytes.Equal(img.Data, want) {
			t.Errorf("texture %s of model %s, %d bytes; want image/png of %s, %d bytes", img.MimeType, img.ModelID, len(img.Data), m.ID, len(want))
		}

		_, err = f.svc.BaseColorTexture(f.ctx, f.owner, p.ID, "nope")
		wantCode(t, err, apperr.NotFound, `"nope"`)
		_, err = f.svc.BaseColorTexture(f.ctx, f.owner, p.ID, "")
		wantCode(t, err, apperr.NotFound)
		// Another brand does not see the product at all.
		_, err = f.svc.BaseColorTexture(f.ctx, f.other, p.ID, "blinn3-fx")
		wantCode(t, err, apperr.NotFound, "no such product")
		_, err = f.svc.BaseColorTextures(f.ctx, f.other, p.ID)
		wantCode(t, err, apperr.NotFound, "no such product")
	})
}
