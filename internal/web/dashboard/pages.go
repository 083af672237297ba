package dashboard

import (
	"net/http"

	"github.com/luneo/luneo/internal/web/httpx"
)

// chrome is what every account and dashboard page shows around its own
// content: the layout's fields, the one-time flash message, the logged-in
// user with the tab being shown, and the external login buttons. Each page
// has its own data type that embeds chrome and adds its own section; the
// zero value of each page type renders the page empty, which the template
// tests rely on.
type chrome struct {
	httpx.PageData
	// Flash is a one-time message from the previous form post.
	Flash string
	// Me is who is logged in; zero on the public pages.
	Me Me
	// Nav names the dashboard tab being shown ("home", "team", …).
	Nav string
	// OIDC lists the external login providers offered on the login and
	// account pages.
	OIDC []ProviderLink
}

// frame returns the chrome of a page, for renderPage; every page type gets
// it by embedding chrome.
func (c *chrome) frame() *chrome { return c }

// page is a page's data as renderPage takes it: a pointer to a page type
// embedding chrome.
type page interface {
	httpx.View
	frame() *chrome
}

// renderPage renders an account or dashboard page: it shows (and clears) the
// flash message and marks the response personal, so neither shared caches
// nor the back button after logging out serve it again.
func (s *Dashboard) renderPage(w http.ResponseWriter, r *http.Request, status int, name, title string, p page) {
	c := p.frame()
	if msg := s.flash.Take(w, r); msg != "" && c.Flash == "" {
		c.Flash = msg
	}
	if c.OIDC == nil {
		c.OIDC = s.OIDC.Links()
	}
	w.Header().Set("Cache-Control", "no-store")
	c.Title = title
	if c.Me.User.ID != "" {
		c.User = c.Me.User
	} else if _, err := r.Cookie(httpx.AccessCookie); err == nil {
		// A public page (a reset or confirmation link) opened while logged
		// in still offers the dashboard and logging out.
		if p, err := s.Kit.Principal(r); err == nil && p.UserID != "" {
			c.User = p.UserID
		}
	}
	s.Kit.Render(w, r, status, name, p)
}
