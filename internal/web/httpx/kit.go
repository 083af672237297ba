package httpx

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/platform/obs"
)

// Authenticator turns a bearer token or session cookie value into the
// caller's principal (auth.Service implements it).
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (auth.Principal, error)
}

// Kit is what every surface shares to answer requests: one per process,
// built in internal/web and handed to each surface's constructor.
type Kit struct {
	Logger *slog.Logger
	// Templates renders pages; nil (an ops-only server) answers errors as
	// problem+json only.
	Templates *Templates
	// Auth authenticates callers; nil leaves every non-public route 401.
	Auth Authenticator
	// BaseURL is our own origin, for CSRF checks and links.
	BaseURL string
	// SecureCookies marks cookies Secure (everywhere but dev over http).
	SecureCookies bool
	// Dev shows the development ribbon on pages.
	Dev bool
	// Version is shown in the page footer.
	Version string
	// RefreshPath is where a page request without a valid session goes to
	// renew it (the only path that receives the refresh cookie).
	RefreshPath string
}

// Render writes page name with the fields every page shares filled in; a
// template failure becomes an error response instead.
func (k *Kit) Render(w http.ResponseWriter, r *http.Request, status int, name string, data View) {
	c := data.Common()
	c.RequestID, c.Dev, c.Version = obs.RequestID(r.Context()), k.Dev, k.Version
	if k.Templates == nil {
		k.Error(w, r, errNoTemplates)
		return
	}
	if err := k.Templates.Render(w, status, name, data); err != nil {
		k.Error(w, r, err)
	}
}

// Handler adapts a handler that returns its error: the error goes through
// the one error writer.
func (k *Kit) Handler(h func(w http.ResponseWriter, r *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			k.Error(w, r, err)
		}
	}
}

// Authed adapts a handler of an authenticated route (UserAPI, BrandAPI,
// Page): it gets the principal the Router stored, and its error goes
// through the one error writer.
func (k *Kit) Authed(h func(w http.ResponseWriter, r *http.Request, p auth.Principal) error) http.HandlerFunc {
	return k.Handler(func(w http.ResponseWriter, r *http.Request) error {
		p, err := k.Principal(r)
		if err != nil {
			return err
		}
		return h(w, r, p)
	})
}
