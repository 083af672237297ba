package web

import (
	"fmt"
	"net/http"

	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
)

// View is the Data of every account and dashboard page. Each page fills in
// the shared fields it uses and its own section; the zero View renders every
// page empty, which the template tests rely on.
type View struct {
	// Flash is a one-time message from the previous form post.
	Flash string
	// Form is the form being shown again with what was typed and what is
	// wrong; see FormFor.
	Form Form
	// Me is who is logged in; zero on the public pages.
	Me Me
	// Nav names the dashboard tab being shown ("home", "team", …).
	Nav string
	// Return is where to go after logging in (a local path).
	Return string
	// Token is the secret a link or the previous step carried (password
	// reset, email confirmation, invitation, MFA login step), sent back in a
	// hidden field.
	Token string
	// OIDC lists the external login providers offered on the login and
	// account pages.
	OIDC []ProviderLink

	Account  accountView
	Team     teamView
	Keys     keysView
	Audit    auditView
	Products productsView
	Product  productView
}

// View returns the page's View, or an empty one when Data holds something
// else, so that every page template renders whatever it is given.
func (d PageData) View() View {
	v, _ := d.Data.(View)
	return v
}

// FormFor returns the submitted form when it is the one named name, or an
// empty form by that name, so errors only appear next to the form that was
// sent on pages with several.
func (v View) FormFor(name string) Form {
	if v.Form.Name == name {
		return v.Form
	}
	return Form{Name: name}
}

// Me is the logged-in user as the dashboard shows them.
type Me struct {
	User auth.User
	// Brand is the brand the session acts for (zero when the user belongs
	// to none), and Role their role in it.
	Brand  brand.Brand
	Role   brand.Role
	Brands []brand.Membership

	p auth.Principal
}

// Can reports whether the user may perform action (such as "team:manage")
// in the current brand, to show only the controls that will work.
func (m Me) Can(action string) bool { return m.p.Can(brand.Action(action)) }

// Owner reports whether the user owns the current brand.
func (m Me) Owner() bool { return m.p.BrandID != "" && m.Role == brand.Owner }

// loadMe reads the user and their brands for the page header and switcher.
func (s *Server) loadMe(r *http.Request, p auth.Principal) (Me, error) {
	u, err := s.Auth.UserByID(r.Context(), p.UserID)
	if err != nil {
		return Me{}, fmt.Errorf("load user: %w", err)
	}
	brands, err := s.Brands.BrandsOf(r.Context(), p.UserID)
	if err != nil {
		return Me{}, fmt.Errorf("load brands: %w", err)
	}
	me := Me{User: u, Brands: brands, p: p}
	for _, m := range brands {
		if m.Brand.ID == p.BrandID {
			me.Brand, me.Role = m.Brand, p.Role
		}
	}
	return me, nil
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, me Me) error {
	s.showDashboard(w, r, http.StatusOK, View{Me: me})
	return nil
}

func (s *Server) showDashboard(w http.ResponseWriter, r *http.Request, status int, v View) {
	v.Nav = "home"
	title := "Dashboard"
	if v.Me.Brand.Name != "" {
		title = v.Me.Brand.Name
	}
	s.renderPage(w, r, status, "app", title, v)
}

func (s *Server) switchBrandSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	id := r.PostFormValue("brand_id")
	t, err := s.Auth.SwitchBrand(r.Context(), me.p.UserID, me.p.SessionID, id)
	if err != nil {
		return err
	}
	// Only the access token changes: the session row now names the brand,
	// so later refreshes keep it.
	s.kit.SetSessionCookies(w, t)
	name := ""
	for _, m := range me.Brands {
		if m.Brand.ID == id {
			name = m.Brand.Name
		}
	}
	s.redirectFlash(w, r, "/app", fmt.Sprintf("You are now working on %s.", name))
	return nil
}

func (s *Server) resendSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := s.Auth.ResendConfirmation(r.Context(), me.User.ID); err != nil {
		f, status, ok := formFailure(w, err, "resend", nil)
		if !ok {
			return err
		}
		s.showDashboard(w, r, status, View{Me: me, Form: f})
		return nil
	}
	s.redirectFlash(w, r, "/app", fmt.Sprintf("We sent a new confirmation link to %s.", me.User.Email))
	return nil
}

func (s *Server) brandPage(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.BrandRead); err != nil {
		return err
	}
	current := Form{Name: "brand", Values: map[string]string{"name": me.Brand.Name}}
	s.renderPage(w, r, http.StatusOK, "brand", "Brand settings", View{Me: me, Nav: "brand", Form: current})
	return nil
}

func (s *Server) brandSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.BrandWrite); err != nil {
		return err
	}
	name := r.PostFormValue("name")
	b, err := s.Brands.Rename(r.Context(), nil, me.p.BrandID, name)
	if err != nil {
		f, status, ok := formFailure(w, err, "brand", map[string]string{"name": name})
		if !ok {
			return err
		}
		s.renderPage(w, r, status, "brand", "Brand settings", View{Me: me, Nav: "brand", Form: f})
		return nil
	}
	// The rename is done; a failed audit write must not report it failed.
	if err := s.Audit.Record(r.Context(), nil, audit.Event{BrandID: me.p.BrandID, UserID: me.p.UserID,
		Event: audit.BrandUpdated, Detail: map[string]any{"name": b.Name}}); err != nil {
		s.Logger.ErrorContext(r.Context(), "audit", "error", err)
	}
	s.redirectFlash(w, r, "/app/brand", fmt.Sprintf("The brand is now called %s.", b.Name))
	return nil
}
