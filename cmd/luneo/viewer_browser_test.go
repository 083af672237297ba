package main

import (
	"bytes"
	"context"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/web/ui"
)

// corpus is the shared test corpus, relative to this package.
const corpus = "../../../shared/corpus"

// pageWatch records, for one browser tab, what the viewer test must not
// see: console errors and exceptions, Content-Security-Policy violations
// (from the browser log and from the page's securitypolicyviolation
// events, recorded by watchScript) and requests to any host but ours.
type pageWatch struct {
	mu       sync.Mutex
	problems []string
	warnings []string // console warnings: logged, not failures (SwiftShader is slow)
	requests []string
}

// watchScript runs in every document before its own scripts (injected by
// DevTools, so the CSP does not apply to it). It keeps the CSP violations,
// <model-viewer> load errors and the zone editor's saved zones where the
// test can read them.
const watchScript = `
window.__violations = [];
window.__viewerErrors = [];
window.__savedZones = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__violations.push(e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));
document.addEventListener('error', (e) => {
  if (e.target && e.target.tagName === 'MODEL-VIEWER') window.__viewerErrors.push(JSON.stringify(e.detail || {}));
}, true);
document.addEventListener('zone-editor:saved', (e) => window.__savedZones.push(e.detail));
`

func watchPage(t *testing.T, ctx context.Context) *pageWatch {
	t.Helper()
	w := &pageWatch{}
	err := chromedp.Listen(ctx, func(ev any) {
		w.mu.Lock()
		defer w.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			w.problems = append(w.problems, "exception: "+ev.ExceptionDetails.Text+" "+describe(ev.ExceptionDetails.Exception))
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, describe(a))
				}
				msg := "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
				if ev.Type == runtime.ConsoleAPICalledTypeError {
					w.problems = append(w.problems, msg)
				} else {
					w.warnings = append(w.warnings, msg)
				}
			}
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || strings.Contains(ev.Entry.Text, "Content Security Policy") {
				w.problems = append(w.problems, "browser log ("+string(ev.Entry.Source)+"): "+ev.Entry.Text+" "+ev.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			w.requests = append(w.requests, ev.Request.URL)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: watchScript})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func describe(o *runtime.RemoteObject) string {
	switch {
	case o == nil:
		return ""
	case o.Description != "":
		return o.Description
	case len(o.Value) > 0:
		return string(o.Value)
	}
	return string(o.Type)
}

// check fails the test for every problem and every request that left this
// machine, and forgets them for the next page.
func (w *pageWatch) check(t *testing.T, what string) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.problems {
		t.Errorf("%s: %s", what, p)
	}
	for _, p := range w.warnings {
		t.Logf("%s: %s", what, p)
	}
	for _, r := range w.requests {
		u, err := url.Parse(r)
		if err != nil {
			t.Errorf("%s: unparsable request URL %q", what, r)
			continue
		}
		switch u.Scheme {
		case "data", "blob":
			continue
		}
		if h := u.Hostname(); h != "127.0.0.1" && h != "localhost" && h != "::1" {
			t.Errorf("%s: request left the machine: %s", what, r)
		}
	}
	w.problems, w.warnings, w.requests = nil, nil, nil
}

// take removes the problems that contain s and returns how many there were.
func (w *pageWatch) take(s string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	kept := w.problems[:0]
	for _, p := range w.problems {
		if !strings.Contains(p, s) {
			kept = append(kept, p)
		}
	}
	n := len(w.problems) - len(kept)
	w.problems = kept
	return n
}

// requested reports whether a request was made for a URL path ending in suffix.
func (w *pageWatch) requested(suffix string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, r := range w.requests {
		if u, err := url.Parse(r); err == nil && strings.HasSuffix(u.Path, suffix) {
			return true
		}
	}
	return false
}

// putBlob stores a model in the local blob store of the data folder, as the
// server will find it: the store is a plain folder, and the secret given
// here only signs URLs, which the server does with its own.
func putBlob(t *testing.T, data, key string, body []byte) {
	t.Helper()
	st, err := blob.NewFS(filepath.Join(data, "blobs"), "http://localhost", bytes.Repeat([]byte("k"), 32))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Put(t.Context(), key, bytes.NewReader(body), blob.PutOptions{ContentType: "model/gltf-binary"}); err != nil {
		t.Fatal(err)
	}
}

// needBundles skips (or fails, in CI) when the binary under test was built
// without `make web`.
func needBundles(t *testing.T) {
	t.Helper()
	if _, err := fs.Stat(ui.StaticFS(), "dist/viewer.js"); err != nil {
		if os.Getenv("LUNEO_TEST_BROWSER") != "" {
			t.Fatal("the web bundles are missing: run make web (make test does) before the browser tests")
		}
		t.Skip("web bundles not built: run make web")
	}
}

