package catalog

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/internal/apperr"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/platform/db/dbtest"
)

func TestUploadCorpusModels(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join(corpus, "models", "*.glb"))
	if len(files) == 0 {
		corpusMissing(t, "no models in %s: the shared corpus is not checked out here", corpus)
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.svc.cfg.MaxModelSize = 8 << 20
		for _, path := range files {
			p := f.product(t, filepath.Base(path), "")
			m, err := f.upload(t, p.ID, path)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			want, _ := gltf.ReadFile(path)
			raw, _ := os.ReadFile(path)
			sum := sha256.Sum256(raw)
			if m.Stats.Triangles != gltf.Stats(want).Triangles || m.Format != "glb" || m.Original.SHA256 != hex.EncodeToString(sum[:]) ||
				m.Original.Size != int64(len(raw)) || m.Original.Filename != filepath.Base(path) || m.URLsExpireAt == nil {
				t.Errorf("%s: %+v", path, m)
			}
			// The canonical GLB is stored with its hash and reads back valid.
			canon := f.get(t, m.Canonical.key)
			csum := sha256.Sum256(canon)
			if hex.EncodeToString(csum[:]) != m.Canonical.SHA256 || int64(len(canon)) != m.Canonical.Size {
				t.Errorf("%s: canonical hash or size differ from the record", path)
			}
			doc, err := gltf.Read(bytes.NewReader(canon), int64(len(canon)), gltf.ReadOptions{})
			if err != nil || gltf.Stats(doc).Triangles != m.Stats.Triangles {
				t.Errorf("%s: canonical GLB: %v", path, err)
			}
			// Reads agree with the upload's answer.
			got, err := f.svc.GetModel(f.ctx, f.reader, p.ID)
			if err != nil || got.ID != m.ID || got.Stats.Triangles != m.Stats.Triangles || len(got.Materials) != len(m.Materials) ||
				!strings.Contains(got.Canonical.URL, "/blobs/") {
				t.Errorf("%s: get model %+v %v", path, got, err)
			}
			if pr, _ := f.svc.GetProduct(f.ctx, f.owner, p.ID); pr.Model == nil || pr.Model.Triangles != int64(m.Stats.Triangles) {
				t.Errorf("%s: product summary %+v", path, pr.Model)
			}
		}
	})
}

func TestUploadRefusals(t *testing.T) {
	t.Parallel()
	invalid := refusedCorpus(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.product(t, "Target", "")
		check := func(name string, err error, code apperr.Code, contains ...string) {
			t.Helper()
			wantCode(t, err, code, contains...)
			if keys := f.blobKeys(t); len(keys) != 0 {
				t.Errorf("%s: blobs stored: %v", name, keys)
			}
			if n := f.count(t, "product_models"); n != 0 {
				t.Errorf("%s: %d model rows", name, n)
			}
		}
		for _, path := range invalid {
			_, err := f.upload(t, p.ID, path)
			check(path, err, apperr.Unprocessable)
			if e, _ := apperr.As(err); e == nil || len(e.Details.([]gltf.Issue)) == 0 {
				t.Errorf("%s: no issues listed: %v", path, err)
			}
		}
		_, err := f.upload(t, p.ID, filepath.Join(corpus, "requires-extension", "DenseSphere-draco.glb"))
		check("draco", err, apperr.Unprocessable, "KHR_draco_mesh_compression")
		up := func(body []byte, name string) error {
			_, err := f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: bytes.NewReader(body), Filename: name})
			return err
		}
		check("empty", up(nil, "x.glb"), apperr.Unprocessable, "empty")
		check("text", up([]byte("hello"), "x.txt"), apperr.Unprocessable, "not a glTF")
		check("oversize", up(make([]byte, f.svc.cfg.MaxModelSize+1), "big.glb"), apperr.TooLarge, "LUNEO_MAX_MODEL_SIZE")
		check("zip of junk", up(zipOf(t, map[string]string{"a.txt": "x"}), "m.zip"), apperr.Unprocessable)
		// A read error of the body (a client going away) is passed on.
		_, err = f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: io.MultiReader(strings.NewReader("glTF"), errReader{})})
		if !errors.Is(err, errBroken) {
			t.Errorf("broken body: %v", err)
		}
		// Permission and tenancy are checked before the body is read.
		wantCode(t, second(f.svc.UploadModel(f.ctx, f.viewer, p.ID, Upload{Body: errReader{}})), apperr.Forbidden)
		wantCode(t, second(f.svc.UploadModel(f.ctx, f.other, p.ID, Upload{Body: errReader{}})), apperr.NotFound)
		wantCode(t, second(f.svc.GetModel(f.ctx, f.owner, p.ID)), apperr.NotFound, "no 3D model")
	})
}

