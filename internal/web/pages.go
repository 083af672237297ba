package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// layoutFile is the template every page is rendered inside.
const layoutFile = "layout.html"

// PageData is what every page template receives.
type PageData struct {
	// Title is the page title; pages may also define their own "title" block.
	Title string
	// RequestID is the ID of the request being answered, shown on error
	// pages so a user can quote it to support.
	RequestID string
	// Dev shows the "development mode" ribbon, so a local or staging
	// dashboard is never mistaken for production.
	Dev bool
	// Version is the build version shown in the footer.
	Version string
	// Data is the page's own data, such as ErrorData for the error page.
	Data any
	// User is the logged-in user, when the page knows one: the header then
	// offers the dashboard and logging out instead of logging in.
	User any
}

// ErrorData is the Data of the "error" page.
type ErrorData struct {
	// Status is the HTTP status code shown large on the page.
	Status int
	// Message tells the user what went wrong and what to do; it must never
	// carry internal details. Empty shows a generic message.
	Message string
}

// Pages renders the dashboard's server-side HTML pages. Each page is its own
// template set (layout + partials + page), so every page can define the
// layout's "title" and "content" blocks without clashing with another page.
type Pages struct {
	sets map[string]*template.Template // page name ("home") → parsed set
}

// NewPages parses the templates in tfs (typically TemplatesFS()):
// layout.html, every partials/*.html, and each other top-level *.html file
// as a page named after the file without ".html". assets resolves the
// asset template function.
//
// Template functions:
//
//	asset "app.css"   hashed URL of a static file; an unknown name fails the render
//	hasAsset "dist/viewer.js"  whether a static file exists, for assets that
//	                  are built (make web) and may be missing from a Go-only build
//	year              the current year, for the copyright line
//	statusText 404    "Not Found"
func NewPages(tfs fs.FS, assets *Assets) (*Pages, error) {
	funcs := template.FuncMap{
		"asset":      assets.Lookup,
		"hasAsset":   func(name string) bool { _, err := assets.Lookup(name); return err == nil },
		"year":       func() int { return time.Now().Year() },
		"statusText": http.StatusText,
	}
	base, err := template.New(layoutFile).Funcs(funcs).ParseFS(tfs, layoutFile)
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	partials, err := fs.Glob(tfs, "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("list partials: %w", err)
	}
	if len(partials) > 0 {
		// ParseFS fails on a pattern matching nothing, so only call it when
		// there is something to parse.
		if base, err = base.ParseFS(tfs, partials...); err != nil {
			return nil, fmt.Errorf("parse partials: %w", err)
		}
	}
	pageFiles, err := fs.Glob(tfs, "*.html")
	if err != nil {
		return nil, fmt.Errorf("list pages: %w", err)
	}
	p := &Pages{sets: map[string]*template.Template{}}
	for _, file := range pageFiles {
		if file == layoutFile {
			continue
		}
		set, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("clone layout for %s: %w", file, err)
		}
		if _, err := set.ParseFS(tfs, file); err != nil {
			return nil, fmt.Errorf("parse page %s: %w", file, err)
		}
		p.sets[strings.TrimSuffix(path.Base(file), ".html")] = set
	}
	if len(p.sets) == 0 {
		return nil, fmt.Errorf("parse pages: no page templates besides %s", layoutFile)
	}
	return p, nil
}

// Names returns the names of all pages, sorted, for tests that render every
// page.
func (p *Pages) Names() []string {
	return slices.Sorted(maps.Keys(p.sets))
}

// Render writes page name ("home", "error", …) with the given status. The
// page is rendered into memory first, so a template error returns an error
// with nothing written and the caller can still send a proper error
// response; only an error from writing to w (a client that went away) comes
// after the header is sent.
func (p *Pages) Render(w http.ResponseWriter, status int, name string, data PageData) error {
	set, ok := p.sets[name]
	if !ok {
		return fmt.Errorf("render page %q: no such page", name)
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, layoutFile, data); err != nil {
		return fmt.Errorf("render page %q: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write page %q: %w", name, err)
	}
	return nil
}