// TestBrowserViewer opens the dev viewer test page for models that need each
// kind of decoder we serve (none, Draco, KTX2, meshopt) and waits until
// <model-viewer> has loaded them, with no CSP violation, no console error
// and no request to another host (the decoders' default CDNs included). On
// the plain model it then draws a print zone in the zone editor and saves it.
func TestBrowserViewer(t *testing.T) {
	duck, err := os.ReadFile(filepath.Join(corpus, "models", "Duck.glb"))
	if err != nil {
		corpusMissing(t, "test corpus absent (%v)", err)
	}
	needBundles(t)
	ctx := browser(t)
	data := t.TempDir()
	putBlob(t, data, "dev/duck.glb", duck)
	models := []struct{ key, decoder string }{{"dev/duck.glb", ""}}
	if draco, err := os.ReadFile(filepath.Join(corpus, "requires-extension", "DenseSphere-draco.glb")); err == nil {
		putBlob(t, data, "dev/sphere-draco.glb", draco)
		models = append(models, struct{ key, decoder string }{"dev/sphere-draco.glb", "/draco_decoder.wasm"})
	}
	ktx2, err := os.ReadFile(filepath.Join("testdata", "quad-ktx2.glb"))
	if err != nil {
		t.Fatal(err)
	}
	putBlob(t, data, "dev/quad-ktx2.glb", ktx2)
	if gltfpack, err := exec.LookPath("gltfpack"); err == nil {
		out := filepath.Join(t.TempDir(), "duck-meshopt.glb")
		if b, err := exec.Command(gltfpack, "-i", filepath.Join(corpus, "models", "Duck.glb"), "-o", out, "-c").CombinedOutput(); err != nil {
			t.Fatalf("gltfpack: %v\n%s", err, b)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		putBlob(t, data, "dev/duck-meshopt.glb", b)
		models = append(models, struct{ key, decoder string }{"dev/duck-meshopt.glb", "/meshopt_decoder.js"})
	} else {
		t.Log("gltfpack not installed: the meshopt case is skipped (apt-get install -y gltfpack)")
	}

	p := start(t, "dev", map[string]string{"LUNEO_ADDR": "127.0.0.1:0", "LUNEO_DATA": data})
	watch := watchPage(t, ctx)
	for _, m := range models {
		t.Run(strings.TrimPrefix(m.key, "dev/"), func(t *testing.T) {
			defer watch.check(t, m.key)
			err := chromedp.Do(ctx, chromedp.Navigate(p.url+"/viewer-test?key="+url.QueryEscape(m.key)))
			if err != nil {
				t.Fatal(err)
			}
			waitViewer(t, ctx, m.key)
			if m.decoder != "" && !watch.requested(m.decoder) {
				t.Errorf("%s loaded without fetching %s from us", m.key, m.decoder)
			}
			screenshot(t, ctx, "viewer-"+strings.TrimPrefix(m.key, "dev/"))
			if m.key == "dev/duck.glb" {
				checkZoneEditor(t, ctx)
			}
			violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__violations`))
			if err != nil || len(violations) > 0 {
				t.Errorf("Content-Security-Policy violations: %q %v", violations, err)
			}
		})
	}

	// KTX2 (Basis Universal) textures do not load under our policy: three's
	// transcoder is built with Emscripten's embind, which makes functions
	// with new Function, and its worker, made from a blob: URL, inherits the
	// page's CSP, which has no 'unsafe-eval' (on purpose; Luneo refuses KTX2
	// uploads anyway, see gltf.Understood). What must hold: the transcoder
	// comes from us, nothing goes to a CDN, and the eval refusal in the
	// worker is the only failure.
	t.Run("quad-ktx2.glb", func(t *testing.T) {
		defer watch.check(t, "dev/quad-ktx2.glb")
		if err := chromedp.Do(ctx, chromedp.Navigate(p.url+"/viewer-test?key=dev/quad-ktx2.glb")); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
			if watch.take("EvalError") > 0 {
				t.Log("KTX2 texture refused as expected: the Basis transcoder needs 'unsafe-eval'")
				break
			}
			if loaded, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('model-viewer')?.loaded`)); loaded {
				t.Log("KTX2 now loads under the CSP: the transcoder no longer needs eval; update web/README.md")
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the KTX2 model neither loaded nor failed on the transcoder's eval within 30 s")
			}
		}
		for _, f := range []string{"/static/dist/decoders/basis/basis_transcoder.js", "/static/dist/decoders/basis/basis_transcoder.wasm"} {
			if !watch.requested(f) {
				t.Errorf("the KTX2 transcoder %s was not fetched from us", f)
			}
		}
	})
}

