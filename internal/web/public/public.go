// Package public is what anyone may open without an account: the home
// page, the static files, the favicon, the AR page of each active product
// (shoppers open it from a QR code) with its event counter, and the files of
// the local blob store behind signed URLs. Its routes are httpx.Public,
// except the stored files, which are httpx.SharedFile(): sandboxed, and
// readable and frameable by any origin. Its tests (package public_test)
// start the whole app with webtest.
package public

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/luneo/luneo/internal/ar"
	"github.com/luneo/luneo/internal/design"
	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/render"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/ui"
)

// templates holds the pages of this surface inside the binary; an embed.FS
// is fixed at build time, the one kind of package-level variable we allow.
//
//go:embed templates
var templates embed.FS

// Templates returns the pages of this surface (home.html, ar.html), for
// ui.NewTemplates.
func Templates() fs.FS {
	sub, err := fs.Sub(templates, "templates")
	if err != nil {
		// fs.Sub fails only for an invalid path, and this one is a
		// constant that go:embed has already checked.
		panic(fmt.Sprintf("public: embedded templates: %v", err))
	}
	return sub
}

// Deps is what the public routes need.
type Deps struct {
	Kit    *httpx.Kit
	Assets *ui.Assets
	// AR serves the public AR pages; nil turns them off.
	AR *ar.Service
	// Designs and Renders serve the permanent preview URLs of designs
	// (/p/{token}); nil turns them off.
	Designs *design.Service
	Renders *render.Service
	// LocalBlobs, when the blob store is a local folder, serves its signed
	// URLs under /blobs/. Nil with S3 (the store serves its own presigned
	// URLs).
	LocalBlobs *blob.FS
}

// Public answers the routes anyone may open.
type Public struct {
	kit        *httpx.Kit
	logger     *slog.Logger
	assets     *ui.Assets
	ar         *ar.Service
	localBlobs *blob.FS
	designs    *design.Service
	renders    *render.Service
}

// New builds the public surface.
func New(d Deps) *Public {
	return &Public{kit: d.Kit, logger: d.Kit.Logger, assets: d.Assets, ar: d.AR, localBlobs: d.LocalBlobs,
		designs: d.Designs, renders: d.Renders}
}

// Routes is the public route table.
func (s *Public) Routes() []httpx.Route {
	rs := []httpx.Route{
		httpx.Handle("GET", "/{$}", httpx.Public, s.home),
		{Path: "/static/", Policy: httpx.Public, Handler: s.assets},
		httpx.Handle("GET", "/favicon.ico", httpx.Public, s.favicon),
	}
	if s.ar != nil {
		rs = append(rs,
			httpx.Handle("GET", "/ar/{productID}", httpx.Public, s.arPage),
			httpx.Handle("POST", "/ar/{productID}/events", httpx.Public, s.arEvent).WithBody(1<<10),
		)
	}
	if s.designs != nil && s.renders != nil {
		rs = append(rs, httpx.Handle("GET", "/p/{token}", httpx.SharedFile(), s.designPreview))
	}
	if s.designs != nil && s.renders != nil && s.ar != nil {
		rs = append(rs,
			httpx.Handle("GET", "/ar/d/{token}", httpx.Public, s.arDesignPage),
			httpx.Handle("GET", "/ar/d/{token}/preview.png", httpx.SharedFile(), s.arDesignCard),
			httpx.Handle("POST", "/ar/d/{token}/events", httpx.Public, s.arDesignEvent).WithBody(1<<10),
		)
	}
	// Files of the local blob store, behind signed URLs.
	if s.localBlobs != nil {
		rs = append(rs, httpx.Handle("GET", "/blobs/{key...}", httpx.SharedFile(), s.serveBlob))
	}
	return rs
}

func (s *Public) home(w http.ResponseWriter, r *http.Request) {
	s.kit.Render(w, r, http.StatusOK, "home", &httpx.PageData{Title: "3D and AR product customization"})
}

func (s *Public) favicon(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, s.assets.Path("favicon.svg"), http.StatusMovedPermanently)
}
