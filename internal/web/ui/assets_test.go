package ui

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// testCSS is long and repetitive enough that gzip makes it smaller.
const testCSS = "body { color: #123456; margin: 0; }\n" +
	"h1 { color: #123456; margin: 0 0 1rem; }\n" +
	"h2 { color: #123456; margin: 0 0 1rem; }\n" +
	"h3 { color: #123456; margin: 0 0 1rem; }\n" +
	"p { color: #123456; margin: 0 0 1rem; }\n"

func newTestAssets(t *testing.T, files fstest.MapFS) *Assets {
	t.Helper()
	a, err := NewAssets(files)
	if err != nil {
		t.Fatalf("NewAssets: %v", err)
	}
	return a
}

func serve(a *Assets, method, target string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	a.ServeHTTP(w, r)
	return w
}

func TestAssetsPathHashesContent(t *testing.T) {
	t.Parallel()
	v1 := newTestAssets(t, fstest.MapFS{
		"app.css":      {Data: []byte("body{color:red}")},
		"img/logo.svg": {Data: []byte("<svg/>")},
		".DS_Store":    {Data: []byte("junk")},
		".git/config":  {Data: []byte("junk")},
	})
	v1again := newTestAssets(t, fstest.MapFS{"app.css": {Data: []byte("body{color:red}")}})
	v2 := newTestAssets(t, fstest.MapFS{"app.css": {Data: []byte("body{color:blue}")}})

	p1 := v1.Path("app.css")
	if !regexp.MustCompile(`^/static/app\.[0-9a-f]{12}\.css$`).MatchString(p1) {
		t.Errorf("Path(app.css) = %q, want /static/app.<12 hex>.css", p1)
	}
	if got := v1again.Path("app.css"); got != p1 {
		t.Errorf("same content hashed differently: %q and %q", p1, got)
	}
	if got := v2.Path("app.css"); got == p1 {
		t.Errorf("changed content kept the path %q", got)
	}
	logo := v1.Path("img/logo.svg")
	if !regexp.MustCompile(`^/static/img/logo\.[0-9a-f]{12}\.svg$`).MatchString(logo) {
		t.Errorf("Path(img/logo.svg) = %q, want /static/img/logo.<12 hex>.svg", logo)
	}
	for _, hidden := range []string{".DS_Store", ".git/config"} {
		if _, err := v1.Lookup(hidden); err == nil {
			t.Errorf("hidden file %s was published", hidden)
		}
	}
}

func TestAssetsUnknownName(t *testing.T) {
	t.Parallel()
	a := newTestAssets(t, fstest.MapFS{"app.css": {Data: []byte("x")}})
	if _, err := a.Lookup("nope.css"); !errors.Is(err, ErrUnknownAsset) {
		t.Fatalf("Lookup(nope.css) error = %v, want ErrUnknownAsset", err)
	}
	p := a.Path("nope.css")
	if p != "/static/nope.css" {
		t.Errorf("Path(nope.css) = %q, want the unhashed /static/nope.css", p)
	}
	if w := serve(a, http.MethodGet, p, nil); w.Code != http.StatusNotFound {
		t.Errorf("GET %s = %d, want 404", p, w.Code)
	}
}

func TestAssetsServe(t *testing.T) {
	t.Parallel()
	a := newTestAssets(t, fstest.MapFS{"app.css": {Data: []byte(testCSS)}})
	p := a.Path("app.css")
	hash := strings.TrimSuffix(strings.TrimPrefix(p, "/static/app."), ".css")

	w := serve(a, http.MethodGet, p, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s = %d, want 200", p, w.Code)
	}
	if w.Body.String() != testCSS {
		t.Errorf("body differs from the file")
	}
	want := map[string]string{
		"Content-Type":           "text/css; charset=utf-8",
		"Cache-Control":          "public, max-age=31536000, immutable",
		"ETag":                   `"` + hash + `"`,
		"Vary":                   "Accept-Encoding",
		"X-Content-Type-Options": "nosniff",
		"Content-Encoding":       "",
	}
	for k, v := range want {
		if got := w.Header().Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}

	head := serve(a, http.MethodHead, p, nil)
	if head.Code != http.StatusOK || head.Body.Len() != 0 {
		t.Errorf("HEAD = %d with %d body bytes, want 200 and none", head.Code, head.Body.Len())
	}
	if got, want := head.Header().Get("Content-Length"), strconv.Itoa(len(testCSS)); got != want {
		t.Errorf("HEAD Content-Length = %q, want %s", got, want)
	}
}

func TestAssetsNotModified(t *testing.T) {
	t.Parallel()
	a := newTestAssets(t, fstest.MapFS{"app.css": {Data: []byte(testCSS)}})
	p := a.Path("app.css")
	etag := serve(a, http.MethodGet, p, nil).Header().Get("ETag")
	gzETag := serve(a, http.MethodGet, p, map[string]string{"Accept-Encoding": "gzip"}).Header().Get("ETag")
	if etag == gzETag {
		t.Fatalf("identity and gzip share the ETag %s", etag)
	}

	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, gzETag, "*"} {
		w := serve(a, http.MethodGet, p, map[string]string{"If-None-Match": inm})
		if w.Code != http.StatusNotModified {
			t.Errorf("If-None-Match %s: status %d, want 304", inm, w.Code)
		}
		if w.Body.Len() != 0 || w.Header().Get("Content-Type") != "" {
			t.Errorf("If-None-Match %s: 304 carries a body or Content-Type", inm)
		}
		if w.Header().Get("Cache-Control") == "" {
			t.Errorf("If-None-Match %s: 304 without Cache-Control", inm)
		}
	}
	if w := serve(a, http.MethodGet, p, map[string]string{"If-None-Match": `"000000000000"`}); w.Code != http.StatusOK {
		t.Errorf("non-matching If-None-Match: status %d, want 200", w.Code)
	}
}