// waitViewer waits for the page's <model-viewer> to load its model, and
// fails with the page's text when it reports an error or times out.
func waitViewer(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	state, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => {
		if (window.__viewerErrors.length) return 'error ' + window.__viewerErrors.join(', ');
		const mv = document.querySelector('model-viewer');
		return mv && mv.loaded ? 'loaded' : false;
	})()`, chromedp.WithPollingTimeout(60*time.Second), chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil || state != "loaded" {
		_, body := page(t, ctx)
		t.Fatalf("model-viewer did not load %s: %q %v\npage: %s", what, state, err, body)
	}
}

// checkZoneEditor draws a zone on the Duck's texture, saves it and checks
// the round trip and where it was drawn: UV (0.2, 0.1)–(0.6, 0.4), with v
// measured from the top of the image as glTF does.
func checkZoneEditor(t *testing.T, ctx context.Context) {
	t.Helper()
	var box struct{ X, Y, W, H float64 }
	err := chromedp.Do(ctx,
		waitJS(`!!document.querySelector('[data-zone-editor]')?.dataset.textureLoaded`, 20*time.Second),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			var err error
			box, err = chromedp.Evaluate[struct{ X, Y, W, H float64 }](`(() => {
				const c = document.querySelector('.zone-editor-canvas');
				c.scrollIntoView({block: 'start'});
				const r = c.getBoundingClientRect();
				return {X: r.left, Y: r.top, W: r.width, H: r.height};
			})()`)(ctx, tg)
			return err
		}),
	)
	if err != nil {
		t.Fatalf("zone editor did not show the texture: %v", err)
	}
	materials, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".zone-editor-materials")))
	if err != nil || !strings.Contains(materials, "blinn3-fx") {
		t.Errorf("material list %q (%v), want the Duck's material blinn3-fx", materials, err)
	}
	at := func(u, v float64) (float64, float64) { return box.X + u*box.W, box.Y + v*box.H }
	held := func(p *input.DispatchMouseEventParams) { p.Button, p.Buttons = input.MouseButtonLeft, 1 }
	x0, y0 := at(0.2, 0.1)
	x1, y1 := at(0.6, 0.4)
	stepCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	err = chromedp.Do(stepCtx,
		chromedp.MouseEvent(chromedp.MousePressed, x0, y0, held),
		chromedp.MouseEvent(chromedp.MouseMoved, (x0+x1)/2, (y0+y1)/2, held),
		chromedp.MouseEvent(chromedp.MouseMoved, x1, y1, held),
		chromedp.MouseEvent(chromedp.MouseReleased, x1, y1, held),
		chromedp.WaitVisible(chromedp.CSS(".zone-editor-form")),
		chromedp.SendKeys(chromedp.CSS(`.zone-editor-form input[name="name"]`), "Chest print"),
		chromedp.Click(chromedp.CSS(`.zone-editor-form button[type="submit"]`)),
		waitJS(`window.__savedZones.length > 0`, 10*time.Second),
	)
	if err != nil {
		screenshot(t, ctx, "viewer-zone-editor-failed")
		_, body := page(t, ctx)
		t.Fatalf("draw and save a zone: %v\n%s", err, body)
	}
	type zone struct {
		ID, Name, Material string
		U0, V0, U1, V1     float64
	}
	saved, err := chromedp.Run(ctx, chromedp.Evaluate[zone](`(() => { const z = window.__savedZones[0];
		return {ID: z.id, Name: z.name, Material: z.material, U0: z.u0, V0: z.v0, U1: z.u1, V1: z.v1}; })()`))
	if err != nil {
		t.Fatal(err)
	}
	near := func(got, want float64) bool { return got > want-0.01 && got < want+0.01 }
	if !strings.HasPrefix(saved.ID, "zone_") || saved.Name != "Chest print" || saved.Material != "blinn3-fx" ||
		!near(saved.U0, 0.2) || !near(saved.V0, 0.1) || !near(saved.U1, 0.6) || !near(saved.V1, 0.4) {
		t.Errorf("saved zone %+v, want Chest print on blinn3-fx at (0.2, 0.1)–(0.6, 0.4) with the server's ID", saved)
	}
	status, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".zone-editor-status")))
	if err != nil || !strings.Contains(status, "Chest print") {
		t.Errorf("status after saving: %q %v", status, err)
	}
	// The saved zone is outlined in blue on the texture: its left edge at
	// mid-height is blue where the UV says, not where a flipped v would put it.
	edge, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`(() => {
		const c = document.querySelector('.zone-editor-canvas');
		const line = Math.max(2, Math.round(Math.max(c.width, c.height) / 256));
		const px = (u, v) => Array.from(c.getContext('2d').getImageData(Math.round(u * c.width + line / 2), Math.round(v * c.height), 1, 1).data);
		return [...px(0.2, 0.25), ...px(0.2, 0.75)];
	})()`))
	if err != nil || len(edge) != 8 {
		t.Fatalf("read canvas pixels: %v %v", edge, err)
	}
	if r, g, b := edge[0], edge[1], edge[2]; !(b > 180 && r < 80 && g < 130) {
		t.Errorf("pixel on the zone's left edge is rgb(%d, %d, %d), want the zone blue", r, g, b)
	}
	if r, g, b := edge[4], edge[5], edge[6]; b > 180 && r < 80 && g < 130 {
		t.Errorf("pixel at the flipped-v position is the zone blue rgb(%d, %d, %d): v is upside down", r, g, b)
	}
	screenshot(t, ctx, "viewer-zone-editor")
}

// waitJS waits until the JavaScript expression is truthy.
func waitJS(expr string, timeout time.Duration) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(timeout))(ctx, tg)
		return err
	})
}

// screenshot saves a PNG of the page into $LUNEO_TEST_SCREENSHOTS, when set,
// for a person to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("LUNEO_TEST_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
	}
}
