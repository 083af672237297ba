package dashboard

import (
	"fmt"
	"net/http"

	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/auth"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/web/form"
)

// Me is the logged-in user as the dashboard shows them.
type Me struct {
	User auth.User
	// Brand is the brand the session acts for (zero when the user belongs
	// to none), and Role their role in it.
	Brand  brand.Brand
	Role   brand.Role
	Brands []brand.Membership
	// Shopify says the Shopify pages exist (the app is configured).
	Shopify bool

	p auth.Principal
}

// Can reports whether the user may perform action (such as "team:manage")
// in the current brand, to show only the controls that will work.
func (m Me) Can(action string) bool { return m.p.Can(brand.Action(action)) }

// Owner reports whether the user owns the current brand.
func (m Me) Owner() bool { return m.p.BrandID != "" && m.Role == brand.Owner }

// loadMe reads the user and their brands for the page header and switcher.
func (s *Dashboard) loadMe(r *http.Request, p auth.Principal) (Me, error) {
	u, err := s.Auth.UserByID(r.Context(), p.UserID)
	if err != nil {
		return Me{}, fmt.Errorf("load user: %w", err)
	}
	brands, err := s.Brands.BrandsOf(r.Context(), p.UserID)
	if err != nil {
		return Me{}, fmt.Errorf("load brands: %w", err)
	}
	me := Me{User: u, Brands: brands, p: p, Shopify: s.ShopifyWebhooks != nil}
	for _, m := range brands {
		if m.Brand.ID == p.BrandID {
			me.Brand, me.Role = m.Brand, p.Role
		}
	}
	return me, nil
}

// homePage is the data of the dashboard home ("app").
type homePage struct {
	chrome
	// Form is the "resend the confirmation link" form after a failure.
	Form form.Form
}

// brandPage is the data of the brand settings page.
type brandPage struct {
	chrome
	Form form.Form
}

func (s *Dashboard) dashboard(w http.ResponseWriter, r *http.Request, me Me) error {
	s.showDashboard(w, r, http.StatusOK, &homePage{chrome: chrome{Me: me}})
	return nil
}

func (s *Dashboard) showDashboard(w http.ResponseWriter, r *http.Request, status int, p *homePage) {
	p.Nav = "home"
	title := "Dashboard"
	if p.Me.Brand.Name != "" {
		title = p.Me.Brand.Name
	}
	s.renderPage(w, r, status, "app", title, p)
}

func (s *Dashboard) switchBrandSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	id := r.PostFormValue("brand_id")
	t, err := s.Auth.SwitchBrand(r.Context(), me.p.UserID, me.p.SessionID, id)
	if err != nil {
		return err
	}
	// Only the access token changes: the session row now names the brand,
	// so later refreshes keep it.
	s.Kit.SetSessionCookies(w, t)
	name := ""
	for _, m := range me.Brands {
		if m.Brand.ID == id {
			name = m.Brand.Name
		}
	}
	s.flash.Redirect(w, r, "/app", fmt.Sprintf("You are now working on %s.", name))
	return nil
}

func (s *Dashboard) resendSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := s.Auth.ResendConfirmation(r.Context(), me.User.ID); err != nil {
		f, status, ok := form.Failure(w, err, "resend", nil)
		if !ok {
			return err
		}
		s.showDashboard(w, r, status, &homePage{chrome: chrome{Me: me}, Form: f})
		return nil
	}
	s.flash.Redirect(w, r, "/app", fmt.Sprintf("We sent a new confirmation link to %s.", me.User.Email))
	return nil
}

func (s *Dashboard) brandPage(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.BrandRead); err != nil {
		return err
	}
	current := form.Form{Name: "brand", Values: map[string]string{"name": me.Brand.Name}}
	s.renderPage(w, r, http.StatusOK, "brand", "Brand settings", &brandPage{chrome: chrome{Me: me, Nav: "brand"}, Form: current})
	return nil
}

func (s *Dashboard) brandSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.BrandWrite); err != nil {
		return err
	}
	name := r.PostFormValue("name")
	b, err := s.Brands.Rename(r.Context(), nil, me.p.BrandID, name)
	if err != nil {
		f, status, ok := form.Failure(w, err, "brand", map[string]string{"name": name})
		if !ok {
			return err
		}
		s.renderPage(w, r, status, "brand", "Brand settings", &brandPage{chrome: chrome{Me: me, Nav: "brand"}, Form: f})
		return nil
	}
	// The rename is done; a failed audit write must not report it failed.
	if err := s.Audit.Record(r.Context(), nil, audit.Event{BrandID: me.p.BrandID, UserID: me.p.UserID,
		Event: audit.BrandUpdated, Detail: map[string]any{"name": b.Name}}); err != nil {
		s.Kit.Logger.ErrorContext(r.Context(), "audit", "error", err)
	}
	s.flash.Redirect(w, r, "/app/brand", fmt.Sprintf("The brand is now called %s.", b.Name))
	return nil
}
