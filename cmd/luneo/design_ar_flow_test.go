package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/luneo/luneo/gltf"
	"github.com/luneo/luneo/usdz"
)

// checkDesignAR checks the seed's AR flow of a rendered design: its GLB
// (the design texture on the zone's material, valid for the Khronos
// validator), its USDZ (laid out for AR Quick Look, read by two USD
// readers, holding the design texture), its three-quarter view, and its
// public AR page with launch counting and revocation.
func checkDesignAR(t *testing.T, c *client, base, dbURL, id string, texture []byte, material string) {
	t.Helper()
	out := c.must(200, "GET", "/api/designs/"+id+"/ar", nil)
	if out["status"] != "ready" || out["expires_at"] == nil {
		t.Fatalf("design AR: %v", out)
	}
	get := func(key string) []byte {
		t.Helper()
		u, _ := out[key].(string)
		resp, body := fetch(t, u, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", key, resp.StatusCode)
		}
		return body
	}
	dir := t.TempDir()

	glb := get("glb_url")
	doc, err := gltf.Read(bytes.NewReader(glb), int64(len(glb)), gltf.ReadOptions{})
	if err != nil {
		t.Fatalf("design GLB: %v", err)
	}
	found := false
	for _, m := range doc.Materials {
		if m.Name != material {
			continue
		}
		img, err := doc.ImageData(*doc.Textures[m.PBRMetallicRoughness.BaseColorTexture.Index].Source)
		found = err == nil && bytes.Equal(img, texture)
	}
	if !found {
		t.Errorf("the design GLB's material %q does not show the design texture", material)
	}
	glbPath := filepath.Join(dir, "design.glb")
	writeFile(t, glbPath, glb)
	var verdict []struct {
		NumErrors int `json:"numErrors"`
	}
	runNodeTool(t, filepath.Join("..", "..", "tools", "gltf-validator", "validate.mjs"), &verdict, glbPath)
	if len(verdict) != 1 || verdict[0].NumErrors != 0 {
		t.Errorf("Khronos validator on the design GLB: %+v", verdict)
	}

	pkg := get("usdz_url")
	if err := usdz.Check(bytes.NewReader(pkg), int64(len(pkg))); err != nil {
		t.Fatalf("design USDZ: %v", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	usdzPath := filepath.Join(dir, "design.usdz")
	writeFile(t, usdzPath, pkg)
	type reader struct {
		OK              bool     `json:"ok"`
		Error           string   `json:"error"`
		Textures        int      `json:"textures"`
		MissingTextures []string `json:"missingTextures"`
		// BoundTextures: material (three) or mesh (tinyusdz) → input → file.
		BoundTextures map[string]map[string]string `json:"boundTextures"`
	}
	var readers []struct {
		TinyUSDZ reader `json:"tinyusdz"`
		Three    reader `json:"three"`
	}
	runNodeTool(t, filepath.Join("..", "..", "tools", "usd-check", "check.mjs"), &readers, usdzPath)
	if len(readers) != 1 {
		t.Fatalf("USD readers: %+v", readers)
	}
	for name, r := range map[string]reader{"tinyusdz": readers[0].TinyUSDZ, "three": readers[0].Three} {
		if !r.OK || r.Textures == 0 || len(r.MissingTextures) > 0 {
			t.Errorf("%s reads the design USDZ as %+v", name, r)
		}
	}
	if f := readers[0].Three.BoundTextures["/Root/Materials/"+material]["map"]; !strings.HasPrefix(f, "textures/") || zipEntry(zr, f) == nil ||
		!bytes.Equal(zipEntry(zr, f), texture) {
		t.Errorf("three.js binds %q to the %s material's colour map, want the design texture", f, material)
	}

	view, err := png.Decode(bytes.NewReader(get("preview_url")))
	if err != nil {
		t.Fatalf("preview: %v", err)
	}
	if b := view.Bounds(); b.Dx() != 1024 || b.Dy() != 1024 {
		t.Errorf("preview %v, want 1024²", b)
	}
	if cover := coverage(view); cover < 0.05 || cover > 0.9 {
		t.Errorf("the preview's model covers %.2f of the image", cover)
	}

	// The public AR page, counted and revocable.
	tok := c.must(200, "POST", "/api/designs/"+id+"/ar-token", nil)
	page := str(tok, "url")
	if !strings.HasPrefix(page, base+"/ar/d/da_") {
		t.Fatalf("AR page URL %q", page)
	}
	resp, body := fetch(t, page, map[string]string{"User-Agent": "Mozilla/5.0 (Linux; Android 14)"})
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("<model-viewer")) || !bytes.Contains(body, []byte(`ios-src=`)) ||
		!bytes.Contains(body, []byte(`og:image" content="`+page+`/preview.png"`)) {
		t.Fatalf("AR page: %d\n%s", resp.StatusCode, body)
	}
	if resp, card := fetch(t, page+"/preview.png", nil); resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || len(card) < 100 {
		t.Errorf("social card: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	st, _ := c.send("POST", strings.TrimPrefix(page, base)+"/events", "application/json",
		[]byte(`{"event":"ar_launched"}`), false, map[string]string{"Origin": base, "User-Agent": "Mozilla/5.0 (iPhone)"})
	if st != 204 {
		t.Errorf("AR launch event: %d", st)
	}
	if n := countRows(t, dbURL, "design_ar_views"); n != 2 {
		t.Errorf("%d design AR events recorded, want 2 (opened on Android, launched on iOS)", n)
	}
	c.must(204, "DELETE", "/api/designs/"+id+"/ar-token", nil)
	if resp, _ := fetch(t, page, nil); resp.StatusCode != 404 {
		t.Errorf("revoked AR page: %d, want 404", resp.StatusCode)
	}
}

// zipEntry returns the bytes of a package's file, nil when absent.
func zipEntry(zr *zip.Reader, name string) []byte {
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil
		}
		defer rc.Close()
		b, _ := io.ReadAll(rc)
		return b
	}
	return nil
}

