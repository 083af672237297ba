package web

import (
	"html/template"
	"io/fs"

	"github.com/luneo/luneo/internal/web/httpx"
)

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

// NewPages parses the templates in tfs (typically TemplatesFS()):
// layout.html, every partials/*.html, and each other top-level *.html file
// as a page named after the file without ".html". assets resolves the
// asset template functions:
//
//	asset "app.css"   hashed URL of a static file; an unknown name fails the render
//	hasAsset "dist/viewer.js"  whether a static file exists, for assets that
//	                  are built (make web) and may be missing from a Go-only build
func NewPages(tfs fs.FS, assets *Assets) (*httpx.Templates, error) {
	return httpx.NewTemplates(template.FuncMap{
		"asset":    assets.Lookup,
		"hasAsset": func(name string) bool { _, err := assets.Lookup(name); return err == nil },
	}, tfs)
}