func TestAssetsNotFound(t *testing.T) {
	t.Parallel()
	a := newTestAssets(t, fstest.MapFS{"app.css": {Data: []byte(testCSS)}, "img/logo.svg": {Data: []byte("<svg/>")}})
	for _, target := range []string{
		"/static/app.000000000000.css", // stale hash
		"/static/app.css",              // unhashed
		"/static/missing.123456789abc.css",
		"/static/",
		"/static/img/",
		"/static/../app.css",
	} {
		w := serve(a, http.MethodGet, target, nil)
		if w.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", target, w.Code)
		}
		if cc := w.Header().Get("Cache-Control"); strings.Contains(cc, "immutable") {
			t.Errorf("GET %s: 404 is cacheable (%s)", target, cc)
		}
	}
}

func TestAssetsMethodNotAllowed(t *testing.T) {
	t.Parallel()
	a := newTestAssets(t, fstest.MapFS{"app.css": {Data: []byte(testCSS)}})
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodOptions} {
		w := serve(a, m, a.Path("app.css"), nil)
		if w.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s = %d, want 405", m, w.Code)
		}
		if got := w.Header().Get("Allow"); got != "GET, HEAD" {
			t.Errorf("%s: Allow = %q, want \"GET, HEAD\"", m, got)
		}
	}
}

func TestAssetsGzip(t *testing.T) {
	t.Parallel()
	png := []byte("\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 500))
	a := newTestAssets(t, fstest.MapFS{
		"app.css":  {Data: []byte(testCSS)},
		"tiny.css": {Data: []byte("a{}")},
		"pic.png":  {Data: png},
	})
	p := a.Path("app.css")

	w := serve(a, http.MethodGet, p, map[string]string{"Accept-Encoding": "br, gzip;q=0.8"})
	if got := w.Header().Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", got)
	}
	if w.Header().Get("Vary") != "Accept-Encoding" {
		t.Errorf("gzip response without Vary: Accept-Encoding")
	}
	if w.Body.Len() >= len(testCSS) {
		t.Errorf("gzip body is %d bytes, not smaller than %d", w.Body.Len(), len(testCSS))
	}
	zr, err := gzip.NewReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatalf("gzip.NewReader: %v", err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || string(plain) != testCSS {
		t.Errorf("gunzipped body differs from the file (err %v)", err)
	}

	for _, ae := range []string{"", "identity", "gzip;q=0", "br", "*;q=0", "*, gzip;q=0"} {
		w := serve(a, http.MethodGet, p, map[string]string{"Accept-Encoding": ae})
		if w.Header().Get("Content-Encoding") != "" || w.Body.String() != testCSS {
			t.Errorf("Accept-Encoding %q: got an encoded body, want identity", ae)
		}
	}
	if w := serve(a, http.MethodGet, p, map[string]string{"Accept-Encoding": "*"}); w.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("Accept-Encoding *: want gzip")
	}

	for _, name := range []string{"tiny.css", "pic.png"} {
		w := serve(a, http.MethodGet, a.Path(name), map[string]string{"Accept-Encoding": "gzip"})
		if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s: status %d, Content-Encoding %q, want 200 identity", name, w.Code, w.Header().Get("Content-Encoding"))
		}
		if w.Header().Get("Vary") != "" {
			t.Errorf("%s: Vary set on an asset that has a single encoding", name)
		}
	}
	if ct := serve(a, http.MethodGet, a.Path("pic.png"), nil).Header().Get("Content-Type"); ct != "image/png" {
		t.Errorf("png Content-Type = %q", ct)
	}
}

func TestEmbeddedStatic(t *testing.T) {
	t.Parallel()
	a, err := NewAssets(StaticFS())
	if err != nil {
		t.Fatalf("NewAssets(StaticFS()): %v", err)
	}
	for _, name := range []string{"app.css", "favicon.svg", "logo.svg"} {
		p, err := a.Lookup(name)
		if err != nil {
			t.Errorf("embedded %s: %v", name, err)
			continue
		}
		w := serve(a, http.MethodGet, p, map[string]string{"Accept-Encoding": "gzip"})
		if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("GET %s = %d, Content-Encoding %q; want 200 gzip", p, w.Code, w.Header().Get("Content-Encoding"))
		}
	}
}

// TestStaticSVGsAreCSPSafe guards the icons: the CSP forbids inline styles
// and scripts, which inside an SVG would be silently ignored or blocked.
func TestStaticSVGsAreCSPSafe(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"favicon.svg", "logo.svg"} {
		b, err := fs.ReadFile(StaticFS(), name)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"<style", " style=", "<script", "javascript:"} {
			if bytes.Contains(b, []byte(bad)) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
}
