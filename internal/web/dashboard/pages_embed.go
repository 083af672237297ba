package dashboard

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/luneo/luneo/internal/audit"
	"github.com/luneo/luneo/internal/brand"
	"github.com/luneo/luneo/internal/web/form"
)

// embedPage is the widget settings page: the store origins allowed to
// embed the brand and the two lines a store pastes.
type embedPage struct {
	chrome
	Origins []string
	Form    form.Form
	// Base is our origin, for the snippet's script URL.
	Base string
}

// Snippet is the two lines a brand pastes into its store's page.
func (p *embedPage) Snippet() string {
	return fmt.Sprintf("<script src=\"%s/embed/luneo.js\"></script>\n"+
		"<script>LuneoWidget.init({brand: %q, product: \"PRODUCT_ID\", container: \"#luneo\"});</script>",
		p.Base, p.Me.Brand.ID)
}

func (s *Dashboard) embedSettingsPage(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.BrandRead); err != nil {
		return err
	}
	list, err := s.Embed.Origins(r.Context(), me.p.BrandID)
	if err != nil {
		return err
	}
	f := form.Form{Name: "embed", Values: map[string]string{"origins": strings.Join(list, "\n")}}
	s.renderPage(w, r, http.StatusOK, "embed", "Widget", &embedPage{chrome: chrome{Me: me, Nav: "embed"}, Origins: list, Form: f, Base: s.Kit.BaseURL})
	return nil
}

func (s *Dashboard) embedSettingsSubmit(w http.ResponseWriter, r *http.Request, me Me) error {
	if err := me.p.Require(brand.BrandWrite); err != nil {
		return err
	}
	raw := r.PostFormValue("origins")
	var in []string
	for _, line := range strings.Split(raw, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			in = append(in, line)
		}
	}
	list, err := s.Embed.SetOrigins(r.Context(), me.p.BrandID, in)
	if err != nil {
		f, status, ok := form.Failure(w, err, "embed", map[string]string{"origins": raw})
		if !ok {
			return err
		}
		cur, _ := s.Embed.Origins(r.Context(), me.p.BrandID)
		s.renderPage(w, r, status, "embed", "Widget", &embedPage{chrome: chrome{Me: me, Nav: "embed"}, Origins: cur, Form: f, Base: s.Kit.BaseURL})
		return nil
	}
	if err := s.Audit.Record(r.Context(), nil, audit.Event{BrandID: me.p.BrandID, UserID: me.p.UserID,
		Event: audit.BrandUpdated, Detail: map[string]any{"allowed_origins": list}}); err != nil {
		s.Kit.Logger.ErrorContext(r.Context(), "audit", "error", err)
	}
	s.flash.Redirect(w, r, "/app/brand/embed", fmt.Sprintf("%d store origins may embed the widget.", len(list)))
	return nil
}
