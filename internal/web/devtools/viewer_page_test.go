package devtools_test

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/web"
	"github.com/luneo/luneo/internal/web/devtools"
	"github.com/luneo/luneo/internal/web/pagetest"
	"github.com/luneo/luneo/internal/web/ui"
	"github.com/luneo/luneo/internal/web/webtest"
)

// viewerStatic returns the embedded static files without any built bundle,
// plus extra files: a machine with or without `make web`, on demand.
func viewerStatic(t *testing.T, extra fstest.MapFS) fstest.MapFS {
	t.Helper()
	files := fstest.MapFS{}
	for _, name := range []string{"app.css", "favicon.svg", "logo.svg"} {
		b, err := fs.ReadFile(ui.StaticFS(), name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: b}
	}
	for name, f := range extra {
		files[name] = f
	}
	return files
}

var viewerBundles = fstest.MapFS{
	"dist/viewer.js":      {Data: []byte("import'@google/model-viewer';")},
	"dist/zone-editor.js": {Data: []byte("export{};")},
}

// renderViewerPage renders the viewer_test page over static files of the
// test's choosing.
func renderViewerPage(t *testing.T, static fstest.MapFS, v devtools.ViewerTestPage) string {
	t.Helper()
	assets := mustAssets(t, static)
	p, err := ui.NewTemplates(assets, devtools.Templates())
	if err != nil {
		t.Fatal(err)
	}
	v.Title = "Viewer test"
	w := httptest.NewRecorder()
	if err := p.Render(w, http.StatusOK, "viewer_test", &v); err != nil {
		t.Fatalf("Render(viewer_test): %v", err)
	}
	body := w.Body.String()
	pagetest.CheckAssetLinks(t, body, assets)
	return body
}

var viewerView = devtools.ViewerTestPage{
	Key:    "dev/box.glb",
	Viewer: ui.ModelViewer{Src: "/blobs/dev/box.glb?exp=1&sig=x", Alt: "A box"},
	Editor: ui.ZoneEditor{
		ID:        "zones",
		Materials: []ui.EditorMaterial{{Name: `Body "main" <1>`, TextureURL: "/t.png?a=1&b=2", Width: 512, Height: 256}},
		Zones:     []ui.EditorZone{{ID: "z1", Name: "Front", Material: `Body "main" <1>`, U0: 0.1, V0: 0.2, U1: 0.5, V1: 0.6}},
		Endpoint:  "/api/products/p1/zones",
	},
}

