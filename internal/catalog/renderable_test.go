package catalog

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

// triangleWith returns triangleGLTF changed by edit (on its generic JSON).
func triangleWith(t *testing.T, edit func(j map[string]any)) string {
	t.Helper()
	var j map[string]any
	if err := json.Unmarshal([]byte(triangleGLTF()), &j); err != nil {
		t.Fatal(err)
	}
	edit(j)
	b, err := json.Marshal(j)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// addAccessor appends an accessor nothing uses.
func addAccessor(j map[string]any, a map[string]any) {
	j["accessors"] = append(j["accessors"].([]any), a)
}

// TestUploadRefusesUnrenderableValidModels: models the Khronos validator
// accepts but that cannot be drawn are refused after validation with our
// own code, and nothing is stored.
func TestUploadRefusesUnrenderableValidModels(t *testing.T) {
	t.Parallel()
	noURI := triangleWith(t, func(j map[string]any) { delete(j["buffers"].([]any)[0].(map[string]any), "uri") })
	cases := []struct {
		name, body, code, pointer, says string
	}{
		{"buffer without uri", noURI, "BUFFER_DATA_MISSING", "/buffers/0", "buffer 0 has no uri"},
		{"accessor of type VEC5", triangleWith(t, func(j map[string]any) {
			addAccessor(j, map[string]any{"bufferView": 1, "componentType": 5126, "count": 1, "type": "VEC5"})
		}), "UNKNOWN_ACCESSOR_TYPE", "/accessors/2/type", `type "VEC5"`},
		{"accessor of componentType INT", triangleWith(t, func(j map[string]any) {
			addAccessor(j, map[string]any{"bufferView": 1, "componentType": 5124, "count": 1, "type": "SCALAR"})
		}), "UNKNOWN_ACCESSOR_TYPE", "/accessors/2/componentType", "componentType 5124"},
	}
	for _, c := range cases {
		// Valid glTF: the reader accepts it (the refusal is the catalog's).
		if _, err := gltf.Read(strings.NewReader(c.body), int64(len(c.body)), gltf.ReadOptions{}); err != nil {
			t.Fatalf("%s: the reader refuses it: %v", c.name, err)
		}
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.product(t, "Tri", "")
		for _, c := range cases {
			_, err := f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: strings.NewReader(c.body), Filename: "tri.gltf"})
			wantCode(t, err, apperr.Unprocessable, "cannot be drawn", c.says)
			e, _ := apperr.As(err)
			issues, _ := e.Details.([]gltf.Issue)
			if len(issues) != 1 || issues[0].Code != c.code || issues[0].Pointer != c.pointer {
				t.Errorf("%s: details %+v, want one %s at %s", c.name, issues, c.code, c.pointer)
			}
		}
		if keys := f.blobKeys(t); len(keys) != 0 || f.count(t, "product_models") != 0 {
			t.Fatalf("a refused model left blobs %v or rows", keys)
		}

		// An invalid file gets the validator's errors, not ours.
		bad := triangleWith(t, func(j map[string]any) {
			delete(j["buffers"].([]any)[0].(map[string]any), "uri")
			j["meshes"].([]any)[0].(map[string]any)["primitives"].([]any)[0].(map[string]any)["mode"] = 7
		})
		_, err := f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: strings.NewReader(bad), Filename: "tri.gltf"})
		wantCode(t, err, apperr.Unprocessable, "not valid glTF", "VALUE_NOT_IN_RANGE")
		if strings.Contains(err.Error(), "BUFFER_DATA_MISSING") {
			t.Errorf("validation errors must come first: %v", err)
		}

		// A buffer without data that nothing uses does not stop a model.
		spare := triangleWith(t, func(j map[string]any) {
			j["buffers"] = append(j["buffers"].([]any), map[string]any{"byteLength": 4})
		})
		m, err := f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: strings.NewReader(spare), Filename: "tri.gltf"})
		if err != nil || m.Stats.Triangles != 1 {
			t.Fatalf("unused data-less buffer: %+v %v", m, err)
		}
		canon := f.get(t, m.Canonical.key)
		if _, err := gltf.Read(bytes.NewReader(canon), int64(len(canon)), gltf.ReadOptions{}); err != nil {
			t.Fatalf("canonical GLB: %v", err)
		}
	})
}
