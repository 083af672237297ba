package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/luneo/luneo/internal/web/httpx"
)

// testParts is a small hand-written part: one tag, one operation.
const testParts = `{"document": {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "tags": [{"name": "Things"}]},
	"operations": {"GET /api/things/{id}": {"operationId": "getThing",
		"parameters": [{"name": "id", "in": "path", "description": "Thing ID."},
			{"name": "q", "in": "query", "required": false, "schema": {"type": "string"}}],
		"responses": {"200": {"description": "OK"}}}}}`

// compact is raw without its indentation.
func compact(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func thing(method, path string, p httpx.Policy) httpx.Route {
	return httpx.Handle(method, path, p, func(http.ResponseWriter, *http.Request) {}).Documented("Things", "A thing")
}

// TestBuildDocument: the operations come from the table, completed by the
// hand-written parts: path parameters from the pattern (with their written
// description, then the query parameters), security from the policy.
func TestBuildDocument(t *testing.T) {
	raw, err := buildDocument([]httpx.Route{
		thing("GET", "/api/things/{id}", httpx.BrandAPI),
		thing("DELETE", "/api/things/{id}/parts/{part...}", httpx.UserAPI),
		thing("POST", "/api/things", httpx.Public),
	}, []byte(testParts))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]operation
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	get := doc.Paths["/api/things/{id}"]["get"]
	if get.OperationID != "getThing" || get.Summary != "A thing" || len(get.Tags) != 1 || get.Tags[0] != "Things" ||
		compact(t, get.Responses) != `{"200":{"description":"OK"}}` {
		t.Errorf("GET: %+v", get)
	}
	if p := get.Parameters; len(p) != 2 || p[0].Name != "id" || p[0].In != "path" || !p[0].Required || p[0].Description != "Thing ID." ||
		compact(t, p[0].Schema) != `{"type":"string"}` || p[1].Name != "q" || p[1].In != "query" {
		t.Errorf("GET parameters: %+v", get.Parameters)
	}
	del := doc.Paths["/api/things/{id}/parts/{part...}"]["delete"]
	if len(del.Parameters) != 2 || del.Parameters[1].Name != "part" || !del.Parameters[1].Required {
		t.Errorf("DELETE parameters: %+v", del.Parameters)
	}
	for _, c := range []struct {
		op   operation
		want string
	}{{get, `[{"bearer":[]},{"apiKey":[]},{"cookie":[]}]`}, {del, `[{"bearer":[]},{"cookie":[]}]`}, {doc.Paths["/api/things"]["post"], `[]`}} {
		if got, _ := json.Marshal(c.op.Security); string(got) != c.want {
			t.Errorf("%s: security %s, want %s", c.op.Summary, got, c.want)
		}
	}
}

// TestBuildDocumentRefuses: the generator fails rather than describe a
// route that does not exist, or leave a route undescribed.
func TestBuildDocumentRefuses(t *testing.T) {
	good := thing("GET", "/api/things/{id}", httpx.BrandAPI)
	for _, c := range []struct {
		name   string
		routes []httpx.Route
		parts  string
		want   string
	}{
		{"a route without Doc", []httpx.Route{good, httpx.Handle("GET", "/api/other", httpx.BrandAPI, good.Handler.ServeHTTP)}, testParts,
			"GET /api/other has no Doc"},
		{"parts naming a route not in the table", []httpx.Route{thing("GET", "/api/thing/{id}", httpx.BrandAPI)}, testParts,
			"describe GET /api/things/{id}, which no route serves"},
		{"parts naming a path parameter the path lacks", []httpx.Route{good},
			strings.Replace(testParts, `"name": "id", "in": "path"`, `"name": "thingID", "in": "path"`, 1), `path parameter "thingID"`},
		{"parts writing what the table says", []httpx.Route{good},
			strings.Replace(testParts, `"operationId": "getThing",`, `"operationId": "getThing", "summary": "Other",`, 1), `unknown field "summary"`},
		{"an undeclared tag", []httpx.Route{good.Documented("Other", "A thing")}, testParts, `tag "Other"`},
		{"a policy the API has no scheme for", []httpx.Route{thing("GET", "/api/things/{id}", httpx.Page)}, testParts, "does not document"},
	} {
		if _, err := buildDocument(c.routes, []byte(c.parts)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error mentioning %q", c.name, err, c.want)
		}
	}
}

// TestDocumentOfTheAPI: the API's whole table and the embedded parts make
// a document, also when no module but accounts and brands is wired.
func TestDocumentOfTheAPI(t *testing.T) {
	s := New(Deps{Kit: &httpx.Kit{}})
	if s.docErr != nil {
		t.Fatal(s.docErr)
	}
	if !strings.Contains(string(s.doc), `"/api/products/{id}/ar"`) {
		t.Error("the document lacks the routes of the modules that are not wired")
	}
	for _, r := range s.Routes() {
		if strings.HasPrefix(r.Path, "/api/products") {
			t.Errorf("%s is served without the catalog", r.Pattern())
		}
	}
}
