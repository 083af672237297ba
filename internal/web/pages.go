package web

import (
	"io/fs"

	"github.com/luneo/luneo/internal/web/dashboard"
	"github.com/luneo/luneo/internal/web/devtools"
	"github.com/luneo/luneo/internal/web/httpx"
	"github.com/luneo/luneo/internal/web/public"
	"github.com/luneo/luneo/internal/web/ui"
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

// NewPages parses the shared templates of ui, the pages in tfs (typically
// TemplatesFS()) and those of the surfaces, with their partials/.
func NewPages(tfs fs.FS, assets *ui.Assets) (*httpx.Templates, error) {
	return ui.NewTemplates(assets, tfs, public.Templates(), devtools.Templates(), dashboard.Templates())
}