// coverage is the share of pixels with some opacity.
func coverage(img image.Image) float64 {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a > 0 {
				n++
			}
		}
	}
	return float64(n) / float64(b.Dx()*b.Dy())
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// runNodeTool runs one of the repository's Node reference tools (under
// tools/, installed by npm ci there) and decodes its JSON output; the test
// skips without Node unless CI asks for the references (LUNEO_TEST_NODE).
func runNodeTool(t *testing.T, script string, out any, args ...string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(filepath.Dir(script), "node_modules"))
	}
	if err != nil {
		if os.Getenv("LUNEO_TEST_NODE") != "" {
			t.Fatalf("%s needs node and npm ci in its folder: %v", script, err)
		}
		t.Skipf("%s needs node and npm ci in its folder: %v", script, err)
	}
	cmd := exec.Command(node, append([]string{script}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, stderr.Bytes())
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("%s output: %v\n%s", script, err, b)
	}
}

// checkHQ asks for a high-quality render: with Blender on the PATH (the
// workers run on this machine), a 1024² path-traced view arrives; without
// it the API says Blender is needed, and nothing is enqueued.
func checkHQ(t *testing.T, c *client, id string) {
	t.Helper()
	before := len(c.must(200, "GET", "/api/designs/"+id+"/renders", nil)["renders"].([]any))
	if _, err := exec.LookPath("blender"); err != nil {
		st, out := c.do("POST", "/api/designs/"+id+"/render", map[string]any{"hq": true})
		if st != 422 || !strings.Contains(fmt.Sprint(out), "Blender") {
			t.Errorf("hq render without Blender: %d %v", st, out)
		}
		if n := len(c.must(200, "GET", "/api/designs/"+id+"/renders", nil)["renders"].([]any)); n != before {
			t.Errorf("a refused hq render left %d renders", n-before)
		}
		return
	}
	c.must(202, "POST", "/api/designs/"+id+"/render", map[string]any{"hq": true})
	rs := waitRenders(t, c, id, before+1)
	if rs[0]["kind"] != "hq" {
		t.Fatalf("newest render %v, want the hq one", rs[0])
	}
	f := filesByRole(rs[:1])["hq_view/three-quarter"]
	img, err := png.Decode(bytes.NewReader(fetchURL(t, f)))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1024 || b.Dy() != 1024 {
		t.Errorf("hq view %v, want 1024²", b)
	}
	if cover := coverage(img); cover < 0.05 || cover > 0.9 {
		t.Errorf("the hq view's model covers %.2f of the image", cover)
	}
}
