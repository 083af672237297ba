package dashboard_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/demo"
	"github.com/luneo/luneo/internal/web/webtest"
)

// mugDesign makes, as the owner b, a product with the demo mug and its
// print zone "Wrap", and a design on it made through the JSON API with the
// browser's session (as the dashboard's scripts would). It returns the
// product's and the design's IDs.
func mugDesign(t *testing.T, b *webtest.Browser, name string) (productID, designID string) {
	t.Helper()
	productID = newProduct(t, b, "Mug "+name, "", "12.90", "EUR")
	mug, err := demo.Mug(demo.MugOptions{Segments: 24, TextureSize: 256})
	if err != nil {
		t.Fatal(err)
	}
	webtest.WantRedirect(t, b.Upload("/app/products/"+productID+"/model", "mug.glb", mug), "/app/products/"+productID+"#model")
	mz := demo.MugZone()
	zone, _ := json.Marshal(map[string]any{"name": "Wrap", "type": "print", "material": mz.Material,
		"uv_rect":  map[string]any{"u0": mz.Rect.U0, "v0": mz.Rect.V0, "u1": mz.Rect.U1, "v1": mz.Rect.V1},
		"width_mm": mz.WidthMM, "height_mm": mz.HeightMM, "dpi": 72})
	zp := b.JSON("POST", "/api/products/"+productID+"/zones", string(zone))
	if zp.Status != http.StatusCreated {
		t.Fatalf("zone: %d %s", zp.Status, zp.Body)
	}
	zoneID := webtest.Find(t, zp.Body, `"id":"([^"]+)"`)
	doc, _ := json.Marshal(map[string]any{"product_id": productID, "name": name, "document": map[string]any{
		"zones": []any{map[string]any{"zone_id": zoneID, "layers": []any{
			map[string]any{"type": "text", "text": "Hello", "font": "Noto Sans", "size_pt": 24, "x_mm": 20, "y_mm": 30},
		}}}}})
	dp := b.JSON("POST", "/api/designs", string(doc))
	if dp.Status != http.StatusCreated {
		t.Fatalf("design: %d %s", dp.Status, dp.Body)
	}
	var out struct {
		Design struct{ ID string } `json:"design"`
	}
	if err := json.Unmarshal([]byte(dp.Body), &out); err != nil || out.Design.ID == "" {
		t.Fatalf("design answer %s: %v", dp.Body, err)
	}
	return productID, out.Design.ID
}

// copyDesign saves a new design named name with the document of design id,
// through the JSON API.
func copyDesign(t *testing.T, b *webtest.Browser, id, name string) {
	t.Helper()
	g := b.JSON("GET", "/api/designs/"+id, "")
	var got struct {
		Design struct {
			ProductID string `json:"product_id"`
		} `json:"design"`
		Version struct{ Document json.RawMessage } `json:"version"`
	}
	if err := json.Unmarshal([]byte(g.Body), &got); err != nil || g.Status != http.StatusOK {
		t.Fatalf("get design: %d %s %v", g.Status, g.Body, err)
	}
	body, _ := json.Marshal(map[string]any{"product_id": got.Design.ProductID, "name": name, "document": got.Version.Document})
	if p := b.JSON("POST", "/api/designs", string(body)); p.Status != http.StatusCreated {
		t.Fatalf("copy design: %d %s", p.Status, p.Body)
	}
}

// firstEvent opens an event stream with b's cookies and returns its
// status, Content-Type and first event's lines (up to the blank line). A
// stream that sends nothing fails the test after 30 s instead of hanging.
func firstEvent(t *testing.T, e *webtest.Env, b *webtest.Browser, path string) (int, string, []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.URL+path, nil)
	req.Header.Set("Accept", "text/event-stream")
	for _, c := range b.Cookies(path) {
		req.AddCookie(c)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, resp.Header.Get("Content-Type"), nil
	}
	var lines []string
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() && sc.Text() != "" {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), lines
}

