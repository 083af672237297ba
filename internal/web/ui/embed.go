// Package ui is the look every surface shares: the page layout, the error
// page, the partials more than one surface renders (the 3D viewer and the
// zone editor) with their data types, and the static files (CSS, icons and
// the browser bundles `make web` builds into static/dist) served under
// content-hashed URLs.
package ui

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"

	"github.com/luneo/luneo/internal/web/httpx"
)

// files holds the shared templates and the static files inside the binary,
// so one file is all an operator deploys. It is the one kind of
// package-level variable we allow: an embed.FS is fixed at build time.
//
//go:embed templates static
var files embed.FS

// TemplatesFS returns the shared templates: layout.html, error.html and
// partials/.
func TemplatesFS() fs.FS { return subFS("templates") }

// StaticFS returns the static folder. Pass it to NewAssets.
func StaticFS() fs.FS { return subFS("static") }

func subFS(dir string) fs.FS {
	sub, err := fs.Sub(files, dir)
	if err != nil {
		// fs.Sub fails only for an invalid path, and dir is a constant that
		// go:embed has already checked, so this is a programming error.
		panic(fmt.Sprintf("ui: embedded folder %q: %v", dir, err))
	}
	return sub
}

// NewTemplates parses the shared templates and each surface's pages (see
// httpx.NewTemplates) with the asset functions:
//
//	asset "app.css"   hashed URL of a static file; an unknown name fails the render
//	hasAsset "dist/viewer.js"  whether a static file exists, for assets that
//	                  are built (make web) and may be missing from a Go-only build
func NewTemplates(assets *Assets, surfaces ...fs.FS) (*httpx.Templates, error) {
	return httpx.NewTemplates(template.FuncMap{
		"asset":    assets.Lookup,
		"hasAsset": func(name string) bool { _, err := assets.Lookup(name); return err == nil },
	}, TemplatesFS(), surfaces...)
}
