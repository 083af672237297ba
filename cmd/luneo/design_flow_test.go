package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"io"
	"maps"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/webp"

	"github.com/luneo/luneo/internal/demo"
	"github.com/luneo/luneo/internal/platform/db"
)

// The design pipeline end to end, on the embedded setup (one dev process)
// and on PostgreSQL + Redis + S3 with `serve` here and `worker` as a
// separate process: saving a design renders its texture and previews, and
// with produce its print files; re-running reuses unchanged files.
func TestDesignFlows(t *testing.T) {
	for _, fe := range flowEnvs() {
		t.Run(fe.name, func(t *testing.T) {
			env := fe.env(t)
			var base string
			if fe.name == "embedded" {
				p := start(t, "dev", env)
				base = p.url
				t.Cleanup(func() {
					if t.Failed() {
						t.Logf("dev log:\n%s", p.stderr.String())
					}
				})
			} else {
				if err := run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, io.Discard, io.Discard); err != nil {
					t.Fatal(err)
				}
				base = start(t, "serve", env).url
				startWorker(t, buildLuneo(t), env)
			}
			flowDesign(t, base, fe.dbURL(env))
		})
	}
}

func flowDesign(t *testing.T, base, dbURL string) {
	c := signup(t, base, dbURL, "designs@example.com", "Design Co")
	product, zone := mugProduct(t, c, 1024, map[string]any{"dpi": 100, "bleed_mm": 2})
	mz := demo.MugZone()

	// A red 400×200 image, uploaded as a design asset.
	red := image.NewNRGBA(image.Rect(0, 0, 400, 200))
	for i := 0; i < len(red.Pix); i += 4 {
		red.Pix[i], red.Pix[i+3] = 255, 255
	}
	var pb bytes.Buffer
	_ = png.Encode(&pb, red)
	ct, body := multipartFile(t, "red.png", pb.Bytes())
	st, out := c.send("POST", "/api/designs/assets", ct, body, false, nil)
	if st != 201 {
		t.Fatalf("asset upload: %d %v", st, out)
	}
	asset := str(out, "asset", "sha256")

	// An image at the left of the print area, text in two scripts.
	doc := map[string]any{"zones": []any{map[string]any{"zone_id": zone, "layers": []any{
		map[string]any{"type": "image", "asset": asset, "x_mm": 0, "y_mm": 0, "width_mm": 60, "height_mm": 30},
		map[string]any{"type": "text", "text": "Luneo مرحبا", "font": "Noto Sans", "size_pt": 24, "color": "#1d4e89",
			"align": "center", "x_mm": 130, "y_mm": 50},
	}}}}
	created := c.must(201, "POST", "/api/designs", map[string]any{"product_id": product, "name": "Gift", "document": doc, "produce": true})
	id := str(created, "design", "id")
	// compose and produce, then the model render compose chains.
	rs := waitRenders(t, c, id, 3)
	files := filesByRole(rs)

	// The design texture: the material's 1024² texture, red where the image
	// lies (the print area's left edge, top), white elsewhere.
	tex := decodeURL(t, files["texture"], png.Decode)
	if tex.Bounds().Dx() != 1024 || tex.Bounds().Dy() != 1024 {
		t.Fatalf("texture %v, want the base texture's 1024²", tex.Bounds())
	}
	at := func(u, v float64) color.NRGBA {
		return color.NRGBAModel.Convert(tex.At(int(u*1024), int(v*1024))).(color.NRGBA)
	}
	w, h := mz.Rect.U1-mz.Rect.U0, mz.Rect.V1-mz.Rect.V0
	if c := at(mz.Rect.U0+w*15/200, mz.Rect.V0+h*10/80); c.R < 240 || c.G > 15 || c.B > 15 {
		t.Errorf("texture inside the image layer = %v, want red", c)
	}
	if c := at(mz.Rect.U0+w*100/200, mz.Rect.V0+h*15/80); c.R < 240 || c.G < 240 || c.B < 240 {
		t.Errorf("texture in an empty part of the zone = %v, want the white base", c)
	}
	if c := at(0.02, 0.9); c.R < 240 || c.G < 240 {
		t.Errorf("texture outside the zone = %v, want the white base", c)
	}

	// The preview: the zone within 1024 px, keeping its 200:80 aspect.
	pv := decodeURL(t, files["preview"], webp.Decode)
	if pv.Bounds().Dx() != 1024 || pv.Bounds().Dy() != 410 {
		t.Errorf("preview %v, want 1024×410", pv.Bounds())
	}

	// The print PNG: (200 + 2×2 bleed) mm × (80 + 4) mm at 100 DPI, with
	// its DPI in pHYs (100 / 0.0254 = 3937 px per metre).
	pp := files["print_png"]
	raw := fetchURL(t, pp)
	pm, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if pm.Bounds().Dx() != 803 || pm.Bounds().Dy() != 331 {
		t.Errorf("print PNG %v, want 803×331", pm.Bounds())
	}
	if ppm := physPerMetre(raw); ppm != 3937 {
		t.Errorf("print PNG pHYs = %d px/m, want 3937", ppm)
	}
	pdf := fetchURL(t, files["print_pdf"])
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("print PDF starts %q", pdf[:min(8, len(pdf))])
	}
	checkPDFText(t, pdf, "Luneo")

	// A re-run draws nothing again: the same files, no new file rows.
	// (Counted for this brand: a dev start renders its demo design too.)
	before := countRows(t, dbURL, brandFiles(id))
	c.must(202, "POST", "/api/designs/"+id+"/render", map[string]any{"produce": true})
	again := waitRenders(t, c, id, 6)
	if after := countRows(t, dbURL, brandFiles(id)); after != before {
		t.Errorf("a re-run of an unchanged design made %d new files", after-before)
	}
	for _, r := range again[:3] { // newest first: the re-run's model, produce and compose renders
		for _, f := range r["files"].([]any) {
			fm := f.(map[string]any)
			if k := fileRole(fm); fm["sha256"] != files[k]["sha256"] || fm["reused"] != true {
				t.Errorf("re-run %s: %v, want the first render's file, reused", k, fm)
			}
		}
	}

	// The design in AR: its own GLB, USDZ and 3D view.
	checkDesignAR(t, c, base, dbURL, id, fetchURL(t, files["texture"]), mz.Material)

	// The permanent preview URL serves the 3D view until it is revoked.
	tok := str(c.must(200, "POST", "/api/designs/"+id+"/preview-token", nil), "token")
	resp, img := fetch(t, base+"/p/"+tok, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !bytes.Equal(img, fetchURL(t, files["view/three-quarter"])) {
		t.Fatalf("GET /p/{token}: %d %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(img))
	}
	if resp, _ := fetch(t, base+"/p/"+tok, map[string]string{"If-None-Match": resp.Header.Get("ETag")}); resp.StatusCode != 304 {
		t.Errorf("GET /p/{token} with its ETag: %d, want 304", resp.StatusCode)
	}
	c.must(204, "DELETE", "/api/designs/"+id+"/preview-token", nil)
	if resp, _ := fetch(t, base+"/p/"+tok, nil); resp.StatusCode != 404 {
		t.Errorf("revoked preview URL: %d, want 404", resp.StatusCode)
	}

	// A high-quality render, when Blender is there.
	checkHQ(t, c, id)

	// Another brand sees none of it.
	other := signup(t, base, dbURL, "other@example.com", "Other Co")
	other.must(404, "GET", "/api/designs/"+id+"/renders", nil)
	other.must(404, "POST", "/api/designs/"+id+"/render", nil)

	// A layer naming an unknown image is refused, and nothing is saved.
	designs := countRows(t, dbURL, "designs")
	bad := map[string]any{"zones": []any{map[string]any{"zone_id": zone, "layers": []any{
		map[string]any{"type": "image", "asset": strings.Repeat("a", 64), "x_mm": 0, "y_mm": 0, "width_mm": 10, "height_mm": 10}}}}}
	if st, out := c.do("POST", "/api/designs", map[string]any{"product_id": product, "document": bad}); st != 422 {
		t.Errorf("unknown asset: %d %v", st, out)
	}
	if n := countRows(t, dbURL, "designs"); n != designs {
		t.Errorf("a refused design left %d rows", n-designs)
	}
}

// mugProduct creates a product with the demo mug (a TextureSize² base
// texture) and its print zone "Wrap" with the zone settings in extra, and
// returns their IDs.
func mugProduct(t *testing.T, c *client, textureSize int, extra map[string]any) (product, zone string) {
	t.Helper()
	product = str(c.must(201, "POST", "/api/products", map[string]any{"name": "Mug", "currency": "EUR", "price": 1290}), "product", "id")
	mug, err := demo.Mug(demo.MugOptions{TextureSize: textureSize})
	if err != nil {
		t.Fatal(err)
	}
	if st, out := c.uploadModel(product, "mug.glb", mug, false); st != 201 && st != 200 {
		t.Fatalf("upload model: %d %v", st, out)
	}
	mz := demo.MugZone()
	body := map[string]any{"name": "Wrap", "type": "print", "material": mz.Material,
		"uv_rect":  map[string]any{"u0": mz.Rect.U0, "v0": mz.Rect.V0, "u1": mz.Rect.U1, "v1": mz.Rect.V1},
		"width_mm": mz.WidthMM, "height_mm": mz.HeightMM}
	maps.Copy(body, extra)
	zone = str(c.must(201, "POST", "/api/products/"+product+"/zones", body), "zone", "id")
	return product, zone
}

// fileRole keys a render file by its role, and a view also by its camera.
func fileRole(f map[string]any) string {
	if v, _ := f["view"].(string); v != "" {
		return f["role"].(string) + "/" + v
	}
	return f["role"].(string)
}

// filesByRole collects the files of renders by fileRole.
func filesByRole(rs []map[string]any) map[string]map[string]any {
	files := map[string]map[string]any{}
	for _, r := range rs {
		for _, f := range r["files"].([]any) {
			fm := f.(map[string]any)
			files[fileRole(fm)] = fm
		}
	}
	return files
}

// waitRenders polls the design's renders until at least n exist and all
// are done, and returns them (newest first).
func waitRenders(t *testing.T, c *client, id string, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		out := c.must(200, "GET", "/api/designs/"+id+"/renders", nil)
		var rs []map[string]any
		done := 0
		for _, r := range out["renders"].([]any) {
			rm := r.(map[string]any)
			rs = append(rs, rm)
			switch rm["status"] {
			case "completed":
				done++
			case "failed":
				t.Fatalf("render failed: %v", rm)
			}
		}
		if len(rs) >= n && done == len(rs) {
			return rs
		}
		if time.Now().After(deadline) {
			t.Fatalf("renders not done: %v", rs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func fetchURL(t *testing.T, f map[string]any) []byte {
	t.Helper()
	if f == nil {
		t.Fatal("file missing")
	}
	resp, body := fetch(t, f["url"].(string), nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != f["mime_type"] {
		t.Fatalf("GET %s: %d %q", f["role"], resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return body
}

func decodeURL(t *testing.T, f map[string]any, dec func(r io.Reader) (image.Image, error)) image.Image {
	t.Helper()
	m, err := dec(bytes.NewReader(fetchURL(t, f)))
	if err != nil {
		t.Fatalf("decode %s: %v", f["role"], err)
	}
	return m
}

// physPerMetre reads the x density of a PNG's pHYs chunk (0 if none).
func physPerMetre(b []byte) uint32 {
	i := bytes.Index(b, []byte("pHYs"))
	if i < 0 || i+9 > len(b) || b[i+12] != 1 {
		return 0
	}
	return binary.BigEndian.Uint32(b[i+4:])
}

// checkPDFText checks with poppler's pdftotext (an independent reader)
// that the PDF's text is text; without poppler it only skips that part,
// unless LUNEO_TEST_PDF asks for it.
func checkPDFText(t *testing.T, pdf []byte, want string) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("LUNEO_TEST_PDF") != "" {
			t.Fatal("pdftotext (poppler-utils) is not installed")
		}
		t.Log("pdftotext not installed: PDF text not checked")
		return
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if !strings.Contains(string(out), want) {
		t.Errorf("PDF text %q lacks %q", out, want)
	}
}

// countRows counts the rows of table (a constant of the test).
// brandFiles is a table expression of the render files of a design's brand.
func brandFiles(designID string) string {
	return `render_files WHERE brand_id = (SELECT brand_id FROM designs WHERE id = '` + designID + `')`
}

// countRows counts the rows of a table (or a table expression).
func countRows(t *testing.T, dbURL, table string) int {
	t.Helper()
	d, err := db.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var n int
	if err := d.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
