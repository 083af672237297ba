package httpx

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/apperr"
)

func TestUploadedFile(t *testing.T) {
	t.Parallel()
	glb := func(mt string) bool { return mt == "model/gltf-binary" }
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("note", "first")
	fw, _ := mw.CreateFormFile("file", "mug.glb")
	_, _ = fw.Write([]byte("glTF..."))
	_ = mw.Close()
	r := httptest.NewRequest("POST", "/", bytes.NewReader(body.Bytes()))
	r.Header.Set("Content-Type", mw.FormDataContentType())
	f, err := UploadedFile(r, "file", glb, "send a GLB")
	if err != nil || f.Filename != "mug.glb" {
		t.Fatalf("multipart: %+v %v", f, err)
	}
	if b, _ := io.ReadAll(f.Body); string(b) != "glTF..." {
		t.Errorf("multipart body %q", b)
	}
	r = httptest.NewRequest("POST", "/", bytes.NewReader(body.Bytes()))
	r.Header.Set("Content-Type", mw.FormDataContentType())
	if _, err := UploadedFile(r, "model", glb, "send a GLB"); apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), `"model"`) {
		t.Errorf("missing part: %v", err)
	}
	r = httptest.NewRequest("POST", "/?filename=q.glb", strings.NewReader("raw"))
	r.Header.Set("Content-Type", "model/gltf-binary")
	r.Header.Set("Content-Disposition", `attachment; filename="cup.glb"`)
	if f, err := UploadedFile(r, "file", glb, "send a GLB"); err != nil || f.Filename != "cup.glb" || f.ContentType != "model/gltf-binary" {
		t.Errorf("raw: %+v %v", f, err)
	}
	r = httptest.NewRequest("POST", "/", strings.NewReader("<html>"))
	r.Header.Set("Content-Type", "text/html")
	if _, err := UploadedFile(r, "file", glb, "send a GLB"); apperr.CodeOf(err) != apperr.Invalid || !strings.Contains(err.Error(), `send a GLB, not "text/html"`) {
		t.Errorf("wrong type: %v", err)
	}
}
