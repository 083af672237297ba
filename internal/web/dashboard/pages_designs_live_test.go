package dashboard_test

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/app"
	"github.com/luneo/luneo/internal/platform/config"
	"github.com/luneo/luneo/internal/web/webtest"
)

// The design pages with a real worker: renders move from queued to
// completed while the page's event stream is read.

// startWorker runs a job worker on e's database and blobs, as `luneo
// worker` would beside `luneo serve`, until the test ends.
func startWorker(t *testing.T, e *webtest.Env) {
	t.Helper()
	ctx := context.Background()
	c := e.App.Config
	env := map[string]string{"LUNEO_DATA": c.DataDir, "LUNEO_SECRET": webtest.Secret, "DATABASE_URL": c.DatabaseURL,
		"LUNEO_BLOB_URL": c.BlobURL}
	cfg, err := config.Load(config.Worker, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.DiscardHandler), e.URL, app.Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	if err := a.Queue.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := a.Queue.Stop(stop); err != nil {
			t.Error(err)
		}
	})
}

// eventStream is an open event stream read by the test.
type eventStream struct {
	sc     *bufio.Scanner
	cancel func()
}

// openEvents opens an event stream with b's cookies.
func openEvents(t *testing.T, e *webtest.Env, b *webtest.Browser, path string) *eventStream {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	req, _ := http.NewRequestWithContext(ctx, "GET", e.URL+path, nil)
	for _, c := range b.Cookies(path) {
		req.AddCookie(c)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); resp.Body.Close() })
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	return &eventStream{sc: sc, cancel: cancel}
}

// next returns the next event's renders, failing when the stream ends.
func (s *eventStream) next(t *testing.T) []map[string]any {
	t.Helper()
	for s.sc.Scan() {
		data, ok := strings.CutPrefix(s.sc.Text(), "data: ")
		if !ok {
			continue
		}
		var ev struct {
			Renders []map[string]any `json:"renders"`
		}
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			t.Fatal(err)
		}
		return ev.Renders
	}
	t.Fatalf("the event stream ended: %v", s.sc.Err())
	return nil
}

// TestPageDesignLive follows a design's renders over the page's event
// stream while a separate worker works them: the stream says queued, then
// completed, and the pages then show the preview thumbnail, the zone
// preview and the files.
func TestPageDesignLive(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	_, id := mugDesign(t, b, "Gift")
	page := "/app/designs/" + id

	events := openEvents(t, e, b, page+"/renders/events")
	first := events.next(t)
	if len(first) != 1 || first[0]["status"] != "queued" {
		t.Fatalf("first event %v, want the queued compose render", first)
	}
	startWorker(t, e)
	// The compose render goes queued → processing → completed, and its
	// completion enqueues the model render (GLB, USDZ, 3D views).
	var seen []string
	for done := false; !done; {
		rs := events.next(t)
		if len(rs) == 0 || len(rs) > 2 {
			t.Fatalf("event with %d renders, want the compose render and then the model render", len(rs))
		}
		compose := rs[len(rs)-1] // newest first
		if last, _ := compose["status"].(string); len(seen) == 0 || seen[len(seen)-1] != last {
			seen = append(seen, last)
		}
		done = len(rs) == 2
		for _, r := range rs {
			done = done && r["status"] == "completed"
			if r["status"] == "failed" {
				t.Fatalf("the %s render failed: %v", r["kind"], r["error"])
			}
		}
	}
	events.cancel()
	t.Logf("compose statuses seen live: %v", seen)

	list := b.Get("/app/designs")
	thumb := webtest.Find(t, list.Body, `<img src="(/blobs/[^"]+)" alt="Design preview"`)
	if status, ct, _ := b.Fetch(thumb); status != http.StatusOK || ct != "image/webp" {
		t.Errorf("thumbnail %s: %d %s", thumb, status, ct)
	}
	pg := b.Get(page)
	webtest.Want(t, pg, http.StatusOK, `alt="Preview of the zone Wrap"`, "Design texture", "Preview", "Download",
		`<span class="badge badge-completed">completed</span>`, "3D model (GLB)", "AR model (USDZ)",
		`alt="The product with the design, three-quarter view"`)
	if strings.Contains(pg.Body, `data-live="true"`) || strings.Contains(pg.Body, "No files yet") {
		t.Error("the design page still waits for its render")
	}
	// The preview link the page shows answers with the 3D view.
	pg = b.Follow(b.Post(page + "/preview"))
	link := webtest.Find(t, pg.Body, `<code>http://[^/]+(/p/dp_[A-Za-z0-9_-]+)</code>`)
	if status, ct, _ := b.Fetch(link); status != http.StatusOK || ct != "image/png" {
		t.Errorf("preview link %s: %d %s", link, status, ct)
	}
	// So does the AR page the brand shares, until it is revoked.
	pg = b.Follow(b.Post(page + "/ar-page"))
	arPage := webtest.Find(t, pg.Body, `<code>http://[^/]+(/ar/d/da_[A-Za-z0-9_-]+)</code>`)
	if status, ct, body := b.Fetch(arPage); status != http.StatusOK || !strings.HasPrefix(ct, "text/html") || !strings.Contains(string(body), "product-viewer") {
		t.Errorf("AR page %s: %d %s", arPage, status, ct)
	}
	webtest.Want(t, b.Get(page), http.StatusOK, "AR page opened: desktop 1")
	webtest.WantRedirect(t, b.Post(page+"/ar-page/revoke"), page+"#ar")
	if status, _, _ := b.Fetch(arPage); status != http.StatusNotFound {
		t.Errorf("revoked AR page %s: %d", arPage, status)
	}

	// Print files: a new compose render (which finds its files by their
	// inputs: reused) and a produce render with the zone's PNG and PDF at
	// its DPI, 200 × 80 mm at 72 DPI = 567 × 227 px.
	webtest.WantRedirect(t, b.Post(page+"/render", "produce", "1"), page+"#renders")
	events = openEvents(t, e, b, page+"/renders/events")
	for done := false; !done; {
		rs := events.next(t)
		done = len(rs) == 5 // compose and model, then compose, produce and model again
		for _, r := range rs {
			done = done && r["status"] == "completed"
			if r["status"] == "failed" {
				t.Fatalf("a render failed: %v", r["error"])
			}
		}
	}
	events.cancel()
	pg = b.Get(page)
	webtest.Want(t, pg, http.StatusOK, "<td>Print PNG</td>", "<td>Print PDF</td>", "567 × 227 px", "<td>72</td>",
		`<span class="badge badge-reused"`, "(2 reused)")
}
