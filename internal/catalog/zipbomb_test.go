package catalog

import (
	"bytes"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// A zip expands to no more than the model limit (2 MiB in the fixture):
// one file larger than that is refused on its declared size (413), and
// files that each fit but together do not are refused at the limit (422
// naming it), with nothing stored either way.
func TestUploadZipBombs(t *testing.T) {
	t.Parallel()
	huge := zipOf(t, map[string]string{"m.glb": strings.Repeat("\x00", 64<<20)})
	if len(huge) > 128<<10 {
		t.Fatalf("the bomb is %d bytes, meant to be small", len(huge))
	}
	js := `{"asset":{"version":"2.0"},"buffers":[{"uri":"a.bin","byteLength":1500000},{"uri":"b.bin","byteLength":1500000}]}`
	pair := zipOf(t, map[string]string{"m.gltf": js, "a.bin": strings.Repeat("\x00", 1500000), "b.bin": strings.Repeat("\x00", 1500000)})
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.product(t, "Zip", "")
		_, err := f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: bytes.NewReader(huge), ContentType: "application/zip"})
		wantCode(t, err, apperr.TooLarge, `"m.glb"`, "67108864")
		_, err = f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: bytes.NewReader(pair), ContentType: "application/zip"})
		wantCode(t, err, apperr.Unprocessable, "more than the allowed size (2097152 bytes)")
		if keys := f.blobKeys(t); len(keys) != 0 {
			t.Errorf("blobs stored: %v", keys)
		}
	})
}
