// Package devtools holds the pages a developer uses on their own machine:
// the viewer test page, which shows a GLB of the local blob store with the
// 3D viewer and zone editor partials. internal/web mounts it only in dev
// (luneo dev), and every route also answers only loopback clients that name
// a loopback host (viewer_page.go says why). Its routes are httpx.Public.
// Its tests (package devtools_test) start the whole app with webtest.
package devtools

import (
	"embed"
	"fmt"
	"io/fs"

	"github.com/luneo/luneo/internal/platform/blob"
	"github.com/luneo/luneo/internal/web/httpx"
)

// templates holds the pages of this surface inside the binary; an embed.FS
// is fixed at build time, the one kind of package-level variable we allow.
//
//go:embed templates
var templates embed.FS

// Templates returns the pages of this surface (viewer_test.html), for
// ui.NewTemplates. They are parsed in every mode, so a broken dev page
// fails at start-up and in tests, not when a developer first opens it.
func Templates() fs.FS {
	sub, err := fs.Sub(templates, "templates")
	if err != nil {
		// fs.Sub fails only for an invalid path, and this one is a
		// constant that go:embed has already checked.
		panic(fmt.Sprintf("devtools: embedded templates: %v", err))
	}
	return sub
}

// Deps is what the development pages need.
type Deps struct {
	Kit *httpx.Kit
	// LocalBlobs is the local blob store the viewer test page reads
	// models from; nil (S3) makes the page say it cannot show any.
	LocalBlobs *blob.FS
}

// Devtools answers the development-only pages.
type Devtools struct {
	kit        *httpx.Kit
	localBlobs *blob.FS
}

// New builds the development surface.
func New(d Deps) *Devtools {
	return &Devtools{kit: d.Kit, localBlobs: d.LocalBlobs}
}

// Routes is the development route table; internal/web mounts it only when
// Dev is set.
func (s *Devtools) Routes() []httpx.Route {
	return []httpx.Route{
		httpx.Handle("GET", "/viewer-test", httpx.Public, s.loopbackOnly(s.viewerTestPage)),
		httpx.Handle("GET", "/viewer-test/texture", httpx.Public, s.loopbackOnly(s.kit.Handler(s.viewerTestTexture))),
		httpx.Handle("POST", "/viewer-test/zones", httpx.Public, s.loopbackOnly(s.kit.Handler(s.viewerTestZone))),
	}
}
