package gltf

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// readCorpus reads a corpus model.
func readCorpus(t testing.TB, name string) *Document {
	t.Helper()
	doc, err := ReadFile(filepath.Join(corpusDir(t, "models"), name))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// splitDocument returns a copy of doc whose data is in two buffers (odd
// buffer views in the second) and whose images are URIs, named by uri
// for each buffer or image; data maps those names to bytes.
func splitDocument(t testing.TB, doc *Document, uri func(kind string, i int, data []byte, mime string) string) *Document {
	t.Helper()
	packed, bin, err := pack(doc)
	if err != nil {
		t.Fatal(err)
	}
	out := *packed
	out.BufferViews = append([]BufferView(nil), packed.BufferViews...)
	out.Images = append([]Image(nil), packed.Images...)
	var parts [2][]byte
	for i := range out.BufferViews {
		bv := &out.BufferViews[i]
		data := bin[bv.ByteOffset : bv.ByteOffset+bv.ByteLength]
		k := i % 2
		parts[k] = append(parts[k], make([]byte, pad4(len(parts[k]))-len(parts[k]))...)
		bv.Buffer, bv.ByteOffset = k, len(parts[k])
		parts[k] = append(parts[k], data...)
	}
	out.Buffers = nil
	for k, p := range parts {
		if len(p) == 0 {
			p = []byte{0}
		}
		out.Buffers = append(out.Buffers, Buffer{ByteLength: len(p), URI: uri("buffer", k, p, "application/octet-stream"), Data: p})
	}
	for i := range out.Images {
		im := &out.Images[i]
		data, err := packed.ImageData(i)
		if err != nil {
			t.Fatal(err)
		}
		im.URI, im.BufferView = uri("image", i, data, im.MimeType), nil
	}
	return &out
}

func dataURI(_ string, _ int, data []byte, mime string) string {
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(data)
}

func TestReadGLTFWithDataURIs(t *testing.T) {
	t.Parallel()
	orig := readCorpus(t, "BoxTextured.glb")
	js, err := json.Marshal(splitDocument(t, orig, dataURI))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Read(bytes.NewReader(js), int64(len(js)), ReadOptions{})
	if err != nil {
		t.Fatalf("Read .gltf with data URIs: %v", err)
	}
	if len(doc.Buffers) != 2 || doc.Images[0].Data == nil {
		t.Fatalf("want 2 buffers and embedded image data")
	}
	sameDocument(t, orig, doc)
	// Several buffers and URI images must pack into one valid GLB.
	dir := t.TempDir()
	out := writeTemp(t, doc, dir, "from-gltf.glb")
	again, err := ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	sameDocument(t, orig, again)
	if r := khronosValidate(t, out)[out]; r.NumErrors != 0 {
		t.Errorf("Khronos errors in the packed GLB: %+v", r.Messages)
	}
}

// buildZip makes a zip of the given files.
func buildZip(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipOf returns a zip holding doc as scene/model.gltf with its buffers
// and textures as separate files, URIs rewritten by rename.
func zipOf(t testing.TB, doc *Document, rename func(string) string) []byte {
	files := map[string][]byte{}
	split := splitDocument(t, doc, func(kind string, i int, data []byte, mime string) string {
		name := kind + "s/" + kind + string(rune('0'+i)) + map[string]string{"image/png": ".png", "image/jpeg": ".jpg"}[mime]
		if kind == "buffer" {
			name = "model" + string(rune('0'+i)) + ".bin"
		}
		files["scene/"+name] = data
		return rename(name)
	})
	js, err := json.Marshal(split)
	if err != nil {
		t.Fatal(err)
	}
	files["scene/model.gltf"] = js
	return buildZip(t, files)
}

func TestReadZip(t *testing.T) {
	t.Parallel()
	orig := readCorpus(t, "CesiumMilkTruck.glb")
	z := zipOf(t, orig, func(s string) string { return strings.ReplaceAll(s, "model", "mo%64el") }) // percent-escapes are decoded
	doc, err := Read(bytes.NewReader(z), int64(len(z)), ReadOptions{})
	if err != nil {
		t.Fatalf("Read zip: %v", err)
	}
	sameDocument(t, orig, doc)
	out := writeTemp(t, doc, t.TempDir(), "from-zip.glb")
	if r := khronosValidate(t, out)[out]; r.NumErrors != 0 {
		t.Errorf("Khronos errors in the packed GLB: %+v", r.Messages)
	}
}

func TestZipPathEscapesAreRefused(t *testing.T) {
	t.Parallel()
	orig := readCorpus(t, "BoxTextured.glb")
	for _, bad := range []string{"../secret.bin", "a/../../secret.bin", "%2e%2e/secret.bin", "/etc/passwd", "http://example.com/x.bin", "https://example.com/x.bin", "file:///etc/passwd", `..\secret.bin`, "C:/secret.bin"} {
		z := zipOf(t, orig, func(s string) string {
			if strings.HasPrefix(s, "buffer") || strings.HasSuffix(s, ".bin") {
				return bad
			}
			return s
		})
		_, err := Read(bytes.NewReader(z), int64(len(z)), ReadOptions{})
		var verr *ValidationError
		if !errors.As(err, &verr) {
			t.Errorf("%q: want a ValidationError, got %v", bad, err)
			continue
		}
		is := verr.Report.Errors()[0]
		if is.Pointer != "/buffers/0/uri" || (is.Code != "URI_NOT_ALLOWED" && is.Code != "INVALID_URI") {
			t.Errorf("%q: unexpected issue %v", bad, is)
		}
		t.Logf("%q → %s", bad, is)
	}
	// Unsafe entry names in the archive itself.
	z := buildZip(t, map[string][]byte{"model.gltf": []byte(`{"asset":{"version":"2.0"}}`), "../evil.bin": {1}})
	if _, err := Read(bytes.NewReader(z), int64(len(z)), ReadOptions{}); err == nil || !strings.Contains(err.Error(), "unsafe path") {
		t.Errorf("archive with ../evil.bin: got %v", err)
	}
}

func TestStandaloneGLTFRefusesExternalFiles(t *testing.T) {
	t.Parallel()
	js := []byte(`{"asset":{"version":"2.0"},"buffers":[{"uri":"model.bin","byteLength":4}]}`)
	_, err := Read(bytes.NewReader(js), int64(len(js)), ReadOptions{})
	var verr *ValidationError
	if !errors.As(err, &verr) || verr.Report.Errors()[0].Code != "EXTERNAL_FILE_NOT_ALLOWED" {
		t.Fatalf("got %v", err)
	}
}

func TestZipLimits(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte{0}, 1<<20) // compresses to about 1 KB
	z := buildZip(t, map[string][]byte{"m.gltf": []byte(`{"asset":{"version":"2.0"},"buffers":[{"uri":"b.bin","byteLength":1048576}]}`), "b.bin": big})
	_, err := Read(bytes.NewReader(z), int64(len(z)), ReadOptions{MaxUncompressedSize: 64 << 10})
	if err == nil || !strings.Contains(err.Error(), "more than the allowed size") {
		t.Errorf("zip bomb: got %v", err)
	}
	_, err = Read(bytes.NewReader(z), int64(len(z)), ReadOptions{MaxZipEntries: 1})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("too many entries: got %v", err)
	}
}
