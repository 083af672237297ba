package web

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/catalog"
)

// registeredAPIRoutes reads every /api/ route of the route table, as
// "METHOD /path".
func registeredAPIRoutes(t *testing.T) []string {
	t.Helper()
	s, _ := newTestServer(t, func(d *Deps) {
		d.Catalog = catalog.New(nil, nil, catalog.Config{}, d.Logger)
		d.AR = &ar.Service{}
	})
	var out []string
	for _, r := range s.Routes() {
		if strings.HasPrefix(r.Path, "/api/") {
			out = append(out, r.Pattern())
		}
	}
	sort.Strings(out)
	return out
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi is %q, want 3.1.0", doc.OpenAPI)
	}
	routes := registeredAPIRoutes(t)
	if len(routes) < 40 || !strings.Contains(strings.Join(routes, "\n"), "POST /api/products/{id}/model") {
		t.Fatalf("found only %d routes; did the route syntax change? %v", len(routes), routes)
	}
	registered := map[string]bool{}
	for _, r := range routes {
		registered[r] = true
		method, path, _ := strings.Cut(r, " ")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("%s is registered but not in openapi.json", r)
		}
	}
	// And the document describes nothing that does not exist.
	for path, ops := range doc.Paths {
		for method := range ops {
			if r := strings.ToUpper(method) + " " + path; !registered[r] && method != "parameters" {
				t.Errorf("openapi.json describes %s, which no route serves", r)
			}
		}
	}
}

func TestOpenAPIReferencesResolve(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok && !resolves(doc, ref) {
				t.Errorf("%s: $ref %s does not resolve", at, ref)
			}
			for k, c := range v {
				walk(c, at+"/"+k)
			}
		case []any:
			for _, c := range v {
				walk(c, at+"[]")
			}
		}
	}
	walk(doc, "")
	paths := doc["paths"].(map[string]any)
	for path, ops := range paths {
		for method, op := range ops.(map[string]any) {
			o := op.(map[string]any)
			if o["operationId"] == nil || o["responses"] == nil || o["summary"] == nil {
				t.Errorf("%s %s lacks an operationId, summary or responses", method, path)
			}
		}
	}
}

// resolves reports whether a local JSON pointer reference names a value of doc.
func resolves(doc map[string]any, ref string) bool {
	if !strings.HasPrefix(ref, "#/") {
		return false
	}
	var cur any = doc
	for _, part := range strings.Split(ref[2:], "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[part]; !ok {
			return false
		}
	}
	return true
}

func TestOpenAPIServed(t *testing.T) {
	s, _ := newTestServer(t, nil)
	rec := do(s, "GET", "/api/openapi.json", nil, nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" || !json.Valid(rec.Body.Bytes()) {
		t.Fatalf("GET /api/openapi.json: %d %s", rec.Code, rec.Header())
	}
}