func TestPageDesigns(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	b := e.Browser()
	b.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	webtest.Want(t, b.Get("/app"), http.StatusOK, `href="/app/designs"`)
	webtest.Want(t, b.Get("/app/designs"), http.StatusOK, "No designs yet.", "POST /api/designs", "widget",
		`<a href="/app/designs" aria-current="page">Designs</a>`)

	product, id := mugDesign(t, b, "Gift")
	page := "/app/designs/" + id
	webtest.Want(t, b.Get("/app/products/"+product), http.StatusOK, `href="/app/designs?product=`+product+`"`)
	list := b.Get("/app/designs")
	// No worker runs in this test: the render stays queued.
	webtest.Want(t, list, http.StatusOK, `href="`+page+`"`, "<strong>Gift</strong>", "Mug Gift", "Preview queued", "team member")
	webtest.Want(t, b.Get("/app/designs?product="+product), http.StatusOK, "<strong>Gift</strong>", `selected>Mug Gift</option>`)
	other := newProduct(t, b, "Cap", "", "5", "EUR")
	webtest.Want(t, b.Get("/app/designs?product="+other), http.StatusOK, "No designs of this product yet.")

	pg := b.Get(page)
	webtest.Want(t, pg, http.StatusOK, "<h1>Gift</h1>", "Mug Gift", "Wrap", "data-live=\"true\"", `data-events="`+page+`/renders/events"`,
		"Render again", "Make print files", "Create a preview link", "Delete the design", "not ordered", "No files yet", "Refresh")
	if n := strings.Count(pg.Body, "data-render-id="); n != 1 {
		t.Errorf("%d renders listed, want the compose render of version 1", n)
	}
	if bundleBuilt() {
		webtest.Want(t, pg, http.StatusOK, `<script type="module" src="/static/dist/design-renders.`)
	}

	// Render again, then with print files: each adds its renders.
	p := b.Post(page + "/render")
	webtest.WantRedirect(t, p, page+"#renders")
	webtest.Want(t, b.Follow(p), http.StatusOK, "Version 1 is queued for rendering.")
	p = b.Post(page+"/render", "produce", "1")
	pg = b.Follow(p)
	webtest.Want(t, pg, http.StatusOK, "with its print files", "<td>produce</td>")
	if n := strings.Count(pg.Body, "data-render-id="); n != 4 {
		t.Errorf("%d renders listed, want 4", n)
	}

	// The live feed: an event stream whose first event lists the renders.
	status, ct, ev := firstEvent(t, e, b, page+"/renders/events")
	if status != http.StatusOK || ct != "text/event-stream" || len(ev) != 2 || ev[0] != "event: renders" || !strings.HasPrefix(ev[1], `data: {"renders":[`) ||
		strings.Count(ev[1], `"status":"queued"`) != 4 {
		t.Errorf("event stream %d %q: %q", status, ct, ev)
	}

	// The preview link: made, shown with the public URL, revoked.
	pg = b.Follow(b.Post(page + "/preview"))
	link := webtest.Find(t, pg.Body, `<code>(http://[^<]+/p/dp_[A-Za-z0-9_-]+)</code>`)
	if !strings.HasPrefix(link, e.URL+"/p/dp_") {
		t.Errorf("preview link %q", link)
	}
	webtest.Want(t, pg, http.StatusOK, "Revoke the link")
	pg = b.Follow(b.Post(page + "/preview/revoke"))
	webtest.Want(t, pg, http.StatusOK, "The preview link is revoked", "Create a preview link")
	if strings.Contains(pg.Body, link) {
		t.Error("the revoked link is still shown")
	}

	// Another brand sees none of it.
	rival := e.Browser()
	rival.Signup("rita@example.com", "Rita", "Rival Mugs")
	webtest.Want(t, rival.Get(page), http.StatusNotFound)
	if status, _, ev := firstEvent(t, e, rival, page+"/renders/events"); status != http.StatusNotFound {
		t.Errorf("another brand's event stream: %d %q", status, ev)
	}
	for _, path := range []string{page + "/render", page + "/preview", page + "/preview/revoke", page + "/delete"} {
		webtest.Want(t, rival.Post(path, "confirm", "yes"), http.StatusNotFound)
	}
	if l := rival.Get("/app/designs"); strings.Contains(l.Body, id) {
		t.Error("another brand's list shows the design")
	}

	// A failed render shows its error, and the list says so.
	if _, err := e.DB.Exec(`UPDATE renders SET status = 'failed', error = 'the product no longer has this zone'
		WHERE design_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	webtest.Want(t, b.Get(page), http.StatusOK, `<p class="render-error">the product no longer has this zone</p>`,
		`<span class="badge badge-failed">failed</span>`)
	webtest.Want(t, b.Get("/app/designs"), http.StatusOK, "Preview failed")

	// Pages of 20, newest first.
	for i := range 20 {
		copyDesign(t, b, id, fmt.Sprintf("Copy %02d", i))
	}
	first := b.Get("/app/designs")
	webtest.Want(t, first, http.StatusOK, "<strong>Copy 19</strong>", "<strong>Copy 00</strong>", `rel="next"`)
	if strings.Contains(first.Body, "<strong>Gift</strong>") {
		t.Error("the oldest design is on the first page")
	}
	second := b.Get(html.UnescapeString(webtest.Find(t, first.Body, `<a href="([^"]+)" rel="next">`)))
	webtest.Want(t, second, http.StatusOK, "<strong>Gift</strong>", `href="/app/designs">First page</a>`)
	if strings.Contains(second.Body, "Copy 00") || strings.Contains(second.Body, `rel="next"`) {
		t.Error("the second page repeats the first or links a third")
	}

	// Deleting needs the box ticked.
	webtest.Want(t, b.Follow(b.Post(page+"/delete")), http.StatusOK, "Tick the box to confirm", "<h1>Gift</h1>")
	webtest.Want(t, b.Follow(b.Post(page+"/delete", "confirm", "yes")), http.StatusOK, `The design &#34;Gift&#34; is deleted`)
	if l := b.Get("/app/designs"); strings.Contains(l.Body, "<strong>Gift</strong>") || strings.Contains(l.Body, `rel="next"`) {
		t.Error("the deleted design is still listed")
	}
	webtest.Want(t, b.Get(page), http.StatusNotFound)
}

