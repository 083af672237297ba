package api

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/luneo/luneo/internal/web/httpx"
)

// openAPIParts is the hand-written part of the OpenAPI document: its
// header, tags and components, and per route ("METHOD /path") what the
// route table cannot say: operationId, description, query parameters and
// path parameter descriptions, request body and responses. It is the one
// package-level variable here: embedded at build time, it cannot change.
//
//go:embed openapi_parts.json
var openAPIParts []byte

// The document as it is written out, fields in the order people read them.
type (
	document struct {
		OpenAPI    string                           `json:"openapi"`
		Info       json.RawMessage                  `json:"info"`
		Servers    json.RawMessage                  `json:"servers,omitempty"`
		Security   json.RawMessage                  `json:"security,omitempty"`
		Tags       []tag                            `json:"tags"`
		Paths      map[string]map[string]*operation `json:"paths"`
		Components json.RawMessage                  `json:"components,omitempty"`
	}
	tag struct {
		Name        string `json:"name"`
		Description string `json:"description,omitempty"`
	}
	operation struct {
		Tags        []string              `json:"tags"`
		Summary     string                `json:"summary"`
		OperationID string                `json:"operationId,omitempty"`
		Description string                `json:"description,omitempty"`
		Parameters  []parameter           `json:"parameters,omitempty"`
		RequestBody json.RawMessage       `json:"requestBody,omitempty"`
		Responses   json.RawMessage       `json:"responses,omitempty"`
		Security    []map[string][]string `json:"security"`
	}
	parameter struct {
		Name        string          `json:"name"`
		In          string          `json:"in"`
		Required    bool            `json:"required"`
		Schema      json.RawMessage `json:"schema,omitempty"`
		Description string          `json:"description,omitempty"`
	}
)

// parts is openapi_parts.json. An operation's hand-written part has no
// tags, summary, security or path: those come from the route table only,
// so they cannot disagree with it.
type parts struct {
	Document   document `json:"document"`
	Operations map[string]struct {
		OperationID string          `json:"operationId"`
		Description string          `json:"description"`
		Parameters  []parameter     `json:"parameters"`
		RequestBody json.RawMessage `json:"requestBody"`
		Responses   json.RawMessage `json:"responses"`
	} `json:"operations"`
}

// buildDocument makes the OpenAPI document of routes: one operation per
// route with its tag and summary (Route.Doc), its path parameters and the
// security its policy accepts, completed with the hand-written parts. It
// fails when a route has no Doc or an undeclared tag, and when the parts
// describe a route or a path parameter the table does not have, so the
// document can only describe what is served.
func buildDocument(routes []httpx.Route, raw []byte) ([]byte, error) {
	var p parts
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("openapi parts: %w", err)
	}
	doc := p.Document
	doc.Paths = map[string]map[string]*operation{}
	seen := map[string]bool{}
	for _, r := range routes {
		key := r.Pattern()
		if r.Doc.Summary == "" || r.Doc.Tag == "" {
			return nil, fmt.Errorf("openapi: route %s has no Doc (tag and summary)", key)
		}
		if !slices.ContainsFunc(doc.Tags, func(t tag) bool { return t.Name == r.Doc.Tag }) {
			return nil, fmt.Errorf("openapi: route %s has tag %q, which the document's tags do not declare", key, r.Doc.Tag)
		}
		sec, err := security(r.Policy.Auth)
		if err != nil {
			return nil, fmt.Errorf("openapi: route %s: %w", key, err)
		}
		op := &operation{Tags: []string{r.Doc.Tag}, Summary: r.Doc.Summary, Security: sec, Parameters: pathParameters(r.Path)}
		if hw, ok := p.Operations[key]; ok {
			seen[key] = true
			op.OperationID, op.Description, op.RequestBody, op.Responses = hw.OperationID, hw.Description, hw.RequestBody, hw.Responses
			if op.Parameters, err = mergeParameters(op.Parameters, hw.Parameters); err != nil {
				return nil, fmt.Errorf("openapi: route %s: %w", key, err)
			}
		}
		if doc.Paths[r.Path] == nil {
			doc.Paths[r.Path] = map[string]*operation{}
		}
		doc.Paths[r.Path][strings.ToLower(r.Method)] = op
	}
	for key := range p.Operations {
		if !seen[key] {
			return nil, fmt.Errorf("openapi parts describe %s, which no route serves", key)
		}
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return out.Bytes(), nil
}

// security is what a policy accepts, in the document's security schemes:
// brand routes take an access token, an API key or the session cookie;
// account routes the same but no API key; public routes nothing, and
// neither do webhook routes, whose signature over the body is no scheme
// OpenAPI can name (their descriptions say how they are signed).
func security(kind httpx.AuthKind) ([]map[string][]string, error) {
	scheme := func(name string) map[string][]string { return map[string][]string{name: {}} }
	switch kind {
	case httpx.AuthPublic, httpx.AuthHMAC:
		return []map[string][]string{}, nil
	case httpx.AuthUser:
		return []map[string][]string{scheme("bearer"), scheme("cookie")}, nil
	case httpx.AuthBrand:
		return []map[string][]string{scheme("bearer"), scheme("apiKey"), scheme("cookie")}, nil
	}
	return nil, fmt.Errorf("the API does not document %s routes", kind)
}

// pathParameters are the {name} segments of a path pattern, all required
// strings.
func pathParameters(path string) []parameter {
	var out []parameter
	for _, seg := range strings.Split(path, "/") {
		if name, ok := strings.CutPrefix(seg, "{"); ok && seg != "{$}" {
			name = strings.TrimSuffix(strings.TrimSuffix(name, "}"), "...")
			out = append(out, parameter{Name: name, In: "path", Required: true, Schema: json.RawMessage(`{"type":"string"}`)})
		}
	}
	return out
}

// mergeParameters adds the hand-written parameters to the path's: a path
// parameter's description, and the query parameters after them.
func mergeParameters(path, written []parameter) ([]parameter, error) {
	for _, w := range written {
		if w.In != "path" {
			path = append(path, w)
			continue
		}
		i := slices.IndexFunc(path, func(p parameter) bool { return p.In == "path" && p.Name == w.Name })
		if i < 0 {
			return nil, fmt.Errorf("the parts describe path parameter %q, which the path does not have", w.Name)
		}
		path[i].Description = w.Description
	}
	return path, nil
}

// openAPI serves the document. It describes the API, not any brand's data,
// so anyone may read it, including API explorers on other origins (the
// route's OpenDocument policy says so).
func (s *API) openAPI(w http.ResponseWriter, r *http.Request) {
	if s.docErr != nil {
		s.Kit.Error(w, r, s.docErr)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(s.doc)
}
