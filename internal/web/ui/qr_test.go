package ui

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"strings"
	"testing"
)

func TestQRDataURL(t *testing.T) {
	t.Parallel()
	u, err := QRDataURL("https://luneo.test/ar/p1")
	if err != nil {
		t.Fatal(err)
	}
	b64, ok := strings.CutPrefix(string(u), "data:image/png;base64,")
	if !ok {
		t.Fatalf("not a PNG data URL: %.40s", u)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil || img.Bounds().Dx() != 256 {
		t.Fatalf("QR image: %v %v", err, img)
	}
}

func TestBlobSrc(t *testing.T) {
	t.Parallel()
	signed := "http://127.0.0.1:8080/blobs/brands/b/m.glb?exp=1&sig=x"
	if got := BlobSrc(true, signed); got != "/blobs/brands/b/m.glb?exp=1&sig=x" {
		t.Errorf("local signed URL: %q", got)
	}
	s3 := "https://s3.example/bucket/m.glb?X-Amz-Signature=y"
	if got := BlobSrc(false, s3); got != s3 {
		t.Errorf("S3 URL changed: %q", got)
	}
	if got := BlobSrc(true, "/already/a/path"); got != "/already/a/path" {
		t.Errorf("path changed: %q", got)
	}
}