// TestViewerPartials renders the model-viewer and zone-editor partials with
// the bundles built: custom element, module scripts under hashed URLs, the
// island's data as JSON that survives HTML escaping, nothing inline.
func TestViewerPartials(t *testing.T) {
	t.Parallel()
	body := renderViewerPage(t, viewerStatic(t, viewerBundles), viewerView)
	for _, want := range []string{
		`<model-viewer class="model-viewer" src="/blobs/dev/box.glb?exp=1&amp;sig=x" alt="A box"`,
		`id="zones" data-zone-editor`, `data-endpoint="/api/products/p1/zones"`,
		"Front",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, bundle := range []string{"viewer", "zone-editor"} {
		if !regexp.MustCompile(`<script type="module" src="/static/dist/` + bundle + `\.[0-9a-f]{12}\.js"></script>`).MatchString(body) {
			t.Errorf("no module script for dist/%s.js", bundle)
		}
	}
	if strings.Contains(body, "unavailable") {
		t.Error("page says the viewer is unavailable although the bundles are there")
	}
	// The data attributes decode to what the Go values say.
	for attr, want := range map[string]any{"data-materials": viewerView.Editor.Materials, "data-zones": viewerView.Editor.Zones} {
		m := regexp.MustCompile(attr + `="([^"]*)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no %s attribute", attr)
		}
		wantJSON, _ := json.Marshal(want)
		if got := html.UnescapeString(m[1]); got != string(wantJSON) {
			t.Errorf("%s = %s, want %s", attr, got, wantJSON)
		}
	}
	checkNoInlineCode(t, body)
}

// TestViewerPartialsWithoutBundles: a Go build without `make web` still
// renders the page, and says what to do instead of linking a missing file.
func TestViewerPartialsWithoutBundles(t *testing.T) {
	t.Parallel()
	body := renderViewerPage(t, viewerStatic(t, nil), viewerView)
	if !strings.Contains(body, "3D preview unavailable") || !strings.Contains(body, "Zone editor unavailable") || !strings.Contains(body, "make web") {
		t.Errorf("page without bundles does not explain the missing viewer:\n%s", body)
	}
	if strings.Contains(body, "<model-viewer") || strings.Contains(body, "<script") {
		t.Error("page without bundles still links them")
	}
	if !strings.Contains(body, "Front") {
		t.Error("the zones are not listed as text")
	}
	checkNoInlineCode(t, body)
}

func checkNoInlineCode(t *testing.T, body string) {
	t.Helper()
	lower := strings.ToLower(body)
	if strings.Contains(lower, " style=") || strings.Contains(lower, "<style") {
		t.Error("inline style")
	}
	if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`).MatchString(lower) || regexp.MustCompile(`<[^>]*\son[a-z]+\s*=`).MatchString(lower) {
		t.Error("inline script")
	}
}

// testViewerServer is a dev (or not) app over its local blob store.
func testViewerServer(t *testing.T, dev bool) (http.Handler, *blob.FS) {
	t.Helper()
	e := webtest.Start(t, func(_ *webtest.Env, d *web.Deps) { d.Dev = dev })
	return e.Server, e.Deps.LocalBlobs
}

func viewerRequest(s http.Handler, method, target, remote string, body string) *httptest.ResponseRecorder {
	return viewerRequestFrom(s, method, target, remote, "127.0.0.1:8080", body)
}

// viewerRequestHost is viewerRequest from a loopback peer with a Host header.
func viewerRequestHost(s http.Handler, method, target, host, body string) *httptest.ResponseRecorder {
	return viewerRequestFrom(s, method, target, viewerLoopback, host, body)
}

func viewerRequestFrom(s http.Handler, method, target, remote, host, body string) *httptest.ResponseRecorder {
	var r *http.Request
	if body != "" {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	} else {
		r = httptest.NewRequest(method, target, nil)
	}
	r.RemoteAddr = remote
	r.Host = host // a browser on this machine sends 127.0.0.1:port
	if method == http.MethodGet {
		r.Header.Set("Accept", "text/html")
	} else {
		r.Header.Set("Accept", "application/json") // as the zone editor's fetch
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

const viewerLoopback = "127.0.0.1:50000"

// TestViewerTestPageIsDevAndLoopbackOnly: the page signs URLs for any key,
// so it exists only in dev and only for this machine.
func TestViewerTestPageIsDevAndLoopbackOnly(t *testing.T) {
	t.Parallel()
	prod, _ := testViewerServer(t, false)
	if w := viewerRequest(prod, http.MethodGet, "/viewer-test", viewerLoopback, ""); w.Code != http.StatusNotFound {
		t.Errorf("non-dev server: GET /viewer-test = %d, want 404", w.Code)
	}
	dev, _ := testViewerServer(t, true)
	for _, remote := range []string{"192.0.2.7:4000", "[2001:db8::1]:4000"} {
		if w := viewerRequest(dev, http.MethodGet, "/viewer-test", remote, ""); w.Code != http.StatusNotFound {
			t.Errorf("dev server, client %s: GET /viewer-test = %d, want 404", remote, w.Code)
		}
	}
	for _, remote := range []string{viewerLoopback, "[::1]:4000"} {
		if w := viewerRequest(dev, http.MethodGet, "/viewer-test", remote, ""); w.Code != http.StatusOK {
			t.Errorf("dev server, client %s: GET /viewer-test = %d, want 200", remote, w.Code)
		}
	}
	if w := viewerRequest(dev, http.MethodGet, "/viewer-test?key=dev/missing.glb", viewerLoopback, ""); w.Code != http.StatusNotFound ||
		!strings.Contains(w.Body.String(), "has no file") {
		t.Errorf("missing key: %d", w.Code)
	}
}

// TestViewerTestPage shows a real model: signed same-origin model URL,
// its material with the texture the zone editor draws on.
func TestViewerTestPage(t *testing.T) {
	t.Parallel()
	glb := webtest.CorpusModel(t, "BoxTextured.glb")
	s, blobs := testViewerServer(t, true)
	if _, err := blobs.Put(t.Context(), "dev/box.glb", bytes.NewReader(glb), blob.PutOptions{ContentType: "model/gltf-binary"}); err != nil {
		t.Fatal(err)
	}
	w := viewerRequest(s, http.MethodGet, "/viewer-test?key=dev/box.glb", viewerLoopback, "")
	if w.Code != http.StatusOK {
		t.Fatalf("GET /viewer-test = %d\n%s", w.Code, w.Body)
	}
	body := w.Body.String()
	src := regexp.MustCompile(`/blobs/dev/box\.glb\?exp=\d+&amp;sig=[\w-]+`).FindString(body)
	if src == "" && !strings.Contains(body, "3D preview unavailable") {
		t.Errorf("no same-origin signed model URL in the page")
	}
	if src != "" {
		if w := viewerRequest(s, http.MethodGet, html.UnescapeString(src), viewerLoopback, ""); w.Code != http.StatusOK || w.Body.Len() != len(glb) {
			t.Errorf("GET %s = %d, %d bytes", src, w.Code, w.Body.Len())
		}
	}
	m := regexp.MustCompile(`data-materials="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no zone editor")
	}
	var mats []ui.EditorMaterial
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &mats); err != nil || len(mats) != 1 || mats[0].TextureURL == "" || mats[0].Width == 0 {
		t.Fatalf("materials %+v (%v), want the box's one textured material", mats, err)
	}
	w = viewerRequest(s, http.MethodGet, mats[0].TextureURL, viewerLoopback, "")
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/png" {
		t.Errorf("texture %s = %d %q", mats[0].TextureURL, w.Code, w.Header().Get("Content-Type"))
	}
}

// TestViewerTestZoneEcho: the zone endpoint of the test page checks the
// editor's default body as a zone API would and answers with the zone.
func TestViewerTestZoneEcho(t *testing.T) {
	t.Parallel()
	s, _ := testViewerServer(t, true)
	w := viewerRequest(s, http.MethodPost, "/viewer-test/zones", viewerLoopback, `{"name":" Front ","material":"Body","uv":{"u0":0.1,"v0":0.2,"u1":0.5,"v1":0.6}}`)
	if w.Code != http.StatusCreated {
		t.Fatalf("POST = %d %s", w.Code, w.Body)
	}
	var z ui.EditorZone
	if err := json.NewDecoder(w.Body).Decode(&z); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(z.ID, "zone_") || z.Name != "Front" || z.Material != "Body" || z.U0 != 0.1 || z.V1 != 0.6 {
		t.Errorf("zone %+v", z)
	}
	for _, bad := range []string{
		`{"name":"","material":"Body","uv":{"u0":0.1,"v0":0.2,"u1":0.5,"v1":0.6}}`,
		`{"name":"A","material":"Body","uv":{"u0":0.5,"v0":0.2,"u1":0.1,"v1":0.6}}`,
		`{"name":"A","material":"Body","uv":{"u0":0.1,"v0":0.2,"u1":0.5,"v1":1.5}}`,
		`{"name":"A","material":"Body"}`,
		`{"name":"A","material":"Body","uv":{"u0":0,"v0":0,"u1":1,"v1":1},"extra":1}`,
	} {
		w := viewerRequest(s, http.MethodPost, "/viewer-test/zones", viewerLoopback, bad)
		b, _ := io.ReadAll(w.Body)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Header().Get("Content-Type"), "problem+json") {
			t.Errorf("POST %s = %d %s, want 400 problem+json", bad, w.Code, b)
		}
	}
}
