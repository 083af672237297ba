package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Catalog flows, continued: refused uploads, zones, tenancy (run by
// TestCatalogFlows in catalog_flow_test.go).

func flowRefused(t *testing.T, ce *catalogEnv) {
	c := signup(t, ce.url, ce.dbURL, "refused@example.com", "Refused Co")
	brandID := str(c.must(200, "GET", "/api/brand", nil), "brand", "id")
	id := str(c.must(201, "POST", "/api/products", map[string]any{"name": "Target", "currency": "EUR"}), "product", "id")
	check := func(name string, status int, out map[string]any, want int, detail string) {
		t.Helper()
		if status != want || !strings.Contains(str(out, "detail"), detail) {
			t.Errorf("%s: %d %v, want %d mentioning %q", name, status, out, want, detail)
		}
		if keys, rows := ce.stored(t, brandID, id); len(keys) != 0 || rows != 0 {
			t.Errorf("%s: stored blobs %v and %d model rows", name, keys, rows)
		}
	}
	for i, path := range invalidCorpus(t) {
		data, _ := os.ReadFile(path)
		status, out := c.uploadModel(id, filepath.Base(path), data, i%2 == 0)
		check(path, status, out, 422, "")
		issues, _ := out["issues"].([]any)
		if len(issues) == 0 || str(issues[0].(map[string]any), "code") == "" {
			t.Errorf("%s: no issues in %v", path, out)
		}
	}
	if draco, err := os.ReadFile(filepath.Join(corpusDir, "requires-extension", "DenseSphere-draco.glb")); err == nil {
		status, out := c.uploadModel(id, "draco.glb", draco, true)
		check("draco", status, out, 422, "KHR_draco_mesh_compression")
		if issues, _ := out["issues"].([]any); len(issues) != 1 || !strings.Contains(str(issues[0].(map[string]any), "message"), "KHR_draco_mesh_compression") {
			t.Errorf("draco issues: %v", out["issues"])
		}
	}
	big := append([]byte("glTF"), make([]byte, 1_400_000)...)
	status, out := c.uploadModel(id, "big.glb", big, false)
	check("oversize raw", status, out, 413, "limit")
	ct, form := multipartFile(t, "big.glb", big)
	status, out = c.send("POST", "/api/products/"+id+"/model", ct, form, true, nil)
	check("oversize chunked form", status, out, 413, "limit")
	status, out = c.send("POST", "/api/products/"+id+"/model", "text/plain", []byte("hello"), false, nil)
	check("wrong type", status, out, 400, "multipart/form-data")
	status, out = c.send("POST", "/api/products/"+id+"/model", "model/gltf+json", []byte(`{"asset": {}}`), false, nil)
	check("broken gltf", status, out, 422, "")
}

// invalidCorpus lists the corpus GLB files the Khronos validator rejects.
func invalidCorpus(t *testing.T) []string {
	reports, _ := filepath.Glob(filepath.Join(corpusDir, "invalid-glb", "*.glb.report.json"))
	if len(reports) == 0 {
		if os.Getenv("LUNEO_TEST_CORPUS") != "" {
			t.Fatalf("LUNEO_TEST_CORPUS is set but %s/invalid-glb is missing", corpusDir)
		}
		t.Logf("no %s/invalid-glb: the shared corpus is not checked out here; skipping those files", corpusDir)
	}
	var out []string
	for _, r := range reports {
		var rep struct {
			Issues struct{ NumErrors int } `json:"issues"`
		}
		if b, err := os.ReadFile(r); err == nil && json.Unmarshal(b, &rep) == nil && rep.Issues.NumErrors > 0 {
			out = append(out, strings.TrimSuffix(r, ".report.json"))
		}
	}
	return out
}

// triangleGLTF is a .gltf JSON with an embedded buffer: one triangle with
// UVs drawn with material "Body".
func triangleGLTF() []byte {
	var bin []byte
	for _, v := range []float32{0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1} {
		bin = binary.LittleEndian.AppendUint32(bin, math.Float32bits(v))
	}
	return fmt.Appendf(nil, `{"asset": {"version": "2.0"}, "scene": 0, "scenes": [{"nodes": [0]}], "nodes": [{"mesh": 0}],
		"meshes": [{"primitives": [{"attributes": {"POSITION": 0, "TEXCOORD_0": 1}, "material": 0}]}],
		"materials": [{"name": "Body"}],
		"accessors": [{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3", "min": [0, 0, 0], "max": [1, 1, 0]},
			{"bufferView": 1, "componentType": 5126, "count": 3, "type": "VEC2"}],
		"bufferViews": [{"buffer": 0, "byteLength": 36}, {"buffer": 0, "byteOffset": 36, "byteLength": 24}],
		"buffers": [{"byteLength": 60, "uri": "data:application/octet-stream;base64,%s"}]}`, base64.StdEncoding.EncodeToString(bin))
}

func pngBytes(t *testing.T, w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func zoneBody(name, material string) map[string]any {
	return map[string]any{"name": name, "material": material, "width_mm": 100, "height_mm": 50, "dpi": 300}
}

func flowZones(t *testing.T, ce *catalogEnv) {
	c := signup(t, ce.url, ce.dbURL, "zones@example.com", "Zones Co")
	id := str(c.must(201, "POST", "/api/products", map[string]any{"name": "Tote", "currency": "EUR"}), "product", "id")
	out := c.must(409, "POST", "/api/products/"+id+"/zones", zoneBody("Front", "Body"))
	if !strings.Contains(str(out, "detail"), "model first") {
		t.Errorf("zone before model: %v", out)
	}
	status, out := c.send("POST", "/api/products/"+id+"/model?filename=tote.gltf", "model/gltf+json", triangleGLTF(), false, nil)
	if status != 201 || str(out, "model", "format") != "gltf" || str(out, "model", "original", "filename") != "tote.gltf" {
		t.Fatalf("upload .gltf: %d %v", status, out)
	}
	out = c.must(400, "POST", "/api/products/"+id+"/zones", zoneBody("Front", "Chrome"))
	if !strings.Contains(str(out, "detail"), `"Chrome"`) || str(out, "errors", "material") == "" {
		t.Errorf("unknown material: %v", out)
	}
	bad := zoneBody("Front", "Body")
	bad["uv_rect"] = map[string]any{"u0": 0, "v0": 0, "u1": 1.5, "v1": 1}
	if out := c.must(400, "POST", "/api/products/"+id+"/zones", bad); str(out, "errors", "uv_rect") == "" {
		t.Errorf("rect outside 0..1: %v", out)
	}
	good := zoneBody("Front", "Body")
	good["uv_rect"] = map[string]any{"u0": 0.1, "v0": 0.1, "u1": 0.9, "v1": 0.6}
	good["fonts"], good["colours"] = []string{"Inter"}, []string{"#112233"}
	z := c.must(201, "POST", "/api/products/"+id+"/zones", good)["zone"].(map[string]any)
	if z["width_px"].(float64) != 1181 || z["height_px"].(float64) != 591 || z["type"] != "print" {
		t.Fatalf("zone %v", z)
	}
	zid := z["id"].(string)
	c.must(400, "PATCH", "/api/products/"+id+"/zones/"+zid, map[string]any{"width_px": 5})
	if out := c.must(200, "PATCH", "/api/products/"+id+"/zones/"+zid, map[string]any{"dpi": 72}); out["zone"].(map[string]any)["width_px"].(float64) != 283 {
		t.Errorf("patched zone: %v", out)
	}
	c.must(201, "POST", "/api/products/"+id+"/zones", map[string]any{"name": "Colour", "type": "colour", "material": "Body",
		"colour_options": []map[string]string{{"name": "Red", "hex": "#f00"}, {"name": "Black", "hex": "#000000"}}})
	status, out = c.send("POST", "/api/products/"+id+"/zones/"+zid+"/mask", "image/png", pngBytes(t, 40, 20), false, nil)
	if status != 200 || out["zone"].(map[string]any)["mask"].(map[string]any)["width"].(float64) != 40 {
		t.Fatalf("mask: %d %v", status, out)
	}
	download(t, out["zone"].(map[string]any)["mask"].(map[string]any)["url"].(string))
	status, _ = c.send("POST", "/api/products/"+id+"/zones/"+zid+"/mask", "image/png", []byte("not a png"), false, nil)
	if status != 422 {
		t.Errorf("bad mask: %d", status)
	}
	if zones := c.must(200, "GET", "/api/products/"+id+"/zones", nil)["zones"].([]any); len(zones) != 2 {
		t.Errorf("zones: %v", zones)
	}
	c.must(204, "DELETE", "/api/products/"+id+"/zones/"+zid+"/mask", nil)
	c.must(204, "DELETE", "/api/products/"+id+"/zones/"+zid, nil)
	c.must(404, "GET", "/api/products/"+id+"/zones/"+zid, nil)
}
