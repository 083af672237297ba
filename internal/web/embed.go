package web

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ui"
)

// TemplatesFS returns the root's own page templates: none since every page
// moved into its surface (see NewPages, which adds the surfaces'); an empty
// folder until the legacy root goes.
func TemplatesFS() fs.FS { return embed.FS{} }

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
