package api_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/webtest"
)

// apiRoutes is every /api/ route of the route table the server serves.
func apiRoutes(e *webtest.Env) []httpx.Route {
	var out []httpx.Route
	for _, r := range e.Server.Routes() {
		if strings.HasPrefix(r.Path, "/api/") {
			out = append(out, r)
		}
	}
	return out
}

// servedDocument fetches GET /api/openapi.json and checks its headers.
func servedDocument(t *testing.T, e *webtest.Env) []byte {
	t.Helper()
	resp, err := http.Get(e.URL + "/api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		t.Fatalf("GET /api/openapi.json is not JSON: %v", err)
	}
	h := resp.Header
	if resp.StatusCode != 200 || h.Get("Content-Type") != "application/json" || h.Get("Cache-Control") != "public, max-age=300" ||
		h.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("GET /api/openapi.json: %d %v", resp.StatusCode, h)
	}
	return raw
}

// operation is what the tests read of an operation.
type operation struct {
	Tags        []string              `json:"tags"`
	Summary     string                `json:"summary"`
	OperationID string                `json:"operationId"`
	Responses   json.RawMessage       `json:"responses"`
	Security    []map[string][]string `json:"security"`
}

// TestOpenAPIDocumentsEveryRoute: the document describes every /api/ route
// the server serves and nothing else, each with the route's tag and summary
// and the credentials its policy accepts.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	var doc struct {
		OpenAPI string                          `json:"openapi"`
		Paths   map[string]map[string]operation `json:"paths"`
	}
	if err := json.Unmarshal(servedDocument(t, e), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi is %q, want 3.1.0", doc.OpenAPI)
	}
	routes := apiRoutes(e)
	if len(routes) < 40 || !slices.ContainsFunc(routes, func(r httpx.Route) bool { return r.Pattern() == "POST /api/products/{id}/model" }) {
		t.Fatalf("found only %d routes; did the route syntax change? %v", len(routes), routes)
	}
	registered := map[string]bool{}
	for _, r := range routes {
		registered[r.Pattern()] = true
		op, ok := doc.Paths[r.Path][strings.ToLower(r.Method)]
		if !ok {
			t.Errorf("%s is registered but not in the document", r.Pattern())
			continue
		}
		if r.Doc.Summary == "" || op.Summary != r.Doc.Summary || len(op.Tags) != 1 || op.Tags[0] != r.Doc.Tag {
			t.Errorf("%s: documented as %v %q, the route says %+v", r.Pattern(), op.Tags, op.Summary, r.Doc)
		}
		var schemes []string
		for _, s := range op.Security {
			for name := range s {
				schemes = append(schemes, name)
			}
		}
		want := map[httpx.AuthKind][]string{httpx.AuthPublic: nil, httpx.AuthUser: {"bearer", "cookie"},
			httpx.AuthBrand: {"bearer", "apiKey", "cookie"}}[r.Policy.Auth]
		if op.Security == nil || !slices.Equal(schemes, want) {
			t.Errorf("%s (%s): security %v, want %v", r.Pattern(), r.Policy.Auth, op.Security, want)
		}
	}
	// And the document describes nothing that does not exist.
	for path, ops := range doc.Paths {
		for method := range ops {
			if r := strings.ToUpper(method) + " " + path; !registered[r] {
				t.Errorf("the document describes %s, which no route serves", r)
			}
		}
	}
}

// TestOpenAPIReferencesResolve: every $ref names a part of the document,
// every operation has an operationId, a summary and responses, and every
// tag an operation uses is declared.
func TestOpenAPIReferencesResolve(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t)
	var doc map[string]any
	if err := json.Unmarshal(servedDocument(t, e), &doc); err != nil {
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
	declared := map[any]bool{}
	for _, tag := range doc["tags"].([]any) {
		declared[tag.(map[string]any)["name"]] = true
	}
	paths := doc["paths"].(map[string]any)
	for path, ops := range paths {
		for method, op := range ops.(map[string]any) {
			o := op.(map[string]any)
			if o["operationId"] == nil || o["responses"] == nil || o["summary"] == nil {
				t.Errorf("%s %s lacks an operationId, summary or responses", method, path)
			}
			for _, tag := range o["tags"].([]any) {
				if !declared[tag] {
					t.Errorf("%s %s: tag %v is not declared", method, path, tag)
				}
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

// TestOpenAPIServed: a server without the catalog and AR still serves the
// whole document (it describes the API, as the one built into the binary
// always did), with the headers that let API explorers on other origins
// read it.
func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	e := webtest.Start(t, func(_ *webtest.Env, d *web.Deps) { d.Catalog, d.AR = nil, nil })
	doc := string(servedDocument(t, e))
	for _, want := range []string{`"openapi": "3.1.0"`, `"/api/products/{id}/zones/{zoneID}/mask"`, `"/api/products/{id}/ar"`} {
		if !strings.Contains(doc, want) {
			t.Errorf("the document lacks %s", want)
		}
	}
	if r := e.API("GET", "/api/products", nil, nil); r.Status != http.StatusNotFound {
		t.Errorf("GET /api/products without the catalog: %d, want 404", r.Status)
	}
}
