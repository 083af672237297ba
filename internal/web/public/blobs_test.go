package public_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/web/webtest"
)

func TestSignedLocalBlobs(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	fs := e.Deps.LocalBlobs
	ctx := context.Background()
	if _, err := fs.Put(ctx, "brands/1/model.glb", strings.NewReader("glTF-bytes"), blob.PutOptions{ContentType: "model/gltf-binary"}); err != nil {
		t.Fatal(err)
	}
	u, err := fs.SignedURL(ctx, "brands/1/model.glb", time.Minute, blob.URLOptions{Filename: "mug.glb"})
	if err != nil {
		t.Fatal(err)
	}
	path := strings.TrimPrefix(u, e.URL)
	rec := webtest.Do(e.Server, "GET", path, nil, nil)
	if rec.Code != 200 || rec.Body.String() != "glTF-bytes" || rec.Header().Get("Content-Type") != "model/gltf-binary" ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), "mug.glb") {
		t.Fatalf("signed GET: %d %v %q", rec.Code, rec.Header(), rec.Body)
	}
	rec = webtest.Do(e.Server, "GET", path, nil, map[string]string{"Range": "bytes=5-"})
	if rec.Code != 206 || rec.Body.String() != "bytes" {
		t.Fatalf("range: %d %q", rec.Code, rec.Body)
	}
	tampered := strings.Replace(path, "model.glb", "other.glb", 1)
	if rec := webtest.Do(e.Server, "GET", tampered, nil, nil); rec.Code != 403 {
		t.Fatalf("tampered URL: %d", rec.Code)
	}
	if rec := webtest.Do(e.Server, "GET", "/blobs/brands/1/model.glb", nil, nil); rec.Code != 403 {
		t.Fatalf("unsigned URL: %d", rec.Code)
	}
	if rec := webtest.Do(e.Server, "GET", "/blobs/../../etc/passwd?exp=1&sig=x", nil, nil); rec.Code != 404 && rec.Code != 403 && rec.Code != 307 {
		t.Fatalf("traversal: %d", rec.Code)
	}
}

// TestSharedFileHeaders: a stored file is data any origin may read and
// frame, sandboxed so an uploaded HTML or SVG file never runs script on our
// origin. The route's policy (httpx.SharedFile) sets those headers now, not
// the handler: a route given another policy fails here.
func TestSharedFileHeaders(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	ctx := context.Background()
	page := "<html><script>alert(document.cookie)</script></html>"
	if _, err := e.Deps.LocalBlobs.Put(ctx, "brands/1/page.html", strings.NewReader(page), blob.PutOptions{ContentType: "text/html"}); err != nil {
		t.Fatal(err)
	}
	u, err := e.Deps.LocalBlobs.SignedURL(ctx, "brands/1/page.html", time.Minute, blob.URLOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rec := webtest.Do(e.Server, "GET", strings.TrimPrefix(u, e.URL), nil, map[string]string{"Origin": "https://shop.example"})
	if rec.Code != http.StatusOK || rec.Body.String() != page {
		t.Fatalf("signed GET: %d %q", rec.Code, rec.Body)
	}
	h := rec.Header()
	if csp := h.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox;") || !strings.Contains(csp, "default-src 'none'") ||
		strings.Contains(csp, "frame-ancestors") {
		t.Errorf("CSP %q, want the sandbox with no frame-ancestors", csp)
	}
	for name, want := range map[string]string{
		"X-Frame-Options":              "",
		"Access-Control-Allow-Origin":  "*",
		"Cross-Origin-Resource-Policy": "cross-origin",
		"X-Content-Type-Options":       "nosniff",
		"Content-Type":                 "text/html",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if cc := h.Get("Cache-Control"); !strings.HasPrefix(cc, "private, max-age=") {
		t.Errorf("Cache-Control %q, want private until the URL expires", cc)
	}
	// Refusals carry the same sandbox: nothing on this path is a page.
	rec = webtest.Do(e.Server, "GET", "/blobs/brands/1/page.html", nil, nil)
	if csp := rec.Header().Get("Content-Security-Policy"); rec.Code != http.StatusForbidden || !strings.HasPrefix(csp, "sandbox;") {
		t.Errorf("unsigned: %d, CSP %q", rec.Code, csp)
	}
}
