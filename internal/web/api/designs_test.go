package api_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/platform/db"
	"github.com/luneo/luneo/internal/web/webtest"
)

// TestDesignsAPI drives the design routes end to end: an image upload, a
// design and its versions, warnings and refusals (nothing stored), preview
// tokens, fonts, deletion, and another brand's 404 on every route.
func TestDesignsAPI(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	a := webtest.Bearer(e.RegisterAndLogin("designer@example.com"))
	b := webtest.Bearer(e.RegisterAndLogin("rival@example.com"))
	pr := e.API("POST", "/api/products", map[string]any{"name": "Mug", "price": 900, "currency": "EUR"}, a)
	if pr.Status != http.StatusCreated {
		t.Fatalf("product: %d %v", pr.Status, pr.Body)
	}
	productID := pr.Body["product"].(map[string]any)["id"].(string)
	zoneID := insertPrintZone(t, e, productID)

	// An image: 100×50 px over 100×50 mm prints at 25 DPI, under the floor;
	// over 20×10 mm it prints at 127 DPI (a warning).
	up := uploadFile(t, e, "/api/designs/assets", "logo.png", pngBytes(t, 100, 50), a)
	if up.Status != http.StatusCreated {
		t.Fatalf("upload: %d %v", up.Status, up.Body)
	}
	asset := up.Body["asset"].(map[string]any)
	sha := asset["sha256"].(string)
	if asset["width"] != 100.0 || asset["format"] != "png" || !strings.Contains(asset["url"].(string), "/blobs/") {
		t.Fatalf("asset %v", asset)
	}
	doc := func(widthMM float64, text string) map[string]any {
		return map[string]any{"zones": []any{map[string]any{"zone_id": zoneID, "layers": []any{
			map[string]any{"type": "image", "asset": sha, "x_mm": 0, "y_mm": 0, "width_mm": widthMM, "height_mm": widthMM / 2},
			map[string]any{"type": "text", "text": text, "font": "DejaVu Serif", "size_pt": 12, "x_mm": 10, "y_mm": 20},
		}}}}
	}
	// The brand uploads a font of its own first.
	if r := uploadFile(t, e, "/api/fonts", "DejaVuSerif.ttf", dejaVu(t), a); r.Status != http.StatusCreated {
		t.Fatalf("font upload: %d %v", r.Status, r.Body)
	}

	created := e.API("POST", "/api/designs", map[string]any{"product_id": productID, "name": "Gift", "document": doc(20, "Hi"), "produce": true}, a)
	if created.Status != http.StatusCreated {
		t.Fatalf("create: %d %v", created.Status, created.Body)
	}
	id := created.Body["design"].(map[string]any)["id"].(string)
	warnings := created.Body["warnings"].([]any)
	if len(created.Body["sha256"].(string)) != 64 || len(warnings) != 1 || !strings.Contains(warnings[0].(map[string]any)["message"].(string), "127 DPI") {
		t.Fatalf("created %v", created.Body)
	}
	same := e.API("POST", "/api/designs/"+id+"/versions", map[string]any{"document": doc(20, "Hi")}, a)
	if same.Status != http.StatusOK || same.Body["unchanged"] != true {
		t.Fatalf("unchanged save: %d %v", same.Status, same.Body)
	}
	v2 := e.API("POST", "/api/designs/"+id+"/versions", map[string]any{"document": doc(20, "Bye")}, a)
	if v2.Status != http.StatusCreated || v2.Body["version"].(map[string]any)["version"] != 2.0 {
		t.Fatalf("version 2: %d %v", v2.Status, v2.Body)
	}
	if g := e.API("GET", "/api/designs/"+id+"?version=1", nil, a); g.Status != http.StatusOK ||
		g.Body["version"].(map[string]any)["sha256"] != created.Body["sha256"] {
		t.Fatalf("get version 1: %d %v", g.Status, g.Body)
	}
	if l := e.API("GET", "/api/designs?product_id="+productID, nil, a); l.Status != http.StatusOK || len(l.Body["designs"].([]any)) != 1 {
		t.Fatalf("list: %d %v", l.Status, l.Body)
	}

	// Refusals answer problem+json naming the field; nothing is stored.
	rows := countRows(t, e.DB, "design_versions") + countRows(t, e.DB, "designs") + countRows(t, e.DB, "design_assets")
	blobs := countBlobs(t, e)
	for name, c := range map[string]struct {
		status int
		r      func() webtest.Result
		field  string
	}{
		"unknown field": {400, func() webtest.Result {
			return e.API("POST", "/api/designs", map[string]any{"product_id": productID, "document": map[string]any{"zones": []any{}, "x": 1}}, a)
		}, ""},
		"under the DPI floor": {422, func() webtest.Result {
			return e.API("POST", "/api/designs", map[string]any{"product_id": productID, "document": doc(100, "Hi")}, a)
		}, "zones[0].layers[0].width_mm"},
		"unknown font": {422, func() webtest.Result {
			d := doc(20, "Hi")
			d["zones"].([]any)[0].(map[string]any)["layers"].([]any)[1].(map[string]any)["font"] = "Comic Sans"
			return e.API("POST", "/api/designs/"+id+"/versions", map[string]any{"document": d}, a)
		}, "zones[0].layers[1].font"},
		"a GIF": {415, func() webtest.Result {
			return uploadFile(t, e, "/api/designs/assets", "x.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), a)
		}, ""},
		"a lying PNG": {413, func() webtest.Result {
			return uploadFile(t, e, "/api/designs/assets", "bomb.png", withSize(pngBytes(t, 1, 1), 60000, 60000), a)
		}, ""},
	} {
		r := c.r()
		errs, _ := r.Body["errors"].(map[string]any)
		if r.Status != c.status || r.Header.Get("Content-Type") != "application/problem+json" || (c.field != "" && errs[c.field] == nil) {
			t.Errorf("%s: %d %v, want %d naming %q", name, r.Status, r.Body, c.status, c.field)
		}
	}
	if n := countRows(t, e.DB, "design_versions") + countRows(t, e.DB, "designs") + countRows(t, e.DB, "design_assets"); n != rows || countBlobs(t, e) != blobs {
		t.Errorf("refusals stored something: rows %d→%d, blobs %d→%d", rows, n, blobs, countBlobs(t, e))
	}

	// Another brand: every route answers 404 for this design.
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/designs/" + id}, {"POST", "/api/designs/" + id + "/versions"}, {"DELETE", "/api/designs/" + id},
		{"POST", "/api/designs/" + id + "/preview-token"}, {"DELETE", "/api/designs/" + id + "/preview-token"},
	} {
		var body any
		if c.method == "POST" && strings.HasSuffix(c.path, "versions") {
			body = map[string]any{"document": doc(20, "Hijack")}
		}
		if r := e.API(c.method, c.path, body, b); r.Status != http.StatusNotFound {
			t.Errorf("%s %s by another brand: %d %v", c.method, c.path, r.Status, r.Body)
		}
	}
	if r := e.API("POST", "/api/designs", map[string]any{"product_id": productID, "document": doc(20, "Hi")}, b); r.Status != http.StatusNotFound {
		t.Errorf("design on another brand's product: %d %v", r.Status, r.Body)
	}
	if r := e.API("GET", "/api/designs?product_id="+productID, nil, b); r.Status != http.StatusOK || len(r.Body["designs"].([]any)) != 0 {
		t.Errorf("another brand lists %v", r.Body)
	}
	if r := e.API("GET", "/api/fonts", nil, b); r.Status != http.StatusOK || len(r.Body["brand"].([]any)) != 0 {
		t.Errorf("another brand's fonts %v", r.Body)
	}

	// Preview token: permanent until revoked.
	t1 := e.API("POST", "/api/designs/"+id+"/preview-token", nil, a)
	t2 := e.API("POST", "/api/designs/"+id+"/preview-token", nil, a)
	if t1.Status != http.StatusOK || t1.Body["token"] == nil || t1.Body["token"] != t2.Body["token"] {
		t.Fatalf("preview tokens %v %v", t1.Body, t2.Body)
	}
	if r := e.API("DELETE", "/api/designs/"+id+"/preview-token", nil, a); r.Status != http.StatusNoContent {
		t.Fatalf("revoke: %d", r.Status)
	}
	if r := e.API("DELETE", "/api/designs/"+id, nil, a); r.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %v", r.Status, r.Body)
	}
	if r := e.API("GET", "/api/designs/"+id, nil, a); r.Status != http.StatusNotFound {
		t.Fatalf("deleted design: %d", r.Status)
	}
}