// refusedCorpus lists the files of the Khronos GLB corpus that the reference
// validator rejects.
func refusedCorpus(t *testing.T) []string {
	reports, _ := filepath.Glob(filepath.Join(corpus, "invalid-glb", "*.glb.report.json"))
	if len(reports) == 0 {
		corpusMissing(t, "no %s/invalid-glb: the shared corpus is not checked out here", corpus)
	}
	var out []string
	for _, r := range reports {
		var rep struct {
			Issues struct{ NumErrors int } `json:"issues"`
		}
		b, _ := os.ReadFile(r)
		if json.Unmarshal(b, &rep) == nil && rep.Issues.NumErrors > 0 {
			out = append(out, strings.TrimSuffix(r, ".report.json"))
		}
	}
	return out
}

func TestReplaceModel(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.product(t, "Truck", "")
		first, err := f.upload(t, p.ID, filepath.Join(corpus, "models", "CesiumMilkTruck.glb"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CreateZone(f.ctx, f.owner, p.ID, printZone("Side", "truck")); err != nil {
			t.Fatal(err)
		}
		// The box has no material "truck": refused, and the first model stays.
		_, err = f.upload(t, p.ID, filepath.Join(corpus, "models", "BoxTextured.glb"))
		wantCode(t, err, apperr.Conflict, `"Side"`, `"truck"`)
		if got, _ := f.svc.GetModel(f.ctx, f.owner, p.ID); got.ID != first.ID || len(f.blobKeys(t)) != 2 {
			t.Fatalf("after a refused replacement: %s, blobs %v", got.ID, f.blobKeys(t))
		}
		// An invalid replacement changes nothing either.
		_, err = f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: strings.NewReader("glTF broken"), ContentType: glbType})
		wantCode(t, err, apperr.Unprocessable)
		// The same model again replaces it: new files, the old ones deleted.
		second, err := f.upload(t, p.ID, filepath.Join(corpus, "models", "CesiumMilkTruck.glb"))
		if err != nil {
			t.Fatal(err)
		}
		keys := f.blobKeys(t)
		if second.ID == first.ID || len(keys) != 2 || !strings.Contains(strings.Join(keys, " "), second.ID) {
			t.Fatalf("after replacement: %v", keys)
		}
		// Deleting the product deletes its files.
		if err := f.svc.DeleteProduct(f.ctx, f.owner, p.ID); err != nil {
			t.Fatal(err)
		}
		if keys := f.blobKeys(t); len(keys) != 0 || f.count(t, "product_models") != 0 || f.count(t, "product_zones") != 0 {
			t.Fatalf("after delete: blobs %v", keys)
		}
	})
}

func TestUploadGLTFAndZip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(corpus, "models", "BoxTextured.glb")
	doc, err := gltf.ReadFile(path)
	if err != nil {
		corpusMissing(t, "corpus: %v", err)
	}
	var glb bytes.Buffer
	if err := gltf.WriteGLB(&glb, doc); err != nil {
		t.Fatal(err)
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := f.product(t, "Box", "")
		m, err := f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: bytes.NewReader(zipOf(t, map[string]string{"box.glb": glb.String()})),
			ContentType: "application/zip"})
		if err != nil || m.Format != "zip" || m.Original.ContentType != zipType || m.Original.Filename != "model.zip" || m.Stats.Triangles != 12 {
			t.Fatalf("zip: %+v %v", m, err)
		}
		m, err = f.svc.UploadModel(f.ctx, f.owner, p.ID, Upload{Body: strings.NewReader(triangleGLTF()), Filename: "tri.gltf"})
		if err != nil || m.Format != "gltf" || m.Original.ContentType != gltfType || m.Stats.Triangles != 1 ||
			len(m.Materials) != 1 || m.Materials[0].Name != "Body" || m.Materials[0].UVSets != 1 {
			t.Fatalf("gltf: %+v %v", m, err)
		}
		if keys := f.blobKeys(t); len(keys) != 2 {
			t.Fatalf("the zip's files were not replaced: %v", keys)
		}
	})
}

// triangleGLTF is a .gltf JSON with its buffer embedded as a data URI: one
// triangle with UVs drawn with material "Body".
func triangleGLTF() string {
	var bin []byte
	for _, v := range []float32{0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1} {
		bin = binary.LittleEndian.AppendUint32(bin, math.Float32bits(v))
	}
	return fmt.Sprintf(`{"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0}],
		"meshes": [{"primitives": [{"attributes": {"POSITION": 0, "TEXCOORD_0": 1}, "material": 0}]}],
		"materials": [{"name": "Body"}],
		"accessors": [
			{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [1, 1, 0]},
			{"bufferView": 1, "componentType": 5126, "count": 3, "type": "VEC2"}],
		"bufferViews": [{"buffer": 0, "byteLength": 36}, {"buffer": 0, "byteOffset": 36, "byteLength": 24}],
		"buffers": [{"byteLength": 60, "uri": "data:application/octet-stream;base64,%s"}]}`, base64.StdEncoding.EncodeToString(bin))
}

func zipOf(t *testing.T, files map[string]string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var errBroken = errors.New("connection reset")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBroken }

// get reads a stored object.
func (f *fixture) get(t *testing.T, key string) []byte {
	t.Helper()
	rc, _, err := f.blobs.Get(f.ctx, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
