package httpx

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

// LayoutFile is the template every page is rendered inside.
const LayoutFile = "layout.html"

// PageData is what the layout of every page reads. A surface's page type
// embeds it and adds the page's own fields, so each page has its own data
// type and the layout still finds its fields:
//
//	type teamPage struct {
//		httpx.PageData
//		Members []brand.Member
//	}
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
	// Data is the data of pages too small for a type of their own, such
	// as ErrorData for the error page.
	Data any
	// User is the logged-in user, when the page knows one: the header then
	// offers the dashboard and logging out instead of logging in.
	User any
}

// Common returns the shared fields, which Kit.Render fills in; a page type
// that embeds PageData gets this method too.
func (d *PageData) Common() *PageData { return d }

// View is what Kit.Render renders: a pointer to PageData or to a page type
// embedding it.
type View interface{ Common() *PageData }

// ErrorData is the Data of the "error" page.
type ErrorData struct {
	// Status is the HTTP status code shown large on the page.
	Status int
	// Message tells the user what went wrong and what to do; it must never
	// carry internal details. Empty shows a generic message.
	Message string
}

// Templates renders server-side HTML pages. Each page is its own template
// set (layout + partials + page), so every page can define the layout's
// "title" and "content" blocks without clashing with another page.
type Templates struct {
	sets map[string]*template.Template // page name ("home") → parsed set
}

// NewTemplates parses base's layout.html and partials/*.html, then every
// top-level *.html of base and of each surface's pages FS as a page named
// after the file without ".html"; two pages of one name are an error. A
// surface's own partials/*.html are parsed for its pages only.
// funcs are the template functions on top of the built-in ones:
//
//	year              the current year, for the copyright line
//	statusText 404    "Not Found"
func NewTemplates(funcs template.FuncMap, base fs.FS, pages ...fs.FS) (*Templates, error) {
	all := template.FuncMap{"year": func() int { return time.Now().Year() }, "statusText": http.StatusText}
	maps.Copy(all, funcs)
	layout, err := template.New(LayoutFile).Funcs(all).ParseFS(base, LayoutFile)
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	if layout, err = withPartials(layout, base); err != nil {
		return nil, err
	}
	t := &Templates{sets: map[string]*template.Template{}}
	if err := t.addPages(layout, base); err != nil {
		return nil, err
	}
	for _, pfs := range pages {
		own, err := layout.Clone()
		if err != nil {
			return nil, fmt.Errorf("clone layout: %w", err)
		}
		if own, err = withPartials(own, pfs); err != nil {
			return nil, err
		}
		if err := t.addPages(own, pfs); err != nil {
			return nil, err
		}
	}
	if len(t.sets) == 0 {
		return nil, fmt.Errorf("parse pages: no page templates besides %s", LayoutFile)
	}
	return t, nil
}

// withPartials parses the partials/*.html of pfs into set.
func withPartials(set *template.Template, pfs fs.FS) (*template.Template, error) {
	partials, err := fs.Glob(pfs, "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("list partials: %w", err)
	}
	if len(partials) == 0 {
		// ParseFS fails on a pattern matching nothing.
		return set, nil
	}
	if set, err = set.ParseFS(pfs, partials...); err != nil {
		return nil, fmt.Errorf("parse partials: %w", err)
	}
	return set, nil
}

func (t *Templates) addPages(layout *template.Template, pfs fs.FS) error {
	files, err := fs.Glob(pfs, "*.html")
	if err != nil {
		return fmt.Errorf("list pages: %w", err)
	}
	for _, file := range files {
		if file == LayoutFile {
			continue
		}
		name := strings.TrimSuffix(path.Base(file), ".html")
		if _, dup := t.sets[name]; dup {
			return fmt.Errorf("parse page %s: two surfaces define a page named %q", file, name)
		}
		set, err := layout.Clone()
		if err != nil {
			return fmt.Errorf("clone layout for %s: %w", file, err)
		}
		if _, err := set.ParseFS(pfs, file); err != nil {
			return fmt.Errorf("parse page %s: %w", file, err)
		}
		t.sets[name] = set
	}
	return nil
}

// Names returns the names of all pages, sorted, for tests that render every
// page.
func (t *Templates) Names() []string {
	return slices.Sorted(maps.Keys(t.sets))
}

// Render writes page name ("home", "error", …) with the given status. The
// page is rendered into memory first, so a template error returns an error
// with nothing written and the caller can still send a proper error
// response; only an error from writing to w (a client that went away) comes
// after the header is sent.
func (t *Templates) Render(w http.ResponseWriter, status int, name string, data any) error {
	set, ok := t.sets[name]
	if !ok {
		return fmt.Errorf("render page %q: no such page", name)
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, LayoutFile, data); err != nil {
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
