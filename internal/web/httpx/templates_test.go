package httpx

import (
	"errors"
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

// assetFuncs stand in for ui's asset functions: one known file.
func assetFuncs() template.FuncMap {
	return template.FuncMap{"asset": func(name string) (string, error) {
		if name == "app.css" {
			return "/static/app.0123456789ab.css", nil
		}
		return "", errors.New("unknown asset " + name)
	}}
}

func TestRenderFailureWritesNothing(t *testing.T) {
	t.Parallel()
	tfs := fstest.MapFS{
		"layout.html": {Data: []byte(`<!doctype html><link rel="stylesheet" href="{{asset "app.css"}}">{{block "content" .}}{{end}}`)},
		"ok.html":     {Data: []byte(`{{define "content"}}<p>fine</p>{{end}}`)},
		"broken.html": {Data: []byte(`{{define "content"}}<img src="{{asset "missing.png"}}" alt="">{{end}}`)},
	}
	p, err := NewTemplates(assetFuncs(), tfs)
	if err != nil {
		t.Fatalf("NewTemplates: %v", err)
	}

	w := httptest.NewRecorder()
	if err := p.Render(w, http.StatusOK, "ok", &PageData{}); err != nil {
		t.Fatalf("Render(ok): %v", err)
	}
	if !strings.Contains(w.Body.String(), "/static/app.0123456789ab.css") {
		t.Errorf("ok page lacks the hashed stylesheet link: %s", w.Body)
	}

	for _, name := range []string{"broken", "nosuchpage"} {
		w := httptest.NewRecorder()
		err := p.Render(w, http.StatusOK, name, &PageData{})
		if err == nil {
			t.Errorf("Render(%s) succeeded, want an error", name)
		}
		if name == "broken" && (err == nil || !strings.Contains(err.Error(), "missing.png")) {
			t.Errorf("Render(broken) error %v does not name the missing asset", err)
		}
		if w.Body.Len() != 0 || len(w.Header()) != 0 {
			t.Errorf("Render(%s) wrote %d bytes and headers %v before failing", name, w.Body.Len(), w.Header())
		}
	}
}

func TestNewTemplatesErrors(t *testing.T) {
	t.Parallel()
	for name, tfs := range map[string]fstest.MapFS{
		"no layout":   {"home.html": {Data: []byte(`{{define "content"}}x{{end}}`)}},
		"no pages":    {"layout.html": {Data: []byte(`{{block "content" .}}{{end}}`)}},
		"bad syntax":  {"layout.html": {Data: []byte(`{{block "content" .}}{{end}}`)}, "home.html": {Data: []byte(`{{define "content"}}{{.Title}`)}},
		"unknown fn":  {"layout.html": {Data: []byte(`{{block "content" .}}{{end}}`)}, "home.html": {Data: []byte(`{{define "content"}}{{nope}}{{end}}`)}},
		"bad partial": {"layout.html": {Data: []byte(`x`)}, "partials/a.html": {Data: []byte(`{{if}}`)}, "home.html": {Data: []byte(`y`)}},
	} {
		if _, err := NewTemplates(assetFuncs(), tfs); err == nil {
			t.Errorf("%s: NewTemplates succeeded, want an error", name)
		}
	}
}

func TestPartials(t *testing.T) {
	t.Parallel()
	p, err := NewTemplates(assetFuncs(), fstest.MapFS{
		"layout.html":         {Data: []byte(`{{block "content" .}}{{end}}`)},
		"partials/field.html": {Data: []byte(`{{define "field"}}<label>{{.}}</label>{{end}}`)},
		"login.html":          {Data: []byte(`{{define "content"}}{{template "field" "Email"}}{{end}}`)},
	})
	if err != nil {
		t.Fatalf("NewTemplates: %v", err)
	}
	if got := renderTo(t, p, "login"); got != "<label>Email</label>" {
		t.Errorf("login = %q", got)
	}
}

func renderTo(t *testing.T, p *Templates, name string) string {
	t.Helper()
	w := httptest.NewRecorder()
	if err := p.Render(w, http.StatusOK, name, &PageData{}); err != nil {
		t.Fatalf("Render(%s): %v", name, err)
	}
	return w.Body.String()
}

// TestSurfacePages: a surface's partials serve its own pages only, and two
// surfaces cannot both define a page of one name.
func TestSurfacePages(t *testing.T) {
	t.Parallel()
	base := fstest.MapFS{"layout.html": {Data: []byte(`{{block "content" .}}{{end}}`)}}
	shop := fstest.MapFS{
		"partials/badge.html": {Data: []byte(`{{define "badge"}}<b>shop</b>{{end}}`)},
		"cart.html":           {Data: []byte(`{{define "content"}}{{template "badge"}}{{end}}`)},
	}
	staff := fstest.MapFS{"team.html": {Data: []byte(`{{define "content"}}{{template "badge"}}{{end}}`)}}
	p, err := NewTemplates(assetFuncs(), base, shop, staff)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Render(httptest.NewRecorder(), http.StatusOK, "team", &PageData{}); err == nil || !strings.Contains(err.Error(), "badge") {
		t.Errorf("another surface's partial was visible: %v", err)
	}
	if got := renderTo(t, p, "cart"); got != "<b>shop</b>" {
		t.Errorf("cart = %q", got)
	}
	dup := fstest.MapFS{"cart.html": {Data: []byte(`x`)}}
	if _, err := NewTemplates(assetFuncs(), base, shop, dup); err == nil || !strings.Contains(err.Error(), `"cart"`) {
		t.Errorf("duplicate page accepted: %v", err)
	}
}
