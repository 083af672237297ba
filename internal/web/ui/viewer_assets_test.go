package ui

import (
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/luneo/luneo/internal/web/httpx"
)

// TestAssetsStableURLs: the decoders and source maps are served under their
// plain names too (cached a day), everything else only under hashed URLs.
func TestAssetsStableURLs(t *testing.T) {
	t.Parallel()
	wasm := []byte("\x00asm\x01\x00\x00\x00" + strings.Repeat("\x00", 200))
	a := newTestAssets(t, fstest.MapFS{
		"dist/viewer.js":                         {Data: []byte("import'x';//# sourceMappingURL=viewer.js.map\n")},
		"dist/viewer.js.map":                     {Data: []byte(`{"version":3,"sources":[],"mappings":""}`)},
		"dist/decoders/draco/draco_decoder.wasm": {Data: wasm},
		"dist/decoders/meshopt_decoder.js":       {Data: []byte("var MeshoptDecoder={};")},
	})
	for _, c := range []struct{ url, ctype string }{
		{"/static/dist/decoders/draco/draco_decoder.wasm", "application/wasm"},
		{"/static/dist/decoders/meshopt_decoder.js", "text/javascript; charset=utf-8"},
		{"/static/dist/viewer.js.map", "application/json"},
	} {
		w := serve(a, http.MethodGet, c.url, nil)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != c.ctype {
			t.Errorf("GET %s = %d %q, want 200 %q", c.url, w.Code, w.Header().Get("Content-Type"), c.ctype)
		}
		if cc := w.Header().Get("Cache-Control"); cc != stableCacheControl {
			t.Errorf("GET %s: Cache-Control %q, want %q (the plain URL changes content on deploy)", c.url, cc, stableCacheControl)
		}
		etag := w.Header().Get("ETag")
		if etag == "" {
			t.Errorf("GET %s: no ETag to revalidate with", c.url)
		}
		if w := serve(a, http.MethodGet, c.url, map[string]string{"If-None-Match": etag}); w.Code != http.StatusNotModified {
			t.Errorf("GET %s with its ETag = %d, want 304", c.url, w.Code)
		}
	}
	// The hashed URLs of the same files still work, cached for good.
	for _, name := range []string{"dist/decoders/draco/draco_decoder.wasm", "dist/viewer.js"} {
		w := serve(a, http.MethodGet, a.Path(name), nil)
		if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") {
			t.Errorf("GET %s = %d %q, want 200 immutable", a.Path(name), w.Code, w.Header().Get("Cache-Control"))
		}
	}
	// A bundle has no plain URL: pages must link it through asset.
	if w := serve(a, http.MethodGet, "/static/dist/viewer.js", nil); w.Code != http.StatusNotFound {
		t.Errorf("GET /static/dist/viewer.js = %d, want 404", w.Code)
	}
	// WebAssembly is compressed like text.
	w := serve(a, http.MethodGet, "/static/dist/decoders/draco/draco_decoder.wasm", map[string]string{"Accept-Encoding": "gzip"})
	if w.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("wasm served without gzip")
	}
}

// TestBuiltDecodersServed checks the real build (make web): the decoder
// files model-viewer asks for exist under the URLs web/src/lib/decoders.ts
// gives it, with the types browsers require (WebAssembly.instantiateStreaming
// refuses anything but application/wasm). Skipped without the build.
func TestBuiltDecodersServed(t *testing.T) {
	t.Parallel()
	if _, err := fs.Stat(StaticFS(), "dist/viewer.js"); err != nil {
		t.Skip("web bundles not built (make web)")
	}
	a, err := NewAssets(StaticFS())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, ctype string }{
		{"draco/draco_wasm_wrapper.js", "text/javascript; charset=utf-8"},
		{"draco/draco_decoder.wasm", "application/wasm"},
		{"basis/basis_transcoder.js", "text/javascript; charset=utf-8"},
		{"basis/basis_transcoder.wasm", "application/wasm"},
		{"meshopt_decoder.js", "text/javascript; charset=utf-8"},
	} {
		u := "/static/dist/decoders/" + c.path
		w := serve(a, http.MethodGet, u, map[string]string{"Accept-Encoding": "gzip"})
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != c.ctype || w.Header().Get("Cache-Control") != stableCacheControl {
			t.Errorf("GET %s = %d %q %q, want 200 %q %q", u, w.Code, w.Header().Get("Content-Type"),
				w.Header().Get("Cache-Control"), c.ctype, stableCacheControl)
		}
	}
	for _, name := range []string{"dist/viewer.js", "dist/zone-editor.js"} {
		p, err := a.Lookup(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		w := serve(a, http.MethodGet, p, nil)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "text/javascript; charset=utf-8" {
			t.Errorf("GET %s = %d %q", p, w.Code, w.Header().Get("Content-Type"))
		}
		// The bundle names its map relative to itself; that plain URL works.
		if !strings.Contains(w.Body.String(), "//# sourceMappingURL="+strings.TrimPrefix(name, "dist/")+".map") {
			t.Errorf("%s does not link its source map", name)
		} else if w := serve(a, http.MethodGet, "/static/"+name+".map", nil); w.Code != http.StatusOK {
			t.Errorf("GET /static/%s.map = %d", name, w.Code)
		}
	}
}

// TestModelViewerStyleHash keeps the CSP's style hash in step with the
// pinned model-viewer: it hashes the stylesheet of lib/template.js in
// web/node_modules as the browser does. Skipped before npm ci.
func TestModelViewerStyleHash(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "web", "node_modules", "@google", "model-viewer", "lib", "template.js"))
	if err != nil {
		t.Skip("web/node_modules not installed (make web)")
	}
	src := string(b)
	start := strings.Index(src, "<style>")
	end := strings.Index(src, "</style>")
	if start < 0 || end < start || strings.Contains(src[start:end], "${") {
		t.Fatal("model-viewer's template.js no longer has one static <style>: check the CSP in a browser (TestBrowserViewer)")
	}
	sum := sha256.Sum256([]byte(src[start+len("<style>") : end]))
	if got := "sha256-" + base64.StdEncoding.EncodeToString(sum[:]); got != httpx.ModelViewerStyleHash {
		t.Errorf("model-viewer's stylesheet hashes to %s; set httpx.ModelViewerStyleHash (internal/web/httpx/headers.go) to it", got)
	}
}