func TestPageDesignsViewer(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	owner := e.Browser()
	owner.Signup("zoe@example.com", "Zoé", "Acme Mugs")
	_, id := mugDesign(t, owner, "Gift")
	page := "/app/designs/" + id
	owner.Follow(owner.Post(page + "/preview"))
	owner.Post("/app/team/invite", "email", "bob@example.com", "role", "viewer")
	token := e.Mailed("bob@example.com", "/invitations/accept")
	viewer := e.Browser()
	viewer.Signup("bob@example.com", "Bob", "Bob Prints")
	webtest.WantRedirect(t, viewer.Post("/invitations/accept", "token", token), "/app")

	webtest.Want(t, viewer.Get("/app/designs"), http.StatusOK, "<strong>Gift</strong>")
	pg := viewer.Get(page)
	webtest.Want(t, pg, http.StatusOK, "<h1>Gift</h1>", "The design has a permanent preview link.")
	for _, s := range []string{"Render again", "Make print files", "Delete the design", "Revoke the link", "/p/dp_", `method="post"` + ` action="/app/designs/`} {
		if strings.Contains(pg.Body, s) {
			t.Errorf("a viewer's design page offers %q", s)
		}
	}
	for _, path := range []string{page + "/render", page + "/preview", page + "/preview/revoke", page + "/delete"} {
		webtest.Want(t, viewer.Post(path, "confirm", "yes"), http.StatusForbidden)
	}
	if n := countRenders(t, e, id); n != 1 {
		t.Errorf("%d renders after a viewer's posts, want 1", n)
	}
	webtest.Want(t, owner.Get(page), http.StatusOK, "<h1>Gift</h1>", "Revoke the link")
}

// countRenders counts a design's render rows.
func countRenders(t *testing.T, e *webtest.Env, designID string) int {
	t.Helper()
	var n int
	if err := e.DB.QueryRow(`SELECT COUNT(*) FROM renders WHERE design_id = $1`, designID).Scan(&n); err != nil {
		t.Fatal(fmt.Errorf("count renders: %w", err))
	}
	return n
}
