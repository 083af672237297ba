package web

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ui"
)

// files holds the dashboard's templates and static assets inside the
// binary, so one file is all an operator deploys. It is the one package-level variable we allow: an
// embed.FS is fixed at build time and cannot change.
//
//go:embed templates
var files embed.FS

// TemplatesFS returns the embedded templates folder: layout.html, one file
// per page and optional partials/. Pass it to NewPages.
func TemplatesFS() fs.FS { return subFS("templates") }

// Embedded returns the templates of every page and the static files built
// into the binary, for NewServer.
func Embedded() (*httpx.Templates, *ui.Assets, error) {
	assets, err := ui.NewAssets(ui.StaticFS())
	if err != nil {
		return nil, nil, fmt.Errorf("load static assets: %w", err)
	}
	pages, err := NewPages(TemplatesFS(), assets)
	if err != nil {
		return nil, nil, fmt.Errorf("load templates: %w", err)
	}
	return pages, assets, nil
}

func subFS(dir string) fs.FS {
	sub, err := fs.Sub(files, dir)
	if err != nil {
		// fs.Sub fails only for an invalid path, and dir is a constant that
		// go:embed has already checked, so this is a programming error.
		panic(fmt.Sprintf("web: embedded folder %q: %v", dir, err))
	}
	return sub
}