// insertPrintZone adds a 100×50 mm print zone at 300 DPI to a product
// directly in the database: the catalog adds zones only to products with a
// 3D model, which this test does not need.
func insertPrintZone(t *testing.T, e *webtest.Env, productID string) string {
	t.Helper()
	var brandID string
	if err := e.DB.QueryRow(`SELECT brand_id FROM products WHERE id = $1`, productID).Scan(&brandID); err != nil {
		t.Fatal(err)
	}
	now := db.Time(time.Now())
	if _, err := e.DB.Exec(`INSERT INTO product_zones (id, brand_id, product_id, name, type, material, width_mm, height_mm, dpi,
		layer_types, max_layers, max_chars, fonts, colours, colour_options, position, created_at, updated_at)
		VALUES ('zone-front', $1, $2, 'Front', 'print', 'mat', 100, 50, 300, '["text","image"]', 10, 200, '[]', '[]', '[]', 0, $3, $3)`,
		brandID, productID, now); err != nil {
		t.Fatal(err)
	}
	return "zone-front"
}

// uploadFile posts data as the "file" part of a multipart form.
func uploadFile(t *testing.T, e *webtest.Env, path, name string, data []byte, hdr map[string]string) webtest.Result {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", e.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := webtest.Result{Status: resp.StatusCode, Body: map[string]any{}, Header: resp.Header}
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out.Body)
	return out
}

func pngBytes(t *testing.T, w, h int) []byte {
	var b bytes.Buffer
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// dejaVu reads DejaVu Serif (not bundled, so a brand may upload it) from the system, or skips the test.
func dejaVu(t *testing.T) []byte {
	b, err := os.ReadFile("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
	if err != nil {
		t.Skipf("DejaVu Serif is not installed here: %v", err)
	}
	return b
}

// withSize rewrites a PNG header's size (with a valid CRC), as a
// decompression bomb would.
func withSize(b []byte, w, h uint32) []byte {
	out := bytes.Clone(b)
	binary.BigEndian.PutUint32(out[16:], w)
	binary.BigEndian.PutUint32(out[20:], h)
	binary.BigEndian.PutUint32(out[29:], crc32.ChecksumIEEE(out[12:29]))
	return out
}

func countRows(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func countBlobs(t *testing.T, e *webtest.Env) int {
	t.Helper()
	n := 0
	if err := e.App.Blobs.List(t.Context(), "", func(blob.Info) bool { n++; return true }); err != nil {
		t.Fatal(err)
	}
	return n
}
